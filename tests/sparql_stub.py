"""A tiny SPARQL endpoint for tests: stdlib HTTP server over a pyoxigraph store, on 127.0.0.1 and a free port.

It stands in for the stores painkg talks to (a remote triple store for `kg publish`, Wikidata or UniProt for the
federated queries) so tests need no network. It speaks:
  /sparql   SPARQL 1.1 Protocol: query (GET ?query= or POST form/sparql-query) and update (POST form/sparql-update)
  /store    SPARQL 1.1 Graph Store HTTP Protocol: GET / PUT / POST / DELETE with ?graph=IRI or ?default
Options: `auth="basic"|"digest"` with a user and password (every request must authenticate, as Virtuoso's
/sparql-graph-crud-auth does), `graph_store=False` to act like an endpoint without the Graph Store Protocol.
Every received query text is recorded in `.queries` so a test can see what a federating engine sent.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
REALM = "stub"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _digest_fields(header: str) -> dict[str, str]:
    fields = {}
    for part in urllib.request.parse_http_list(header):
        key, _, value = part.partition("=")
        fields[key.strip()] = value.strip().strip('"')
    return fields


class StubEndpoint:
    """Start with `with StubEndpoint(store) as stub:`; stub.url is the base URL (no trailing slash)."""

    def __init__(
        self,
        store: ox.Store | None = None,
        *,
        auth: str | None = None,
        user: str = "dba",
        password: str = "dba",
        graph_store: bool = True,
    ):
        self.store = store if store is not None else ox.Store()
        self.auth, self.user, self.password = auth, user, password
        self.graph_store = graph_store
        self.queries: list[str] = []
        self.updates: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.nonce = secrets.token_hex(8)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StubEndpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def authorised(self, method: str, header: str | None) -> bool:
        if self.auth is None:
            return True
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        if self.auth == "basic" and scheme.lower() == "basic":
            return base64.b64decode(value).decode("utf-8") == f"{self.user}:{self.password}"
        if self.auth == "digest" and scheme.lower() == "digest":
            f = _digest_fields(value)
            ha1 = _md5(f"{self.user}:{REALM}:{self.password}")
            ha2 = _md5(f"{method}:{f.get('uri', '')}")
            expected = _md5(f"{ha1}:{self.nonce}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}")
            return f.get("username") == self.user and f.get("nonce") == self.nonce and f.get("response") == expected
        return False

    def challenge(self) -> str:
        if self.auth == "basic":
            return f'Basic realm="{REALM}"'
        return f'Digest realm="{REALM}", nonce="{self.nonce}", qop="auth", algorithm=MD5'

    def _handler_class(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _send(self, code: int, body: bytes = b"", content_type: str = "text/plain", extra: dict | None = None):
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _route(self, method: str) -> None:
                url = urllib.parse.urlsplit(self.path)
                args = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
                body = self._body() if method in ("POST", "PUT") else b""
                stub.requests.append((method, self.path))
                if not stub.authorised(method, self.headers.get("Authorization")):
                    return self._send(401, b"unauthorised", extra={"WWW-Authenticate": stub.challenge()})
                try:
                    if url.path == "/sparql":
                        return self._sparql(method, args, body)
                    if url.path == "/store" and stub.graph_store:
                        return self._graph_store(method, args, body)
                    return self._send(404, b"not found")
                except (SyntaxError, ValueError, OSError) as error:
                    return self._send(400, str(error).encode("utf-8"))

            def _sparql(self, method: str, args: dict, body: bytes) -> None:
                content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                if method == "POST" and content_type == "application/x-www-form-urlencoded":
                    args.update(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                elif method == "POST" and content_type == "application/sparql-query":
                    args["query"] = body.decode("utf-8")
                elif method == "POST" and content_type == "application/sparql-update":
                    args["update"] = body.decode("utf-8")
                if "update" in args:
                    stub.updates.append(args["update"])
                    stub.store.update(args["update"])
                    return self._send(204)
                if "query" not in args:
                    return self._send(400, b"no query")
                stub.queries.append(args["query"])
                result = stub.store.query(args["query"])
                if isinstance(result, ox.QueryTriples):
                    data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
                    return self._send(200, data, "application/n-triples")
                data = result.serialize(format=ox.QueryResultsFormat.JSON)
                return self._send(200, data, "application/sparql-results+json")

            def _graph_store(self, method: str, args: dict, body: bytes) -> None:
                graph = ox.NamedNode(args["graph"]) if "graph" in args else ox.DefaultGraph()
                if method == "GET":
                    quads = stub.store.quads_for_pattern(None, None, None, graph)
                    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
                    return self._send(200, data or b"", "application/n-triples")
                if method in ("PUT", "DELETE"):
                    existed = any(True for _ in stub.store.quads_for_pattern(None, None, None, graph))
                    stub.store.clear_graph(graph) if existed else None
                    if method == "DELETE":
                        return self._send(204 if existed else 404)
                if method in ("PUT", "POST"):
                    fmt = RDF_TYPES.get((self.headers.get("Content-Type") or "").split(";")[0].strip())
                    if fmt is None:
                        return self._send(415, b"unsupported media type")
                    stub.store.load(body, format=fmt, to_graph=graph)
                    return self._send(201 if method == "PUT" else 204)
                return self._send(405, b"method not allowed")

            def do_GET(self):
                self._route("GET")

            def do_POST(self):
                self._route("POST")

            def do_PUT(self):
                self._route("PUT")

            def do_DELETE(self):
                self._route("DELETE")

        return Handler
