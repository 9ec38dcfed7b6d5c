"""Graph -> what the page needs: vis nodes/edges (assembled with pyvis), side-panel details, filters, legend.

The page gets plain data only; it builds its side panel with textContent, and the payload is
embedded with Jinja's `tojson` (which escapes <, > and &), so a label can never become markup.
"""

from __future__ import annotations

from functools import cache

import networkx as nx
import numpy as np

from kg.model.network import GRADE_RANK
from kg.model.network import curie as compress
from kg.views.style import (
    ACTIONS,
    GRADE_WIDTHS,
    ROLE_SHAPES,
    SUPPORT_DASHES,
    SYSTEM_NAMES,
    action_of,
    font_size,
    legend,
    node_size,
    system_colour,
    wrapped,
)
from kg.vocab import project_converter

NO_RESOLVER = frozenset({"PAINKG", "painkg", "biolink", "infores"})
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/{}/"
EVIDENCE_FIELDS = ("model", "direction", "stereoisomer", "population", "dose", "route", "note", "source_file")


def identifier_links(curie: str) -> list[dict]:
    """Where to look an identifier up: its source database (PubMed for PMIDs) and identifiers.org."""
    return [dict(link) for link in _links(curie)]


@cache
def _links(curie: str) -> tuple[dict, ...]:
    prefix, _, local = curie.partition(":")
    if not local or prefix in NO_RESOLVER:
        return ()
    if prefix == "PMID":
        return ({"text": "PubMed", "url": PUBMED.format(local)},)
    if prefix == "DOI":
        return ({"text": "doi.org", "url": f"https://doi.org/{local}"},)
    source = project_converter().expand(curie)
    links = [{"text": "source", "url": source}] if source and source.startswith(("http://", "https://")) else []
    return (*links, {"text": "identifiers.org", "url": f"https://identifiers.org/{curie}"})


def context_labels(rdf) -> dict[str, str]:
    """Readable names for publications, studies, evidence types and species (from the RDF graph)."""
    if rdf is None:
        return {}
    from rdflib import RDFS

    return {compress(s): str(o) for s, o in rdf.subject_objects(RDFS.label)}


SIDE_BOX_ROLES = frozenset({"chemical", "outcome"})  # drawn as labelled boxes in the layered whole graph


def _add_node(net, node: str, data: dict, degree: int, position, layered: bool = False) -> None:
    """A node: shape by role, colour by system, size and label size by its number of neighbours. In the layered
    whole graph, drugs and outcomes (whose column already says their role) are compact boxes with the label inside."""
    colour = system_colour(data.get("systems") or [])
    style = {
        "shape": ROLE_SHAPES.get(data.get("role"), "triangle"),
        "color": colour,
        "size": node_size(degree),
        "font": {"size": font_size(degree), "strokeWidth": 4, "strokeColor": "#ffffff"},
    }
    if layered:  # rows of an opened system are close together: no hub may crowd its neighbours
        style["size"], style["font"]["size"] = min(style["size"], 24), min(style["font"]["size"], 21)
    if layered and data.get("role") in SIDE_BOX_ROLES:
        style = {
            "shape": "box",
            "borderWidth": 2,
            "margin": 7,
            "shapeProperties": {"borderRadius": 6},
            "color": {
                "background": "#ffffff",
                "border": colour,
                "highlight": {"background": "#eef4fc", "border": colour},
                "hover": {"background": "#f4f8fd", "border": colour},
            },
            "font": {"size": 26 if data.get("focus") else 19},
            "widthConstraint": {"maximum": 230},
        }
    net.add_node(
        node,
        label=wrapped(data.get("label") or node),
        x=round(position[0], 1),
        y=round(position[1], 1),
        systems=list(data.get("systems") or []),
        role=data.get("role", "other"),
        search=" ".join([data.get("label") or node, node, *data.get("synonyms", [])]).lower(),
        **style,
    )


def _curve(u: str, v: str, lane: int, index: NodeIndex | None) -> dict:
    """How a line bends: straight unless it would run through a third node or share its ends with another line
    (force layouts); always a horizontal S-curve, lanes apart, in the grouped left-to-right whole graph (index None)."""
    if index is None:
        return {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45 + 0.15 * lane}
    if lane:
        return {"enabled": True, "type": "curvedCW", "roundness": 0.2 * lane}
    return {"enabled": True, "type": "curvedCW", "roundness": 0.3} if index.crossed(u, v) else {"enabled": False}


