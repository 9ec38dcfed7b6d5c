"""The Python API: run library or ad-hoc SPARQL as DataFrames, list the library, describe one entity.

A library query is a file kg/queries/cq-NN-slug.rq whose header comment states the question, its parameters
(`# param: name = default (type: curie)`) and an example. Parameter values become RDF terms and are passed as
bindings, never pasted into the query text. The one exception is a page of rows (types `limit` and `offset`):
SPARQL cannot bind a LIMIT or OFFSET, so a whole number checked as such replaces the one the file ends with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.config import QUERIES_DIR
from kg.errors import UserError

PARAM_TYPES = ("iri", "curie", "string", "int", "decimal", "grade", "limit", "offset")
ROW_CLAUSES = ("limit", "offset")  # parameter types that set the query's LIMIT / OFFSET instead of a variable
PARAM_RE = re.compile(r"^(\w+)\s*=\s*(.*?)\s*\(type:\s*(\w+)\s*\)\s*(.*)$")
GRADES = ("A", "B", "C", "D")
SEPARATOR = "|"  # GROUP_CONCAT separator in library queries; SPARQL leaves the order of joined values open


# ---------------------------------------------------------------- the query library


@dataclass(frozen=True)
class Param:
    name: str
    default: str
    type: str
    note: str = ""


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    question: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str = field(repr=False)

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UserError(f"query {self.name}: unknown parameter {name!r} (parameters: {known})")


def parse_header(path: Path, text: str) -> LibraryQuery:
    """Read the `# question:`, `# param:` and `# example:` lines at the top of a .rq file."""
    question, params, examples = [], [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line.lstrip("#").strip()
        key, _, rest = body.partition(":")
        if key == "question":
            question.append(rest.strip())
        elif key == "param":
            params.append(_parse_param(path, rest.strip()))
        elif key == "example":
            examples.append(rest.strip())
    if not question:
        raise UserError(f"{path}: header has no '# question:' line")
    return LibraryQuery(path.stem, path, " ".join(question), tuple(params), tuple(examples), text)


def _parse_param(path: Path, spec: str) -> Param:
    match = PARAM_RE.match(spec)
    if not match or match.group(3) not in PARAM_TYPES:
        raise UserError(f"{path}: bad '# param:' line {spec!r} (expected: name = default (type: {'/'.join(PARAM_TYPES)}))")
    return Param(match.group(1), match.group(2), match.group(3), match.group(4))


@lru_cache(maxsize=4)
def _library(folder: Path, stamp: tuple) -> dict[str, LibraryQuery]:
    entries = [parse_header(p, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("cq-*.rq"))]
    return {q.name: q for q in entries}


def library(folder: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    """Every library query by name, re-read when a file changes."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("cq-*.rq")))
    return _library(folder, stamp)


def find_query(name: str) -> LibraryQuery:
    """A library query by full name (cq-04-mechanism-paths), number prefix (cq-04) or number (4)."""
    queries = library()
    if name in queries:
        return queries[name]
    number = name.removeprefix("cq-")
    if number.isdigit():
        matches = [q for n, q in queries.items() if n.startswith(f"cq-{int(number):02d}-")]
        if len(matches) == 1:
            return matches[0]
    raise UserError(f"unknown query {name!r} (see `kg queries` for the {len(queries)} library queries)")


def queries():
    """The library as a DataFrame: name, question, parameters, defaults, example."""
    import pandas as pd

    rows = [
        {
            "name": q.name,
            "question": q.question,
            "parameters": ", ".join(f"{p.name} ({p.type})" for p in q.params),
            "defaults": {p.name: p.default for p in q.params},
            "example": q.examples[0] if q.examples else "",
        }
        for q in library().values()
    ]
    return pd.DataFrame(rows, columns=["name", "question", "parameters", "defaults", "example"])


# ---------------------------------------------------------------- parameter values -> RDF terms

XSD = "http://www.w3.org/2001/XMLSchema#"


def checked_value(value, kind: str, name: str = "value") -> tuple[str, str, str | None]:
    """(form, text, datatype) of one parameter value: form "iri" or "literal"; bad values raise UserError naming
    the parameter. Plain data, so the query path builds pyoxigraph terms without loading rdflib."""
    text = str(value).strip()
    if kind in ("iri", "curie"):
        return "iri", _iri(text, name), None
    if kind == "grade":
        if text.upper() not in GRADES:
            raise UserError(f"parameter {name}: grade must be one of A, B, C, D, not {text!r}")
        from kg.vocab import grade_iri

        return "iri", str(grade_iri(text.upper())), None
    if kind == "int":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise UserError(f"parameter {name}: expected an integer, not {text!r}")
        return "literal", str(int(text)), XSD + "integer"
    if kind == "decimal":
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)", text):
            raise UserError(f"parameter {name}: expected a number, not {text!r}")
        return "literal", text, XSD + "decimal"
    return "literal", text, None


