"""The painkg site in Debian's headless Chromium, as a researcher uses it: from the ketamine page to an assertion
to its publication, search, the SPARQL editor running a library query with a parameter, the mechanism explorer
for one outcome, the whole graph grouped by system, the static copy from file://. No request may leave the
machine and markup in the data must show as text. Screenshots go to test-artefacts/explorer/.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse

import pytest

from support.browser import Tab, chromium
from support.endpoint import running_server
from support.project import curated_rows, shown_label
from support.viewer import IMAGE, SCRIPT, inject_label

pytestmark = pytest.mark.browser

KETAMINE = "CHEBI:6121"
DRAWN_WITHIN_MS = 15_000  # generous for a loaded machine


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def serve(graph, folder):
    """`kg serve` over `graph` (written as N-Triples into `folder`); yields the site's base URL."""
    path = folder / "painkg.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    return running_server(path)


@pytest.fixture(scope="module")
def base(graph, tmp_path_factory):
    with serve(graph, tmp_path_factory.mktemp("site-server")) as server:
        yield server.endpoint_url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def static_site(graph, tmp_path_factory):
    from kg.serve.site import write_site

    folder = tmp_path_factory.mktemp("static") / "site"
    write_site(graph, folder)
    return folder


@pytest.fixture
def tab(browser, base):
    """A tab that may load only from the test server; checked for problems when the test ends."""
    opened = Tab(browser, (base + "/",))
    yield opened
    assert opened.left == [], f"requests left the machine: {opened.left}"
    assert opened.problems == []
    opened.close()


@pytest.fixture(scope="module")
def shots(artefacts):
    folder = artefacts / "explorer"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def network(graph):
    from kg.store import to_networkx

    return to_networkx(graph)


# ---------------------------------------------------------------- from a drug to its evidence and back


def test_from_the_ketamine_page_to_an_assertion_to_its_publication(tab, base, snapshot, shots):
    references = {r["id"]: r for r in curated_rows("references", snapshot)}
    row = next(
        r
        for r in curated_rows("assertions", snapshot)
        if r["subject"] == KETAMINE and any(p.startswith("PMID:") for p in r["publications"].split("|"))
    )
    pmid = next(p for p in row["publications"].split("|") if p.startswith("PMID:"))
    page = tab.open(f"{base}/entity/{KETAMINE}")
    assert page.text_content("h1") == "ketamine"
    tab.shot(shots / "entity-ketamine.png", full_page=False)
    page.click(f"a[href$='assertion/{row['id']}'] >> nth=0")
    page.wait_for_url(f"**/assertion/{row['id']}")
    assert page.text_content(".kicker .curie") == row["id"]
    assert f"grade {row['grade']}" in page.text_content(".meta")
    assert page.locator(f"a[href='https://pubmed.ncbi.nlm.nih.gov/{pmid[5:]}/']").count() >= 1
    tab.shot(shots / f"assertion-{row['id']}.png")
    page.click(f"a[href$='reference/{pmid}'] >> nth=0")
    page.wait_for_url(f"**/reference/{pmid}")
    assert page.text_content("h1") == references[pmid]["title"]
    pubmed = page.locator(f"a[href='https://pubmed.ncbi.nlm.nih.gov/{pmid[5:]}/']")
    assert pubmed.count() >= 1 and pubmed.first.get_attribute("rel") == "noopener noreferrer"
    assert page.locator(f"a[href$='assertion/{row['id']}']").count() >= 1  # and back to the claim
    tab.shot(shots / "reference.png")


def test_search_finds_an_entity_by_synonym_and_by_curie(tab, base, snapshot, shots):
    rows = curated_rows("entities", snapshot)
    names = {}
    for row in rows:
        for name in [row["label"], row["display_label"], *row["synonyms"].split("|")]:
            if name:
                names.setdefault(name.lower(), set()).add(row["id"])
    row, synonym = next(
        (r, s)
        for r in rows
        for s in r["synonyms"].split("|")
        if len(s) > 6 and all(s.lower() not in other for other in names if other != s.lower())
    )
    page = tab.open(f"{base}/")
    page.fill("#site-search", synonym[:-1])
    page.wait_for_selector("#site-search-suggestions li")
    first = page.locator("#site-search-suggestions li a").first
    assert shown_label(row) in first.text_content() and row["id"] in first.text_content()
    tab.shot(shots / "search-suggestions.png", full_page=False)
    page.press("#site-search", "ArrowDown")
    page.press("#site-search", "Enter")
    page.wait_for_url(f"**/entity/{row['id']}")
    assert page.text_content("h1") == shown_label(row)
    page.fill("#site-search", KETAMINE)
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=*")
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li .label").first.text_content() == "ketamine"
    tab.shot(shots / "search-page.png", full_page=False)


