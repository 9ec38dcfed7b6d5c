"""One query interface over three back ends: embedded pyoxigraph (default), rdflib's memory store, a remote endpoint.

Every back end answers `.select` with the same DataFrame for the same query and bindings: numbers come back
numeric, IRIs as CURIEs of the project prefix map. Bindings are passed the way each engine takes them
(pyoxigraph `substitutions`, rdflib `initBindings`); a remote endpoint cannot receive initial bindings, so a
VALUES block of escaped N-Triples terms is put at the start of the query's outer group pattern.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import UserError
from kg.store.graph import fresh_build
from kg.store.prefixes import prefix_map

XSD = "http://www.w3.org/2001/XMLSchema#"
STORES = ("oxigraph", "rdflib")
INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}
FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}
BOOLEAN_TYPE = XSD + "boolean"
REMOTE_TIMEOUT_S = 60

if TYPE_CHECKING:  # rdflib is imported where it is used: the query path runs without it
    from rdflib import Graph


# ---------------------------------------------------------------- terms -> Python values


def converter():
    """The project prefix map (data/schema/prefixes.tsv): expand(), compress(), prefix_map."""
    return prefix_map()


def compact(iri: str) -> str:
    """CURIE for an IRI the prefix map knows, else the IRI itself."""
    return converter().compress(iri) or iri


def python_value(kind: str, value: str, datatype: str | None = None):
    """A cell value: CURIE for IRIs, int/float/bool for typed numbers, text for the rest."""
    if kind == "uri":
        return compact(value)
    if kind == "bnode":
        return "_:" + value
    if datatype in INTEGER_TYPES:
        return _number(value, int)
    if datatype in FLOAT_TYPES:
        return _number(value, float)
    if datatype == BOOLEAN_TYPE:
        return value in ("true", "1")
    return value


def _number(text: str, kind):
    try:
        return kind(Decimal(text)) if kind is int else kind(text)
    except (ValueError, ArithmeticError):
        return text


def rdflib_cell(term):
    from rdflib import BNode, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return python_value("uri", str(term))
    if isinstance(term, BNode):
        return python_value("bnode", str(term))
    return python_value("literal", str(term), str(term.datatype) if term.datatype else None)


def oxigraph_cell(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return python_value("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return python_value("bnode", term.value)
    return python_value("literal", term.value, term.datatype.value if term.datatype else None)


def json_cell(binding: dict | None):
    """A cell from one SPARQL 1.1 JSON results binding."""
    if binding is None:
        return None
    kind = {"uri": "uri", "bnode": "bnode"}.get(binding["type"], "literal")
    return python_value(kind, binding["value"], binding.get("datatype"))


def typed_rows(columns: list[str], rows: list[list]) -> list[list]:
    """Rows with each column made uniform the way `frame` types it: all-integer columns stay int, columns mixing
    integers and decimals become float; text and mixed columns stay as they are."""
    kinds = [_column_kind([row[i] for row in rows]) for i in range(len(columns))]
    if "float" not in kinds:
        return rows
    return [[float(v) if kind == "float" and v is not None else v for v, kind in zip(row, kinds, strict=True)] for row in rows]


def _column_kind(values: list) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "empty"
    if all(isinstance(v, bool) for v in present):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "float"
    return "mixed"


def frame(columns: list[str], rows: list[list]):
    """DataFrame with integer columns as nullable Int64 and decimal columns as float."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns, dtype=object)
    for column in columns:
        df[column] = _typed_column(df[column])
    return df


def _typed_column(series):
    import pandas as pd

    kind = _column_kind(list(series))
    if kind == "boolean":
        return series.astype("boolean")
    if kind == "integer":
        return series.astype("Int64")
    if kind == "float":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return series


# ---------------------------------------------------------------- bindings (pyoxigraph or rdflib terms)


def _is_oxigraph_term(term) -> bool:
    return type(term).__module__.startswith("pyoxigraph")


def to_oxigraph(term):
    """A pyoxigraph term for a binding given as a pyoxigraph or an rdflib term."""
    if _is_oxigraph_term(term):
        return term
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))


