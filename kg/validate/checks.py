"""Validate the built graph: SHACL shapes and QC queries (data/qc/*-violation.rq must return no rows).

Each violation is traced back to the curated file and line through painkg:sourceFile when the
focus node is an assertion, so the report tells a curator where to look. The QC queries run on
pyoxigraph (the graph copied in once), SHACL on pySHACL over the rdflib graph: every shape, no inference.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg.vocab import PAINKG

SHACL_NS = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True, order=True)
class Violation:
    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.check}: {self.message}"


def _where(graph: Graph, node) -> str:
    source = graph.value(node, PAINKG.sourceFile) if isinstance(node, URIRef) else None
    return str(source) if source else str(node)


def shacl_violations(graph: Graph, shapes_path: Path) -> list[Violation]:
    """Run pySHACL with the shapes shipped in data/schema/shapes.ttl."""
    from pyshacl import validate  # heavy import, only when validating

    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, report, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=False)
    if conforms:
        return []
    sh = lambda name: URIRef(SHACL_NS + name)  # noqa: E731
    violations = []
    for result in report.subjects(sh("resultSeverity"), None):
        focus = report.value(result, sh("focusNode"))
        path = report.value(result, sh("resultPath"))
        message = report.value(result, sh("resultMessage"))
        violations.append(Violation("shacl", _where(graph, focus), f"{path}: {message}"))
    return violations


def oxigraph_store(graph: Graph):
    """The graph in an in-memory pyoxigraph store (one N-Triples hand-over: the fastest way across)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def qc_violations(graph: Graph, qc_dir: Path) -> list[Violation]:
    """Run every *-violation.rq on pyoxigraph; each returned row is one violation."""
    import pyoxigraph as ox

    store = oxigraph_store(graph)
    violations = []
    for path in sorted(qc_dir.glob("*-violation.rq")):
        check = path.name.removesuffix("-violation.rq")
        solutions = store.query(path.read_text(encoding="utf-8"))
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            values = [solution[name] for name in names if solution[name] is not None]
            focus = values[0] if values else None
            detail = ", ".join(v.value for v in values[1:])  # IRIs, blank node ids and lexical forms
            node = URIRef(focus.value) if isinstance(focus, ox.NamedNode) else focus and focus.value
            violations.append(Violation(check, _where(graph, node), detail or str(node)))
    return violations


def validate_graph(graph: Graph, data: Path) -> list[Violation]:
    """All violations of the shipped shapes and QC queries, sorted for a stable report."""
    return sorted(shacl_violations(graph, data / "schema" / "shapes.ttl") + qc_violations(graph, data / "qc"))