# ---------------------------------------------------------------- the SPARQL editor


def test_editor_runs_a_library_query_with_a_parameter_and_links_the_results(tab, base, snapshot, shots):
    text = "ESKETAMINE"
    expected = {
        r["label"]
        for r in curated_rows("entities", snapshot)
        if any(text.lower() in n.lower() for n in [r["label"], *r["synonyms"].split("|")] if n)
    }
    page = tab.open(f"{base}/query")
    assert page.locator(".CodeMirror .cm-keyword").count() > 0  # the SPARQL mode highlights SELECT, WHERE ...
    page.select_option("#library", "cq-15-entity-lookup")
    page.fill("#params input[name='text']", text)
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    heads = page.eval_on_selector_all("table.results th", "ths => ths.map(t => t.textContent)")
    labels = page.eval_on_selector_all(
        f"table.results tbody tr td:nth-child({heads.index('label') + 1})", "tds => tds.map(t => t.textContent)"
    )
    assert set(labels) == expected
    entity_link = page.locator(f"table.results td:nth-child({heads.index('entity') + 1}) a").first
    assert entity_link.text_content() == "CHEBI:60799"  # the IRI shortened to its CURIE
    assert entity_link.get_attribute("href").endswith("entity/CHEBI:60799")
    tab.shot(shots / "editor-library-query.png")
    download = page.get_attribute("#download-csv", "href")
    response = page.request.get(urllib.parse.urljoin(base + "/query", download))
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert response.headers["content-type"].startswith("text/csv") and {r["label"] for r in rows} == expected
    json_link = page.get_attribute("#download-json", "href")
    assert page.request.get(urllib.parse.urljoin(base + "/query", json_link)).json()["head"]["vars"] == heads
    entity_link.click()
    page.wait_for_url("**/entity/CHEBI:60799")


def test_editor_declares_the_project_prefixes_a_query_uses(tab, base):
    page = tab.open(f"{base}/query")
    tab.js("window.painkgEditor.setValue('SELECT ?label WHERE { CHEBI:6121 rdfs:label ?label }')")
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody td").all_text_contents() == ["ketamine"]
    declared = tab.js("window.painkgEditor.getValue()")
    assert declared.startswith("PREFIX CHEBI: <http://purl.obolibrary.org/obo/CHEBI_>")
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in declared
    assert "added PREFIX CHEBI, rdfs" in page.text_content("#status")


# ---------------------------------------------------------------- the mechanism explorer


def test_explorer_for_one_outcome_draws_its_paths_with_their_evidence_and_filters(tab, base, network, shots):
    from kg.mechanisms.engine import find_paths

    found = find_paths(network, KETAMINE)
    assert found, "ketamine reaches an outcome through an evidenced mechanism path"
    counts = {o: sum(p.nodes[-1] == o for p in found) for o in {p.nodes[-1] for p in found}}
    outcome = min(counts, key=lambda o: (counts[o] < 2, counts[o], o))  # a few paths: a diagram a person can read
    paths = [p for p in found if p.nodes[-1] == outcome]
    page = tab.open(f"{base}/explore?" + urllib.parse.urlencode({"drug": KETAMINE, "outcome": outcome}))
    assert page.text_content("#path-count") == str(len(paths))
    assert page.locator("tr[data-path]").count() == len(paths)
    drawn = set(page.eval_on_selector_all("#diagram a.node", "boxes => boxes.map(b => b.getAttribute('data-node'))"))
    assert drawn == {n for p in paths for n in p.nodes}
    tab.shot(shots / f"explore-{outcome.replace(':', '_')}.png")
    for rank in (2, 3, 4):  # C and up, B and up, A only: a path stays if each hop keeps supporting evidence
        page.select_option("#filter-grade", str(rank))
        kept = [p for p in paths if all(any(e["grade_rank"] >= rank for e in hop.evidence) for hop in p.hops)]
        assert page.text_content("#path-count") == str(len(kept)), rank
        assert page.locator("tr[data-path]:visible").count() == len(kept)
    page.select_option("#filter-grade", "0")
    line = page.locator("#diagram g.hop").first
    line.locator("path.hit").dispatch_event("click")
    key = line.get_attribute("data-hop")
    current = page.locator("section.hop-evidence.current")
    assert current.count() == 1 and current.get_attribute("data-hop") == key


# ---------------------------------------------------------------- the whole graph, grouped by system


