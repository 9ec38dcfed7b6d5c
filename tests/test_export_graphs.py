"""GraphML and Neo4j CSV exports: what Gephi/Cytoscape and neo4j-admin would read back.

Expectations come from the curated TSV rows (every assertion row is one relationship, every entity row one node)
and from the header grammar neo4j-admin import documents, not from the exporter's own output.
"""

from __future__ import annotations

import cProfile
import csv
import pstats
import re
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.export.graphs import write_graphml, write_neo4j
from kg.store import to_networkx
from support.project import curated_rows, run_kg, shown_label

# neo4j-admin header entries: name[:TYPE][[]] or the special :ID/:LABEL/:START_ID/:END_ID/:TYPE columns
HEADER_RE = re.compile(r"^(\w+)?(:(ID|LABEL|START_ID|END_ID|TYPE|int|long|float|double|boolean|string|date)(\[\])?)?$")


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture(scope="module")
def network():
    return to_networkx()


@pytest.fixture(scope="module")
def neo4j(network, tmp_path_factory):
    return write_neo4j(network, tmp_path_factory.mktemp("build"))


def test_graphml_reads_back_with_the_same_nodes_and_edges(network, tmp_path):
    path = write_graphml(network, tmp_path)["painkg.graphml"]
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    assert set(back.nodes) == set(network.nodes)


def test_graphml_keeps_lists_joined_and_the_curated_evidence(network, tmp_path):
    back = nx.read_graphml(write_graphml(network, tmp_path)["painkg.graphml"], force_multigraph=True)
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
        assert node["name"] == shown_label(row)  # the name a reader knows it by
        assert node["ontology_label"] == row["label"]
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


# ---------------------------------------------------------------- one sink interface over the validated graph
def test_a_build_makes_the_networkx_view_once(tmp_path):
    """GraphML, Neo4j CSV, the path stats and every viewer page share one networkx view of the graph."""
    from kg.build.pipeline import run_build
    from kg.model import network

    profiler = cProfile.Profile()
    profiler.runcall(run_build, tmp_path / "build")
    calls = [
        counts[1]
        for (file, _, name), counts in pstats.Stats(profiler).stats.items()
        if name == "to_networkx" and Path(file) == Path(network.__file__)
    ]
    assert calls == [1]
    assert (tmp_path / "build" / "views" / "index.html").is_file()


MERGED_ID = "A-merged-0001"


def merged_graph() -> tuple[Graph, dict]:
    """The checked graph plus one assertion that exists only in RDF (as after merging another painkg graph): a
    channel block between the ends of a curated one, with its evidence."""
    from kg.store import graph
    from kg.vocab import ASSERTION, PAINKG, grade_iri, project_converter

    iri = lambda curie: URIRef(project_converter().expand(curie, strict=True))  # noqa: E731
    block = next(r for r in curated_rows("assertions") if r["predicate"] == "channel_blocker_of")
    merged = Graph()
    merged += graph()
    node = ASSERTION[MERGED_ID]
    for prop, value in (
        (RDF.type, PAINKG.Assertion),
        (DCTERMS.identifier, Literal(MERGED_ID)),
        (RDF.subject, iri(block["subject"])),
        (RDF.predicate, PAINKG.channel_blocker_of),
        (RDF.object, iri(block["object"])),
        (PAINKG.publication, iri("PMID:37622028")),
        (PAINKG.evidenceType, iri("ECO:0000033")),
        (PAINKG.support, PAINKG.supports),
        (PAINKG.grade, grade_iri("C")),
    ):
        merged.add((node, prop, value))
    return merged, block


def test_every_format_is_written_from_the_graph_it_is_given(tmp_path):
    """An assertion present only in the RDF reaches KGX, GraphML, Neo4j and N-Triples alike (no format reads TSVs)."""
    from kg.export import SINKS, Validated, write_all

    merged, block = merged_graph()
    written = write_all(Validated(merged), tmp_path)
    assert set(written) >= {"painkg.nt", "kgx/nodes.tsv", "kgx/edges.tsv", "painkg.graphml", "neo4j/relationships.csv"}
    assert all(path == tmp_path / name and path.is_file() for name, path in written.items())
    assert len(SINKS) >= 4
    with open(written["kgx/edges.tsv"], encoding="utf-8", newline="") as stream:
        edges = {e["id"]: e for e in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)}
    edge = edges[MERGED_ID]
    assert (edge["subject"], edge["object"], edge["publications"]) == (block["subject"], block["object"], "PMID:37622028")
    assert (edge["predicate"], edge["causal_mechanism_qualifier"]) == ("biolink:affects", "molecular_channel_blockage")
    assert (edge["confidence_grade"], edge["support"], edge["has_evidence"]) == ("C", "supports", "ECO:0000033")
    back = nx.read_graphml(written["painkg.graphml"], force_multigraph=True)
    assert back.get_edge_data(block["subject"], block["object"])[MERGED_ID]["predicate"] == "channel_blocker_of"
    _, relationships = read_csv(written["neo4j/relationships.csv"])
    assert [r[":TYPE"] for r in relationships if r["assertion"] == MERGED_ID] == ["channel_blocker_of"]
    assert f"/assertion/{MERGED_ID}>" in written["painkg.nt"].read_text(encoding="utf-8")