def to_rdflib(term):
    """An rdflib term for a binding given as a pyoxigraph or an rdflib term."""
    if not _is_oxigraph_term(term):
        return term
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":  # a simple literal: rdflib tells "x" and "x"^^xsd:string apart
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def values_block(bindings: dict) -> str:
    """`VALUES (?a ?b) { (<iri> "text") }`; each term is its escaped N-Triples form."""
    bad = next((name for name in bindings if not re.fullmatch(r"\w+", str(name))), None)
    if bad is not None:
        raise UserError(f"cannot bind {bad!r}: a variable name is letters, digits and _")
    names = " ".join(f"?{name}" for name in bindings)
    try:
        terms = " ".join(str(term) if _is_oxigraph_term(term) else term.n3() for term in bindings.values())
    except Exception as error:  # noqa: BLE001 - rdflib refuses IRIs it cannot write safely
        raise UserError(f"cannot send parameter value: {error}") from None
    return f"VALUES ({names}) {{ ({terms}) }}"


def with_values(query: str, bindings: dict) -> str:
    """The query with a VALUES block as the first element of its outer group pattern."""
    if not bindings:
        return query
    brace = _outer_group_start(query)
    if brace is None:
        raise UserError("cannot bind parameters: the query has no group pattern { ... }")
    return query[: brace + 1] + "\n  " + values_block(bindings) + "\n" + query[brace + 1 :]


def _outer_group_start(query: str) -> int | None:
    """Index of the `{` opening the WHERE pattern (after a CONSTRUCT template), ignoring comments, IRIs, strings."""
    code = blank_out_literals(query)
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code, re.IGNORECASE)
    start = form.end() if form else 0
    brace = code.find("{", start)
    if brace < 0:
        return None
    is_construct = form and form.group(1).upper() == "CONSTRUCT"
    if is_construct and not re.search(r"\bWHERE\s*$", code[start:brace], re.IGNORECASE):
        close = matching_brace(code, brace)
        brace = code.find("{", close + 1) if close is not None else -1
    return brace if brace >= 0 else None


def matching_brace(code: str, opening: int) -> int | None:
    """Index of the `}` closing the `{` at `opening` in code whose literals are blanked out; None if unclosed."""
    depth = 0
    for i in range(opening, len(code)):
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        if depth == 0:
            return i
    return None


def blank_out_literals(query: str) -> str:
    """The query with comments, IRIs and strings replaced by spaces, so braces and keywords in them are ignored."""
    out, i, n = list(query), 0, len(query)
    while i < n:
        char = query[i]
        end = None
        if char == "#":
            end = query.find("\n", i)
            end = n - 1 if end < 0 else end - 1
        elif char == "<" and _looks_like_iri(query, i):
            end = query.find(">", i)
        elif char in "\"'":
            end = _string_end(query, i)
        if end is not None:
            out[i : end + 1] = " " * (end + 1 - i)
            i = end
        i += 1
    return "".join(out)


def _looks_like_iri(query: str, i: int) -> bool:
    end = query.find(">", i)
    return end > i and not any(c in query[i + 1 : end] for c in ' \t\n{}"')


def _string_end(query: str, i: int) -> int:
    quote = query[i] * 3 if query[i : i + 3] == query[i] * 3 else query[i]
    j = i + len(quote)
    while j < len(query):
        if query[j] == "\\":
            j += 2
            continue
        if query.startswith(quote, j):
            return j + len(quote) - 1
        j += 1
    return len(query) - 1


# ---------------------------------------------------------------- the three stores


def one_line(error, limit: int = 300) -> str:
    """An engine's message on one line (parsers list expected tokens over many lines)."""
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@contextmanager
def oxigraph_errors():
    """pyoxigraph's parse and evaluation errors as one-line UserErrors (the CLI shows them and exits 2)."""
    try:
        yield
    except SyntaxError as error:
        raise UserError(f"SPARQL syntax error: {one_line(error)}") from None
    except (OSError, RuntimeError) as error:
        raise UserError(f"query failed: {one_line(error)}") from None


