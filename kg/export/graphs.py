"""The networkx view of the validated graph (kg.export.Validated.network) as GraphML and as Neo4j bulk-import CSV.

GraphML is for Gephi, Cytoscape and igraph; the CSV pair is what
`neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv` reads: typed headers
(`id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, `value:float`, `publications:string[]`), arrays joined with
`;` (neo4j-admin's default array delimiter), missing values left empty. Nodes are entities, relationships are
assertions carrying their evidence, exactly as in the networkx graph.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from kg.model.network import NUMERIC_EVIDENCE

GRAPHML_FILE = "painkg.graphml"
NEO4J_FOLDER = "neo4j"
LIST_JOIN_GRAPHML = "|"
ARRAY_DELIMITER = ";"
NODE_FIXED = ("id:ID", "name", ":LABEL")
EDGE_FIXED = (":START_ID", ":END_ID", ":TYPE")


# ---------------------------------------------------------------- GraphML


def _graphml_value(value):
    """GraphML holds scalars only: lists become `|`-joined text; None means 'absent' and is dropped."""
    if isinstance(value, (list, tuple, set)):
        return LIST_JOIN_GRAPHML.join(str(v) for v in value)
    return value


def _graphml_attributes(attributes: dict) -> dict:
    return {k: _graphml_value(v) for k, v in attributes.items() if v is not None}


def graphml_ready(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the network whose attribute values GraphML can store."""
    copy = nx.MultiDiGraph()
    copy.add_nodes_from((n, _graphml_attributes(a)) for n, a in _sorted_nodes(network))
    copy.add_edges_from((u, v, k, _graphml_attributes(a)) for u, v, k, a in _sorted_edges(network))
    return copy


def write_graphml(network: nx.MultiDiGraph, folder: Path) -> dict[str, Path]:
    """painkg.graphml with every node and edge attribute; edges keep their assertion id as key."""
    path = Path(folder) / GRAPHML_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graphml_ready(network), path, encoding="utf-8")
    return {GRAPHML_FILE: path}


# ---------------------------------------------------------------- Neo4j CSV


def _neo4j_type(name: str, values: list) -> str:
    """The header type suffix for one property, from the values it takes ('' = string)."""
    present = [v for v in values if v is not None]
    if name in NUMERIC_EVIDENCE:  # numbers even when no row in this graph has one
        return ":float"
    if any(isinstance(v, (list, tuple, set)) for v in present):
        return ":string[]"
    if present and all(isinstance(v, bool) for v in present):
        return ":boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return ":int"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return ":float"
    return ""


def _property_columns(records: list[dict], skip: set[str]) -> dict[str, str]:
    """Property name -> typed header, in first-seen order."""
    names: list[str] = []
    for record in records:
        names.extend(n for n in record if n not in skip and n not in names)
    return {name: name + _neo4j_type(name, [r.get(name) for r in records]) for name in names}


def _cell(value, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        items = [str(v) for v in value]
        bad = [item for item in items if ARRAY_DELIMITER in item]
        if bad:
            raise ValueError(f"Neo4j export: {name} value {bad[0]!r} contains the array delimiter {ARRAY_DELIMITER!r}")
        return ARRAY_DELIMITER.join(items)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(category: str | None) -> str:
    """Biolink category without its prefix (biolink:SmallMolecule -> SmallMolecule)."""
    if not category:
        return ""
    return ARRAY_DELIMITER.join(c.split(":", 1)[-1] for c in str(category).split(ARRAY_DELIMITER))


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _sorted_nodes(network: nx.MultiDiGraph) -> list[tuple]:
    return sorted(network.nodes(data=True), key=lambda item: str(item[0]))


def _sorted_edges(network: nx.MultiDiGraph) -> list[tuple]:
    return sorted(network.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1])))


def write_neo4j_nodes(network: nx.MultiDiGraph, path: Path) -> Path:
    """One row per entity: id, name, Biolink label, then every node attribute."""
    nodes = _sorted_nodes(network)
    columns = _property_columns([a for _, a in nodes], {"label"})
    rows = []
    for node, attributes in nodes:
        fixed = [str(node), str(attributes.get("label") or node), _label(attributes.get("category"))]
        rows.append(fixed + [_cell(attributes.get(name), name) for name in columns])
    return _write_csv(path, list(NODE_FIXED) + list(columns.values()), rows)


def write_neo4j_relationships(network: nx.MultiDiGraph, path: Path) -> Path:
    """One row per assertion: start, end, painkg predicate, then its evidence."""
    edges = _sorted_edges(network)
    columns = _property_columns([a for *_, a in edges], {"predicate"})
    rows = []
    for subject, obj, key, attributes in edges:
        fixed = [str(subject), str(obj), str(attributes.get("predicate") or key)]
        rows.append(fixed + [_cell(attributes.get(name), name) for name in columns])
    return _write_csv(path, list(EDGE_FIXED) + list(columns.values()), rows)


def write_neo4j(network: nx.MultiDiGraph, folder: Path) -> dict[str, Path]:
    """neo4j/nodes.csv and neo4j/relationships.csv for `neo4j-admin database import full`."""
    (Path(folder) / NEO4J_FOLDER).mkdir(parents=True, exist_ok=True)
    nodes, relationships = f"{NEO4J_FOLDER}/nodes.csv", f"{NEO4J_FOLDER}/relationships.csv"
    return {
        nodes: write_neo4j_nodes(network, Path(folder) / nodes),
        relationships: write_neo4j_relationships(network, Path(folder) / relationships),
    }