def _is_rdf_term(value) -> bool:
    return type(value).__module__.split(".")[0] in ("rdflib", "pyoxigraph")


def to_term(value, kind: str, name: str = "value"):
    """An rdflib term for one parameter value of the given type; bad values raise UserError naming the parameter."""
    from rdflib import Literal, URIRef

    if isinstance(value, (URIRef, Literal)):
        return value
    form, text, datatype = checked_value(value, kind, name)
    return URIRef(text) if form == "iri" else Literal(text, datatype=URIRef(datatype) if datatype else None)


def binding(value, kind: str, name: str = "value"):
    """The pyoxigraph term a query is run with (any store takes it); an rdflib or pyoxigraph term is kept."""
    import pyoxigraph as ox

    from kg.store.backends import to_oxigraph

    if _is_rdf_term(value):
        return to_oxigraph(value)
    form, text, datatype = checked_value(value, kind, name)
    try:
        if form == "iri":
            return ox.NamedNode(text)
        return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)
    except ValueError as error:
        raise UserError(f"parameter {name}: {error}") from None


def _iri(text: str, name: str) -> str:
    from kg.store.backends import converter
    from kg.store.prefixes import CURIE_RE

    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", text):
        return text
    match = CURIE_RE.match(text)
    if match and match.group(1) in converter().prefix_map:
        return converter().expand(text, strict=True)
    raise UserError(f"parameter {name}: {text!r} is neither a CURIE with a known prefix (PREFIX:local) nor an http(s) IRI")


def _guess_binding(value, name: str):
    """Ad-hoc queries have no declared types: IRIs and known CURIEs become IRIs, integers ints, the rest text."""
    import pyoxigraph as ox

    if _is_rdf_term(value):
        return binding(value, "string", name)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return binding(value, "int", name)
    if isinstance(value, float):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))
    if not isinstance(value, str):
        return binding(value, "string", name)
    for kind in ("iri", "int"):
        try:
            return binding(value, kind, name)
        except UserError:
            pass
    return ox.Literal(value)


def bindings_for(query: LibraryQuery | None, text: str, params: dict) -> dict:
    """Variable name -> pyoxigraph term: declared defaults first, then the caller's values."""
    if query is None:
        for name in params:
            if not re.search(rf"[?$]{re.escape(name)}\b", text):
                raise UserError(f"unknown parameter {name!r}: the query has no variable ?{name}")
        return {name: _guess_binding(value, name) for name, value in params.items()}
    for name in params:
        query.param(name)
    bound = {}
    for param in query.params:
        if param.type in ROW_CLAUSES:
            continue
        value = params.get(param.name, param.default)
        if value is None or (isinstance(value, str) and value == ""):
            continue
        bound[param.name] = binding(value, param.type, param.name)
    return bound


def paged(query: LibraryQuery | None, text: str, params: dict) -> str:
    """The text with its final LIMIT / OFFSET set from `limit` / `offset` parameters (0 rows = no LIMIT): SPARQL
    cannot bind them, so the file ends with the default clause and a checked whole number replaces its number."""
    for param in query.params if query else ():
        if param.type not in ROW_CLAUSES:
            continue
        value = str(params.get(param.name, param.default)).strip()
        if not value.isdigit():
            raise UserError(f"parameter {param.name}: expected a number of rows (0 or more), not {value!r}")
        clause = re.compile(rf"\b{param.type}\s+\d+(?=[^{{}}]*$)", re.IGNORECASE)
        if not clause.search(text):
            raise UserError(f"query {query.name}: parameter {param.name} needs a final {param.type.upper()} clause")
        keep = int(value) or param.type == "offset"
        text = clause.sub(f"{param.type.upper()} {int(value)}" if keep else "", text)
    return text


# ---------------------------------------------------------------- query / describe


def resolve(name_or_text: str) -> tuple[LibraryQuery | None, str]:
    """(library entry or None, SPARQL text) for a library name, a .rq path or SPARQL text."""
    text = str(name_or_text)
    if text.endswith(".rq") and "\n" not in text and Path(text).exists():
        path = Path(text)
        body = path.read_text(encoding="utf-8")
        try:
            return parse_header(path, body), body
        except UserError:
            return None, body
    if re.fullmatch(r"[\w.-]+", text.strip()):
        entry = find_query(text.strip())
        return entry, entry.text
    if text.endswith(".rq"):
        raise UserError(f"no such query file: {text}")
    return None, text


@lru_cache(maxsize=4)
def _default_store(store: str):
    from kg.store.backends import load

    return load(store=store)


def store_for(graph=None, endpoint: str | None = None, store: str = "oxigraph"):
    """The store to query: a given kg.store.backends Store, an rdflib Graph / path, an endpoint, or the default build."""
    from kg.store.backends import Store, load

    if endpoint:
        return load(endpoint=endpoint)
    if isinstance(graph, Store):
        return graph
    if graph is None:
        return _default_store(store)
    return load(graph, store=store)


