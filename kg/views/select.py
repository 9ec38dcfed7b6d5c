"""Which part of the graph a view shows: focus, systems, mechanism paths to an outcome, grade and species.

Every option a user types is checked against the graph first, so a typo is one clear error
(kg.errors.UserError) instead of an empty page. Structural choices (outcome, systems, focus) are
applied first, then the evidence filters (grade, species) on the assertions that remain.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from kg.errors import UserError
from kg.mechanisms.engine import find_paths, focal_drug
from kg.model.network import GRADE_RANK, focal_drugs
from kg.views.style import SYSTEM_COLOURS

MAX_NODES = 1500
TAXON = "biolink:OrganismTaxon"


@dataclass
class Selection:
    """The subgraph to draw, the nodes it is centred on, and notes the page shows above it."""

    network: nx.MultiDiGraph
    focus: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    paths: list = field(default_factory=list)
    compared: list[str] = field(default_factory=list)


def _example(network: nx.MultiDiGraph) -> str:
    return next(iter(focal_drugs(network)), None) or next(iter(network), "PREFIX:id")


def resolve_node(network: nx.MultiDiGraph, text: str, option: str) -> str:
    """A CURIE in the graph (or an exact label); anything else is the user's error."""
    if text in network:
        return text
    matches = [n for n, label in network.nodes(data="label") if label and label.lower() == text.lower()]
    if len(matches) == 1:
        return matches[0]
    raise UserError(f"{option}: {text!r} is not an entity in the graph (give its CURIE, e.g. {_example(network)})")


def check_depth(depth) -> int:
    """How many assertions away from the focus to go: a whole number >= 0."""
    try:
        value = int(depth)
    except (TypeError, ValueError):
        value = -1
    if value < 0 or str(depth).strip() != str(value):
        raise UserError(f"--depth: {depth!r} must be a whole number >= 0")
    return value


def check_systems(systems: list[str]) -> list[str]:
    """System names exactly as the curated `systems` column spells them."""
    unknown = [s for s in systems if s not in SYSTEM_COLOURS]
    if unknown:
        raise UserError(f"--system: {unknown[0]!r} is not one of: {', '.join(SYSTEM_COLOURS)}")
    return list(systems)


def check_grade(grade: str) -> str:
    """A confidence grade A-D (case-insensitive)."""
    if str(grade).upper() not in GRADE_RANK:
        raise UserError(f"--min-grade: {grade!r} is not one of: {', '.join(GRADE_RANK)}")
    return str(grade).upper()


def resolve_species(network: nx.MultiDiGraph, text: str) -> str:
    """NCBITaxon CURIE from a CURIE, a bare taxon number or a species label (human, Rattus norvegicus ...)."""
    candidates = {text, f"NCBITaxon:{text}"}
    taxa = {n: d for n, d in network.nodes(data=True) if d.get("category") == TAXON}
    used = {species for _, _, species in network.edges(data="species")}
    for curie in candidates:
        if curie in taxa or curie in used:
            return curie
    for curie, data in taxa.items():
        names = [data.get("label", "")] + list(data.get("synonyms", []))
        if text.lower() in (name.lower() for name in names):
            return curie
    raise UserError(f"--species: {text!r} is not a species of the graph (e.g. NCBITaxon:9606)")


def path_subgraph(network: nx.MultiDiGraph, outcome: str) -> tuple[nx.MultiDiGraph, list]:
    """Every assertion along the evidenced mechanism paths from the focal drugs to `outcome`."""
    drugs = focal_drugs(network) or [focal_drug(network)]
    found = [p for drug in drugs for p in find_paths(network, drug, outcome)]
    if not found:
        raise UserError(f"--outcome: no evidenced mechanism path from {', '.join(drugs)} to {outcome}")
    pairs = {(h.subject, h.object) for p in found for h in p.hops}
    drugs = {p.drug for p in found} | {h.object for p in found for h in p.hops if h.carrier}
    pairs |= {(drug, outcome) for drug in drugs}  # the clinical claim the mechanism explains
    keys = [(u, v, k) for u, v in pairs if network.has_edge(u, v) for k in network[u][v]]
    return network.edge_subgraph(keys).copy(), found


def system_subgraph(network: nx.MultiDiGraph, systems: list[str]) -> nx.MultiDiGraph:
    """Nodes of the systems with every assertion touching them (so the drugs acting on them show too)."""
    members = {n for n, s in network.nodes(data="systems") if set(s or ()) & set(systems)}
    keys = [(u, v, k) for u, v, k in network.edges(keys=True) if u in members or v in members]
    sub = network.edge_subgraph(keys).copy()
    sub.add_nodes_from((n, network.nodes[n]) for n in members)
    return sub


def focus_subgraph(network: nx.MultiDiGraph, focus: list[str], depth: int) -> nx.MultiDiGraph:
    """Everything within `depth` assertions of any focus node, in either direction."""
    undirected = network.to_undirected(as_view=True)
    keep: set[str] = set()
    for node in focus:
        keep |= set(nx.single_source_shortest_path_length(undirected, node, cutoff=depth))
    return network.subgraph(keep).copy()


