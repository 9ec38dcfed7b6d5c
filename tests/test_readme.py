"""The README's "What is in the graph now" table says what a fresh build counts: no number typed by hand."""

from __future__ import annotations

import json
import re

import pytest

from support.project import PROJECT, curated_rows

# README row (its first cell, up to the colon or the parenthesis) -> the stats.json keys its "now" cell lists
ROWS = {
    "mechanism layer": [
        "layers.mechanism.assertions",
        "layers.mechanism.entities",
        "layers.mechanism.references",
        "layers.mechanism.quantitative_assertions",
    ],
    "clinical layer": ["layers.clinical.assertions", "layers.clinical.outcomes", "layers.clinical.references"],
    "clinical study nodes": ["studies"],
    "outcomes reached from the focal drug by a fully evidenced mechanism path": ["outcomes_with_mechanism_path"],
    "sign-rule breaks": ["sign_rule_breaks"],
    "pharmacokinetic records": ["pk_records", "pk_substances", "pk_routes"],
    "dosing records from guidelines": ["dosing_records"],
    "all assertions / distinct cited references": ["assertions", "references_cited"],
    "contraindications and drug interactions": ["contraindications_and_interactions"],
    "assertions resting on a review statement only": ["review_only_assertions"],
    "drugs beyond the focal drug's family with at least 25 assertions and 5 PK records": ["drugs_beyond_focus_complete"],
}


def readme_rows() -> dict[str, list[int]]:
    """First cell -> the numbers of the second ("now") cell, for every row of the README's counts table."""
    found = {}
    for line in (PROJECT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"[0-9 /]+", cells[1]):
            found[re.split(r"[:(]", cells[0])[0].strip()] = [int(n) for n in re.findall(r"[0-9]+", cells[1])]
    return found


def value(stats: dict, key: str) -> int:
    node = stats
    for part in key.split("."):
        node = node[part]
    return len(node) if isinstance(node, list) else node


@pytest.fixture(scope="module")
def stats(built):
    return json.loads((built / "stats.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", sorted(ROWS))
def test_readme_counts_are_the_build_counts(stats, row):
    shown = readme_rows()
    assert row in shown, f"README.md has no counts row starting {row!r}"
    assert shown[row] == [value(stats, key) for key in ROWS[row]], f"README row {row!r}: update it from build/stats.json"


def test_readme_says_how_many_rows_are_held_back_for_verification():
    held = len(curated_rows("unverified/assertions"))
    assert readme_rows().get("assertions held back in data/unverified") == [held]
