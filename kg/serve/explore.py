"""The mechanism explorer: every evidenced path from a drug to an outcome drawn as a layered left-to-right diagram
(drug -> metabolite / enantiomer -> target -> process -> outcome), with each hop's evidence beside it.

Paths come from the path engine (kg.mechanisms.engine.find_paths): a path is its node list, its hops (each with
the supporting evidence the engine found), its combined sign and its grade (the weakest hop's best). The page also
lists every other assertion of each hop's claim, refuting ones included, so a contested hop shows as contested.
Geometry is computed here; the template writes it as SVG (escaped by Jinja) and explore.js only filters.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import networkx as nx

from kg.model.network import GRADE_RANK, TARGET
from kg.serve.engagement import best_potency, clinical_concentration, concentration_in_micromolar, potency_in_micromolar, ratio
from kg.serve.sitedata import SiteData
from kg.views.layout import ordered_columns
from kg.views.style import ACTIONS, GRADE_WIDTHS, action_of, system_colour

COLUMN_GAP, ROW_GAP = 230, 62
BOX_WIDTH, BOX_HEIGHT = 166, 46
MARGIN_X, MARGIN_TOP = 20, 44
LAYERS = {"chemical": 1, "target": 2, "process": 3, "outcome": 4}  # the drug itself is layer 0
ROLE_HEADINGS = {"chemical": "drug", "target": "target", "process": "process", "outcome": "outcome"}
FORM_HEADING = "metabolite / enantiomer"
EFFECT = {-1: "decreases", 1: "increases", 0: "no direction"}


@dataclass(frozen=True)
class HopKey:
    subject: str
    predicate: str
    object: str

    def __str__(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}"


def hop_keys(path) -> list[HopKey]:
    """The (subject, predicate, object) of each hop, read from the path's node list and the hop's evidence."""
    return [HopKey(path.nodes[i], hop.evidence[0]["predicate"], path.nodes[i + 1]) for i, hop in enumerate(path.hops)]


def _graph_of(paths: list) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for path in paths:
        for key in hop_keys(path):
            graph.add_edge(key.subject, key.object)
    return graph


def _columns(network: nx.MultiDiGraph, paths: list) -> dict[int, list[str]]:
    """Column -> nodes, one layer per role left to right: the drug, its forms (enantiomers and metabolites), targets,
    processes, the outcome (empty layers dropped). Hops inside a layer (a metabolite of an enantiomer, a target
    acting on a target, a process feeding a process) are drawn as arcs beside it. Rows are ordered by neighbours
    (kg.views.layout.ordered_columns) to limit crossings."""
    drugs = {p.nodes[0] for p in paths}
    layer = {
        n: (0 if n in drugs else LAYERS.get(network.nodes[n].get("role"), LAYERS["process"])) for p in paths for n in p.nodes
    }
    used = sorted(set(layer.values()))
    graph = _graph_of(paths)
    for node in graph:
        graph.nodes[node]["label"] = network.nodes[node].get("label", node)
    return ordered_columns(graph, {n: used.index(layer[n]) for n in graph})


def _positions(network: nx.MultiDiGraph, paths: list) -> tuple[dict[str, tuple[float, float]], dict[int, list[str]]]:
    """Box centres: columns by role (_columns), each column centred on the tallest."""
    columns = _columns(network, paths)
    tallest = max((len(c) for c in columns.values()), default=1)
    positions = {}
    for column, nodes in columns.items():
        top = MARGIN_TOP + (tallest - len(nodes)) * ROW_GAP / 2
        for row, node in enumerate(nodes):
            positions[node] = (MARGIN_X + column * COLUMN_GAP + BOX_WIDTH / 2, top + row * ROW_GAP + BOX_HEIGHT / 2)
    return positions, columns


def _column_heading(network: nx.MultiDiGraph, nodes: list[str], column: int) -> str:
    """Every column holds one role; chemicals after the first column are the drug's forms."""
    role = network.nodes[nodes[0]].get("role", "other")
    return FORM_HEADING if role == "chemical" and column > 0 else ROLE_HEADINGS.get(role, role)


def two_lines(label: str, width: int = 23) -> list[str]:
    """A box label on at most two lines, the second cut with an ellipsis when the label is longer."""
    lines = textwrap.wrap(label, width) or [label]
    return lines if len(lines) <= 2 else [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]


def _edge_path(start: tuple[float, float], end: tuple[float, float], lane: int) -> str:
    """A curve from the right side of one box to the left side of the next (lanes apart when two claims share ends);
    within a layer, an arc out of the right side of one box into the right side of the other."""
    if abs(start[0] - end[0]) < 1:
        x, y1, y2 = start[0] + BOX_WIDTH / 2, start[1] + lane * 6, end[1] + lane * 6
        bulge = x + 26 + min(60.0, abs(y2 - y1) / 4) + lane * 10
        return f"M{x:.1f},{y1:.1f} C{bulge:.1f},{y1:.1f} {bulge:.1f},{y2:.1f} {x + 6:.1f},{y2:.1f}"
    x1, y1 = start[0] + BOX_WIDTH / 2, start[1] + lane * 8
    x2, y2 = end[0] - BOX_WIDTH / 2 - 6, end[1] + lane * 8
    bend = max(40.0, (x2 - x1) / 2)
    return f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _node(network, data: SiteData, node: str, position) -> dict:
    attributes = network.nodes[node]
    x, y = position
    return {
        "id": node,
        "label": data.label(node),
        "lines": two_lines(data.label(node)),
        "role": attributes.get("role", "other"),
        "systems": list(attributes.get("systems") or []),
        "colour": system_colour(attributes.get("systems") or []),
        "x": x - BOX_WIDTH / 2,
        "y": y - BOX_HEIGHT / 2,
        "width": BOX_WIDTH,
        "height": BOX_HEIGHT,
        "cx": x,
        "cy": y,
    }


