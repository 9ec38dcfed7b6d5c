"""Viewer speed: time from opening a page to a drawn, still graph in headless Chromium, painkg vs pyvis defaults.

For every default view (and one synthetic 300-node / 700-edge graph, the size where pyvis's
defaults were measured at ~12 s) both pages are written for the same nodes and assertions:
painkg's viewer and pyvis 0.3.2's default page (cdn_resources="in_line", physics on). Each is
opened from file:// with every non-file request blocked (offline), and polled every 100 ms until
the node positions (rounded to 1 px) stop changing for 300 ms. Prints each time, the ratio
pyvis / painkg, and pyvis's console errors / blocked CDN requests.

    .venv/bin/python benchmarks/viewer.py [--only whole-graph,synthetic] [--timeout 60]
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
GOAL_MS = 2000
STILL_PROBE = """
(() => {
  const samples = [];
  const poll = () => {
    const net = (window.painkg && window.painkg.network) || window.network;
    if (net && net.getPositions && document.readyState !== "loading") {
      const now = performance.now();
      const key = JSON.stringify(Object.values(net.getPositions()).map(p => [Math.round(p.x), Math.round(p.y)]));
      samples.push([now, key]);
      const n = samples.length;
      if (n >= 4 && samples[n - 1][1] === samples[n - 4][1] && samples[n - 2][1] === key && samples[n - 3][1] === key) {
        window.__stillAt = samples[n - 4][0];
        return;
      }
    }
    setTimeout(poll, 100);
  };
  poll();
})();
"""


def synthetic_network(nodes: int = 300, edges: int = 700, seed: int = 1):
    """A random graph of the size pyvis was measured on: clearly synthetic labels, no curated content."""
    import networkx as nx

    rng = random.Random(seed)
    roles = ["chemical", "target", "process", "outcome"]
    systems = ["glutamatergic", "opioid", "gabaergic", "monoaminergic", "inflammatory"]
    network = nx.MultiDiGraph()
    for i in range(nodes):
        network.add_node(f"SYN:{i}", label=f"synthetic node {i}", role=roles[i % 4], systems=[systems[i % 5]],
                         category="", synonyms=[], xrefs=[], description="")
    for k in range(edges):
        u, v = rng.sample(range(nodes), 2)
        grade = rng.choice("ABCD")
        network.add_edge(f"SYN:{u}", f"SYN:{v}", key=f"S-{k}", assertion=f"S-{k}", predicate="increases",
                         sign=rng.choice([1, -1]), grade=grade, grade_rank="DCBA".index(grade) + 1,
                         support="supports", species="NCBITaxon:9606", evidence_type="", publications=[],
                         studies=[], value=None, value_low=None, value_high=None)
    return network


def pyvis_default_page(network, path: Path) -> None:
    """pyvis's out-of-the-box page for the same nodes and assertions (physics on, its own template)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node, data in network.nodes(data=True):
        net.add_node(node, label=data.get("label", node))
    for u, v, key in network.edges(keys=True):
        net.add_edge(u, v)
    path.write_text(net.generate_html(), encoding="utf-8")


def cases(folder: Path) -> list[tuple[str, int, int, Path, Path]]:
    """(name, nodes, assertions, painkg page, pyvis page) for every default view and the synthetic graph."""
    from kg.model.network import default_graph, to_networkx
    from kg.views.viewer import default_views, page_for, select, viz
    from kg.views.data import context_labels

    rdf = default_graph()
    network, labels = to_networkx(rdf), context_labels(rdf)
    found = []
    for name, title, options in default_views(network):
        selection = select(network, **options)
        stem = Path(name).stem
        ours, theirs = folder / f"{stem}.html", folder / f"{stem}-pyvis.html"
        page_for(selection, title, labels).save(ours)
        pyvis_default_page(selection.network, theirs)
        found.append((stem, selection.network.number_of_nodes(), selection.network.number_of_edges(), ours, theirs))
    synthetic = synthetic_network()
    page = viz(graph=synthetic)
    ours, theirs = folder / "synthetic.html", folder / "synthetic-pyvis.html"
    page.save(ours)
    pyvis_default_page(synthetic, theirs)
    found.append(("synthetic", page.node_count, page.edge_count, ours, theirs))
    return found


def time_to_still(browser, path: Path, timeout_s: float) -> tuple[float | None, int, int]:
    """Milliseconds from navigation to drawn-and-still; also console errors and blocked requests."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors, blocked = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
               else (blocked.append(r.request.url), r.abort()))
    page.add_init_script(STILL_PROBE)
    page.goto(path.resolve().as_uri(), wait_until="commit")
    still, deadline = None, time.monotonic() + timeout_s
    while still is None and time.monotonic() < deadline:  # plain evaluate: the page's CSP forbids eval-based waits
        page.wait_for_timeout(100)
        still = page.evaluate("() => window.__stillAt")
    page.close()
    return still, len(errors), len(blocked)


def measure(browser, case, timeout_s: float) -> tuple[float | None, float]:
    """Time both pages of one case, print a row; returns (painkg ms, ratio pyvis / painkg)."""
    name, nodes, edges, ours, theirs = case
    mine, my_errors, my_blocked = time_to_still(browser, ours, timeout_s)
    base, errors, blocked = time_to_still(browser, theirs, timeout_s)
    ratio = (base if base is not None else timeout_s * 1000) / mine if mine else float("nan")
    mine_text = "never" if mine is None else f"{mine:.0f}"
    base_text = f">{timeout_s * 1000:.0f}" if base is None else f"{base:.0f}"
    ratio_text = ("≥" if base is None else "") + f"{ratio:.1f}"
    flag = "" if (my_errors, my_blocked) == (0, 0) else f"  painkg page: {my_errors} errors, {my_blocked} blocked!"
    print(f"{name:48} {nodes:5d} {edges:6d} {mine_text:>9} {base_text:>9} {ratio_text:>6}  {errors}/{blocked}{flag}",
          flush=True)
    return mine, ratio


def summary(results: list[tuple[float | None, float]]) -> str:
    measured = [(mine, ratio) for mine, ratio in results if mine is not None]
    if not measured:
        return "no painkg page stood still"
    geometric = math.exp(sum(math.log(r) for _, r in measured) / len(measured))
    worst = max(mine for mine, _ in measured)
    return (f"geometric mean speed-up pyvis/painkg: {geometric:.1f}x over {len(measured)} views (a pyvis page still "
            f"moving at the timeout counts as the timeout, so this is a lower bound); slowest painkg view "
            f"{worst:.0f} ms (goal {GOAL_MS} ms: {'met' if worst <= GOAL_MS else 'NOT met'}); "
            f"{len(results) - len(measured)} painkg page(s) never still")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated view names (e.g. whole-graph,synthetic)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a page to stand still")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is missing (install Debian's chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="painkg-viewer-bench-") as temporary:
        found = cases(Path(temporary))
        found = [c for c in found if not args.only or c[0] in args.only.split(",")]
        print(f"{'view':48} {'nodes':>5} {'assert':>6} {'painkg ms':>9} {'pyvis ms':>9} {'ratio':>6}  pyvis errors/blocked")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            results = [measure(browser, case, args.timeout) for case in found]
            browser.close()
    print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
