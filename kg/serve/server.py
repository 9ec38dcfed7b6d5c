"""`kg serve`: the read-only SPARQL 1.1 Protocol endpoint and the linked-data site over one graph.

- /sparql (GET, POST form, POST application/sparql-query) and /library/{name}?param=... answer under the limits
  of kg.serve.protocol (worker processes, time limit, row cap, SERVICE allow-list, no update).
- Every other path is a page of the site (kg.serve.site): HTML by default, the thing's own RDF for a client that
  asks for Turtle, JSON-LD, N-Triples or RDF/XML (?format= works too). The RDF comes from a bound CONSTRUCT run
  by the same workers, so it has the same limits. Pages are read once, on the first page request.
- Nothing is written, no request leaves the machine (the pages load only /static/ files), and the server binds
  127.0.0.1 unless told otherwise. Bodies above the size cap are refused (413) before they are read.
"""

from __future__ import annotations

import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.errors import UserError
from kg.serve.links import Links
from kg.serve.negotiation import HTML, page_media
from kg.serve.protocol import Endpoint, Refused
from kg.serve.results import FORMAT_ALIASES, GRAPH_TYPES
from kg.serve.sitedata import QUERIES

DESCRIBE = (QUERIES / "describe-resource.rq").read_text(encoding="utf-8")
READ_ONLY = "read-only endpoint: SPARQL Update is refused"
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
VIEWER_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'unsafe-inline'")  # the graph view inlines its scripts


class SiteCache:
    """The site of the served graph, read on the first page request (SPARQL-only use never pays for it)."""

    def __init__(self, ntriples: Path):
        self.ntriples = Path(ntriples)
        self._site = None
        self._graph_rdf: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            if self._site is None:
                from kg.serve.site import Site
                from kg.store.backends import OxigraphStore

                self._site = Site(OxigraphStore.from_ntriples(self.ntriples))
            return self._site

    def graph_rdf(self, media: str) -> bytes:
        """The whole graph in one RDF format (serialised once per format)."""
        site = self.get()
        with self._lock:
            if media not in self._graph_rdf:
                self._graph_rdf[media] = site.store.ox.dump(
                    format=GRAPH_TYPES[media], prefixes=site.data.prefixes, from_graph=_default_graph()
                )
            return self._graph_rdf[media]


def _default_graph():
    import pyoxigraph as ox

    return ox.DefaultGraph()


def library_query(name: str, params: dict) -> tuple[str, dict]:
    """(text, substitutions as RDF terms) for a library query with parameters bound, never pasted; `limit` and
    `offset` set its final row clauses as they do for `kg query`."""
    from kg.sparql.library import bindings_for, find_query, paged

    entry = find_query(name)
    return paged(entry, entry.text, params), dict(bindings_for(entry, entry.text, params))


class Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol at /sparql and /library/; every other GET path is a page of the site."""

    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"
    server_version = "painkg-sparql"
    sys_version = ""
    endpoint: Endpoint  # set on the subclass made by make_server
    site: SiteCache

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            if "update" in fields:
                return self.fail(Refused(403, READ_ONLY))
            if "query" not in fields:
                return self.send(
                    200,
                    "text/plain; charset=utf-8",
                    b"painkg SPARQL endpoint: send ?query=... (GET) or POST a query; editor at /query\n",
                )
            return self.run(fields["query"][0], fields)
        if url.path.startswith("/library/"):
            return self.run_library(urllib.parse.unquote(url.path[len("/library/") :]), fields)
        if url.path.startswith("/static/"):
            return self.asset(url.path[len("/static/") :])
        try:
            return self.page(url.path, fields)
        except Exception as error:  # noqa: BLE001 - a page that fails answers 500 and the server keeps serving
            return self.fail(Refused(500, f"page failed: {type(error).__name__}"))

    do_HEAD = do_GET

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self.fail(Refused(404, "not found"), drain=True)
        try:
            body = self.read_body()
        except Refused as refused:
            return self.fail(refused)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self.fail(Refused(403, READ_ONLY))
        if media == "application/sparql-query":
            return self.run(body.decode("utf-8", "replace"), fields)
        if media in ("application/x-www-form-urlencoded", ""):
            fields.update(urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
            if "update" in fields:
                return self.fail(Refused(403, READ_ONLY))
            if "query" not in fields:
                return self.fail(Refused(400, "missing 'query' parameter"))
            return self.run(fields["query"][0], fields)
        return self.fail(Refused(415, f"unsupported content type {media!r}"))

    # ------------------------------------------------------------ SPARQL

    def read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            self.close_connection = True
            raise Refused(411, "Content-Length required")
        try:
            size = int(length)
        except ValueError:
            self.close_connection = True
            raise Refused(400, "bad Content-Length") from None
        if size > self.endpoint.max_body:
            self.close_connection = True
            raise Refused(413, f"request body larger than {self.endpoint.max_body} bytes")
        return self.rfile.read(size)

    def accept(self, fields: dict) -> str:
        fmt = (fields.get("format") or [""])[0]
        return FORMAT_ALIASES.get(fmt, fmt) or self.headers.get("Accept", "")

    def run(
        self,
        text: str,
        fields: dict,
        substitutions: dict | None = None,
        accept: str | None = None,
        prefixes: dict | None = None,
        extra: dict | None = None,
    ):
        try:
            media, body, truncated = self.endpoint.answer(text, accept or self.accept(fields), substitutions, prefixes)
        except Refused as refused:
            return self.fail(refused)
        extra = dict(extra or {})
        if truncated:
            extra["X-Painkg-Truncated"] = f"true; first {self.endpoint.max_rows} rows"
        self.send(200, media, body, extra)

    def run_library(self, name: str, fields: dict):
        params = {k: v[0] for k, v in fields.items() if k != "format"}
        try:
            text, substitutions = library_query(name, params)
        except UserError as error:
            return self.fail(Refused(404 if str(error).startswith("unknown query") else 400, str(error)))
        self.run(text, fields, substitutions)

    # ------------------------------------------------------------ the site

    def page(self, path: str, fields: dict):
        """A linked-data path: its HTML page, or its RDF when the client asks for RDF."""
        site = self.site.get()
        links = Links(static=False).below(max(path.count("/") - 1, 0))
        target = site.resolve(path)
        if target is None:
            return self.html(404, site.not_found(links, f"nothing at {urllib.parse.unquote(path)}"))
        media = page_media(self.headers.get("Accept", ""), (fields.get("format") or [""])[0])
        vary = {"Vary": "Accept"}
        if media != HTML and target.iri:
            if target.kind == "graph":
                return self.send(200, media, self.site.graph_rdf(media), vary)
            from rdflib import URIRef

            return self.run(DESCRIBE, {}, {"resource": URIRef(target.iri)}, media, site.data.prefixes, vary)
        from kg.serve.pages import NotFound

        try:
            body = site.html(target, links, fields)
        except (NotFound, UserError) as error:
            return self.html(404, site.not_found(links, str(error)))
        policy = VIEWER_POLICY if target.kind == "graph" else PAGE_POLICY
        self.html(200, body, {**vary, "Content-Security-Policy": policy})

    def asset(self, name: str):
        from kg.serve.site import MEDIA_TYPES, read_asset

        if name == "search-index.js":
            found = MEDIA_TYPES[".js"], self.site.get().search_index(static=False)
        else:
            found = read_asset(name)
        if found is None:
            return self.fail(Refused(404, "not found"))
        self.send(200, found[0], found[1], {"Cache-Control": "public, max-age=300"})

    def html(self, status: int, text: str, extra: dict | None = None):
        extra = {"Content-Security-Policy": PAGE_POLICY, **(extra or {})}
        self.send(status, "text/html; charset=utf-8", text.encode("utf-8"), extra)

    # ------------------------------------------------------------ responses

    def fail(self, refused: Refused, drain: bool = False):
        if drain:
            self.close_connection = True
        self.send(refused.status, "text/plain; charset=utf-8", (str(refused) + "\n").encode("utf-8"))

    def send(self, status: int, media: str, body: bytes, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def make_server(ntriples: Path, host: str = "127.0.0.1", port: int = 7878, **limits) -> ThreadingHTTPServer:
    """An HTTP server (not yet serving) for the graph in an N-Triples file."""
    endpoint = Endpoint(ntriples, **limits)
    handler = type("BoundHandler", (Handler,), {"endpoint": endpoint, "site": SiteCache(ntriples)})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        endpoint.close()
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    server.daemon_threads = True
    server.endpoint = endpoint
    return server


def ntriples_source(graph=None, scratch: Path | None = None) -> Path:
    """An N-Triples file with the graph: the build's, or one written from the curated sources or another format."""
    import tempfile

    from kg.store.backends import parse_rdf, rdf_file
    from kg.store.graph import fresh_build
    from kg.store.graph import graph as default_graph

    if graph is None:
        nt = fresh_build()
        rdf = None if nt else default_graph()
    else:
        nt = rdf_file(Path(graph))
        rdf = None if nt.suffix == ".nt" else parse_rdf(nt)
    if rdf is None:
        return nt
    folder = Path(scratch or tempfile.mkdtemp(prefix="painkg-serve-"))
    out = folder / "painkg.nt"
    rdf.serialize(destination=out, format="nt", encoding="utf-8")
    return out


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_forever(host: str = "127.0.0.1", port: int = 7878, graph=None, **limits) -> None:
    """Load the graph and answer until interrupted; prints the URL (with the real port when port=0)."""
    server = make_server(ntriples_source(graph), host, port, **limits)
    real_host, real_port = server.server_address[:2]
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"kg serve: warning: listening on {host}, reachable from other machines", file=sys.stderr)
    print(
        f"painkg SPARQL endpoint: http://{real_host}:{real_port}/sparql  (site: http://{real_host}:{real_port}/, "
        f"SPARQL editor: http://{real_host}:{real_port}/query)",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.endpoint.close()
