"""Node positions computed once in Python, so the browser draws a finished picture with physics off.

Two layouts: a force layout with a fixed seed for whole-graph and system views (the same picture
on every build), and columns by step along the path for mechanism-path views, which read left to
right: drug -> target -> process -> outcome.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from kg.views.style import SYSTEM_COLOURS, label_box

SEED = 7
SPACING = 120.0  # pixels per node along the layout's side (scaled by the square root of the node count)
LABEL_BOX = (220.0, 75.0)  # used for nodes without a measured label
PAIR_BUDGET = 2e7  # node pairs examined while spreading labels apart: keeps big views under a few seconds
COLUMN_GAP = 270.0
ROW_GAP = 140.0


def force_layout(network: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold on the undirected simple graph, scaled to the number of nodes."""
    simple = nx.Graph(network.to_undirected(as_view=True))
    if simple.number_of_nodes() == 0:
        return {}
    for u, v, attributes in simple.edges(data=True):  # hubs pull less, so their neighbours do not pile up
        attributes["pull"] = 1.0 / math.sqrt(simple.degree(u) * simple.degree(v))
    scale = SPACING * math.sqrt(simple.number_of_nodes())
    k = 1.8 / math.sqrt(max(simple.number_of_nodes(), 1))
    try:
        positions = nx.spring_layout(simple, k=k, iterations=150, seed=SEED, scale=scale, weight="pull", method="force")
    except ImportError:  # networkx needs scipy above 500 nodes: use its dense solver instead
        positions = _dense_spring(simple, k, scale)
    boxes = {n: label_box(network.nodes[n].get("label") or n, simple.degree(n)) for n in simple}
    return spread_out({n: (float(x), float(y)) for n, (x, y) in positions.items()}, boxes)


def spread_out(positions: dict, boxes: dict | None = None, rounds: int = 200) -> dict:
    """Push apart nodes whose labels would overlap (each node has a box: its width x height), keeping the shape."""
    if len(positions) < 2:
        return positions
    names = list(positions)
    points = np.array([positions[n] for n in names], dtype=float)
    sizes = np.array([(boxes or {}).get(n, LABEL_BOX) for n in names], dtype=float)
    room = (sizes[:, None, :] + sizes[None, :, :]) / 2  # the gap each pair needs along x and y
    rounds = min(rounds, max(5, int(PAIR_BUDGET / len(names) ** 2)))  # each round costs n² pairs
    for _ in range(rounds):
        delta = (points[:, None, :] - points[None, :, :]) / room
        distance = np.sqrt((delta**2).sum(-1))
        np.fill_diagonal(distance, np.inf)
        overlap = np.clip(1.0 - distance, 0.0, None)
        if not overlap.any():
            break
        safe = np.where(distance == 0, 1e-6, distance)[..., None]
        points += (delta / safe * overlap[..., None] * room).sum(1) * 0.5
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, points, strict=True)}


def _dense_spring(simple: nx.Graph, k: float, scale: float) -> dict:
    from networkx.drawing.layout import _fruchterman_reingold, rescale_layout

    matrix = nx.to_numpy_array(simple, weight="pull")
    start = np.random.default_rng(SEED).random((len(simple), 2))
    coordinates = rescale_layout(_fruchterman_reingold(matrix, k=k, pos=start, iterations=60, seed=SEED), scale=scale)
    return dict(zip(simple, coordinates, strict=True))


