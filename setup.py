"""Packaging hooks (everything else is in pyproject.toml): a wheel carries the curated sources and the graph built
from them, so a plain `pip install` answers kg.query() from any folder.

- kg/data/    a copy of data/ (the sources `kg build` falls back to outside a checkout)
- kg/_graph/  painkg.nt, stats.json and void.ttl, made by `kg build` of this source tree from that copy while the
              wheel is built (backend/painkg_build.py gives the build the runtime dependencies it needs)

The sdist carries data/ as it is in the repository plus the same prebuilt graph. Editable installs read data/ of
the checkout and build nothing here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
GRAPH_FILES = ("painkg.nt", "stats.json", "void.ttl")


def packaged_graph(data: Path, target: Path) -> None:
    """Run this tree's `kg build` on a copy of `data` named data/ (so painkg:sourceFile reads data/...) and keep
    the files kg.load() and `kg diff` read."""
    with tempfile.TemporaryDirectory() as tmp:
        sources, out = Path(tmp) / "data", Path(tmp) / "build"
        shutil.copytree(data, sources)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        env.pop("PAINKG_DATA", None)
        env.pop("PAINKG_BUILD", None)
        subprocess.run([sys.executable, "-m", "kg", "build", "--data", str(sources), "--out", str(out), "--no-views"],
                       cwd=tmp, env=env, check=True, stdout=subprocess.DEVNULL)
        target.mkdir(parents=True, exist_ok=True)
        for name in GRAPH_FILES:
            shutil.copy2(out / name, target / name)


class BuildPyWithGraph(build_py):
    """build_py, then the curated sources and their graph into the package."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "kg"
        data = ROOT / "data"
        shutil.rmtree(package / "data", ignore_errors=True)
        shutil.copytree(data, package / "data", ignore=shutil.ignore_patterns("__pycache__", ".*"))
        packaged_graph(data, package / "_graph")


class SdistWithGraph(sdist):
    """sdist (data/ comes in through MANIFEST.in), plus the prebuilt graph in kg/_graph/."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        packaged_graph(ROOT / "data", Path(base_dir) / "kg" / "_graph")


setup(
    cmdclass={"build_py": BuildPyWithGraph, "sdist": SdistWithGraph},
    # setuptools' scratch folder, kept apart from build/ where `kg build` writes the graph
    options={"build": {"build_base": ".setuptools-build"}},
)
