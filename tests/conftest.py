"""Shared fixtures: the real curated data, a disposable copy to break, and one build per session."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
SHARED = PROJECT.parent / "shared"
ARTEFACTS = PROJECT / "test-artefacts"


def curated_rows(folder: str, data: Path = DATA) -> list[dict]:
    """Every row of every TSV in data/<folder>, as the curators wrote it; `_where` (file:line) is for messages."""
    found = []
    for path in sorted((data / folder).glob("*.tsv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
                found.append({**row, "_where": f"{path.name}:{line}"})
    return found


def run_kg(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the CLI as a user would (python -m kg), capturing output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=PROJECT, capture_output=True, text=True,
                          env=full_env, timeout=timeout)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """One full build of the real data into a temporary folder."""
    from kg.build import run_build

    out = tmp_path_factory.mktemp("build") / "build"
    run_build(out)
    return out


@pytest.fixture(scope="session")
def curated():
    from kg.curated import load_curated

    return load_curated(DATA)


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Folder for screenshots and figures a person looks at after the run."""
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS
