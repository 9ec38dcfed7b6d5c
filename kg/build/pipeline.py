"""The main job: curated sources -> checked graph -> validated -> artefacts written atomically.

Nothing is written unless every check passes, and the previous build folder stays whole until
the new one replaces it in a single rename.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.export.atomic import atomic_directory
from kg.config import build_dir
from kg.export.rdf import write_json, write_kgx, write_rdf
from kg.export.graphs import write_graphml, write_neo4j_csv
from kg.export.void import describe_dataset, write_void
from kg.mechanisms.engine import path_stats
from kg.model.network import to_networkx
from kg.build.stats import compute_stats
from kg.validate import checked_graph
from kg.views.viewer import write_default_views


@dataclass
class BuildResult:
    out: Path
    stats: dict
    artefacts: dict[str, Path] = field(default_factory=dict)


def run_build(out: Path | None = None, data: Path | None = None, views: bool = True,
              endpoint: str | None = None) -> BuildResult:
    """Build every artefact into `out` (default build/); `endpoint` is where it will be served (for void.ttl)."""
    curated, graph = checked_graph(data)
    out = Path(out or build_dir())
    network = to_networkx(graph)
    description = describe_dataset(curated, len(graph), endpoint=endpoint)
    with atomic_directory(out) as work:
        written = write_rdf(graph, work, description)
        written["void.ttl"] = write_void(description, work)
        written.update(write_kgx(curated, work))
        written["painkg.graphml"] = write_graphml(network, work / "painkg.graphml")
        written.update(write_neo4j_csv(network, work / "neo4j"))
        stats = compute_stats(curated, len(graph) + len(description), path_stats(network))
        if views:
            written.update(write_default_views(graph, work / "views"))
        written["stats.json"] = write_json(work / "stats.json", stats)
    return BuildResult(out, stats, {name: out / name for name in written})