class Store:
    """Common interface; subclasses implement _rows, ask, construct, triples_count, rdflib_graph."""

    kind = "?"

    def select(self, sparql: str, params: dict | None = None):
        """SELECT results as a DataFrame (typed columns, IRIs as CURIEs)."""
        return frame(*self.rows(sparql, params))

    def rows(self, sparql: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        """SELECT results as (column names, rows of Python values): what `select` types, without pandas."""
        columns, rows = self._rows(sparql, params or {})
        return columns, typed_rows(columns, rows)

    def triples_count(self) -> int:
        _, rows = self.rows("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0][0])

    def __repr__(self) -> str:
        return f"<painkg {self.kind} store>"


class OxigraphStore(Store):
    """The embedded pyoxigraph store: fast, in memory."""

    kind = "oxigraph"

    def __init__(self, ox_store, graph: Graph | None = None):
        self.ox = ox_store
        self._graph = graph

    @classmethod
    def from_ntriples(cls, path: Path) -> OxigraphStore:
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        import pyoxigraph as ox

        store = ox.Store()
        data = graph.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        return cls(store, graph)

    def run(self, sparql: str, params: dict):
        """Raw pyoxigraph result; syntax errors become UserError with the parser's message."""
        import pyoxigraph as ox

        substitutions = {ox.Variable(str(k)): to_oxigraph(v) for k, v in params.items()}
        with oxigraph_errors():
            return self.ox.query(sparql, substitutions=substitutions or None)

    def _rows(self, sparql, params):
        import pyoxigraph as ox

        result = self.run(sparql, params)
        if not isinstance(result, ox.QuerySolutions):
            raise UserError("expected a SELECT query")
        columns = [v.value for v in result.variables]
        with oxigraph_errors():  # evaluation is lazy: a failing SERVICE call surfaces while rows are read
            rows = [[oxigraph_cell(solution[c]) for c in columns] for solution in result]
        return columns, rows

    def ask(self, sparql: str, params: dict | None = None) -> bool:
        import pyoxigraph as ox

        result = self.run(sparql, params or {})
        if not isinstance(result, ox.QueryBoolean):
            raise UserError("expected an ASK query")
        return bool(result)

    def construct(self, sparql: str, params: dict | None = None) -> Graph:
        import pyoxigraph as ox

        result = self.run(sparql, params or {})
        if not isinstance(result, ox.QueryTriples):
            raise UserError("expected a CONSTRUCT or DESCRIBE query")
        with oxigraph_errors():
            data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        from rdflib import Graph

        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def triples_count(self) -> int:
        return len(self.ox)

    def rdflib_graph(self) -> Graph:
        if self._graph is None:
            import pyoxigraph as ox
            from rdflib import Graph

            data = ox.serialize(self.ox, format=ox.RdfFormat.N_QUADS)
            self._graph = Graph().parse(data=data.decode("utf-8"), format="nt")
        return self._graph


class RdflibStore(Store):
    """rdflib's memory store: the reference implementation, slower."""

    kind = "rdflib"

    def __init__(self, graph: Graph):
        self.graph = graph

    def run(self, sparql: str, params: dict):
        try:
            bindings = {name: to_rdflib(term) for name, term in params.items()}
            return self.graph.query(sparql, initBindings=bindings or None)
        except Exception as error:  # noqa: BLE001 - pyparsing and evaluation errors vary by version
            raise UserError(f"SPARQL error: {one_line(error) or type(error).__name__}") from None

    def _rows(self, sparql, params):
        result = self.run(sparql, params)
        if result.type != "SELECT":
            raise UserError("expected a SELECT query")
        columns = [str(v) for v in result.vars]
        rows = [[rdflib_cell(row[i]) for i in range(len(columns))] for row in result]
        return columns, rows

    def ask(self, sparql: str, params: dict | None = None) -> bool:
        result = self.run(sparql, params or {})
        if result.type != "ASK":
            raise UserError("expected an ASK query")
        return bool(result.askAnswer)

    def construct(self, sparql: str, params: dict | None = None) -> Graph:
        result = self.run(sparql, params or {})
        if result.type not in ("CONSTRUCT", "DESCRIBE"):
            raise UserError("expected a CONSTRUCT or DESCRIBE query")
        return result.graph

    def triples_count(self) -> int:
        return len(self.graph)

    def rdflib_graph(self) -> Graph:
        return self.graph


ALL_TRIPLES_IN_ORDER = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
REMOTE_PAGE_ROWS = 5000  # below the 10,000-row cap of kg serve and of a default Virtuoso


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol endpoint (kg serve, Virtuoso, ...) reached over HTTP with urllib."""

    kind = "remote"

    def __init__(self, endpoint: str, timeout: float = REMOTE_TIMEOUT_S):
        if urllib.parse.urlparse(endpoint).scheme not in ("http", "https"):
            raise UserError(f"endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout

    def fetch(self, sparql: str, params: dict, accept: str) -> bytes:
        import urllib.error
        import urllib.request  # here, not at the top: the local stores start without http.client

        body = urllib.parse.urlencode({"query": with_values(sparql, params)}).encode("utf-8")
        request = urllib.request.Request(
            self.endpoint,
            data=body,
            method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace").strip().splitlines()
            raise UserError(f"endpoint {self.endpoint} answered {error.code}: {detail[0] if detail else error.reason}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise UserError(f"endpoint {self.endpoint} unreachable: {reason}") from None

    def _json(self, sparql, params) -> dict:
        data = self.fetch(sparql, params, "application/sparql-results+json")
        try:
            return json.loads(data)
        except ValueError:
            raise UserError(f"endpoint {self.endpoint} did not answer with SPARQL JSON results") from None

    def _rows(self, sparql, params):
        results = self._json(sparql, params)
        if "boolean" in results:
            raise UserError("expected a SELECT query")
        columns = results["head"]["vars"]
        rows = [[json_cell(b.get(c)) for c in columns] for b in results["results"]["bindings"]]
        return columns, rows

    def ask(self, sparql: str, params: dict | None = None) -> bool:
        results = self._json(sparql, params or {})
        if "boolean" not in results:
            raise UserError("expected an ASK query")
        return bool(results["boolean"])

    def construct(self, sparql: str, params: dict | None = None) -> Graph:
        data = self.fetch(sparql, params or {}, "application/n-triples, text/turtle;q=0.9")
        from rdflib import Graph

        return Graph().parse(data=data.decode("utf-8"), format="turtle")

    def rdflib_graph(self) -> Graph:
        """Every triple, fetched in ordered pages: endpoints cap a result (kg serve and Virtuoso at 10,000 rows
        by default), so one CONSTRUCT of the whole graph comes back silently cut."""
        from rdflib import Graph

        graph, offset = Graph(), 0
        while True:
            # LIMIT and OFFSET cannot be bindings in SPARQL; both are this module's own integers
            page = self.construct(f"{ALL_TRIPLES_IN_ORDER} LIMIT {REMOTE_PAGE_ROWS} OFFSET {offset}")
            graph += page
            if len(page) < REMOTE_PAGE_ROWS:
                return graph
            offset += REMOTE_PAGE_ROWS

    def __repr__(self) -> str:
        return f"<painkg endpoint {self.endpoint}>"


# ---------------------------------------------------------------- load()


def load(path=None, *, store: str = "oxigraph", endpoint: str | None = None) -> Store:
    """The graph behind one query interface.

    path: a build folder, an RDF file, an rdflib Graph, or None for the default build (rebuilt in memory from
    data/ when there is no build or the curated sources changed since). endpoint: a SPARQL endpoint URL instead.
    """
    if endpoint:
        return RemoteStore(endpoint)
    if store not in STORES:
        raise UserError(f"unknown store {store!r} (use one of: {', '.join(STORES)})")
    if _is_rdflib_graph(path):
        graph = path
    elif path is None:
        nt = fresh_build()
        if nt and store == "oxigraph":
            return OxigraphStore.from_ntriples(nt)
        from kg.store.graph import graph as default_graph

        graph = default_graph()
    else:
        file = rdf_file(Path(path))
        if store == "oxigraph" and file.suffix == ".nt":
            return OxigraphStore.from_ntriples(file)
        graph = parse_rdf(file)
    return OxigraphStore.from_graph(graph) if store == "oxigraph" else RdflibStore(graph)


def _is_rdflib_graph(value) -> bool:
    """Without importing rdflib (the query path does not need it): only a loaded rdflib can have made one."""
    import sys

    return "rdflib" in sys.modules and isinstance(value, sys.modules["rdflib"].Graph)


def rdf_file(path: Path) -> Path:
    if path.is_dir():
        path = path / "painkg.nt"
    if not path.exists():
        raise UserError(f"no graph at {path} (run `kg build` first)")
    return path


def parse_rdf(path: Path) -> Graph:
    from rdflib import Graph

    fmt = {".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}.get(path.suffix)
    return Graph().parse(path, format=fmt)
