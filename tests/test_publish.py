"""`kg publish` against a local store the test starts (tests/sparql_stub.py: pyoxigraph behind the SPARQL 1.1
Protocol and Graph Store Protocol, with digest or basic auth like Virtuoso's /sparql-graph-crud-auth).

What a user checks after publishing: the named graph holds exactly the triples of painkg.nt, other graphs are
untouched, a store without the Graph Store Protocol still gets the graph through SPARQL Update, and every
failure (wrong password, short count, bad IRI) is one clear line with exit code 2. A second stand-in,
VirtuosoLikeStore, behaves as Virtuoso does where publishing used to break: an unauthenticated request gets 401 and
a reset connection without its body being read, and it can reset the first N authorised uploads too.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import urllib.parse

import pyoxigraph as ox
import pytest

from kg.errors import UserError
from kg.store import publish as publish_module
from kg.store.publish import publish
from sparql_stub import StubEndpoint, _digest_fields, _md5
from support.project import run_kg

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
    stale = ox.Quad(
        ox.NamedNode("https://example.org/old"), ox.NamedNode("https://example.org/p"), ox.Literal("x"), ox.NamedNode(GRAPH)
    )
    other = ox.Quad(
        ox.NamedNode("https://example.org/keep"),
        ox.NamedNode("https://example.org/p"),
        ox.Literal("y"),
        ox.NamedNode("https://example.org/other-graph"),
    )
    store.add(stale)
    store.add(other)
    with StubEndpoint(store) as stub:
        publish(f"{stub.url}/store", GRAPH, source=nt, query_endpoint=f"{stub.url}/sparql")
    assert stale.triple not in triples_in_graph(store, GRAPH)
    assert other in set(store.quads_for_pattern(None, None, None, None))


def test_update_fallback_when_the_store_has_no_graph_store_protocol(nt, monkeypatch):
    monkeypatch.setattr(publish_module, "CHUNK_TRIPLES", 500)
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://example.org/old"), ox.NamedNode("https://example.org/p"), ox.Literal("x"), ox.NamedNode(GRAPH)
        )
    )
    with StubEndpoint(store, graph_store=False) as stub:
        result = publish(f"{stub.url}/store", GRAPH, source=nt, update_endpoint=f"{stub.url}/sparql")
        expected = triples_in_file(nt)
        assert result.method == "update"
        assert result.read_back == len(expected)
        assert triples_in_graph(store, GRAPH) == expected  # the old triple was dropped
        assert stub.updates[0].startswith("DROP SILENT GRAPH")
        assert len(stub.updates) == 1 + -(-len(expected) // 500)  # one INSERT DATA per chunk of 500


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
    """Without --graph, the build goes into the versioned named graph its void.ttl records."""
    recorded = ox.Store()
    recorded.load(path=str(nt.parent / "void.ttl"), format=ox.RdfFormat.TURTLE)
    (name,) = {
        q.object.value
        for q in recorded.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name"), None)
    }
    with StubEndpoint(auth="digest", user="dba", password="secret") as stub:
        result = run_kg(
            "publish",
            "--endpoint",
            f"{stub.url}/store",
            "--query-endpoint",
            f"{stub.url}/sparql",
            "--user",
            "dba",
            "--password-env",
            "PAINKG_TEST_PASSWORD",
            "--source",
            str(nt),
            env={"PAINKG_TEST_PASSWORD": "secret"},
        )
        n = len(triples_in_file(nt))
        assert triples_in_graph(stub.store, name) == triples_in_file(nt)
    assert result.returncode == 0, result.stderr
    assert name.startswith("https://w3id.org/painkg/graph/")
    assert f"published {n} triples into <{name}> via graph-store; read back {n}" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--graph", "not an iri"], "graph must be an absolute IRI with a scheme"),
        (["--password-env", "PAINKG_NO_SUCH_VARIABLE", "--user", "dba"], "PAINKG_NO_SUCH_VARIABLE is not set"),
    ],
)
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


# ---------------------------------------------------------------- graph names


@pytest.mark.parametrize(
    "iri",
    [
        "urn:painkg",
        "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
        "http://example.org/graph",
        "https://w3id.org/painkg/graph",
        "https://example.org/graph?v=1#latest",
        "tag:example.org,2024:painkg",
        "https://example.org/ketamin\u00e4",
    ],
)
def test_any_absolute_iri_is_a_graph_name(iri):
    assert publish_module._checked_iri(iri, "graph") == iri


@pytest.mark.parametrize("iri", ["painkg", "graph/1", "/painkg/graph", "//example.org/graph", "#graph", "", "1urn:x"])
def test_a_relative_graph_name_is_refused_with_the_reason(iri):
    with pytest.raises(UserError, match="graph must be an absolute IRI with a scheme .* not the relative"):
        publish_module._checked_iri(iri, "graph")


@pytest.mark.parametrize("iri", ["https://example.org/a graph", "urn:<painkg>", "urn:pain\\kg", "urn:pain\nkg", 'urn:"painkg"'])
def test_a_graph_name_that_cannot_be_written_in_ntriples_is_refused(iri):
    with pytest.raises(UserError, match="without spaces, control characters"):
        publish_module._checked_iri(iri, "graph")


@pytest.mark.parametrize("graph", ["urn:painkg", "http://example.org/painkg"])
def test_publish_into_a_urn_or_http_graph(nt, graph):
    with StubEndpoint(auth="digest", user="dba", password="secret") as stub:
        result = publish(f"{stub.url}/store", graph, "dba", "secret", nt, query_endpoint=f"{stub.url}/sparql")
        assert result.read_back == result.sent == len(triples_in_graph(stub.store, graph)) > 0


# ---------------------------------------------------------------- a store that cuts the upload, as Virtuoso does


class VirtuosoLikeStore:
    """Graph Store on 127.0.0.1 that answers a request without valid digest auth with 401 + Connection: close and
    resets the connection without reading the body (what Virtuoso's /sparql-graph-crud-auth does, and why a
    client that sends the body first gets "broken pipe"); `resets` authorised PUTs are cut the same way.
    /sparql (POST, no auth) answers the count of the graph last PUT."""

    REALM, NONCE = "SPARQL", "0123456789abcdef"

    def __init__(self, *, user="dba", password="dba", resets=0):
        self.user, self.password, self.resets_left = user, password, resets
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.requests: list[tuple[str, str, bool]] = []  # (method, path, carried Authorization)
        self.unauthenticated_bodies = 0
        self.put_attempts = 0
        self.lines: set[bytes] = set()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.server.close()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                try:
                    self._handle(conn)
                except OSError:
                    pass

    def _authorised(self, method: str, target: str, header: str | None) -> bool:
        if not header or not header.lower().startswith("digest "):
            return False
        f = _digest_fields(header[7:])
        ha1 = _md5(f"{self.user}:{self.REALM}:{self.password}")
        ha2 = _md5(f"{method}:{target}")
        expected = _md5(f"{ha1}:{self.NONCE}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}")
        return f.get("uri") == target and f.get("nonce") == self.NONCE and f.get("response") == expected

    @staticmethod
    def _reset(conn):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST

    def _handle(self, conn):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
        length = int(headers.get("content-length", 0))
        self.requests.append((method, target, "authorization" in headers))
        path = urllib.parse.urlsplit(target).path
        if path != "/sparql" and not self._authorised(method, target, headers.get("authorization")):
            self.unauthenticated_bodies += bool(length)
            challenge = (
                f'Digest realm="{self.REALM}", domain="/store", nonce="{self.NONCE}", '
                'opaque="5ebe2294ecd0e0f08eab7690d2a6ee69", stale="false", qop="auth", algorithm="MD5"'
            )
            conn.sendall(
                f"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: {challenge}\r\nConnection: close\r\n"
                "Content-Length: 0\r\n\r\n".encode("latin-1")
            )
            if length:
                self._reset(conn)  # the body is never read
            return
        if method == "PUT":
            self.put_attempts += 1
            if self.resets_left > 0:
                self.resets_left -= 1
                self._reset(conn)
                return
        while len(body) < length:
            chunk = conn.recv(1 << 20)
            if not chunk:
                return
            body += chunk
        if method == "PUT":
            self.lines = {line for line in body.splitlines() if line.strip()}
            return self._answer(conn, "201 Created")
        if method == "POST" and path == "/sparql":
            n = str(len(self.lines))
            result = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": n}}]}}
            return self._answer(conn, "200 OK", json.dumps(result).encode(), "application/sparql-results+json")
        return self._answer(conn, "200 OK")  # HEAD

    @staticmethod
    def _answer(conn, status: str, body: bytes = b"", content_type: str = "text/plain"):
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode("latin-1")
            + body
        )


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(publish_module, "BACKOFF_S", 0.01)


def test_no_body_is_sent_before_the_digest_challenge_is_answered(nt):
    with VirtuosoLikeStore() as store:
        result = publish(f"{store.url}/store", GRAPH, "dba", "dba", nt, query_endpoint=f"{store.url}/sparql")
    assert result.read_back == result.sent > 0
    assert store.unauthenticated_bodies == 0
    assert [r[0] for r in store.requests if r[1].startswith("/store")] == ["HEAD", "HEAD", "PUT"]
    assert store.put_attempts == 1


def test_a_wrong_password_is_a_401_before_the_body_is_sent(nt):
    with VirtuosoLikeStore() as store:
        with pytest.raises(UserError, match=r"answered 401.*check --user and --password-env"):
            publish(f"{store.url}/store", GRAPH, "dba", "wrong", nt, query_endpoint=f"{store.url}/sparql")
    assert store.put_attempts == 0 and store.unauthenticated_bodies == 0


def test_no_credentials_for_a_store_that_asks_is_one_clear_error(nt):
    with VirtuosoLikeStore() as store:
        with pytest.raises(UserError, match="asks for digest authentication: give --user and --password-env"):
            publish(f"{store.url}/store", GRAPH, source=nt, query_endpoint=f"{store.url}/sparql")
    assert store.unauthenticated_bodies == 0


def test_an_upload_cut_by_a_reset_is_sent_again(nt, quick_retries):
    with VirtuosoLikeStore(resets=publish_module.TRIES - 1) as store:
        result = publish(f"{store.url}/store", GRAPH, "dba", "dba", nt, query_endpoint=f"{store.url}/sparql")
    assert result.read_back == result.sent > 0
    assert store.put_attempts == publish_module.TRIES


def test_resets_on_every_try_say_so_and_stop(nt, quick_retries):
    with VirtuosoLikeStore(resets=100) as store:
        with pytest.raises(UserError, match=r"connection reset by server during upload \(tried 3 times\)"):
            publish(f"{store.url}/store", GRAPH, "dba", "dba", nt, query_endpoint=f"{store.url}/sparql")
    assert store.put_attempts == publish_module.TRIES == 3
