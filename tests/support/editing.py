"""Break one field of a curated copy, the way a curator's slip would: for the data-rule tests."""

from __future__ import annotations

from pathlib import Path


def set_field(data: Path, folder: str, row_id: str, column: str, value: str) -> str:
    """Set `column` of the row `row_id` in data/<folder>/*.tsv; returns 'data/<folder>/<file>:<line>'."""
    for path in sorted((data / folder).glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").split("\n")
        header = lines[0].split("\t")
        for number, line in enumerate(lines[1:], start=2):
            cells = line.split("\t")
            if cells[0] == row_id:
                cells[header.index(column)] = value
                lines[number - 1] = "\t".join(cells)
                path.write_text("\n".join(lines), encoding="utf-8")
                return f"data/{folder}/{path.name}:{number}"
    raise KeyError(f"{row_id} not in data/{folder}")
