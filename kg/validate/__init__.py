"""Validate: the built graph must satisfy the SHACL shapes and return no rows from any QC query.

`checked_graph` is the one way to turn curated sources into a graph anyone may use: read and check
(kg.sources), build (kg.model), validate (here). Later layers call it; it never calls them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.config import data_dir
from kg.model.rdf import build_graph
from kg.sources.curated import Curated, load_curated
from kg.validate.checks import Violation, validate_graph

__all__ = ["ValidationError", "Violation", "checked_graph", "validate_graph"]


class ValidationError(Exception):
    """The graph was built but breaks SHACL shapes or QC queries."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} validation problem(s)")

    def report(self) -> str:
        return "\n".join(str(v) for v in self.violations)


def checked_graph(data: Path | None = None) -> tuple[Curated, Graph]:
    """Read, check, build and validate; raises SourceError or ValidationError."""
    curated = load_curated(data or data_dir())
    graph = build_graph(curated)
    violations = validate_graph(graph, curated.root)
    if violations:
        raise ValidationError(violations)
    return curated, graph