def bound_query(target, text: str, bindings: dict) -> tuple[str, dict]:
    """(text, bindings) as `target` should get them. Every store gets the values as VALUES blocks inside the subqueries
    that project them (`with_values_in_subqueries`), so a bound drug restricts what a subquery computes. pyoxigraph
    also gets one at the start of the query: it orders its joins before it applies `substitutions`, so a query bound
    to one drug could still scan every assertion (0.2 s instead of 5 ms at 1M triples), while a one-row VALUES block
    is the smallest pattern and joined first; the substitutions stay (a SERVICE name needs them)."""
    from kg.store.backends import OxigraphStore, with_values

    text = with_values_in_subqueries(text, bindings)
    if bindings and isinstance(target, OxigraphStore):
        return with_values(text, bindings), bindings
    return text, bindings


SELECT_RE = re.compile(r"\bSELECT\b", re.IGNORECASE)


def with_values_in_subqueries(text: str, bindings: dict) -> str:
    """The query with a VALUES block at the start of every subquery that projects a bound variable through all the
    subqueries around it. There the binding joins anyway (SPARQL scopes a subquery's other variables apart), so the
    rows are the same; inside, it restricts what the subquery computes (and gives a path its start)."""
    from kg.store.backends import blank_out_literals, matching_brace, values_block

    if not bindings:
        return text
    code = blank_out_literals(text)
    subqueries = []  # (opening brace of the WHERE group, its closing brace, projection), the outer query first
    for match in SELECT_RE.finditer(code):
        brace = code.find("{", match.end())
        if brace < 0:
            raise UserError("cannot bind parameters: a SELECT has no group pattern { ... }")
        subqueries.append((brace, matching_brace(code, brace) or len(code), code[match.end() : brace]))
    inserts = []
    for brace, end, _ in subqueries[1:]:
        around = [s for s in subqueries[1:] if s[0] <= brace and s[1] >= end]  # this subquery and those around it
        names = [name for name in bindings if all(_projects(s[2], name) for s in around)]
        if names:
            inserts.append((brace + 1, values_block({name: bindings[name] for name in names})))
    for at, block in sorted(inserts, reverse=True):
        text = text[:at] + "\n  " + block + "\n" + text[at:]
    return text


def _projects(projection: str, name: str) -> bool:
    """Whether a SELECT clause projects ?name as itself (`*`, or ?name outside an `(expression AS ?var)`)."""
    depth, plain = 0, []
    for token in re.findall(r"[()]|[?$]\w+|\*", projection):
        if token in "()":
            depth += 1 if token == "(" else -1
        elif depth == 0:
            plain.append(token[1:] if token != "*" else token)
    return "*" in plain or name in plain


def query(name_or_text: str, *, graph=None, endpoint: str | None = None, store: str = "oxigraph", **params):
    """A library query (name or .rq path) or SPARQL text as a DataFrame; keyword arguments are parameters."""
    entry, text = resolve(name_or_text)
    target = store_for(graph, endpoint, store)
    return target.select(*bound_query(target, paged(entry, text, params), bindings_for(entry, text, params)))


def query_rows(
    name_or_text: str, *, graph=None, endpoint: str | None = None, store: str = "oxigraph", **params
) -> tuple[list[str], list[list]]:
    """`query` as (column names, rows of Python values), without pandas: what the CLI prints."""
    entry, text = resolve(name_or_text)
    target = store_for(graph, endpoint, store)
    return target.rows(*bound_query(target, paged(entry, text, params), bindings_for(entry, text, params)))


def describe(curie: str, *, graph=None, endpoint: str | None = None) -> dict:
    """One entity: labels, identifiers, category, systems and every assertion touching it with its evidence."""
    from kg.store.backends import compact

    target = store_for(graph, endpoint)
    card = query("cq-31-entity-card", graph=target, entity=curie)
    if card.empty:
        raise UserError(f"no entity {curie} in the graph")
    row = card.iloc[0]
    assertions = query("cq-32-entity-assertions", graph=target, entity=curie)
    return {
        "id": row["identifier"],
        "label": row["label"],
        "category": row["category"],
        "description": _none(row["description"]),
        "synonyms": _split(row["synonyms"]),
        "xrefs": [compact(x) for x in _split(row["xrefs"])],
        "systems": _split(row["systems"]),
        "identifier_source": _none(row["identifier_source"]),
        "assertions": [_assertion(r) for r in assertions.to_dict("records")],
    }


def _assertion(record: dict) -> dict:
    out = {key: _none(value) for key, value in record.items()}
    for key in ("publications", "studies"):
        out[key] = _split(out.get(key))
    return out


def _split(value) -> list[str]:
    value = _none(value)
    return sorted(value.split(SEPARATOR)) if value else []


def _none(value):
    try:
        import pandas as pd

        if value is None or pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value
