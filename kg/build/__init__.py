"""Build: the main job. Sources -> model -> validate, then every export and the default views, written
atomically; and the stats that `kg build` prints."""

from kg.build.pipeline import BuildResult, run_build

__all__ = ["BuildResult", "run_build"]
