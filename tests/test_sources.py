"""Bad curated input is refused with exit 2 and a message naming file, line and field; nothing is written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from support.project import curated_rows, run_kg


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_rows(path: Path, table: list[list[str]]) -> None:
    path.write_text("".join("\t".join(r) + "\n" for r in table), encoding="utf-8")


def set_field(path: Path, line: int, column: str, value: str) -> None:
    """Change one field of one data line (line numbers as an editor shows them: header is 1)."""
    table = rows(path)
    table[line - 1][table[0].index(column)] = value
    write_rows(path, table)


def validate(data: Path):
    return run_kg("validate", "--data", str(data))


SEED = "assertions/seed-review.tsv"
CORE = "entities/core.tsv"
REFS = "references/shared.tsv"
EVIDENCE = "vocabularies/evidence_types.tsv"
STUDIES = "studies/clinical.tsv"

BROKEN_FIELDS = [
    # (file, line, column, bad value, words the message must contain)
    (SEED, 2, "subject", "NOPE:123", "unknown prefix"),
    (SEED, 3, "object", "CHEBI 6121", "malformed CURIE"),
    (SEED, 4, "predicate", "cures", "is not one of"),
    (SEED, 5, "publications", "PMID:1", "not in references"),
    (SEED, 6, "grade", "", "required field is empty"),
    (SEED, 7, "subject_label", "ketamin", "does not match"),
    (SEED, 8, "value", "12 nM", "expected a number"),
    (SEED, 9, "evidence_type", "ECO:0000148", "is not one of"),
    (SEED, 10, "species", "CHEBI:6121", "not an OrganismTaxon"),
    (CORE, 3, "category", "biolink:Drugz", "is not one of"),
    (CORE, 4, "systems", "dopaminergic", "is not one of"),
    (CORE, 5, "xrefs", "PUBCHEM:123", "unknown prefix"),
    (REFS, 2, "year", "23", "four-digit year"),
    (REFS, 3, "confirmed_at", "", "required field is empty"),
    (EVIDENCE, 2, "label", "", "required field is empty"),
    (STUDIES, 2, "effect_direction", "favours_ketamine", "is not one of"),  # no drug named in a vocabulary
]


@pytest.mark.parametrize("name,line,column,value,words", BROKEN_FIELDS, ids=[f"{b[0]}:{b[2]}" for b in BROKEN_FIELDS])
def test_broken_field_is_reported_with_file_line_field(data_copy, name, line, column, value, words):
    set_field(data_copy / name, line, column, value)
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{name}:{line}: {column}: " in result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_duplicate_id_names_both_places(data_copy):
    path = data_copy / CORE
    table = rows(path)
    write_rows(path, table + [table[2]])
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{CORE}:{len(table) + 1}: id: duplicate id {table[2][0]} (first defined at data/{CORE}:3)" in result.stderr


def test_wrong_column_count(data_copy):
    path = data_copy / SEED
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] = text[3] + "\textra"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{SEED}:4: expected 27 tab-separated fields, found 28" in result.stderr


def test_non_utf8_bytes_name_the_line(data_copy):
    path = data_copy / REFS
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b"a", b"\xe9", 1)
    path.write_bytes(b"\n".join(lines))
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{REFS}:5: not valid UTF-8" in result.stderr


def test_missing_header_column(data_copy):
    path = data_copy / CORE
    table = rows(path)
    write_rows(path, [[c for c in r[:-1]] for r in table])
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{CORE}:1: header: expected columns" in result.stderr and "missing identifier_source" in result.stderr


def test_empty_file(data_copy):
    (data_copy / SEED).write_bytes(b"")
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{SEED}:1: header: file is empty" in result.stderr


def test_bom_and_crlf_are_accepted(data_copy):
    path = data_copy / SEED
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = validate(data_copy)
    assert result.returncode == 0, result.stderr


def test_local_id_needs_a_reason(data_copy):
    path = data_copy / CORE
    table = rows(path)
    line = next(i for i, r in enumerate(table, start=1) if r[0].startswith("PAINKG:"))
    set_field(path, line, "identifier_source", "made up")
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{CORE}:{line}: identifier_source: a PAINKG: id needs" in result.stderr


def test_reference_id_must_be_its_pmid(data_copy):
    path = data_copy / REFS
    table = rows(path)
    line = next(i for i, r in enumerate(table, start=1) if i > 1 and r[1] and r[2])
    set_field(path, line, "id", f"DOI:{table[line - 1][2]}")
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{REFS}:{line}: id: expected PMID:{table[line - 1][1]}" in result.stderr


def test_value_needs_unit_and_measure(data_copy):
    set_field(data_copy / SEED, 2, "value", "0.5")
    result = validate(data_copy)
    assert result.returncode == 2
    assert f"data/{SEED}:2: unit: a value needs its unit" in result.stderr
    assert f"data/{SEED}:2: measure: a value needs its measure" in result.stderr


def test_failed_build_leaves_previous_build_untouched(data_copy, tmp_path):
    out = tmp_path / "out"
    first = run_kg("build", "--data", str(data_copy), "--out", str(out), "--no-views")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    set_field(data_copy / SEED, 2, "predicate", "cures")
    second = run_kg("build", "--data", str(data_copy), "--out", str(out), "--no-views")
    assert second.returncode == 2
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".out.partial-*"))


def test_effect_direction_names_no_drug():
    """The vocabulary says favours_intervention; every curated study uses the vocabulary as it stands."""
    from kg.sources.tables import FIXED_VOCABULARIES

    assert FIXED_VOCABULARIES["effect_directions"] == {"favours_intervention", "favours_control", "no_difference"}
    used = {row["effect_direction"] for row in curated_rows("studies") if row["effect_direction"]}
    assert "favours_intervention" in used and used <= FIXED_VOCABULARIES["effect_directions"]
