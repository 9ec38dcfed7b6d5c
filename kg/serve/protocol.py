"""Answering SPARQL under limits: checks before running (no update, SERVICE only to allow-listed hosts) and a pool
of worker processes that each hold the store, so a query over its time limit is killed, not waited for.

Guarantees (see SECURITY.md): queries only (pyoxigraph's query parser cannot run updates, and update requests are
refused with 403); SERVICE only to allow-listed hosts; a time limit per query (503) and a cap on result rows.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse

import pyoxigraph as ox

from kg.serve.results import Answer, render
from kg.store.backends import to_oxigraph

MAX_BODY = 1_000_000
WORKERS = 4
SERVICE_RE = re.compile(r"\bSERVICE\b", re.IGNORECASE)
UNICODE_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Refused(Exception):
    """A request the endpoint will not answer; carries the HTTP status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


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

    def __init__(
        self,
        ntriples,
        *,
        timeout: float = 10.0,
        max_rows: int = 10000,
        allow_service=(),
        max_body: int = MAX_BODY,
        workers: int = WORKERS,
    ):
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

    def answer(
        self, text: str, accept: str, substitutions: dict | None = None, prefixes: dict | None = None
    ) -> tuple[str, bytes, bool]:
        """(media type, body, truncated) for one query, within the time limit; `prefixes` shorten Turtle output."""
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
            conn.send((text, substitutions or {}, accept, prefixes or {}))
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
    """A worker process: load the graph once, then answer (text, substitutions, accept, prefixes) jobs until the pipe
    closes."""
    store = ox.Store()
    store.bulk_load(path=ntriples, format=ox.RdfFormat.N_TRIPLES)
    conn.send(("ready",))
    while True:
        try:
            text, substitutions, accept, prefixes = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = run_query(store, text, substitutions, max_rows)
            conn.send(("ok", *render(answer, accept, prefixes), answer.truncated))
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
