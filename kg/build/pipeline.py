"""The main job: curated sources -> checked graph -> validated -> artefacts written atomically.

Nothing is written unless every check passes, and the previous build folder stays whole until
the new one replaces it in a single rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.build.stats import compute_stats
from kg.config import build_dir
from kg.export import Validated, write_all
from kg.export.atomic import atomic_directory
from kg.export.rdf import write_json
from kg.export.void import describe_dataset
from kg.mechanisms.engine import path_stats
from kg.serve.site import write_site
from kg.validate import checked_graph
from kg.views.viewer import write_default_views


@dataclass
class BuildResult:
    out: Path
    stats: dict
    artefacts: dict[str, Path] = field(default_factory=dict)


def run_build(out: Path | None = None, data: Path | None = None, views: bool = True, endpoint: str | None = None) -> BuildResult:
    """Build every artefact into `out` (default build/); `views`: also the viewer pages and the static site;
    `endpoint`: where the graph will be served (recorded in void.ttl)."""
    curated, graph = checked_graph(data)
    description = describe_dataset(curated, len(graph), endpoint=endpoint)
    source = Validated(graph, description)  # its networkx view is built once, for the sinks, the path stats and the views
    out = Path(out or build_dir())
    with atomic_directory(out) as work:
        written = write_all(source, work)
        stats = compute_stats(curated, len(graph) + len(description), path_stats(source.network))
        if views:
            written.update(write_default_views(source, work / "views"))
            written["site/index.html"] = write_site(source, work / "site")
        written["stats.json"] = write_json(work / "stats.json", stats)
    return BuildResult(out, stats, {name: out / name for name in written})
