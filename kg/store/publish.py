"""Upload the built graph into a named graph of a triple store and check it arrived whole.

Stores differ in how they take data, so publishing tries the portable way first and falls back:
1. SPARQL 1.1 Graph Store HTTP Protocol: one PUT of the N-Triples to `endpoint?graph=IRI` (replaces the graph).
   Virtuoso (/sparql-graph-crud-auth), Fuseki (/ds/data), GraphDB (/repositories/R/rdf-graphs/service) and
   Oxigraph server (/store) all speak it.
2. SPARQL 1.1 Update, when the store answers that it has no Graph Store Protocol there: DROP SILENT GRAPH, then
   INSERT DATA in chunks of N-Triples lines (each line is already an escaped, complete triple).
Then it counts the triples in that graph through the query endpoint; a count that differs from what was sent
is an error, so a truncated upload never passes silently. Auth is digest or basic, whichever the server asks.

No body goes out before the server has accepted the credentials: each URL is first probed with a bodyless HEAD, whose
401 carries the challenge, and the Authorization is then checked with a second HEAD. (Virtuoso answers an
unauthenticated PUT with 401 and closes the connection without reading the body; a client still writing a large
body then gets "broken pipe" or "connection reset", which made publishing to a fresh Virtuoso fail at random.)
Every request is idempotent (PUT replaces the graph, DROP SILENT and INSERT DATA of the same triples give the same
graph, the count only reads), so one cut by a connection reset is sent again, up to TRIES times with a short
backoff, and the error then says what happened. Only the standard library is used (urllib).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.client
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.config import VERSION, build_dir
from kg.errors import UserError
from kg.export.void import named_graph_of
from kg.store.backends import rdf_file
from kg.vocab import graph_iri as versioned_graph

CHUNK_TRIPLES = 5000
TIMEOUT_S = 600
TURTLE = "text/turtle"  # N-Triples is valid Turtle; stores that do not know application/n-triples accept it
NO_GRAPH_STORE = {400, 404, 405, 406, 415, 501}  # answers meaning "no Graph Store Protocol here"
TRIES = 3  # attempts per request when the server resets the connection
BACKOFF_S = 0.5  # wait before the 2nd attempt; doubled before each later one
# An absolute IRI (RFC 3987): a scheme, a colon, then no character N-Triples and SPARQL forbid inside <...>.
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]+$")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
RESETS = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, http.client.IncompleteRead)
# Counting one named graph: the graph IRI is bound through a VALUES block (kg.store.backends.with_values), not pasted.
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class PublishResult:
    graph: str
    method: str  # "graph-store" or "update"
    sent: int  # triples in the source file
    read_back: int  # triples counted in the named graph afterwards

    def summary(self) -> str:
        return f"published {self.sent} triples into <{self.graph}> via {self.method}; read back {self.read_back}"


def publish(
    endpoint: str,
    graph_iri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    source: Path | str | None = None,
    *,
    update_endpoint: str | None = None,
    query_endpoint: str | None = None,
) -> PublishResult:
    """Replace `graph_iri` on the store with the triples of `source` (default build/painkg.nt) and verify the count.

    graph_iri: default the versioned named graph the build's void.ttl records (https://w3id.org/painkg/graph/<version>).

    endpoint: the Graph Store Protocol URL. update_endpoint: the SPARQL Update URL for the fallback (default:
    endpoint). query_endpoint: where to count (default: update_endpoint, else endpoint).
    """
    _checked_url(endpoint, "endpoint")
    if urllib.parse.urlparse(endpoint).path.rstrip("/").endswith("/statements"):
        raise UserError(
            f"endpoint {endpoint} is an RDF4J/GraphDB statements URL, where PUT replaces the whole "
            "repository; use .../repositories/ID/rdf-graphs/service (the Graph Store Protocol)"
        )
    source = _source_file(source)
    graph_iri = _checked_iri(graph_iri or default_graph(source), "graph")
    lines = _triple_lines(source)
    client = Client(user, password)
    method = _upload(client, endpoint, update_endpoint or endpoint, graph_iri, lines)
    counted = count_graph(query_endpoint or update_endpoint or endpoint, graph_iri, client)
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
    """Any absolute IRI (https://..., http://..., urn:..., ...); a relative one would resolve differently per store."""
    if not SCHEME_RE.match(iri or ""):
        raise UserError(
            f"{what} must be an absolute IRI with a scheme (e.g. https://example.org/graph or "
            f"urn:painkg), not the relative {iri!r}"
        )
    if not IRI_RE.match(iri):
        raise UserError(f'{what} must be an absolute IRI without spaces, control characters or <>"{{}}|^`\\, not {iri!r}')
    return iri


def default_graph(source: Path) -> str:
    """The named graph recorded in void.ttl beside the N-Triples file, else the one of this package's version."""
    return named_graph_of(source.parent) or str(versioned_graph(VERSION))


def _source_file(source) -> Path:
    path = rdf_file(Path(source) if source else build_dir())
    if path.suffix != ".nt":
        raise UserError(f"{path}: publish sends N-Triples; give the .nt file of a build")
    return path


def _triple_lines(path: Path) -> list[str]:
    """Distinct non-comment lines: each is one triple, so the count read back must equal this."""
    lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    return sorted(line for line in lines if line and not line.startswith("#"))


# ---------------------------------------------------------------- HTTP


class Client:
    """HTTP for publishing: credentials settled before any body is sent, requests retried on a connection reset.

    For each URL (without its query) the first request is preceded by a bodyless HEAD. A 401 there carries the
    server's digest or basic challenge; a second HEAD with the Authorization built from it checks the credentials,
    so a wrong password is reported as a 401 before megabytes are uploaded. Every later request to that URL carries
    the Authorization from the start. A server that does not challenge HEAD but does challenge the request itself
    is answered after its 401, as urllib's auth handlers would.
    """

    def __init__(self, user: str | None = None, password: str | None = None):
        self.user, self.password = user, password or ""
        self.opener = urllib.request.build_opener()  # no auth handlers: this class answers the challenges
        self._challenges: dict[str, tuple[str, dict] | None] = {}  # URL without query -> (scheme, fields) or None
        self._nonce_counts: dict[str, int] = {}

    # ------------------------------------------------ requests

    def send(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None, what: str = "request") -> bytes:
        """The response body. Raises urllib.error.HTTPError for an HTTP error answer, UserError when unreachable
        or when the connection was reset TRIES times."""
        resets, answered_401 = 0, False
        while True:
            request = self._request(method, url, body, headers, self._challenge_for(url))
            try:
                return self._open(request)
            except urllib.error.HTTPError as error:
                fresh = _challenge_of(error) if error.code == 401 and self.user is not None else None
                if fresh is None or answered_401:
                    raise
                answered_401 = True  # answer one challenge; a second 401 is a real refusal
                self._challenges[_base(url)] = fresh
            except RESETS as error:
                resets += 1
                if resets == TRIES:
                    raise UserError(
                        f"{_base(url)}: connection reset by server during {what} (tried {TRIES} times): {_reason(error)}"
                    ) from None
                self._challenges.pop(_base(url), None)  # probe again before the next try: the nonce may be stale
                time.sleep(BACKOFF_S * 2 ** (resets - 1))

    def _request(
        self, method: str, url: str, body: bytes | None, headers: dict | None, challenge: tuple[str, dict] | None
    ) -> urllib.request.Request:
        """A new request each attempt (a digest Authorization is good for one request)."""
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if challenge is not None:
            request.add_header("Authorization", self._authorization(challenge, method, request.selector))
        return request

    def _with_retries(self, make_request, what: str) -> bytes:
        """Send a bodyless request; on a connection reset wait BACKOFF_S, 2 * BACKOFF_S, ... and send it again."""
        for attempt in range(1, TRIES + 1):
            request = make_request()
            try:
                return self._open(request)
            except RESETS as error:
                if attempt == TRIES:
                    raise UserError(
                        f"{_base(request.full_url)}: connection reset by server during {what} "
                        f"(tried {TRIES} times): {_reason(error)}"
                    ) from None
                time.sleep(BACKOFF_S * 2 ** (attempt - 1))
        raise AssertionError("not reached")

    def _open(self, request: urllib.request.Request) -> bytes:
        try:
            with self.opener.open(request, timeout=TIMEOUT_S) as response:
                return response.read()
        except urllib.error.HTTPError:
            raise
        except urllib.error.URLError as error:
            if isinstance(error.reason, RESETS):
                raise error.reason from None
            if isinstance(error.reason, TimeoutError):
                raise UserError(f"{_base(request.full_url)} did not answer within {TIMEOUT_S} s") from None
            raise UserError(f"{_base(request.full_url)} unreachable: {error.reason}") from None
        except RESETS:
            raise
        except TimeoutError:
            raise UserError(f"{_base(request.full_url)} did not answer within {TIMEOUT_S} s") from None
        except (OSError, http.client.HTTPException) as error:
            raise UserError(f"{_base(request.full_url)} unreachable: {_reason(error)}") from None

    # ------------------------------------------------ the challenge, before any body

    def _challenge_for(self, url: str) -> tuple[str, dict] | None:
        key = _base(url)
        if key not in self._challenges:
            self._challenges[key] = self._probe(url)
        return self._challenges[key]

    def _probe(self, url: str) -> tuple[str, dict] | None:
        """HEAD without a body: the challenge the server will put to the real request, with credentials checked."""
        challenge = None
        for _ in range(3):  # no auth, with auth, once more if the nonce went stale meanwhile
            try:
                self._with_retries(functools.partial(self._request, "HEAD", url, None, None, challenge), "the auth probe")
                return challenge
            except urllib.error.HTTPError as error:
                if error.code != 401:
                    return challenge  # HEAD not served here (405, 501, ...): no news about auth
                fresh = _challenge_of(error)
                if fresh is None:
                    return challenge
                if self.user is None:
                    raise UserError(f"{_base(url)} asks for {fresh[0]} authentication: give --user and --password-env") from None
                if challenge is not None and fresh[1].get("stale", "").lower() != "true":
                    raise _http_error(url, error) from None  # our credentials were refused: nothing was uploaded
                challenge = fresh
        return challenge

    # ------------------------------------------------ Authorization

    def _authorization(self, challenge: tuple[str, dict], method: str, uri: str) -> str:
        scheme, fields = challenge
        if scheme == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            return f"Basic {token}"
        return self._digest(fields, method, uri)

    def _digest(self, fields: dict, method: str, uri: str) -> str:
        """RFC 7616 digest (MD5, SHA-256 and their -sess forms; qop=auth, or none as in RFC 2069)."""
        algorithm = fields.get("algorithm", "MD5")
        hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
        base_algorithm = algorithm.upper().removesuffix("-SESS")
        if base_algorithm not in hashes:
            raise UserError(f"the server asks for digest algorithm {algorithm}, which publish does not speak")

        def h(text: str) -> str:
            return hashes[base_algorithm](text.encode("utf-8")).hexdigest()

        realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
        cnonce = secrets.token_hex(8)
        ha1 = h(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qops = [q.strip() for q in fields.get("qop", "").split(",") if q.strip()]
        parts = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri}
        if "auth" in qops:
            self._nonce_counts[nonce] = count = self._nonce_counts.get(nonce, 0) + 1
            nc = f"{count:08x}"
            parts["response"] = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
            unquoted = {"algorithm": algorithm, "qop": "auth", "nc": nc}
            parts["cnonce"] = cnonce
        elif qops:
            raise UserError(f"the server offers digest qop={','.join(qops)}; publish speaks qop=auth only")
        else:
            parts["response"] = h(f"{ha1}:{nonce}:{ha2}")
            unquoted = {"algorithm": algorithm}
        if "opaque" in fields:
            parts["opaque"] = fields["opaque"]
        quoted = ", ".join(f'{k}="{_quote(v)}"' for k, v in parts.items())
        return "Digest " + quoted + "".join(f", {k}={v}" for k, v in unquoted.items())


def _challenge_of(error: urllib.error.HTTPError) -> tuple[str, dict] | None:
    """("digest" | "basic", fields) from a 401's WWW-Authenticate headers, digest preferred; None if neither."""
    found = {}
    for header in error.headers.get_all("WWW-Authenticate") or []:
        scheme, _, rest = header.strip().partition(" ")
        fields = {}
        for item in urllib.request.parse_http_list(rest):
            key, sep, value = item.partition("=")
            if sep:
                fields[key.strip().lower()] = value.strip().removeprefix('"').removesuffix('"')
        found.setdefault(scheme.lower(), fields)
    if "digest" in found and found["digest"].get("nonce"):
        return "digest", found["digest"]
    if "basic" in found:
        return "basic", found["basic"]
    return None


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _base(url: str) -> str:
    """The URL without its query: how errors name a server, and the key its challenge is kept under."""
    return url.split("?")[0]


def _reason(error: BaseException) -> str:
    reason = getattr(error, "reason", None) or error
    return f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__


def _http_error(url: str, error: urllib.error.HTTPError) -> UserError:
    detail = (error.read() or b"").decode("utf-8", "replace").strip().splitlines()
    hint = " (check --user and --password-env)" if error.code in (401, 403) else ""
    return UserError(f"{url.split('?')[0]} answered {error.code}: {detail[0][:200] if detail else error.reason}{hint}")


def _with_graph(url: str, graph_iri: str) -> str:
    glue = "&" if urllib.parse.urlparse(url).query else "?"
    return url + glue + urllib.parse.urlencode({"graph": graph_iri})


# ---------------------------------------------------------------- upload


def _upload(client: Client, endpoint: str, update_endpoint: str, graph_iri: str, lines: list[str]) -> str:
    """Graph Store PUT; SPARQL Update when the endpoint says it has no Graph Store Protocol."""
    try:
        put_graph(client, endpoint, graph_iri, lines)
        return "graph-store"
    except urllib.error.HTTPError as error:
        if error.code not in NO_GRAPH_STORE:
            raise _http_error(endpoint, error) from None
    try:
        update_graph(client, _checked_url(update_endpoint, "update endpoint"), graph_iri, lines)
    except urllib.error.HTTPError as error:
        raise _http_error(update_endpoint, error) from None
    return "update"


def put_graph(client: Client, endpoint: str, graph_iri: str, lines: list[str]) -> None:
    """SPARQL 1.1 Graph Store HTTP Protocol: PUT replaces the named graph with the body."""
    body = ("\n".join(lines) + "\n").encode("utf-8")
    client.send("PUT", _with_graph(endpoint, graph_iri), body, {"Content-Type": TURTLE}, what="upload")


def update_statements(graph_iri: str, lines: list[str], chunk: int | None = None) -> list[str]:
    """DROP SILENT GRAPH then INSERT DATA blocks; the IRI was checked and the lines are N-Triples terms."""
    chunk = chunk or CHUNK_TRIPLES
    statements = [f"DROP SILENT GRAPH <{graph_iri}>"]
    for start in range(0, len(lines), chunk):
        block = "\n".join(lines[start : start + chunk])
        statements.append(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{block}\n}} }}")
    return statements


def update_graph(client: Client, update_endpoint: str, graph_iri: str, lines: list[str]) -> None:
    """SPARQL 1.1 Update over the protocol (form-encoded POST), one request per statement."""
    for statement in update_statements(graph_iri, lines):
        body = urllib.parse.urlencode({"update": statement}).encode("utf-8")
        client.send(
            "POST", update_endpoint, body, {"Content-Type": "application/x-www-form-urlencoded"}, what="upload (SPARQL Update)"
        )


# ---------------------------------------------------------------- read back


def count_graph(query_endpoint: str, graph_iri: str, client: Client | None = None) -> int:
    """Triples in one named graph, asked through the SPARQL 1.1 Protocol."""
    from rdflib import URIRef

    from kg.store.backends import with_values

    query = with_values(COUNT_QUERY, {"g": URIRef(graph_iri)})
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    headers = {"Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"}
    try:
        data = (client or Client()).send(
            "POST", _checked_url(query_endpoint, "query endpoint"), body, headers, what="count query"
        )
    except urllib.error.HTTPError as error:
        raise _http_error(query_endpoint, error) from None
    try:
        return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError):
        raise UserError(f"{query_endpoint} did not answer the count with SPARQL JSON results") from None
