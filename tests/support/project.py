"""Where the project's files are, how a curator's TSV reads, and how a user runs the CLI: for every test module."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data"
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
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], cwd=PROJECT, capture_output=True, text=True, env=full_env, timeout=timeout
    )


def shown_label(entity: dict | None) -> str:
    """The name tables and pages show: the curated display_label when there is one, else the ontology label."""
    if not entity:
        return ""
    return entity.get("display_label") or entity["label"]
