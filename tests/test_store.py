"""kg.store.backends: one interface over embedded pyoxigraph, rdflib's memory store and a remote SPARQL endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.errors import UserError
from support.endpoint import running_server, write_ntriples
from support.project import curated_rows

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KETAMINE = URIRef("http://purl.obolibrary.org/obo/CHEBI_6121")
LABELS_OF = f"SELECT ?entity ?label WHERE {{ ?entity <{LABEL}> ?label }}"


@pytest.fixture(scope="module")
def graph() -> Graph:
    from kg.validate import checked_graph

    return checked_graph()[1]


@pytest.fixture(scope="module")
def ntriples(tmp_path_factory) -> Path:
    return write_ntriples(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def stores(graph, ntriples):
    """The same graph on the three back ends."""
    from kg.store.backends import load

    with running_server(ntriples) as server:
        yield {"oxigraph": load(graph), "rdflib": load(graph, store="rdflib"), "remote": load(endpoint=server.endpoint_url)}


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib", "remote"])
def test_select_with_a_binding_shows_curies(stores, kind):
    df = stores[kind].select(LABELS_OF, {"entity": KETAMINE})
    assert df.to_dict("records") == [{"entity": "CHEBI:6121", "label": "ketamine"}]


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib", "remote"])
def test_numbers_come_back_numeric(stores, kind):
    """Counts are integers and curated values decimals, as the TSV rows say."""
    df = stores[kind].select(
        "PREFIX painkg: <https://w3id.org/painkg/> "
        "SELECT ?id ?value WHERE { ?a a painkg:Assertion ; painkg:value ?value ; <http://purl.org/dc/terms/identifier> ?id }"
    )
    expected = {r["id"]: float(r["value"]) for r in curated_rows("assertions") if r["value"]}
    assert str(df["value"].dtype) == "float64"
    assert dict(zip(df["id"], df["value"], strict=True)) == pytest.approx(expected)
    counted = stores[kind].select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert str(counted["n"].dtype) == "Int64"


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib", "remote"])
def test_ask_construct_and_triple_count(stores, graph, kind):
    store = stores[kind]
    assert store.ask(f"ASK {{ ?e <{LABEL}> ?l }}", {"l": Literal("ketamine")}) is True
    assert store.ask(f"ASK {{ ?e <{LABEL}> ?l }}", {"l": Literal("no such drug")}) is False
    built = store.construct(f"CONSTRUCT {{ ?e <{LABEL}> ?l }} WHERE {{ ?e <{LABEL}> ?l }}", {"e": KETAMINE})
    assert set(built) == {(KETAMINE, URIRef(LABEL), Literal("ketamine"))}
    assert store.triples_count() == len(graph)


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib", "remote"])
def test_rdflib_graph_holds_the_whole_graph(stores, graph, kind):
    assert len(stores[kind].rdflib_graph()) == len(graph)


@pytest.mark.parametrize("kind", ["oxigraph", "rdflib", "remote"])
def test_hostile_literal_is_a_value_not_query_text(stores, kind):
    """A parameter that tries to close the query and add a pattern only ever matches as a literal."""
    hostile = Literal('ketamine" } UNION { ?entity ?p ?label } #')
    df = stores[kind].select(LABELS_OF, {"label": hostile})
    assert df.empty and list(df.columns) == ["entity", "label"]


def test_values_block_goes_into_the_outer_group_and_escapes_terms():
    import pyoxigraph as ox

    from kg.store.backends import with_values

    query = 'PREFIX x: <http://x.org/a#>\n# a { in a comment\nSELECT ?s WHERE { ?s ?p ?o FILTER (?o != "{") }'
    tricky = 'say "hi" """} UNION { ?s ?p ?any } #\n'
    out = with_values(query, {"o": Literal(tricky)})
    assert out.startswith("PREFIX x: <http://x.org/a#>\n# a { in a comment\nSELECT ?s WHERE {\n  VALUES (?o) {")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p"), ox.Literal(tricky)))
    store.add(ox.Quad(ox.NamedNode("http://e.org/t"), ox.NamedNode("http://e.org/p"), ox.Literal("other")))
    assert [row["s"].value for row in store.query(out)] == ["http://e.org/s"]
    with pytest.raises(UserError):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://e.org/a> <b")})


def test_values_block_skips_a_construct_template():
    from kg.store.backends import with_values

    out = with_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": KETAMINE})
    assert out.startswith("CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s)")


def test_load_reads_a_build_folder_an_nt_file_or_a_graph(ntriples, graph):
    from kg.store.backends import load

    assert load(ntriples.parent).triples_count() == len(graph)
    assert load(ntriples, store="rdflib").triples_count() == len(graph)
    assert load(graph).triples_count() == len(graph)


def test_load_without_a_build_builds_from_the_curated_sources(tmp_path, monkeypatch, graph):
    from kg.store.backends import load

    monkeypatch.setenv("PAINKG_BUILD", str(tmp_path / "no-build-here"))
    assert load().triples_count() == len(graph)


def test_a_build_read_once_does_not_answer_after_the_build_folder_changes(tmp_path, monkeypatch, graph):
    """The default graph is cached: a fresh build found first (here the curated graph plus one triple) must not keep
    answering once PAINKG_BUILD points where there is no build (then the graph is built from the sources)."""
    from kg.store.backends import load
    from kg.store.graph import graph as default_graph

    build = tmp_path / "build"
    build.mkdir()
    graph.serialize(destination=build / "painkg.nt", format="nt", encoding="utf-8")
    with open(build / "painkg.nt", "a", encoding="utf-8") as nt:
        nt.write(f'<{KETAMINE}> <{LABEL}> "only in this build" .\n')
    monkeypatch.setenv("PAINKG_BUILD", str(build))
    assert len(default_graph()) == len(graph) + 1
    monkeypatch.setenv("PAINKG_BUILD", str(tmp_path / "no-build-here"))
    assert load().triples_count() == len(graph)


def test_stale_build_is_not_used(tmp_path, monkeypatch, graph):
    """A build older than the curated files would answer with old data, so it is rebuilt in memory."""
    import os

    from kg.store.backends import load

    stale = tmp_path / "painkg.nt"
    stale.write_text(f'<{KETAMINE}> <{LABEL}> "old" .\n', encoding="utf-8")
    os.utime(stale, (1, 1))
    monkeypatch.setenv("PAINKG_BUILD", str(tmp_path))
    assert load().triples_count() == len(graph)


def test_bad_inputs_are_user_errors(tmp_path):
    from kg.store.backends import load

    with pytest.raises(UserError, match="unknown store"):
        load(store="virtuoso")
    with pytest.raises(UserError, match="no graph"):
        load(tmp_path / "missing")
    with pytest.raises(UserError, match="unreachable"):
        load(endpoint="http://127.0.0.1:1/sparql").select("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(UserError, match="http"):
        load(endpoint="file:///etc/passwd")