def comparison_subgraph(network: nx.MultiDiGraph, drugs: list[str]) -> nx.MultiDiGraph:
    """The compared drugs and every target they act on (metabolism links left out), each action with its evidence."""
    from kg.mechanisms.engagement import target_actions  # mechanisms sit below views: an allowed, lazy import

    edges = [(d, a["target"], a["assertion"]) for d in drugs for a in target_actions(network, d)]
    sub = network.edge_subgraph(edges).copy() if edges else nx.MultiDiGraph()
    return _with_nodes(sub, network, drugs)


def shared_targets(network: nx.MultiDiGraph, drugs: list[str]) -> set[str]:
    """Targets two or more of the drugs have a supported action on: the middle of a comparison view."""
    from kg.mechanisms.compare import sharing

    return set(sharing(network, drugs))


def evidence_filtered(network: nx.MultiDiGraph, min_grade: str | None, species: str | None) -> nx.MultiDiGraph:
    """Drop assertions below the grade or from other species; nodes stay (pruned later)."""
    rank = GRADE_RANK[min_grade] if min_grade else 0
    drop = [
        (u, v, k)
        for u, v, k, d in network.edges(keys=True, data=True)
        if d.get("grade_rank", 0) < rank or (species and d.get("species") != species)
    ]
    kept = network.copy()
    kept.remove_edges_from(drop)
    return kept


def without_isolated(network: nx.MultiDiGraph, keep: list[str]) -> tuple[nx.MultiDiGraph, int]:
    """Entities with no assertion in the view are listed as a count, not drawn (except focus nodes)."""
    isolated = [n for n in nx.isolates(network) if n not in keep]
    pruned = network.copy()
    pruned.remove_nodes_from(isolated)
    return pruned, len(isolated)


def fit_to_limit(network: nx.MultiDiGraph, focus: list[str], limit: int = MAX_NODES) -> tuple[nx.MultiDiGraph, str]:
    """Above `limit` nodes a browser freezes: fall back to the neighbourhood of one centre node."""
    if network.number_of_nodes() <= limit:
        return network, ""
    centre = next((n for n in focus if n in network), None)
    centre = centre or next(iter(focal_drugs(network)), None) or max(network.degree, key=lambda nd: nd[1])[0]
    distances = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), centre)
    nearest = sorted(distances, key=lambda n: (distances[n], -network.degree(n), n))[:limit]
    label = network.nodes[centre].get("label", centre)
    note = (
        f"This view has {network.number_of_nodes()} nodes, more than a browser draws smoothly ({limit}); "
        f"showing the {len(nearest)} nodes nearest to {label} ({centre}). Narrow it with --focus, "
        "--system or --outcome."
    )
    return network.subgraph(nearest).copy(), note


def select(
    network: nx.MultiDiGraph,
    focus=None,
    depth: int = 2,
    systems=None,
    outcome=None,
    min_grade=None,
    species=None,
    limit: int = MAX_NODES,
    compare=None,
) -> Selection:
    """Apply the options in a fixed order: comparison, outcome paths, systems, focus, then evidence filters."""
    depth = check_depth(depth)
    compared = [resolve_node(network, d, "--compare") for d in ([compare] if isinstance(compare, str) else compare or [])]
    focus = [resolve_node(network, f, "--focus") for f in ([focus] if isinstance(focus, str) else focus or [])]
    systems = check_systems([systems] if isinstance(systems, str) else list(systems or []))
    outcome = resolve_node(network, outcome, "--outcome") if outcome else None
    min_grade = check_grade(min_grade) if min_grade else None
    species = resolve_species(network, species) if species else None
    selection = Selection(network, focus, compared=compared)
    if compared:
        selection.network = comparison_subgraph(network, compared)
        selection.focus = focus or compared
    if outcome:
        selection.network, selection.paths = path_subgraph(network, outcome)
    if systems:
        selection.network = system_subgraph(selection.network, systems)
    if focus:
        selection.network = focus_subgraph(_with_nodes(selection.network, network, focus), focus, depth)
    selection.network = evidence_filtered(selection.network, min_grade, species)
    selection.network, hidden = without_isolated(selection.network, selection.focus)
    if hidden:
        selection.notes.append(f"{hidden} entities without an assertion in this view are not drawn.")
    selection.network, note = fit_to_limit(selection.network, selection.focus, limit)
    if note:
        selection.notes.append(note)
    selection.network = in_curie_order(selection.network)
    return selection


def in_curie_order(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with nodes and edges in CURIE / assertion order. A networkx subgraph iterates the set it was
    cut by, so without this a view's layout and page bytes changed with Python's hash seed."""
    ordered = nx.MultiDiGraph(network.graph)
    ordered.add_nodes_from(sorted(network.nodes(data=True), key=lambda node: node[0]))
    ordered.add_edges_from(sorted(network.edges(keys=True, data=True), key=lambda edge: (edge[0], edge[1], str(edge[2]))))
    return ordered


def _with_nodes(sub: nx.MultiDiGraph, full: nx.MultiDiGraph, nodes: list[str]) -> nx.MultiDiGraph:
    """Make sure the focus nodes exist in the (possibly narrowed) graph, with their attributes."""
    missing = [n for n in nodes if n not in sub]
    if missing:
        sub = sub.copy()
        sub.add_nodes_from((n, full.nodes[n]) for n in missing)
    return sub
