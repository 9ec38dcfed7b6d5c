"""A read-only SPARQL 1.1 Protocol endpoint over the embedded pyoxigraph store, plus an offline query page.

Guarantees (see SECURITY.md): queries only (pyoxigraph's query parser cannot run updates, and update requests are
refused with 403); SERVICE only to allow-listed hosts; a time limit per query (503) and a cap on result rows;
request bodies above a size cap are refused (413); binds 127.0.0.1 unless told otherwise.
"""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from kg.errors import UserError
from kg.store.backends import to_oxigraph

TEMPLATE = Path(__file__).resolve().parent / "templates" / "query.html"
MAX_BODY = 1_000_000
WORKERS = 4
SERVICE_RE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
UNICODE_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
FORMAT_ALIASES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                  "xml": "application/sparql-results+xml", "turtle": "text/turtle", "jsonld": "application/ld+json"}


class Refused(Exception):
    """A request the endpoint will not answer; carries the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Answer:
    """What a query produced, capped at max_rows."""
    kind: str                      # select, ask, graph
    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False


# ---------------------------------------------------------------- checks before running

def expand_unicode_escapes(text: str) -> str:
    """SPARQL applies \\u escapes before parsing, so keyword checks must see them expanded."""
    return UNICODE_ESCAPE_RE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def is_update(text: str) -> bool:
    """True when the text parses as SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - anything that is not a valid update is simply not an update
        return False
    return True


