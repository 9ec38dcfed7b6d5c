"""The main job: curated sources -> checked graph -> validated -> artefacts written atomically.

Nothing is written unless every check passes, and the previous build folder stays whole until
the new one replaces it in a single rename.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.atomic import atomic_directory
from kg.config import build_dir, data_dir
from kg.curated import Curated, load_curated
from kg.export import write_json, write_kgx, write_rdf
from kg.export_graphs import write_graphml, write_neo4j_csv
from kg.mechanism_paths import path_stats
from kg.model import build_graph
from kg.network import to_networkx
from kg.stats import compute_stats
from kg.validate import Violation, validate_graph
from kg.viewer import write_default_views


class ValidationError(Exception):
    """The graph was built but breaks SHACL shapes or QC queries."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__(f"{len(violations)} validation problem(s)")

    def report(self) -> str:
        return "\n".join(str(v) for v in self.violations)


@dataclass
class BuildResult:
    out: Path
    stats: dict
    artefacts: dict[str, Path] = field(default_factory=dict)


def checked_graph(data: Path | None = None) -> tuple[Curated, Graph]:
    """Read, check, build and validate; raises SourceError or ValidationError."""
    curated = load_curated(data or data_dir())
    graph = build_graph(curated)
    violations = validate_graph(graph, curated.root)
    if violations:
        raise ValidationError(violations)
    return curated, graph


def run_build(out: Path | None = None, data: Path | None = None, views: bool = True) -> BuildResult:
    """Build every artefact into `out` (default build/)."""
    curated, graph = checked_graph(data)
    out = Path(out or build_dir())
    network = to_networkx(graph)
    with atomic_directory(out) as work:
        written = write_rdf(graph, work)
        written.update(write_kgx(curated, work))
        written["painkg.graphml"] = write_graphml(network, work / "painkg.graphml")
        written.update(write_neo4j_csv(network, work / "neo4j"))
        stats = compute_stats(curated, len(graph), path_stats(network))
        if views:
            written.update(write_default_views(graph, work / "views"))
        written["stats.json"] = write_json(work / "stats.json", stats)
    return BuildResult(out, stats, {name: out / name for name in written})