def _add_line(net, u: str, v: str, members: list[tuple[str, dict]], lane: int, index: NodeIndex | None) -> None:
    """One drawn line for every assertion of the same claim kind between two nodes (colour, width, dashes)."""
    first = members[0][1]
    action = action_of(first.get("predicate", ""), first.get("sign", 0))
    best = max((d.get("grade", "") for _, d in members), key=lambda g: GRADE_RANK.get(g, 0))
    smooth = _curve(u, v, lane, index)
    net.add_edge(
        u,
        v,
        id=members[0][0],
        members=[key for key, _ in members],
        action=action,
        color={"color": ACTIONS[action][0], "opacity": 0.9},
        width=GRADE_WIDTHS.get(best, 1.0),
        dashes=SUPPORT_DASHES.get(first.get("support"), False),
        smooth=smooth,
    )


class NodeIndex:
    """Node positions as one array, to ask cheaply whether a straight line would run through a third node."""

    def __init__(self, positions: dict):
        self.ids = {n: i for i, n in enumerate(positions)}
        self.points = np.array(list(positions.values()), dtype=float).reshape(-1, 2)

    def crossed(self, u: str, v: str, clearance: float = 30.0) -> bool:
        """True when the segment u-v passes within `clearance` px of another node (it would look like two hops)."""
        start, end = self.points[self.ids[u]], self.points[self.ids[v]]
        segment = end - start
        length = float(segment @ segment)
        if length == 0:
            return False
        t = np.clip(((self.points - start) @ segment) / length, 0.0, 1.0)
        distance = np.linalg.norm(self.points - (start + t[:, None] * segment), axis=1)
        near = (distance < clearance) & (t > 0.0) & (t < 1.0)
        near[[self.ids[u], self.ids[v]]] = False
        return bool(near.any())


def line_groups(network: nx.MultiDiGraph) -> dict[tuple, list[tuple[str, dict]]]:
    """Assertions grouped into drawn lines: same ends, same kind of action, same support.

    Refuting and supporting evidence stay separate lines, so a conflict is visible at a glance.
    """
    groups: dict[tuple, list[tuple[str, dict]]] = {}
    for u, v, key, data in network.edges(keys=True, data=True):
        action = action_of(data.get("predicate", ""), data.get("sign", 0))
        groups.setdefault((u, v, action, data.get("support", "")), []).append((key, data))
    return groups


def vis_elements(network: nx.MultiDiGraph, positions: dict, layered: bool = False) -> tuple[list[dict], list[dict]]:
    """Nodes and lines in vis-network's format, assembled with pyvis; parallel lines get their own lane.
    `layered`: the drawing reads left to right (grouped whole graph), so lines are horizontal S-curves."""
    from pyvis.network import Network

    net = Network(directed=True)
    for node, data in network.nodes(data=True):
        _add_node(net, node, data, neighbours(network, node), positions.get(node, (0.0, 0.0)), layered)
    index = None if layered else NodeIndex({n: positions.get(n, (0.0, 0.0)) for n in network})
    lanes: dict[frozenset, int] = {}
    for (u, v, _, _), members in line_groups(network).items():
        pair = frozenset((u, v))
        _add_line(net, u, v, members, lanes.get(pair, 0), index)
        lanes[pair] = lanes.get(pair, 0) + 1
    return net.nodes, net.edges


def neighbours(network: nx.MultiDiGraph, node: str) -> int:
    """How many distinct nodes this one is linked to (either direction): sets its drawn size."""
    return len(set(network.predecessors(node)) | set(network.successors(node)))


def entity_details(node: str, data: dict) -> dict:
    """What the side panel shows for a node."""
    return {
        "id": node,
        "label": data.get("label") or node,
        "category": data.get("category", ""),
        "role": data.get("role", "other"),
        "description": data.get("description", ""),
        "systems": [SYSTEM_NAMES.get(s, s) for s in data.get("systems") or []],
        "synonyms": list(data.get("synonyms") or []),
        "identifiers": [{"id": c, "links": identifier_links(c)} for c in [node, *(data.get("xrefs") or [])]],
    }


