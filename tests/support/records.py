"""Curated sources as a test sees them: what the reader reports for a copy, and a row added to a copy's TSV."""

from __future__ import annotations

from pathlib import Path


def problems(data: Path) -> list[str]:
    """What `kg validate` would report for the sources in `data`, one 'file:line: field: message' each (empty if clean)."""
    from kg.errors import SourceError
    from kg.sources.curated import load_curated

    try:
        load_curated(data)
    except SourceError as error:
        return [str(p) for p in error.problems]
    return []


def append_row(data: Path, folder: str, name: str, values: dict) -> str:
    """Add one row to data/<folder>/<name> in the file's own column order; returns 'data/<folder>/<name>:<line>'."""
    path = data / folder / name
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    header = lines[0].split("\t")
    lines.append("\t".join(values.get(column, "") for column in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"data/{folder}/{name}:{len(lines)}"
