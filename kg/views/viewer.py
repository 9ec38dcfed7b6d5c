"""The interactive viewer: one self-contained HTML page per view (vis-network inlined, no network access).

`kg.viz(...)` returns a ViewerPage for notebooks and scripts; `kg viz` writes one; the build calls
`write_default_views` for the whole graph, one page per system, one per outcome reached by a
mechanism path, and an index linking them all. Layout is computed here, so the page opens drawn.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import networkx as nx

from kg.export import Validated
from kg.export.atomic import write_text_atomic
from kg.views.data import context_labels, payload
from kg.views.layout import comparison_layout, force_layout, grouped_layout, path_layout
from kg.views.select import Selection, select, shared_targets

PACKAGE = Path(__file__).resolve().parent
DEFAULT_SYSTEMS = ("glutamatergic", "opioid", "gabaergic", "monoaminergic", "metabolism", "neurotrophic", "inflammatory")


@dataclass
class ViewerPage:
    """One rendered view: the HTML and the counts it shows."""

    html: str
    title: str
    node_count: int
    edge_count: int

    def save(self, path) -> Path:
        """Write the page atomically (a reader never sees half a file)."""
        path = Path(path)
        write_text_atomic(path, self.html)
        return path

    def _repr_html_(self) -> str:
        """Inline display in Jupyter: the page in a sandboxed iframe (srcdoc, escaped)."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:720px;border:0" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'title="{html.escape(self.title, quote=True)}"></iframe>'
        )


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(PACKAGE / "templates"), autoescape=select_autoescape(default=True))


@lru_cache(maxsize=1)
def _static() -> dict:
    """vis-network (with its licence header) and the viewer's own JS/CSS, inlined into every page; not data."""
    from markupsafe import Markup

    files = {"vis_js": "vis-network.min.js", "vis_css": "vis-network.css", "viewer_js": "viewer.js", "viewer_css": "viewer.css"}
    return {name: Markup((PACKAGE / "static" / file).read_text(encoding="utf-8")) for name, file in files.items()}


def render_page(data: dict) -> str:
    """The viewer template filled with one view's data (embedded with tojson, escaped)."""
    return _environment().get_template("viewer.html").render(data=data, title=data["title"], **_static())


def _network_and_labels(graph) -> tuple[nx.MultiDiGraph, dict]:
    """Accept an rdflib Graph / kg.load() store / None (data/), a ready networkx graph, or the build's Validated."""
    if isinstance(graph, nx.MultiDiGraph):
        return graph, {n: d.get("label", n) for n, d in graph.nodes(data=True)}
    if isinstance(graph, Validated):  # the build: reuse the networkx view its sinks already built
        return graph.network, context_labels(graph.graph)
    from kg.store import as_rdflib, to_networkx

    rdf = as_rdflib(graph)
    return to_networkx(rdf), context_labels(rdf)


def page_for(selection: Selection, title: str, labels: dict, grouped: bool = False, links: dict | None = None) -> ViewerPage:
    """Lay the selection out and render it: `grouped` draws drugs left, outcomes right and the systems between
    them as boxes that open on click (the whole graph); otherwise paths read left to right and the rest is a
    force layout. `links` puts the view in the site (home, search and a page per entity)."""
    network = selection.network
    groups = None
    if grouped:
        positions, groups = grouped_layout(network)
    elif selection.compared:
        positions = comparison_layout(network, selection.compared, shared_targets(network, selection.compared))
    else:
        positions = path_layout(network, selection.paths) if selection.paths else force_layout(network)
    data = payload(network, positions, title, selection.notes, labels, selection.focus, groups, links)
    return ViewerPage(render_page(data), title, network.number_of_nodes(), network.number_of_edges())


def whole_graph(options: dict) -> bool:
    """The whole graph (perhaps filtered by grade or species) is drawn grouped by system."""
    return not any(options.get(name) for name in ("focus", "systems", "outcome", "compare"))


