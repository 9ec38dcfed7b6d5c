"""The viewer in Debian's headless Chromium: offline, drawn, counts, search, click-for-evidence, no script injection.

Every default view is opened from file:// with no network; a screenshot of each goes to
test-artefacts/views/ for a person to look at. Expectations come from the curated TSV rows.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.project import shown_label
from support.viewer import IMAGE, SCRIPT, assertion_rows, entity_rows, inject_label, inject_note

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DRAWN_WITHIN_MS = 10_000  # generous for a loaded CI machine; benchmarks/viewer.py measures the real figure

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make system-deps) to run the viewer tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def views(tmp_path_factory, graph) -> dict[str, Path]:
    """Every default view of a snapshot of data/ (the same snapshot the expectations read)."""
    from kg.views.viewer import write_default_views

    folder = tmp_path_factory.mktemp("views") / "views"
    return write_default_views(graph, folder)


class Visit:
    """One page opened offline, recording console errors, page errors, dialogs and requests off file://."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console {m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.route("**/*", self._only_local)
        self.page.goto(path.resolve().as_uri())

    def _only_local(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.problems.append(f"request left file://: {url}")
            route.abort()

    def wait_drawn(self):
        self.page.wait_for_selector("body[data-drawn]", state="attached", timeout=DRAWN_WITHIN_MS)

    def js(self, expression: str, argument=None):
        return self.page.evaluate(expression, argument)

    def close(self):
        self.page.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def test_every_default_view_opens_offline_drawn_without_errors(views, visit, artefacts):
    shots = artefacts / "views"
    shots.mkdir(exist_ok=True)
    for name, path in sorted(views.items()):
        page = visit(path)
        if name != "views/index.html":
            page.wait_drawn()
            assert page.js("window.painkg.network.getPositions().constructor === Object")
        page.page.screenshot(path=str(shots / f"{path.stem}.png"))
        assert page.problems == [], name


def test_index_links_every_view_and_each_link_opens(views, visit):
    page = visit(views["views/index.html"])
    hrefs = page.js("Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert sorted(f"views/{h}" for h in hrefs) == sorted(n for n in views if n != "views/index.html")
    page.page.click(f"a[href='{hrefs[0]}']")
    page.wait_drawn()
    assert page.problems == []


def test_whole_graph_counts_equal_the_curated_rows(views, visit, snapshot):
    rows = assertion_rows(snapshot)
    page = visit(views["views/whole-graph.html"])
    page.wait_drawn()
    nodes = {r["subject"] for r in rows} | {r["object"] for r in rows}
    assert page.page.text_content("#node-count") == str(len(nodes))
    assert page.page.text_content("#edge-count") == str(len(rows))
    assert page.js("window.painkg.network.body.data.nodes.length") == len(nodes)  # vis draws them all


def test_grade_filter_in_the_page_keeps_grade_a_only(views, visit, snapshot):
    page = visit(views["views/whole-graph.html"])
    page.wait_drawn()
    page.page.select_option("#filter-grade", "4")
    grade_a = [r for r in assertion_rows(snapshot) if r["grade"] == "A"]
    assert page.page.text_content("#edge-count") == str(len(grade_a))
    nodes = {r["subject"] for r in grade_a} | {r["object"] for r in grade_a}
    assert page.page.text_content("#node-count") == str(len(nodes))


def test_searching_a_label_focuses_that_node(views, visit, snapshot):
    label = entity_rows(snapshot)["HGNC:8156"]["label"]  # OPRM1, the mu-opioid receptor gene
    page = visit(views["views/whole-graph.html"])
    page.wait_drawn()
    page.page.fill("#search", label.lower())
    page.page.press("#search", "Enter")
    assert page.js("window.painkg.network.getSelectedNodes()") == ["HGNC:8156"]
    centre = page.js(
        "(() => { const n = window.painkg.network; const p = n.getPositions(['HGNC:8156'])['HGNC:8156'];"
        " const v = n.getViewPosition(); return Math.hypot(p.x - v.x, p.y - v.y); })()"
    )
    assert centre < 1.0  # the view is centred on it
    assert page.page.text_content("#details h2") == label


def test_clicking_a_node_shows_its_evidence(views, visit, snapshot, artefacts):
    curie = "HGNC:8156"
    rows = [r for r in assertion_rows(snapshot) if curie in (r["subject"], r["object"])]
    page = visit(views["views/whole-graph.html"])
    page.wait_drawn()
    point = page.js(
        "(id) => { const n = window.painkg.network; n.focus(id, {scale: 1.5, animation: false});"
        " return n.canvasToDOM(n.getPositions([id])[id]); }",
        curie,
    )
    box = page.page.locator("#graph").bounding_box()
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.page.text_content("#details h2") == shown_label(entity_rows(snapshot)[curie])
    assert page.page.locator("#details .assertion").count() == len(rows)
    assert page.page.text_content("#details h3") == f"Assertions ({len(rows)})"
    panel = page.page.text_content("#details")
    for row in rows:
        assert row["id"] in panel and f"{row['grade']}" in panel
    pmid = next(p for r in rows for p in r["publications"].split("|") if p.startswith("PMID:"))
    assert page.page.locator(f"#details a[href='https://pubmed.ncbi.nlm.nih.gov/{pmid[5:]}/']").count() >= 1
    hrefs = page.js("Array.from(document.querySelectorAll('#details a')).map(a => a.href)")
    assert "https://identifiers.org/HGNC:8156" in hrefs
    page.page.screenshot(path=str(artefacts / "views" / "whole-graph-OPRM1-clicked.png"))


def test_markup_in_a_label_or_note_shows_as_text_and_never_runs(data_copy, tmp_path, visit):
    from kg.validate import checked_graph
    from kg.views.viewer import viz

    label = f"OPRM1 {SCRIPT} {IMAGE}"
    inject_label(data_copy, "HGNC:8156", label)
    touching = next(r["id"] for r in assertion_rows(data_copy) if "HGNC:8156" in (r["subject"], r["object"]))
    inject_note(data_copy, touching, f"note {IMAGE}")
    path = viz(graph=checked_graph(data_copy)[1]).save(tmp_path / "injected.html")
    page = visit(path)
    page.wait_drawn()
    page.page.fill("#search", "OPRM1")
    page.page.press("#search", "Enter")
    assert page.page.text_content("#details h2") == label
    assert f"note {IMAGE}" in page.page.text_content("#details")
    assert page.js("window.__pwned === undefined")
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("document.scripts.length") == 3  # the page's own: data, vis-network, viewer; none injected
    assert page.problems == []


def test_clicking_a_line_lists_the_assertions_it_carries(views, visit, snapshot):
    rows = {r["id"]: r for r in assertion_rows(snapshot)}
    page = visit(views["views/system-gabaergic.html"])
    page.wait_drawn()
    line = page.js("window.painkg.data.edges.find(e => !e.smooth.enabled)")
    point = page.js(
        """(line) => { const n = window.painkg.network; const p = n.getPositions([line.from, line.to]);
        const middle = {x: (p[line.from].x + p[line.to].x) / 2, y: (p[line.from].y + p[line.to].y) / 2};
        n.moveTo({position: middle, scale: 2, animation: false}); return n.canvasToDOM(middle); }""",
        line,
    )
    box = page.page.locator("#graph").bounding_box()
    page.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert page.js("window.painkg.network.getSelectedEdges()") == [line["id"]]
    labels = {i: shown_label(e) for i, e in entity_rows(snapshot).items()}
    assert page.page.text_content("#details h2") == f"{labels[line['from']]} → {labels[line['to']]}"
    assert page.page.locator("#details .assertion").count() == len(line["members"])
    panel = page.page.text_content("#details")
    for key in line["members"]:
        assert key in panel and rows[key]["subject"] == line["from"] and rows[key]["object"] == line["to"]
