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
from kg.model import build_graph
from kg.stats import compute_stats
from kg.validate import Violation, validate_graph


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
    extra = _derived_stats(curated, graph)
    with atomic_directory(out) as work:
        written = write_rdf(graph, work)
        written.update(write_kgx(curated, work))
        stats = compute_stats(curated, len(graph), extra)
        if views:
            written.update(_write_views(graph, work))
        written["stats.json"] = write_json(work / "stats.json", stats)
    return BuildResult(out, stats, {name: out / name for name in written})


def _derived_stats(curated: Curated, graph: Graph) -> dict:
    """Stats that need the graph (mechanism paths, sign rule); empty until those modules exist."""
    try:
        from kg.mechanism_paths import path_stats
    except ImportError:
        return {}
    return path_stats(graph)


def _write_views(graph: Graph, folder: Path) -> dict[str, Path]:
    try:
        from kg.viz import write_default_views
    except ImportError:
        return {}
    return write_default_views(graph, folder / "views")