def describe_options(focus=None, depth=2, systems=None, outcome=None, min_grade=None, species=None, compare=None) -> str:
    """A page title that says what the view shows."""
    parts = []
    if outcome:
        parts.append(f"mechanism paths to {outcome}")
    if systems:
        parts.append("system: " + ", ".join([systems] if isinstance(systems, str) else systems))
    if compare:
        parts.append(
            "comparing " + ", ".join([compare] if isinstance(compare, str) else compare) + ", shared targets in the middle"
        )
    if focus:
        parts.append(f"within {depth} of " + ", ".join([focus] if isinstance(focus, str) else focus))
    if min_grade:
        parts.append(f"grade ≥ {min_grade}")
    if species:
        parts.append(f"species {species}")
    return "painkg — " + ("; ".join(parts) if parts else "whole graph")


def viz(focus=None, depth=2, systems=None, outcome=None, min_grade=None, species=None, graph=None, compare=None) -> ViewerPage:
    """The interactive viewer for part (or all) of the graph; unknown names raise kg.errors.UserError.
    `compare` (two or more drugs) draws them round the targets they share."""
    network, labels = _network_and_labels(graph)
    selection = select(network, focus, depth, systems, outcome, min_grade, species, compare=compare)
    title = describe_options(focus, depth, systems, outcome, min_grade, species, compare)
    options = {"focus": focus, "systems": systems, "outcome": outcome, "compare": compare}
    return page_for(selection, title, labels, grouped=whole_graph(options))


def default_views(network: nx.MultiDiGraph, groups: list[dict] = ()) -> list[tuple[str, str, dict]]:
    """(file name, title, options) of every default view: whole graph, each system, each outcome with a path from the
    focal drugs, each curated comparison (`groups`, from data/comparisons/) and each compared or focal drug."""
    from kg.mechanisms.engine import find_paths
    from kg.model.network import focal_drugs

    views = [("whole-graph.html", "painkg — whole graph", {})]
    views += [(f"system-{s}.html", f"painkg — {s} system", {"systems": [s]}) for s in DEFAULT_SYSTEMS]
    drugs = focal_drugs(network)
    outcomes = sorted({p.outcome for drug in drugs for p in find_paths(network, drug)})
    names = " / ".join(network.nodes[d].get("label", d) for d in drugs)
    for outcome in outcomes:
        label = network.nodes[outcome].get("label", outcome)
        views.append(
            (
                f"outcome-{outcome.replace(':', '_')}.html",
                f"painkg — how {names} reaches {label} ({outcome})",
                {"outcome": outcome},
            )
        )
    for group in groups:
        views.append(
            (
                f"compare-{group['id']}.html",
                f"painkg — {group['label']}: shared targets in the middle",
                {"compare": group["drugs"]},
            )
        )
    for drug in sorted({*drugs, *(d for g in groups for d in g["drugs"])}):
        if drug in network:
            label = network.nodes[drug].get("label", drug)
            views.append(
                (
                    f"drug-{drug.replace(':', '_')}.html",
                    f"painkg — {label} ({drug}) and its neighbours",
                    {"focus": [drug], "depth": 1},
                )
            )
    return views


def _comparisons(graph) -> list[dict]:
    """The curated comparisons of an RDF graph (none for a bare networkx graph, which does not carry them)."""
    from kg.model.network import comparisons

    if isinstance(graph, nx.MultiDiGraph):
        return []
    if isinstance(graph, Validated):
        return comparisons(graph.graph)
    from kg.store import as_rdflib

    return comparisons(as_rdflib(graph))


def write_default_views(graph, folder: Path) -> dict[str, Path]:
    """Write every default view and views/index.html linking them; keys are paths relative to the build."""
    network, labels = _network_and_labels(graph)
    folder = Path(folder)
    written, entries = {}, []
    for name, title, options in default_views(network, _comparisons(graph)):
        page = page_for(select(network, **options), title, labels, grouped=whole_graph(options))
        written[f"views/{name}"] = page.save(folder / name)
        entries.append({"file": name, "title": title, "nodes": page.node_count, "edges": page.edge_count})
    index = _environment().get_template("index.html").render(entries=entries)
    write_text_atomic(folder / "index.html", index)
    written["views/index.html"] = folder / "index.html"
    return written


def site_graph_page(network: nx.MultiDiGraph, labels: dict, links: dict) -> str:
    """The whole graph as a page of the site: grouped by system, each entity's panel linking to its page.
    links: home and search URLs, and `entities`, one URL per entity."""
    return page_for(select(network), "painkg — whole graph", labels, grouped=True, links=links).html