def test_whole_graph_opens_grouped_by_system_and_a_box_opens_on_click(tab, base, snapshot, shots):
    target = next(r for r in curated_rows("entities", snapshot) if r["id"] == "GO:0017146")  # the NMDA receptor
    assert target["systems"] == "glutamatergic"
    page = tab.open(f"{base}/graph")
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=DRAWN_WITHIN_MS)
    boxes = tab.js("window.painkg.groups.list.filter(g => window.painkg.groups.isBox(g.id)).map(g => g.id)")
    assert "group:glutamatergic" in boxes and len(boxes) == len(tab.js("window.painkg.groups.list"))
    assert len(tab.js("(id) => window.painkg.network.findNode(id)", target["id"])) == 2  # inside its system's box
    tab.shot(shots / "graph-grouped.png", full_page=False)
    point = tab.js("""() => { const n = window.painkg.network;
        return n.canvasToDOM(n.getPositions(['group:glutamatergic'])['group:glutamatergic']); }""")
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    assert tab.js("(id) => window.painkg.network.findNode(id)", target["id"]) == [target["id"]]
    assert page.text_content("#details h2").startswith("glutamatergic")
    shown = tab.js(
        """(id) => { const n = window.painkg.network, p = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.getElementById('graph').getBoundingClientRect();
        return p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height; }""",
        target["id"],
    )
    assert shown, "the opened system's members are in view"
    tab.shot(shots / "graph-glutamatergic-open.png", full_page=False)
    entity_link = page.locator("#details li a", has_text=shown_label(target)).first
    entity_link.click()
    page.locator("#details a.page-link").click()
    page.wait_for_url(f"**/entity/{target['id']}")


# ---------------------------------------------------------------- nothing leaves the machine; markup stays text

PAGES = ["/", "/entity/CHEBI:6121", "/search?q=nmda", "/query", "/explore", "/graph"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_sends_a_request_off_the_machine(tab, base, path, shots):
    page = tab.open(base + path)
    page.wait_for_timeout(300)
    requested = tab.js("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(base + "/") for url in requested), requested
    name = re.sub(r"[^A-Za-z0-9]+", "-", path.strip("/")) or "home"
    tab.shot(shots / f"page-{name}.png", full_page=False)


def test_markup_in_a_label_shows_as_text_and_never_runs(browser, data_copy, tmp_path, snapshot):
    from kg.validate import checked_graph

    row = next(r for r in curated_rows("entities", snapshot) if r["id"] == "HGNC:8156")
    label = f"{row['label']} {SCRIPT} {IMAGE}"
    inject_label(data_copy, row["id"], label)
    with serve(checked_graph(data_copy)[1], tmp_path) as server:
        site = server.endpoint_url.removesuffix("/sparql")
        tab = Tab(browser, (site + "/",))
        page = tab.open(f"{site}/entity/{row['id']}")
        assert page.text_content("h1") == label
        page.fill("#site-search", row["label"])
        page.wait_for_selector("#site-search-suggestions li")
        assert label in page.locator("#site-search-suggestions li .label").all_text_contents()
        assert tab.js("window.__pwned === undefined")
        assert tab.js("document.querySelectorAll('main img, header img').length") == 0
        assert tab.js("Array.from(document.scripts).every(s => s.src)")  # only the site's own script files
        assert tab.problems == [] and tab.left == []
        tab.close()


# ---------------------------------------------------------------- the static copy


def test_static_site_works_from_file(browser, static_site, network, shots):
    from kg.mechanisms.engine import find_paths

    tab = Tab(browser, ("file://",))
    page = tab.open((static_site / "entity" / "CHEBI_6121.html").as_uri())
    assert page.text_content("h1") == "ketamine"
    first = page.locator("a[href*='assertion/']").first
    first.click()
    page.wait_for_url("file://**/assertion/*.html")
    page.fill("#site-search", "esketamine")
    page.wait_for_selector("#site-search-suggestions li")
    page.press("#site-search", "ArrowDown")
    page.press("#site-search", "Enter")
    page.wait_for_url("file://**/entity/CHEBI_60799.html")
    outcome = next(p.nodes[-1] for p in find_paths(network, KETAMINE))
    page.goto((static_site / "explore.html").as_uri())
    page.click(f"a[data-outcome='{outcome}'][data-drug='{KETAMINE}']")
    page.wait_for_url(f"file://**/explore/CHEBI_6121--{outcome.replace(':', '_')}.html")
    assert page.locator("#diagram a.node").count() > 2
    tab.shot(shots / "static-explore.png", full_page=False)
    page.goto((static_site / "query.html").as_uri())
    page.click("#run")
    assert "kg serve" in page.text_content("#status")
    assert tab.problems == [] and tab.left == []
    tab.close()
