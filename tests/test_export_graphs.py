"""GraphML and Neo4j CSV exports: what Gephi/Cytoscape and neo4j-admin would read back.

Expectations come from the curated TSV rows (every assertion row is one relationship, every entity row one node)
and from the header grammar neo4j-admin import documents, not from the exporter's own output.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

from support.project import curated_rows, run_kg, shown_label
from kg.export.graphs import write_graphml, write_neo4j_csv
from kg.store import to_networkx

# neo4j-admin header entries: name[:TYPE][[]] or the special :ID/:LABEL/:START_ID/:END_ID/:TYPE columns
HEADER_RE = re.compile(r"^(\w+)?(:(ID|LABEL|START_ID|END_ID|TYPE|int|long|float|double|boolean|string|date)(\[\])?)?$")


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


@pytest.fixture(scope="module")
def network():
    return to_networkx()


@pytest.fixture(scope="module")
def neo4j(network, tmp_path_factory):
    return write_neo4j_csv(network, tmp_path_factory.mktemp("neo4j"))


def test_graphml_reads_back_with_the_same_nodes_and_edges(network, tmp_path):
    path = write_graphml(network, tmp_path / "painkg.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    assert set(back.nodes) == set(network.nodes)


def test_graphml_keeps_lists_joined_and_the_curated_evidence(network, tmp_path):
    back = nx.read_graphml(write_graphml(network, tmp_path / "g.graphml"), force_multigraph=True)
    for row in curated_rows("assertions"):
        data = back.get_edge_data(row["subject"], row["object"])[row["id"]]
        assert data["predicate"] == row["predicate"]
        assert data["grade"] == row["grade"]
        assert sorted(data["publications"].split("|")) == sorted(row["publications"].split("|"))
        if row["value"]:
            assert data["value"] == pytest.approx(float(row["value"]))
        else:
            assert "value" not in data  # None is dropped, not written as text


def test_neo4j_headers_follow_the_import_grammar(neo4j):
    nodes_header, _ = read_csv(neo4j["neo4j/nodes.csv"])
    edges_header, _ = read_csv(neo4j["neo4j/relationships.csv"])
    assert nodes_header[:3] == ["id:ID", "name", ":LABEL"]
    assert edges_header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    for entry in nodes_header + edges_header:
        assert HEADER_RE.match(entry), entry
    assert len(set(nodes_header)) == len(nodes_header) and len(set(edges_header)) == len(edges_header)
    assert {"value:float", "value_low:float", "value_high:float", "publications:string[]"} <= set(edges_header)


def test_neo4j_nodes_are_the_curated_entities_with_biolink_labels(neo4j):
    _, nodes = read_csv(neo4j["neo4j/nodes.csv"])
    by_id = {n["id:ID"]: n for n in nodes}
    assert len(by_id) == len(nodes), "node ids must be unique"
    for row in curated_rows("entities"):
        node = by_id[row["id"]]
        assert node["name"] == shown_label(row)
        assert node[":LABEL"] == row["category"].removeprefix("biolink:")
        assert sorted(filter(None, node["xrefs:string[]"].split(";"))) == sorted(filter(None, row["xrefs"].split("|")))


def test_neo4j_relationships_are_the_curated_assertions_between_known_nodes(neo4j):
    _, nodes = read_csv(neo4j["neo4j/nodes.csv"])
    _, edges = read_csv(neo4j["neo4j/relationships.csv"])
    ids = {n["id:ID"] for n in nodes}
    for edge in edges:
        assert edge[":START_ID"] in ids and edge[":END_ID"] in ids
    expected = {(r["id"], r["subject"], r["object"], r["predicate"]) for r in curated_rows("assertions")}
    assert {(e["assertion"], e[":START_ID"], e[":END_ID"], e[":TYPE"]) for e in edges} == expected
    for edge in edges:
        if edge["value:float"]:
            float(edge["value:float"])


def test_kg_export_writes_both_formats(tmp_path):
    graphml = run_kg("export", "--format", "graphml", "--out", str(tmp_path))
    neo4j = run_kg("export", "--format", "neo4j", "--out", str(tmp_path))
    assert graphml.returncode == 0, graphml.stderr
    assert neo4j.returncode == 0, neo4j.stderr
    assert (tmp_path / "painkg.graphml").exists()
    assert (tmp_path / "neo4j" / "nodes.csv").exists() and (tmp_path / "neo4j" / "relationships.csv").exists()


def test_kg_export_rejects_an_unknown_format(tmp_path):
    result = run_kg("export", "--format", "gexf", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