def _named(curie: str, labels: dict) -> dict:
    return {"id": curie, "name": labels.get(curie, ""), "links": identifier_links(curie)}


def assertion_details(u: str, v: str, data: dict, labels: dict) -> dict:
    """What the side panel shows for one assertion: the claim, its grade and support, numbers and sources."""
    return {
        "id": data.get("assertion", ""),
        "from": u,
        "to": v,
        "predicate": data.get("predicate", "").replace("_", " "),
        "grade": data.get("grade", ""),
        "grade_rank": data.get("grade_rank", 0),
        "support": data.get("support", "").replace("_", " "),
        "species": _named(data.get("species", ""), labels),
        "evidence_type": _named(data.get("evidence_type", ""), labels),
        "quantity": quantity(data),
        "publications": [_named(p, labels) for p in data.get("publications", [])],
        "studies": [_named(s, labels) for s in data.get("studies", [])],
        **{name: data.get(name) or "" for name in EVIDENCE_FIELDS},
    }


def quantity(data: dict) -> str:
    """'Ki 0.53 µM (0.4–0.7)': the published number with its unit and range ('IC50 2–8 µM' for a range only), or ''."""
    value, low, high = data.get("value"), data.get("value_low"), data.get("value_high")
    if value is None and low is None and high is None:
        return ""
    bound = lambda number: "" if number is None else f"{number:g}"  # noqa: E731
    amount = f"{value:g}" if value is not None else f"{bound(low)}–{bound(high)}"
    text = " ".join(p for p in (data.get("measure") or "", amount, data.get("unit") or "") if p)
    if value is not None and (low is not None or high is not None):
        text += f" ({bound(low)}–{bound(high)})"
    return text


def filter_options(network: nx.MultiDiGraph, labels: dict) -> dict:
    """The choices the page's filter controls offer: only what this view contains."""
    systems = sorted({s for _, ss in network.nodes(data="systems") for s in ss or []})
    if any(not ss for _, ss in network.nodes(data="systems")):
        systems.append("")
    species = sorted({s for _, _, s in network.edges(data="species") if s})
    grades = sorted({g for _, _, g in network.edges(data="grade") if g}, key=lambda g: -GRADE_RANK.get(g, 0))
    return {
        "systems": [{"value": s, "text": SYSTEM_NAMES.get(s, s) if s else "no system"} for s in systems],
        "species": [{"value": s, "text": f"{labels.get(s, s)} ({s})" if labels.get(s) else s} for s in species],
        "grades": grades,
    }


def payload(
    network: nx.MultiDiGraph,
    positions: dict,
    title: str,
    notes: list[str],
    labels: dict,
    focus: list[str],
    groups: list[dict] | None = None,
    links: dict | None = None,
) -> dict:
    """Everything the page embeds, as plain JSON-able data. `groups`: the systems the page draws closed at first
    (grouped whole graph); `links`: the site's pages (home, search, one per entity) when the view is part of it."""
    nodes, edges = vis_elements(network, positions, layered=bool(groups))
    return {
        "title": title,
        "notes": notes,
        "focus": focus,
        "nodes": nodes,
        "edges": edges,
        "entities": {n: entity_details(n, d) for n, d in network.nodes(data=True)},
        "assertions": {k: assertion_details(u, v, d, labels) for u, v, k, d in network.edges(keys=True, data=True)},
        "filters": filter_options(network, labels),
        "legend": legend(),
        "groups": [group_details(g) for g in groups or []],
        "links": links or {},
    }


def group_details(group: dict) -> dict:
    """A system drawn as one box until clicked: its name, colour, what it holds and where its members sit."""
    system = group["system"]
    parts = [f"{group['targets']} target{'s' if group['targets'] != 1 else ''}"] if group["targets"] else []
    if group["others"]:
        parts.append(f"{group['others']} process{'es' if group['others'] != 1 else ''}")
    return {
        **group,
        "id": f"group:{system or 'none'}",
        "name": SYSTEM_NAMES.get(system, system) or "no system",
        "colour": system_colour([system]) if system else system_colour([]),
        "summary": " · ".join(parts),
    }
