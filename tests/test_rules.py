"""Evidence rules: each one, broken on a copy of the data, stops the build naming file, line and field."""

from __future__ import annotations

import re

import pytest

from support.editing import set_field
from support.project import curated_rows, run_kg

ASSERTIONS = {row["id"]: row for row in curated_rows("assertions")}


def first(condition) -> str:
    """The id of the first curated assertion meeting `condition` (so the tests follow the data as it grows)."""
    return next(row_id for row_id, row in ASSERTIONS.items() if condition(row))


def broken(data_copy, row_id: str, column: str, value: str) -> tuple[str, str]:
    where = set_field(data_copy, "assertions", row_id, column, value)
    result = run_kg("validate", "--data", str(data_copy))
    assert result.returncode == 2, result.stdout
    return where, result.stderr


def test_the_curated_rows_keep_every_rule():
    result = run_kg("validate")
    assert result.returncode == 0, result.stderr


def test_every_curated_assertion_names_a_primary_page_and_a_date():
    for row in ASSERTIONS.values():
        assert re.match(r"https?://", row["verified_at"]), row["_where"]
        assert re.match(r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$", row["verified_on"]), row["_where"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "verified_at: every claim names the public page"),
        ("pubmed 6317114", "verified_at: expected an http(s) URL"),
        ("https://medluna.com/article/37622028", "verified_at: medluna.com is listed in vocabularies/non_confirming_hosts.tsv"),
        ("http://120.26.44.124:3004/details/1", "verified_at: 120.26.44.124 is a raw IP address"),
    ],
)
def test_verified_at_must_be_a_primary_page(data_copy, value, message):
    where, stderr = broken(data_copy, next(iter(ASSERTIONS)), "verified_at", value)
    assert f"{where}: {message}" in stderr


def test_verified_on_must_be_a_past_iso_date(data_copy):
    where, stderr = broken(data_copy, next(iter(ASSERTIONS)), "verified_on", "2999-01-01")
    assert f"{where}: verified_on: 2999-01-01 is in the future" in stderr


def test_an_empty_species_needs_the_note_to_say_it_was_not_stated(data_copy):
    row_id = first(lambda r: r["species"] and "species not stated" not in r["note"].lower())
    where, stderr = broken(data_copy, row_id, "species", "")
    assert f"{where}: species: empty species: say 'species not stated' in note" in stderr


def test_a_single_preclinical_study_cannot_be_graded_above_c(data_copy):
    row_id = first(lambda r: r["evidence_type"] == "ECO:0000179" and "|" not in r["publications"])
    where, stderr = broken(data_copy, row_id, "grade", "B")
    assert f"{where}: grade: grade B is above the ceiling C for a single preclinical study" in stderr


def test_a_review_statement_is_grade_d(data_copy):
    row_id = first(lambda r: r["evidence_type"] == "ECO:0000033")
    where, stderr = broken(data_copy, row_id, "grade", "C")
    assert f"{where}: grade: grade C is above the ceiling D for a review statement" in stderr


def test_treats_needs_a_guideline_or_grade_a(data_copy):
    row_id = first(lambda r: r["predicate"] == "ameliorates" and r["grade"] == "B")
    where, stderr = broken(data_copy, row_id, "predicate", "treats")
    assert f"{where}: predicate: treats needs a guideline among its sources, or grade A" in stderr


def test_animal_evidence_cannot_say_ameliorates(data_copy):
    row_id = first(lambda r: r["predicate"] == "beneficial_in_models_for" and r["evidence_type"] == "ECO:0000179")
    where, stderr = broken(data_copy, row_id, "predicate", "ameliorates")
    assert f"{where}: predicate: ameliorates needs clinical evidence" in stderr


def test_a_pharmacokinetic_measure_is_refused_on_an_assertion(data_copy):
    row_id = first(lambda r: r["measure"] == "Ki")
    where, stderr = broken(data_copy, row_id, "measure", "half_life")
    assert f"{where}: measure: half_life is a pharmacokinetic parameter" in stderr


def test_a_host_listed_twice_is_named_with_its_first_line(data_copy):
    hosts = data_copy / "vocabularies" / "non_confirming_hosts.tsv"
    lines = hosts.read_text(encoding="utf-8").rstrip("\n").split("\n")
    hosts.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    result = run_kg("validate", "--data", str(data_copy))
    host = lines[1].split("\t")[0]
    assert result.returncode == 2
    assert (
        f"data/vocabularies/non_confirming_hosts.tsv:{len(lines) + 1}: host: {host} listed twice "
        f"(first at data/vocabularies/non_confirming_hosts.tsv:2)"
    ) in result.stderr
