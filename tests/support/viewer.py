"""Read a viewer page back the way its script does, and plant markup in a data copy: shared by the viewer tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support.project import DATA, curated_rows

PAGE_DATA = re.compile(r'<script type="application/json" id="painkg-data">(.*?)</script>', re.S)
SCRIPT = "<script>window.__pwned = 1</script>"
IMAGE = '<img src=x onerror="window.__pwned = 2">'


def assertion_rows(data: Path = DATA) -> list[dict]:
    return curated_rows("assertions", data)


def entity_rows(data: Path = DATA) -> dict[str, dict]:
    return {row["id"]: row for row in curated_rows("entities", data)}


def page_data(page_html: str) -> dict:
    """The JSON a page embeds (what its script draws)."""
    return json.loads(PAGE_DATA.search(page_html).group(1))


def drawn_nodes(page_html: str) -> set[str]:
    return {node["id"] for node in page_data(page_html)["nodes"]}


def drawn_assertions(page_html: str) -> set[str]:
    return set(page_data(page_html)["assertions"])


def inject_label(data: Path, curie: str, new_label: str) -> None:
    """Rename one entity everywhere its label is written (entities and the label columns of assertions)."""
    for path in list((data / "entities").glob("*.tsv")) + list((data / "assertions").glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").split("\n")
        header = lines[0].split("\t")
        for index, line in enumerate(lines[1:], start=1):
            cells = line.split("\t")
            if len(cells) != len(header):
                continue
            row = dict(zip(header, cells, strict=True))
            for id_column, label_column in (("id", "label"), ("subject", "subject_label"), ("object", "object_label")):
                if row.get(id_column) == curie and label_column in row:
                    cells[header.index(label_column)] = new_label
            lines[index] = "\t".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")


def inject_note(data: Path, assertion_id: str, note: str) -> None:
    """Append `note` to one assertion's note in a data copy."""
    for path in (data / "assertions").glob("*.tsv"):
        lines = path.read_text(encoding="utf-8").split("\n")
        header = lines[0].split("\t")
        for index, line in enumerate(lines[1:], start=1):
            cells = line.split("\t")
            if cells and cells[0] == assertion_id:
                column = header.index("note")
                cells[column] = f"{cells[column]} {note}".strip()  # appended: the curated note may carry a rule's wording
                lines[index] = "\t".join(cells)
        path.write_text("\n".join(lines), encoding="utf-8")
