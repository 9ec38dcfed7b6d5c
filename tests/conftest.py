"""Shared fixtures: the real curated data, a disposable copy to break, and one build per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.project import ARTEFACTS, DATA, PROJECT, curated_rows, run_kg  # noqa: F401


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build of the real data into a temporary folder."""
    from kg.build.pipeline import run_build

    out = tmp_path_factory.mktemp("build") / "build"
    run_build(out)
    return out


@pytest.fixture(scope="session")
def curated():
    from kg.sources.curated import load_curated

    return load_curated(DATA)


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Folder for screenshots and figures a person looks at after the run."""
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory) -> Path:
    """A copy of data/ taken once: curators edit data/ while tests run, pages and expectations share this copy."""
    copy = tmp_path_factory.mktemp("snapshot") / "data"
    shutil.copytree(DATA, copy)
    return copy


@pytest.fixture(scope="session")
def graph(snapshot):
    from kg.validate import checked_graph

    return checked_graph(snapshot)[1]
