"""`kg diff OLD NEW` tells a reviewer what a change to the curated sources did to the graph.

The expectations are the edits the tests make to a copy of data/: one note rewritten, one row deleted, one row
added citing one new reference. Sides are sources folders, build folders or git revisions.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from support.editing import set_field
from support.project import PROJECT, curated_rows, run_kg

CHANGED, REMOVED, TEMPLATE = "A-seed-0002", "A-seed-0005", "A-seed-0001"
ADDED, NEW_REFERENCE = "A-seed-9001", "PMID:1"
NEW_NOTE = "A curator's corrected note."


def _row_of(data, folder: str, row_id: str) -> tuple:
    for path in sorted((data / folder).glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines):
            if line.split("\t")[0] == row_id:
                return path, lines, number
    raise KeyError(row_id)


@pytest.fixture(scope="module")
def edited(tmp_path_factory, snapshot):
    """A copy of the curated sources with three assertion edits and one new reference."""
    import shutil

    data = tmp_path_factory.mktemp("edited") / "data"
    shutil.copytree(snapshot, data)
    old_note = next(r["note"] for r in curated_rows("assertions", snapshot) if r["id"] == CHANGED)
    set_field(data, "assertions", CHANGED, "note", NEW_NOTE)
    path, lines, number = _row_of(data, "assertions", REMOVED)
    del lines[number]
    path.write_text("\n".join(lines), encoding="utf-8")
    path, lines, number = _row_of(data, "assertions", TEMPLATE)
    header = lines[0].split("\t")
    cells = lines[number].split("\t")
    cells[0], cells[header.index("publications")] = ADDED, NEW_REFERENCE
    path.write_text("\n".join(lines).rstrip("\n") + "\n" + "\t".join(cells) + "\n", encoding="utf-8")
    references = data / "references" / "mechanisms.tsv"
    columns = references.read_text(encoding="utf-8").split("\n")[0].split("\t")
    reference = dict.fromkeys(columns, "")
    reference.update(
        id=NEW_REFERENCE,
        pmid="1",
        first_author="Test A",
        year="1975",
        title="A test reference",
        journal="Test Journal",
        study_type="review",
        confirmed_at="https://pubmed.ncbi.nlm.nih.gov/1/",
    )
    text = references.read_text(encoding="utf-8").rstrip("\n")
    references.write_text(text + "\n" + "\t".join(reference[c] for c in columns) + "\n", encoding="utf-8")
    return {"data": data, "old_note": old_note}


@pytest.fixture(scope="module")
def report(snapshot, edited):
    result = run_kg("diff", str(snapshot), str(edited["data"]), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_added_and_removed_assertions_are_listed_with_their_triple(report, snapshot):
    template = next(r for r in curated_rows("assertions", snapshot) if r["id"] == TEMPLATE)
    removed = next(r for r in curated_rows("assertions", snapshot) if r["id"] == REMOVED)
    assert [a["id"] for a in report["assertions"]["added"]] == [ADDED]
    assert [a["id"] for a in report["assertions"]["removed"]] == [REMOVED]
    added = report["assertions"]["added"][0]
    assert (added["subject"], added["object"]) == (template["subject"], template["object"])
    assert added["predicate"] == "painkg:" + template["predicate"]
    assert added["fields"]["publication"] == [NEW_REFERENCE]
    assert report["assertions"]["removed"][0]["subject"] == removed["subject"]


def test_a_changed_field_shows_old_and_new_value_and_nothing_else(report, edited):
    (changed,) = report["assertions"]["changed"]
    assert changed["id"] == CHANGED
    assert changed["changes"] == [{"field": "note", "old": [edited["old_note"]], "new": [NEW_NOTE]}]
    assert changed["where"].startswith("data/assertions/seed-review.tsv:")


def test_rows_that_only_moved_are_not_changes(report):
    """Deleting a row moves every later row of its file up a line: sourceFile differs, the claim does not."""
    assert {a["id"] for a in report["assertions"]["changed"]} == {CHANGED}


def test_new_reference_is_listed(report):
    assert report["references"]["added"] == [{"id": NEW_REFERENCE, "label": "Test A 1975, Test Journal"}]
    assert report["references"]["removed"] == []


def test_text_report_reads_like_a_review(snapshot, edited):
    result = run_kg("diff", str(snapshot), str(edited["data"]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "assertions: 1 added, 1 removed, 1 changed; references: 1 added, 0 removed" in lines
    assert any(line.startswith(f"+ {ADDED} ") for line in lines)
    assert any(line.startswith(f"- {REMOVED} ") for line in lines)
    assert f"    note: {edited['old_note']} -> {NEW_NOTE}" in lines
    assert any(line.startswith(f"+ reference {NEW_REFERENCE} ") for line in lines)


def test_two_builds_of_the_same_sources_do_not_differ(built):
    result = run_kg("diff", str(built), str(built), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["assertions"] == {"added": [], "removed": [], "changed": []}
    assert report["references"] == {"added": [], "removed": []}


def test_a_build_and_its_sources_agree(built, snapshot):
    report = json.loads(run_kg("diff", str(built), str(snapshot), "--format", "json").stdout)
    assert report["assertions"] == {"added": [], "removed": [], "changed": []}


def test_git_revisions_are_compared_by_their_data_folder():
    head = subprocess.run(["git", "-C", str(PROJECT), "rev-parse", "HEAD"], capture_output=True, text=True)
    assert head.returncode == 0, "the test suite runs in a git checkout"
    result = run_kg("diff", "HEAD", head.stdout.strip())
    assert result.returncode == 0, result.stderr
    assert "git revision" in result.stdout.splitlines()[0]
    assert "assertions: 0 added, 0 removed, 0 changed; references: 0 added, 0 removed" in result.stdout


def test_an_unknown_side_is_one_line_exit_2(tmp_path):
    result = run_kg("diff", "no-such-revision-or-folder", "HEAD")
    assert result.returncode == 2
    assert "no-such-revision-or-folder" in result.stderr and "Traceback" not in result.stderr
