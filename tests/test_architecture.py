"""The shape of the package: layers along the data flow, the drug as data, a documented public API."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.project import DATA, PROJECT, curated_rows, run_kg

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
FIXTURE = PROJECT / "tests" / "fixtures" / "second-drug"


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """import-linter's layers contract (pyproject.toml), run the way CI runs it, on the package in `folder`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(folder)},
    )


def test_no_subpackage_imports_a_later_one():
    result = lint_imports(PROJECT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_inside_a_function_breaks_the_contract(tmp_path):
    shutil.copytree(PROJECT / "kg", tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", tmp_path / "pyproject.toml")
    tables = tmp_path / "kg" / "sources" / "tables.py"
    tables.write_text(
        tables.read_text(encoding="utf-8") + "\n\ndef _reach_up():\n    from kg.views import viewer\n", encoding="utf-8"
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "kg.sources.tables -> kg.views.viewer" in result.stdout


def test_no_curated_identifier_is_written_into_the_code():
    curated = {row["id"] for row in curated_rows("entities")}
    hits = [
        f"{path.relative_to(PROJECT)}:{number}: {curie}"
        for path in sorted((PROJECT / "kg").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for curie in re.findall(r"\b[A-Za-z.]+:[0-9A-Za-z_.-]+", line)
        if curie in curated
    ]
    chemicals = {row["id"] for row in curated_rows("entities") if row["category"] == "biolink:SmallMolecule"}
    assert not [h for h in hits if h.rsplit(": ", 1)[1] in chemicals], hits


def test_every_public_name_resolves_and_says_what_it_is_for():
    import kg

    for name in kg.__all__:
        value = getattr(kg, name)
        assert (value.__doc__ or "").strip(), f"kg.{name} has no docstring"


def test_the_focal_drug_comes_from_the_entities_table(curated):
    flagged = sorted(row["id"] for row in curated.entities.values() if row["focus"] == "yes")
    from kg.model.network import focal_drugs
    from kg.store import to_networkx

    assert flagged and focal_drugs(to_networkx()) == flagged


@pytest.fixture(scope="module")
def second_drug(tmp_path_factory) -> Path:
    """The fixture's made-up drug beside the real schema, QC queries and vocabularies: no code change."""
    data = tmp_path_factory.mktemp("second-drug") / "data"
    shutil.copytree(FIXTURE, data, ignore=shutil.ignore_patterns("README.md"))
    for folder in ("schema", "qc", "vocabularies"):
        shutil.copytree(DATA / folder, data / folder)
    return data


def test_a_second_drug_builds_its_paths_views_and_stats_from_data_alone(second_drug, tmp_path):
    out = tmp_path / "build"
    result = run_kg("build", "--data", str(second_drug), "--out", str(out))
    assert result.returncode == 0, result.stderr
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["focal_drugs"] == ["PAINKG:fixture-drug"]
    assert stats["outcomes_with_mechanism_path"] == ["PAINKG:fixture-pain"]
    assert stats["assertions"] == 5
    assert (out / "views" / "outcome-PAINKG_fixture-pain.html").is_file()


def test_a_second_drug_path_runs_through_its_enantiomer_and_target(second_drug):
    from kg.mechanisms import paths
    from kg.validate import checked_graph

    found = paths(graph=checked_graph(second_drug)[1])
    assert list(found["path"]) == [
        "PAINKG:fixture-drug > PAINKG:fixture-enantiomer > PAINKG:fixture-receptor > PAINKG:fixture-process > PAINKG:fixture-pain"
    ]