def service_targets(text: str) -> list:
    """IRIs (or variables) named by SERVICE clauses, read from rdflib's algebra of the query."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception as error:  # noqa: BLE001 - refuse what cannot be checked
        raise Refused(400, f"cannot check the SERVICE clauses of this query: {' '.join(str(error).split())[:200]}") from None
    found, stack = [], [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                found.append(node.get("term"))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return found


def check_services(text: str, allowed: frozenset[str]) -> None:
    """Refuse SERVICE calls to hosts not on the allow-list (no server-side request forgery)."""
    if not SERVICE_RE.search(expand_unicode_escapes(text)):
        return
    from rdflib import URIRef

    for term in service_targets(text):
        if not isinstance(term, URIRef):
            raise Refused(403, "SERVICE with a variable endpoint is refused")
        parts = urllib.parse.urlparse(str(term))
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not ({host, parts.netloc.lower()} & allowed):
            raise Refused(403, f"SERVICE to {host or term} is refused (not on the --allow-service list)")


# ---------------------------------------------------------------- running in worker processes

WORKER_START_S = 120  # loading the graph; on a busy 2-core machine it can take a few seconds


class Endpoint:
    """The limits every request runs under, and a pool of worker processes that each hold the store.

    Queries run in separate processes because a running pyoxigraph query cannot be interrupted from another
    thread: at the time limit the worker is killed (so it stops using CPU) and a fresh one replaces it.
    """

    def __init__(self, ntriples: Path, *, timeout: float = 10.0, max_rows: int = 10000, allow_service=(),
                 max_body: int = MAX_BODY, workers: int = WORKERS):
        import multiprocessing
        import queue

        self.ntriples = str(ntriples)
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_body = max_body
        self.allowed = frozenset(h.lower() for h in allow_service)
        self.context = multiprocessing.get_context("spawn")
        self.idle = queue.Queue()
        self.closed = False
        for _ in range(workers):
            self.idle.put(self._start_worker())

    def _start_worker(self):
        """A worker that has loaded the graph: the time limit is for queries, never for a worker still loading."""
        parent, child = self.context.Pipe()
        process = self.context.Process(target=worker_main, args=(child, self.ntriples, self.max_rows), daemon=True)
        process.start()
        child.close()
        if not parent.poll(WORKER_START_S) or parent.recv() != ("ready",):
            process.kill()
            raise RuntimeError(f"a query worker did not load {self.ntriples} within {WORKER_START_S} s")
        return process, parent

    def _replace_worker(self, worker) -> None:
        """Kill a worker and put a fresh one in the pool (in the background: starting takes a moment)."""
        process, conn = worker
        process.kill()
        process.join(timeout=5)
        conn.close()
        if not self.closed:
            threading.Thread(target=lambda: self.idle.put(self._start_worker()), daemon=True).start()

    def answer(self, text: str, accept: str, substitutions: dict | None = None) -> tuple[str, bytes, bool]:
        """(media type, body, truncated) for one query, within the time limit."""
        import queue

        if not text.strip():
            raise Refused(400, "empty query")
        check_services(text, self.allowed)
        started = time.monotonic()
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Refused(503, "server busy: every query worker is taken") from None
        process, conn = worker
        try:
            conn.send((text, substitutions or {}, accept))
            if not conn.poll(max(0.0, self.timeout - (time.monotonic() - started))):
                self._replace_worker(worker)
                raise Refused(503, f"query exceeded the {self.timeout:g} s time limit")
            status, *payload = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace_worker(worker)
            raise Refused(500, "query worker failed") from None
        self.idle.put(worker)
        if status == "refused":
            raise Refused(*payload)
        return tuple(payload)

    def close(self) -> None:
        """Stop every worker process."""
        import queue

        self.closed = True
        while True:
            try:
                process, conn = self.idle.get_nowait()
            except queue.Empty:
                break
            process.kill()
            process.join(timeout=5)
            conn.close()


def worker_main(conn, ntriples: str, max_rows: int) -> None:
    """A worker process: load the graph once, then answer (text, substitutions, accept) jobs until the pipe closes."""
    store = ox.Store()
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    conn.send(("ready",))
    while True:
        try:
            text, substitutions, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = run_query(store, text, substitutions, max_rows)
            conn.send(("ok", *render(answer, accept), answer.truncated))
        except Refused as refused:
            conn.send(("refused", refused.status, str(refused)))
        except Exception as error:  # noqa: BLE001 - a worker must answer, whatever went wrong
            conn.send(("refused", 500, f"query failed: {type(error).__name__}: {' '.join(str(error).split())[:300]}"))


def run_query(store, text: str, substitutions: dict, max_rows: int) -> Answer:
    """Parse and run one query on the store; updates and syntax errors become Refused."""
    bound = {ox.Variable(name): to_oxigraph(term) for name, term in substitutions.items()}
    try:
        result = store.query(text, substitutions=bound or None)
    except SyntaxError as error:
        if is_update(text):
            raise Refused(403, "read-only endpoint: SPARQL Update is refused") from None
        raise Refused(400, f"SPARQL syntax error: {' '.join(str(error).split())}") from None
    except (OSError, RuntimeError) as error:
        raise Refused(400, f"query failed: {' '.join(str(error).split())}") from None
    return collect(result, max_rows)


def collect(result, max_rows: int) -> Answer:
    """The result's rows, at most max_rows of them."""
    if isinstance(result, ox.QueryBoolean):
        return Answer("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        answer = Answer("select", variables=[v.value for v in result.variables])
    else:
        answer = Answer("graph")
    try:
        for row in result:
            if len(answer.rows) >= max_rows:
                answer.truncated = True
                break
            answer.rows.append(row if answer.kind == "graph" else [row[v] for v in answer.variables])
    except (OSError, RuntimeError) as error:
        raise Refused(400, f"query failed: {' '.join(str(error).split())}") from None
    return answer


# ---------------------------------------------------------------- result formats

def negotiate(accept: str, offered: dict, default: str) -> str:
    """The offered media type the Accept header prefers (q-values honoured), else the default."""
    best, best_q = default, 0.0
    for part in (accept or "").split(","):
        media, *options = [p.strip() for p in part.split(";")]
        q = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    q = float(option[2:])
                except ValueError:
                    q = 0.0
        if media in offered and q > best_q:
            best, best_q = media, q
    return best


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def select_json(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: term_json(t) for v, t in zip(answer.variables, row) if t is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def select_csv(answer: Answer) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    if answer.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if answer.boolean else "false"])
    else:
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(["" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return stream.getvalue().encode("utf-8")


def select_tsv(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return ("?_askResult\n" + ("true" if answer.boolean else "false") + "\n").encode()
    lines = ["\t".join("?" + v for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def select_xml(answer: Answer) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if answer.kind == "ask":
        out.append(f"<head/><boolean>{'true' if answer.boolean else 'false'}</boolean></sparql>")
        return "".join(out).encode("utf-8")
    out.append("<head>" + "".join(f'<variable name="{xml_escape(v)}"/>' for v in answer.variables) + "</head><results>")
    for row in answer.rows:
        out.append("<result>")
        for name, term in zip(answer.variables, row):
            if term is not None:
                out.append(f'<binding name="{xml_escape(name)}">{_xml_term(term)}</binding>')
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(term.value)}</literal>'
    return f'<literal datatype="{xml_escape(term.datatype.value)}">{xml_escape(term.value)}</literal>'


SELECT_WRITERS = {"json": select_json, "csv": select_csv, "tsv": select_tsv, "xml": select_xml}


def render(answer: Answer, accept: str) -> tuple[str, bytes]:
    """(content type, body) for an answer in the format the client asked for."""
    if answer.kind == "graph":
        media = negotiate(accept, GRAPH_TYPES, "text/turtle")
        return media, ox.serialize(answer.rows, format=GRAPH_TYPES[media])
    media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
    charset = "" if SELECT_TYPES[media] == "json" else "; charset=utf-8"
    return media + charset, SELECT_WRITERS[SELECT_TYPES[media]](answer)


# ---------------------------------------------------------------- the query page and library

def library_listing() -> list[dict]:
    """Library queries for the page: name, question, parameters with defaults, text."""
    from kg.sparql.library import library

    return [{"name": q.name, "question": q.question, "text": q.text,
             "params": [{"name": p.name, "default": p.default, "type": p.type} for p in q.params]}
            for q in library().values()]


def page() -> bytes:
    """The query page with the library embedded as JSON that cannot close its <script> element."""
    data = json.dumps(library_listing(), ensure_ascii=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return TEMPLATE.read_text(encoding="utf-8").replace("__LIBRARY_JSON__", data).encode("utf-8")


def library_query(name: str, params: dict) -> tuple[str, dict]:
    """(text, substitutions as term tuples) for a library query with parameters bound, never pasted."""
    from kg.sparql.library import bindings_for, find_query

    entry = find_query(name)
    bindings = bindings_for(entry, entry.text, params)
    return entry.text, dict(bindings)


# ---------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: GET ?query=, POST form or application/sparql-query; / is the query page."""

    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"
    server_version = "painkg-sparql"
    sys_version = ""
    endpoint: Endpoint  # set on the subclass made by make_server

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_GET(self):  # noqa: N802 - stdlib name
        url = urllib.parse.urlsplit(self.path)
        fields = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/":
            return self.send(200, "text/html; charset=utf-8", page())
        if url.path == "/sparql":
            if "update" in fields:
                return self.fail(Refused(403, "read-only endpoint: SPARQL Update is refused"))
            if "query" not in fields:
                return self.send(200, "text/plain; charset=utf-8",
                                 b"painkg SPARQL endpoint: send ?query=... (GET) or POST a query\n")
            return self.run(fields["query"][0], fields)
        if url.path.startswith("/library/"):
            return self.run_library(urllib.parse.unquote(url.path[len("/library/"):]), fields)
        return self.fail(Refused(404, "not found"))

    def do_POST(self):  # noqa: N802
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
            return self.fail(Refused(403, "read-only endpoint: SPARQL Update is refused"))
        if media == "application/sparql-query":
            return self.run(body.decode("utf-8", "replace"), fields)
        if media in ("application/x-www-form-urlencoded", ""):
            fields.update(urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
            if "update" in fields:
                return self.fail(Refused(403, "read-only endpoint: SPARQL Update is refused"))
            if "query" not in fields:
                return self.fail(Refused(400, "missing 'query' parameter"))
            return self.run(fields["query"][0], fields)
        return self.fail(Refused(415, f"unsupported content type {media!r}"))

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

    def run(self, text: str, fields: dict, substitutions: dict | None = None):
        try:
            media, body, truncated = self.endpoint.answer(text, self.accept(fields), substitutions)
        except Refused as refused:
            return self.fail(refused)
        extra = {"X-Painkg-Truncated": f"true; first {self.endpoint.max_rows} rows"} if truncated else {}
        self.send(200, media, body, extra)

    def run_library(self, name: str, fields: dict):
        params = {k: v[0] for k, v in fields.items() if k != "format"}
        try:
            text, substitutions = library_query(name, params)
        except UserError as error:
            return self.fail(Refused(404 if str(error).startswith("unknown query") else 400, str(error)))
        self.run(text, fields, substitutions)

    def fail(self, refused: Refused, drain: bool = False):
        if drain:
            self.close_connection = True
        self.send(refused.status, "text/plain; charset=utf-8", (str(refused) + "\n").encode("utf-8"))

    def send(self, status: int, media: str, body: bytes, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if media.startswith("text/html"):
            self.send_header("Content-Security-Policy",
                             "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                             "connect-src 'self'; form-action 'self'")
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
    handler = type("BoundHandler", (Handler,), {"endpoint": endpoint})
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
    print(f"painkg SPARQL endpoint: http://{real_host}:{real_port}/sparql  (query page: http://{real_host}:{real_port}/)",
          flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.endpoint.close()
