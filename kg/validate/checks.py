"""Validate the built graph: SHACL shapes and QC queries (data/qc/*-violation.rq must return no rows).

Each violation is traced back to the curated file and line through painkg:sourceFile when the
focus node is an assertion, so the report tells a curator where to look.
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


def qc_violations(graph: Graph, qc_dir: Path) -> list[Violation]:
    """Run every *-violation.rq; each returned row is one violation."""
    violations = []
    for path in sorted(qc_dir.glob("*-violation.rq")):
        check = path.name.removesuffix("-violation.rq")
        for row in graph.query(path.read_text(encoding="utf-8")):
            values = [v for v in row if v is not None]
            focus = values[0] if values else None
            detail = ", ".join(str(v) for v in values[1:])
            violations.append(Violation(check, _where(graph, focus), detail or str(focus)))
    return violations


def validate_graph(graph: Graph, data: Path) -> list[Violation]:
    """All violations of the shipped shapes and QC queries, sorted for a stable report."""
    return sorted(shacl_violations(graph, data / "schema" / "shapes.ttl") + qc_violations(graph, data / "qc"))