def comparison_layout(network: nx.MultiDiGraph, drugs: list[str], shared: set[str]) -> dict[str, tuple[float, float]]:
    """Drugs on a wide ring, the targets two or more of them act on in the middle, each drug's own targets between it
    and the middle: what the drugs have in common is what the eye lands on."""
    drugs = [d for d in drugs if d in network]
    ring = COLUMN_GAP * max(2.0, len(drugs) * 0.9)
    angle = {d: 2 * math.pi * i / max(len(drugs), 1) - math.pi / 2 for i, d in enumerate(drugs)}
    positions = {d: (ring * math.cos(angle[d]), ring * math.sin(angle[d])) for d in drugs}
    middle = sorted((n for n in shared if n in network), key=lambda n: str(network.nodes[n].get("label", n)).lower())
    per_row = max(1, math.ceil(math.sqrt(len(middle))))
    for i, node in enumerate(middle):
        row, column = divmod(i, per_row)
        positions[node] = ((column - (per_row - 1) / 2) * COLUMN_GAP * 0.8, (row - (len(middle) - 1) // per_row / 2) * ROW_GAP)
    for drug in drugs:
        own = sorted(
            (n for n in network.successors(drug) if n not in positions),
            key=lambda n: str(network.nodes[n].get("label", n)).lower(),
        )
        for i, node in enumerate(own):  # a fan at 60 % of the way out, spread across the drug's direction
            spread = (i - (len(own) - 1) / 2) * 0.12
            positions[node] = (0.6 * ring * math.cos(angle[drug] + spread), 0.6 * ring * math.sin(angle[drug] + spread))
    for node in network:  # anything else (none, for a comparison subgraph) goes on the outside
        positions.setdefault(node, (0.0, 1.3 * ring))
    return positions


def path_layout(network: nx.MultiDiGraph, paths: list) -> dict[str, tuple[float, float]]:
    """Columns by the furthest step at which a node appears on any path; rows ordered to limit crossings."""
    columns = path_columns(network, [p.nodes for p in paths])
    return {
        n: (c * COLUMN_GAP, (row - (len(nodes) - 1) / 2) * ROW_GAP) for c, nodes in columns.items() for row, n in enumerate(nodes)
    }


def path_columns(network: nx.MultiDiGraph, node_lists: list[list[str]]) -> dict[int, list[str]]:
    """Column -> nodes top to bottom, for paths given as node lists (drug first, outcome last): a node sits at the
    furthest step it takes on any path, outcomes in the last column so the eye ends on them."""
    step: dict[str, int] = {}
    for nodes in node_lists:
        for index, node in enumerate(nodes):
            step[node] = max(step.get(node, 0), index)
    outcome_step = max(step.values(), default=0)
    for nodes in node_lists:
        step[nodes[-1]] = outcome_step
    for node in network:
        step.setdefault(node, outcome_step)
    return ordered_columns(network, step)


def ordered_columns(network: nx.MultiDiGraph, column_of: dict[str, int]) -> dict[int, list[str]]:
    """Column -> nodes top to bottom: by label first, then each column by the mean row of its predecessors."""
    columns: dict[int, list[str]] = {}
    for node in sorted(network, key=lambda n: (column_of[n], network.nodes[n].get("label", n))):
        columns.setdefault(column_of[node], []).append(node)
    _order_by_neighbours(network, columns)
    return columns


def _order_by_neighbours(network: nx.MultiDiGraph, columns: dict[int, list[str]]) -> None:
    """One barycentre sweep: each column sorted by the mean row of its predecessors."""
    row = {n: i for nodes in columns.values() for i, n in enumerate(nodes)}
    for index in sorted(columns)[1:]:

        def centre(node: str) -> float:
            rows = [row[p] for p in network.predecessors(node) if p in row]
            return sum(rows) / len(rows) if rows else row[node]

        columns[index].sort(key=lambda n: (centre(n), n))
        row.update({n: i for i, n in enumerate(columns[index])})


# ---------------------------------------------------------------- the whole graph, grouped by system

GROUP_ROW = 90.0  # rows inside an opened system
GROUP_HALF_WIDTH = 150.0  # targets this far left of the middle, processes this far right
SIDE_ROW = 64.0  # rows of the drug and outcome columns (boxes with the label inside)
SIDE_COLUMN = 250.0  # gap between the two sub-columns of a side
SIDE_OFFSET = 560.0  # the inner sub-column of each side, from the middle
SIDE_ROLES = {"chemical": -1, "outcome": 1}  # left, right


def primary_system(systems) -> str:
    """The system a node is grouped under: its first in the legend's order ('' when it has none)."""
    return next((s for s in SYSTEM_COLOURS if s in (systems or [])), "")


def grouped_layout(network: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], list[dict]]:
    """Drugs in two columns on the left, outcomes in two on the right, every other node grouped by its primary
    system in the middle. Returns fixed positions for the side columns and, per group, its members' offsets
    inside the opened block (targets left, processes and the rest right); the page stacks the blocks."""
    positions: dict[str, tuple[float, float]] = {}
    for role, side in SIDE_ROLES.items():
        positions.update(_side_column(network, [n for n, r in network.nodes(data="role") if r == role], side))
    members: dict[str, list[str]] = {}
    for node, attributes in network.nodes(data=True):
        if attributes.get("role") not in SIDE_ROLES:
            members.setdefault(primary_system(attributes.get("systems")), []).append(node)
    groups = [_group(network, s, members[s]) for s in [*SYSTEM_COLOURS, ""] if s in members]
    positions.update(opened_positions(groups))
    return positions, groups


def opened_positions(groups: list[dict], gap: float = 60.0) -> dict[str, tuple[float, float]]:
    """Every group opened, stacked top to bottom around y = 0 (the page restacks as groups open and close)."""
    total = sum(g["height"] for g in groups) + gap * (len(groups) - 1)
    top, placed = -total / 2, {}
    for group in groups:
        placed.update({m["id"]: (m["dx"], top + m["dy"]) for m in group["members"]})
        top += group["height"] + gap
    return placed


def _side_column(network: nx.MultiDiGraph, nodes: list[str], side: int) -> dict[str, tuple[float, float]]:
    """Focal drugs first, then by number of neighbours: the inner sub-column from its middle out, the outer one
    top to bottom."""
    ranked = sorted(
        nodes,
        key=lambda n: (not network.nodes[n].get("focus"), -network.degree(n), str(network.nodes[n].get("label", n)).lower()),
    )
    rows = max(1, math.ceil(len(ranked) / 2))
    centre_out = sorted(range(rows), key=lambda r: (abs(r - (rows - 1) / 2), r))  # hubs mid-height: shorter lines
    placed = {}
    for index, node in enumerate(ranked):
        column, rank = divmod(index, rows)
        row = centre_out[rank] if column == 0 else rank
        placed[node] = (side * (SIDE_OFFSET + column * SIDE_COLUMN), (row - (rows - 1) / 2) * SIDE_ROW)
    return placed


def _group(network: nx.MultiDiGraph, system: str, nodes: list[str]) -> dict:
    label = lambda n: str(network.nodes[n].get("label", n)).lower()  # noqa: E731
    targets = sorted((n for n in nodes if network.nodes[n].get("role") == "target"), key=label)
    others = sorted((n for n in nodes if network.nodes[n].get("role") != "target"), key=label)
    offsets = [{"id": n, "dx": -GROUP_HALF_WIDTH if others else 0.0, "dy": i * GROUP_ROW} for i, n in enumerate(targets)]
    offsets += [{"id": n, "dx": GROUP_HALF_WIDTH if targets else 0.0, "dy": i * GROUP_ROW} for i, n in enumerate(others)]
    return {
        "system": system,
        "members": offsets,
        "targets": len(targets),
        "others": len(others),
        "height": max(len(targets), len(others)) * GROUP_ROW,
    }
