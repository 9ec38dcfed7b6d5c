"""Node positions computed once in Python, so the browser draws a finished picture with physics off.

Two layouts: a force layout with a fixed seed for whole-graph and system views (the same picture
on every build), and columns by step along the path for mechanism-path views, which read left to
right: drug -> target -> process -> outcome.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

from kg.views.style import label_box

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
        positions = nx.spring_layout(simple, k=k, iterations=150, seed=SEED, scale=scale, weight="pull",
                                     method="force")
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
        distance = np.sqrt((delta ** 2).sum(-1))
        np.fill_diagonal(distance, np.inf)
        overlap = np.clip(1.0 - distance, 0.0, None)
        if not overlap.any():
            break
        safe = np.where(distance == 0, 1e-6, distance)[..., None]
        points += (delta / safe * overlap[..., None] * room).sum(1) * 0.5
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, points)}


def _dense_spring(simple: nx.Graph, k: float, scale: float) -> dict:
    from networkx.drawing.layout import _fruchterman_reingold, rescale_layout

    matrix = nx.to_numpy_array(simple, weight="pull")
    start = np.random.default_rng(SEED).random((len(simple), 2))
    coordinates = rescale_layout(_fruchterman_reingold(matrix, k=k, pos=start, iterations=60, seed=SEED),
                                 scale=scale)
    return dict(zip(simple, coordinates))


def path_layout(network: nx.MultiDiGraph, paths: list) -> dict[str, tuple[float, float]]:
    """Columns by the furthest step at which a node appears on any path; rows ordered to limit crossings."""
    step: dict[str, int] = {}
    for path in paths:
        for index, node in enumerate(path.nodes):
            step[node] = max(step.get(node, 0), index)
    outcome_step = max(step.values(), default=0)
    for path in paths:  # every outcome in the last column, so the eye ends on it
        step[path.outcome] = outcome_step
    for node in network:
        step.setdefault(node, outcome_step)
    columns: dict[int, list[str]] = {}
    for node in sorted(network, key=lambda n: (step[n], network.nodes[n].get("label", n))):
        columns.setdefault(step[node], []).append(node)
    _order_by_neighbours(network, columns)
    return {n: (c * COLUMN_GAP, (row - (len(nodes) - 1) / 2) * ROW_GAP)
            for c, nodes in columns.items() for row, n in enumerate(nodes)}


def _order_by_neighbours(network: nx.MultiDiGraph, columns: dict[int, list[str]]) -> None:
    """One barycentre sweep: each column sorted by the mean row of its predecessors."""
    row = {n: i for nodes in columns.values() for i, n in enumerate(nodes)}
    for index in sorted(columns)[1:]:
        def centre(node: str) -> float:
            rows = [row[p] for p in network.predecessors(node) if p in row]
            return sum(rows) / len(rows) if rows else row[node]
        columns[index].sort(key=lambda n: (centre(n), n))
        row.update({n: i for i, n in enumerate(columns[index])})