def _hop(data: SiteData, key: HopKey, supporting: list[dict], positions, lane: int) -> dict:
    claim = data.claims.get((key.subject, key.predicate, key.object), [])
    engine_ids = {e["assertion"] for e in supporting}
    best = max((e["grade"] for e in supporting), key=lambda g: GRADE_RANK.get(g, 0))
    first = data.assertions[supporting[0]["assertion"]]
    action = action_of(key.predicate, first["sign"] or 0)
    return {
        "key": str(key),
        "subject": key.subject,
        "object": key.object,
        "predicate": key.predicate,
        "predicate_label": first["predicate_label"] or key.predicate.replace("_", " "),
        "grade": best,
        "colour": ACTIONS[action][0],
        "width": GRADE_WIDTHS.get(best, 1.0),
        "dashed": all(e["support"] != "supports" for e in supporting),
        "d": _edge_path(positions[key.subject], positions[key.object], lane),
        "evidence": [{**a, "on_path": a["id"] in engine_ids} for a in claim],
        "contested": len({a["support"] for a in claim}) > 1,
    }


def _engagement(network, data: SiteData, path, keys: list[HopKey]) -> dict | None:
    """Potency at the path's first target beside the drug form's clinical concentration, and their ratio."""
    index = next((i for i, k in enumerate(keys) if network.nodes[k.object].get("role") == TARGET), None)
    if index is None:
        return None
    form, target = keys[index].subject, keys[index].object
    potency = best_potency(path.hops[index].evidence)
    own = [a for a in data.assertions_by_entity.get(form, []) if a["subject"] == form]
    concentration = clinical_concentration(own, data.pharmacokinetics.get(form, []))
    weight = (data.entities.get(form) or {}).get("molecular_weight")
    return {
        "form": form,
        "target": target,
        "potency": potency,
        "concentration": concentration,
        "ratio": ratio(concentration_in_micromolar(concentration, weight), potency_in_micromolar(potency)),
    }


def explorer(data: SiteData, drug: str, outcome: str) -> dict:
    """Everything the explorer page draws for one drug and outcome (an empty `paths` when none is evidenced)."""
    network = data.network
    paths = data.paths_to(drug, outcome)
    positions, columns = _positions(network, paths) if paths else ({}, {})
    hops: dict[str, dict] = {}
    lanes: dict[tuple[str, str], int] = {}
    rows = []
    for number, path in enumerate(paths, start=1):
        keys = hop_keys(path)
        for key, hop in zip(keys, path.hops, strict=True):
            if str(key) not in hops:
                pair = (key.subject, key.object)
                hops[str(key)] = _hop(data, key, list(hop.evidence), positions, lanes.get(pair, 0))
                lanes[pair] = lanes.get(pair, 0) + 1
        rows.append(
            {
                "id": f"path-{number}",
                "nodes": path.nodes,
                "hops": [str(k) for k in keys],
                "actions": [hops[str(k)]["predicate_label"] for k in keys],
                "sign": path.sign,
                "effect": EFFECT.get(path.sign, ""),
                "grade": path.grade,
                "engagement": _engagement(network, data, path, keys),
            }
        )
    tallest = max((len(c) for c in columns.values()), default=0)
    return {
        "drug": drug,
        "outcome": outcome,
        "paths": rows,
        "hops": list(hops.values()),
        "nodes": [_node(network, data, n, positions[n]) for n in positions],
        "headings": [
            {"text": _column_heading(network, nodes, c), "x": MARGIN_X + c * COLUMN_GAP + BOX_WIDTH / 2}
            for c, nodes in sorted(columns.items())
        ],
        "width": MARGIN_X * 2 + max(columns, default=0) * COLUMN_GAP + BOX_WIDTH + 40,
        "height": MARGIN_TOP + tallest * ROW_GAP + 10,
        "filters": _filters(data, hops.values(), positions),
    }


def _filters(data: SiteData, hops, nodes) -> dict:
    """The viewer's filters, offered for what this page shows: systems of its nodes, species and grades of its evidence."""
    systems = sorted({s for n in nodes for s in data.network.nodes[n].get("systems") or []})
    evidence = [a for h in hops for a in h["evidence"]]
    species = sorted({a["species"] for a in evidence if a["species"]})
    return {
        "systems": systems,
        "species": [{"id": s, "label": data.label(s)} for s in species],
        "unsystemed": any(not data.network.nodes[n].get("systems") for n in nodes),
        "grades": sorted({a["grade"] for a in evidence}, key=lambda g: -GRADE_RANK.get(g, 0)),
    }


def explorer_choices(data: SiteData) -> list[dict]:
    """Every drug with an evidenced path and the outcomes it reaches: the explorer's start page."""
    return [{"drug": d, "label": data.label(d), "outcomes": data.outcomes_reached(d)} for d in data.drugs_with_paths]


def script_data(model: dict) -> dict:
    """What explore.js filters on: per path its nodes and hops, per hop its evidence's grade, species and support."""
    return {
        "paths": [{"id": p["id"], "nodes": p["nodes"], "hops": p["hops"]} for p in model["paths"]],
        "hops": {
            h["key"]: [
                {"id": a["id"], "rank": a["grade_rank"], "species": a["species"], "support": a["support"]} for a in h["evidence"]
            ]
            for h in model["hops"]
        },
        "systems": {n["id"]: n["systems"] for n in model["nodes"]},
        "outcome": model["outcome"],
        "drug": model["drug"],
    }
