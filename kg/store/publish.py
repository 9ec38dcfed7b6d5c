"""Upload the built graph into a named graph of a triple store and check it arrived whole.

Stores differ in how they take data, so publishing tries the portable way first and falls back:
1. SPARQL 1.1 Graph Store HTTP Protocol: one PUT of the N-Triples to `endpoint?graph=IRI` (replaces the graph).
   Virtuoso (/sparql-graph-crud-auth), Fuseki (/ds/data), GraphDB (/repositories/R/rdf-graphs/service) and
   Oxigraph server (/store) all speak it.
2. SPARQL 1.1 Update, when the store answers that it has no Graph Store Protocol there: DROP SILENT GRAPH, then
   INSERT DATA in chunks of N-Triples lines (each line is already an escaped, complete triple).
Then it counts the triples in that graph through the query endpoint; a count that differs from what was sent
is an error, so a truncated upload never passes silently. Auth is digest or basic, whichever the server asks.
Only the standard library is used (urllib).
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.config import build_dir
from kg.errors import UserError

DEFAULT_GRAPH = "https://w3id.org/painkg/graph"
CHUNK_TRIPLES = 5000
TIMEOUT_S = 600
NTRIPLES = "application/n-triples"
TURTLE = "text/turtle"  # N-Triples is valid Turtle; stores that do not know application/n-triples accept it
NO_GRAPH_STORE = {400, 404, 405, 406, 415, 501}  # answers meaning "no Graph Store Protocol here"
IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
# Counting one named graph: the graph IRI is bound through a VALUES block (kg.store.backends.with_values), not pasted.
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class PublishResult:
    graph: str
    method: str          # "graph-store" or "update"
    sent: int            # triples in the source file
    read_back: int       # triples counted in the named graph afterwards

    def summary(self) -> str:
        return (f"published {self.sent} triples into <{self.graph}> via {self.method}; "
                f"read back {self.read_back}")


def publish(endpoint: str, graph_iri: str = DEFAULT_GRAPH, user: str | None = None, password: str | None = None,
            source: Path | str | None = None, *, update_endpoint: str | None = None,
            query_endpoint: str | None = None) -> PublishResult:
    """Replace `graph_iri` on the store with the triples of `source` (default build/painkg.nt) and verify the count.

    endpoint: the Graph Store Protocol URL. update_endpoint: the SPARQL Update URL for the fallback (default:
    endpoint). query_endpoint: where to count (default: update_endpoint, else endpoint).
    """
    graph_iri = _checked_iri(graph_iri, "graph")
    _checked_url(endpoint, "endpoint")
    if urllib.parse.urlparse(endpoint).path.rstrip("/").endswith("/statements"):
        raise UserError(f"endpoint {endpoint} is an RDF4J/GraphDB statements URL, where PUT replaces the whole "
                        "repository; use .../repositories/ID/rdf-graphs/service (the Graph Store Protocol)")
    source = _source_file(source)
    lines = _triple_lines(source)
    opener = _opener(endpoint, update_endpoint, query_endpoint, user, password)
    method = _upload(opener, endpoint, update_endpoint or endpoint, graph_iri, lines)
    counted = count_graph(query_endpoint or update_endpoint or endpoint, graph_iri, opener)
    result = PublishResult(graph_iri, method, len(lines), counted)
    if counted != len(lines):
        raise UserError(f"{source}: sent {len(lines)} triples to <{graph_iri}> but the store holds {counted}")
    return result


# ---------------------------------------------------------------- inputs

def _checked_url(url: str, what: str) -> str:
    if urllib.parse.urlparse(url or "").scheme not in ("http", "https"):
        raise UserError(f"{what} must be an http(s) URL, not {url!r}")
    return url


def _checked_iri(iri: str, what: str) -> str:
    if not IRI_RE.match(iri or ""):
        raise UserError(f"{what} must be an absolute http(s) IRI without spaces or <>\"{{}}|^`, not {iri!r}")
    return iri


def _source_file(source) -> Path:
    path = Path(source) if source else build_dir() / "painkg.nt"
    if path.is_dir():
        path = path / "painkg.nt"
    if not path.exists():
        raise UserError(f"no graph at {path} (run `kg build` first)")
    if path.suffix != ".nt":
        raise UserError(f"{path}: publish sends N-Triples; give the .nt file of a build")
    return path


def _triple_lines(path: Path) -> list[str]:
    """Distinct non-comment lines: each is one triple, so the count read back must equal this."""
    lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    return sorted(line for line in lines if line and not line.startswith("#"))


# ---------------------------------------------------------------- HTTP

def _opener(endpoint, update_endpoint, query_endpoint, user, password) -> urllib.request.OpenerDirector:
    """An opener answering digest or basic challenges for every URL we talk to."""
    if user is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    for url in filter(None, (endpoint, update_endpoint, query_endpoint)):
        manager.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager),
                                       urllib.request.HTTPBasicAuthHandler(manager))


def _send(opener, request: urllib.request.Request) -> bytes:
    try:
        with opener.open(request, timeout=TIMEOUT_S) as response:
            return response.read()
    except urllib.error.HTTPError:
        raise
    except (urllib.error.URLError, OSError) as error:
        raise UserError(f"{request.full_url.split('?')[0]} unreachable: {getattr(error, 'reason', error)}") from None


def _http_error(url: str, error: urllib.error.HTTPError) -> UserError:
    detail = error.read().decode("utf-8", "replace").strip().splitlines()
    hint = " (check --user and --password-env)" if error.code in (401, 403) else ""
    return UserError(f"{url.split('?')[0]} answered {error.code}: {detail[0][:200] if detail else error.reason}{hint}")


def _with_graph(url: str, graph_iri: str) -> str:
    glue = "&" if urllib.parse.urlparse(url).query else "?"
    return url + glue + urllib.parse.urlencode({"graph": graph_iri})


# ---------------------------------------------------------------- upload

def _upload(opener, endpoint: str, update_endpoint: str, graph_iri: str, lines: list[str]) -> str:
    """Graph Store PUT; SPARQL Update when the endpoint says it has no Graph Store Protocol."""
    try:
        put_graph(opener, endpoint, graph_iri, lines)
        return "graph-store"
    except urllib.error.HTTPError as error:
        if error.code not in NO_GRAPH_STORE:
            raise _http_error(endpoint, error) from None
    try:
        update_graph(opener, _checked_url(update_endpoint, "update endpoint"), graph_iri, lines)
    except urllib.error.HTTPError as error:
        raise _http_error(update_endpoint, error) from None
    return "update"


def put_graph(opener, endpoint: str, graph_iri: str, lines: list[str]) -> None:
    """SPARQL 1.1 Graph Store HTTP Protocol: PUT replaces the named graph with the body."""
    body = ("\n".join(lines) + "\n").encode("utf-8")
    request = urllib.request.Request(_with_graph(endpoint, graph_iri), data=body, method="PUT",
                                     headers={"Content-Type": TURTLE})
    _send(opener, request)


def update_statements(graph_iri: str, lines: list[str], chunk: int | None = None) -> list[str]:
    """DROP SILENT GRAPH then INSERT DATA blocks; the IRI was checked and the lines are N-Triples terms."""
    chunk = chunk or CHUNK_TRIPLES
    statements = [f"DROP SILENT GRAPH <{graph_iri}>"]
    for start in range(0, len(lines), chunk):
        block = "\n".join(lines[start:start + chunk])
        statements.append(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{block}\n}} }}")
    return statements


def update_graph(opener, update_endpoint: str, graph_iri: str, lines: list[str]) -> None:
    """SPARQL 1.1 Update over the protocol (form-encoded POST), one request per statement."""
    for statement in update_statements(graph_iri, lines):
        body = urllib.parse.urlencode({"update": statement}).encode("utf-8")
        request = urllib.request.Request(update_endpoint, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        _send(opener, request)


# ---------------------------------------------------------------- read back

def count_graph(query_endpoint: str, graph_iri: str, opener=None) -> int:
    """Triples in one named graph, asked through the SPARQL 1.1 Protocol."""
    from rdflib import URIRef

    from kg.store.backends import with_values

    query = with_values(COUNT_QUERY, {"g": URIRef(graph_iri)})
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(_checked_url(query_endpoint, "query endpoint"), data=body, method="POST", headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        data = _send(opener or urllib.request.build_opener(), request)
    except urllib.error.HTTPError as error:
        raise _http_error(query_endpoint, error) from None
    try:
        return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError):
        raise UserError(f"{query_endpoint} did not answer the count with SPARQL JSON results") from None
