"""`kg publish` against a local store the test starts (tests/sparql_stub.py: pyoxigraph behind the SPARQL 1.1
Protocol and Graph Store Protocol, with digest or basic auth like Virtuoso's /sparql-graph-crud-auth).

What a user checks after publishing: the named graph holds exactly the triples of painkg.nt, other graphs are
untouched, a store without the Graph Store Protocol still gets the graph through SPARQL Update, and every
failure (wrong password, short count, bad IRI) is one clear line with exit code 2.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from support.project import run_kg
from kg.store import publish as publish_module
from kg.errors import UserError
from kg.store.publish import publish
from sparql_stub import StubEndpoint

GRAPH = "https://w3id.org/painkg/graph"


def triples_in_file(path) -> set[ox.Triple]:
    """The file's triples as an oxigraph store holds them (it writes decimals canonically: -0.10 -> -0.1)."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return {q.triple for q in store}


def triples_in_graph(store: ox.Store, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


@pytest.fixture(scope="module")
def nt(built):
    return built / "painkg.nt"


@pytest.mark.parametrize("auth", ["digest", "basic"])
def test_graph_store_put_loads_exactly_the_file(nt, auth):
    with StubEndpoint(auth=auth, user="dba", password="secret") as stub:
        result = publish(f"{stub.url}/store", GRAPH, "dba", "secret", nt, query_endpoint=f"{stub.url}/sparql")
        expected = triples_in_file(nt)
        assert result.method == "graph-store"
        assert result.sent == result.read_back == len(expected)
        assert triples_in_graph(stub.store, GRAPH) == expected
        assert ("PUT", "/store?graph=" + GRAPH.replace(":", "%3A").replace("/", "%2F")) in stub.requests


def test_put_replaces_the_named_graph_and_leaves_other_graphs_alone(nt):
    store = ox.Store()
    stale = ox.Quad(ox.NamedNode("https://example.org/old"), ox.NamedNode("https://example.org/p"), ox.Literal("x"),
                    ox.NamedNode(GRAPH))
    other = ox.Quad(ox.NamedNode("https://example.org/keep"), ox.NamedNode("https://example.org/p"), ox.Literal("y"),
                    ox.NamedNode("https://example.org/other-graph"))
    store.add(stale)
    store.add(other)
    with StubEndpoint(store) as stub:
        publish(f"{stub.url}/store", GRAPH, source=nt, query_endpoint=f"{stub.url}/sparql")
    assert stale.triple not in triples_in_graph(store, GRAPH)
    assert other in set(store.quads_for_pattern(None, None, None, None))


def test_update_fallback_when_the_store_has_no_graph_store_protocol(nt, monkeypatch):
    monkeypatch.setattr(publish_module, "CHUNK_TRIPLES", 500)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/old"), ox.NamedNode("https://example.org/p"),
                      ox.Literal("x"), ox.NamedNode(GRAPH)))
    with StubEndpoint(store, graph_store=False) as stub:
        result = publish(f"{stub.url}/store", GRAPH, source=nt, update_endpoint=f"{stub.url}/sparql")
        expected = triples_in_file(nt)
        assert result.method == "update"
        assert result.read_back == len(expected)
        assert triples_in_graph(store, GRAPH) == expected          # the old triple was dropped
        assert stub.updates[0].startswith("DROP SILENT GRAPH")
        assert len(stub.updates) == 1 + -(-len(expected) // 500)     # one INSERT DATA per chunk of 500


def test_wrong_password_is_one_clear_error(nt):
    with StubEndpoint(auth="digest", user="dba", password="secret") as stub:
        with pytest.raises(UserError, match="401"):
            publish(f"{stub.url}/store", GRAPH, "dba", "wrong", nt, query_endpoint=f"{stub.url}/sparql")


def test_count_mismatch_is_an_error(nt):
    """The graph went to one store but the count is read from another (empty) one: the numbers differ."""
    with StubEndpoint() as target, StubEndpoint() as elsewhere:
        with pytest.raises(UserError, match=r"sent \d+ triples .* holds 0"):
            publish(f"{target.url}/store", GRAPH, source=nt, query_endpoint=f"{elsewhere.url}/sparql")


def test_cli_publish_prints_sent_and_read_back(nt):
    with StubEndpoint(auth="digest", user="dba", password="secret") as stub:
        result = run_kg("publish", "--endpoint", f"{stub.url}/store", "--query-endpoint", f"{stub.url}/sparql",
                        "--user", "dba", "--password-env", "PAINKG_TEST_PASSWORD", "--source", str(nt),
                        env={"PAINKG_TEST_PASSWORD": "secret"})
        n = len(triples_in_file(nt))
    assert result.returncode == 0, result.stderr
    assert f"published {n} triples into <{GRAPH}> via graph-store; read back {n}" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--graph", "not an iri"], "graph must be an absolute http(s) IRI"),
    (["--password-env", "PAINKG_NO_SUCH_VARIABLE", "--user", "dba"], "PAINKG_NO_SUCH_VARIABLE is not set"),
])
def test_cli_publish_bad_input_exits_2_with_one_line(nt, args, message):
    with StubEndpoint() as stub:
        result = run_kg("publish", "--endpoint", f"{stub.url}/store", "--source", str(nt), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_publish_unreachable_store_exits_2(nt):
    with StubEndpoint() as stub:
        url = f"{stub.url}/store"
    result = run_kg("publish", "--endpoint", url, "--source", str(nt))  # the server is stopped now
    assert result.returncode == 2
    assert "unreachable" in result.stderr


def test_refuses_an_rdf4j_statements_url_where_put_would_replace_the_repository(nt):
    with StubEndpoint() as stub:
        with pytest.raises(UserError, match="replaces the whole repository"):
            publish(f"{stub.url}/repositories/painkg/statements", GRAPH, source=nt)
        assert stub.requests == []  # nothing was sent
