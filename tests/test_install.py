"""A release people can install: the built wheel, installed into a fresh venv with a plain `pip install`, answers
library queries from an empty folder; and the CLI reads the sources of the folder you stand in.

The wheel is built the way a release is (`python -m build`: the sdist, then the wheel from the sdist) from a
copy of this tree, and installed with the constraints file the Makefile uses; pip reaches packages through its
configuration here (/etc/pip.conf: the local wheel folders and indexes, then PyPI), the same as `make`.
Expectations come from the curated TSVs of that copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from support.editing import set_field
from support.project import PROJECT, curated_rows

LOCAL_ONLY = {".git", ".venv", "build", "dist", "test-artefacts", ".setuptools-build", ".pytest_cache"}  # top level
EVERYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".build.partial-*")
ISSUED = "1767225600"  # SOURCE_DATE_EPOCH for the release build: 2026-01-01


def clean_env(**extra) -> dict:
    """The environment of a user who has only the installed package: no PYTHONPATH, no PAINKG_* overrides."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PAINKG_")}
    return {**env, **extra}


def run(args: list, cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def source_tree(tmp_path_factory) -> Path:
    """The project as a fresh clone has it (no venv, no build/), so nothing outside it can leak in."""
    tree = tmp_path_factory.mktemp("release") / "painkg"

    def ignore(folder, names):
        return EVERYWHERE(folder, names) | (LOCAL_ONLY & set(names) if Path(folder) == PROJECT else set())

    shutil.copytree(PROJECT, tree, ignore=ignore)
    return tree


@pytest.fixture(scope="module")
def dist(source_tree, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "build", "--outdir", out, source_tree],
        source_tree,
        clean_env(PIP_CONSTRAINT=str(source_tree / "constraints.txt"), SOURCE_DATE_EPOCH=ISSUED),
    )
    (wheel,) = out.glob("painkg-*.whl")
    (sdist,) = out.glob("painkg-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed the plain way (dependencies resolved by pip)."""
    folder = tmp_path_factory.mktemp("venv") / "venv"
    run([sys.executable, "-m", "venv", folder], folder.parent, clean_env())
    run(
        [folder / "bin" / "pip", "install", "--quiet", "-c", PROJECT / "constraints.txt", dist["wheel"]],
        folder.parent,
        clean_env(),
    )
    return folder


@pytest.fixture(scope="module")
def empty(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("empty-folder")


def shipped_data(source_tree: Path) -> dict[str, bytes]:
    return {str(p.relative_to(source_tree)): p.read_bytes() for p in (source_tree / "data").rglob("*") if p.is_file()}


# ---------------------------------------------------------------- what the wheel and sdist carry


def test_wheel_carries_the_curated_sources_and_the_graph_built_from_them(dist, source_tree):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        data = {name.removeprefix("kg/"): wheel.read(name) for name in names if name.startswith("kg/data/")}
        assert data == shipped_data(source_tree)
        assert {"kg/_graph/painkg.nt", "kg/_graph/stats.json", "kg/_graph/void.ttl"} <= names
        stats = json.loads(wheel.read("kg/_graph/stats.json"))
    assert stats["assertions"] == len(curated_rows("assertions", source_tree / "data"))


def test_sdist_carries_data_and_the_same_prebuilt_graph(dist, source_tree):
    with tarfile.open(dist["sdist"]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        names = {n.removeprefix(top + "/") for n in sdist.getnames()}
        assert set(shipped_data(source_tree)) <= names
        assert {"kg/_graph/painkg.nt", "setup.py", "backend/painkg_build.py"} <= names
        in_sdist = sdist.extractfile(f"{top}/kg/_graph/painkg.nt").read()
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        assert wheel.read("kg/_graph/painkg.nt") == in_sdist


def test_prebuilt_graph_is_what_kg_build_makes_of_the_sources(dist, tmp_path):
    """Not a committed blob: the same code on the same sources gives the same triples (SOURCE_DATE_EPOCH fixes
    the one dated triple)."""
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        shipped = wheel.read("kg/_graph/painkg.nt").decode("utf-8")
        wheel.extractall(tmp_path / "unpacked", [n for n in wheel.namelist() if n.startswith("kg/data/")])
    data = tmp_path / "data"
    (tmp_path / "unpacked" / "kg" / "data").rename(data)
    run(
        [sys.executable, "-m", "kg", "build", "--data", data, "--out", tmp_path / "build", "--no-views"],
        tmp_path,
        clean_env(PYTHONPATH=str(PROJECT), SOURCE_DATE_EPOCH=ISSUED),
    )
    assert (tmp_path / "build" / "painkg.nt").read_text(encoding="utf-8") == shipped


# ---------------------------------------------------------------- the installed package, from an empty folder

QUERY_SCRIPT = """
import json, kg
focus = kg.query("SELECT ?e WHERE { ?e <https://w3id.org/painkg/focus> true }")["e"].tolist()
stats = kg.query("cq-16-graph-statistics").iloc[0]
targets = kg.query("cq-01-drug-targets", drug=focus[0])
card = kg.describe(focus[0])
page = kg.viz()
print(json.dumps({
    "module": kg.__file__, "focus": focus, "evidence_rows": int(stats["evidence_rows"]),
    "targets": sorted(set(targets["target"])), "label": card["label"], "paths": len(kg.paths(focus[0])),
    "viewer": page.node_count > 0 and card["label"] in page.html,
    "triples": kg.load().triples_count(),
}))
"""


@pytest.fixture(scope="module")
def answers(venv, empty) -> dict:
    result = run([venv / "bin" / "python", "-c", QUERY_SCRIPT], empty, clean_env())
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_installed_package_is_used_not_this_checkout(answers, venv):
    assert Path(answers["module"]).resolve().is_relative_to(venv.resolve())


def test_library_queries_answer_from_an_empty_folder(answers, source_tree):
    data = source_tree / "data"
    entities = {r["id"]: r for r in curated_rows("entities", data)}
    focus = [i for i, r in entities.items() if r["focus"] == "yes"]
    assert answers["focus"] == focus
    assert answers["evidence_rows"] == len(curated_rows("assertions", data))
    assert answers["label"] == entities[focus[0]]["label"]
    molecular = {"biolink:Gene", "biolink:Protein", "biolink:MacromolecularComplex"}
    targets = {
        r["object"]
        for r in curated_rows("assertions", data)
        if r["subject"] == focus[0]
        and entities[r["object"]]["category"] in molecular
        and r["predicate"] not in ("has_metabolite", "metabolised_by")
    }
    assert targets and set(answers["targets"]) == targets
    assert answers["paths"] > 0 and answers["viewer"]


def test_the_prebuilt_graph_is_loaded_whole(answers, dist):
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        lines = [line for line in wheel.read("kg/_graph/painkg.nt").decode().splitlines() if line.strip()]
    assert answers["triples"] == len(lines)


def test_cli_in_an_empty_folder_uses_and_names_the_packaged_sources(venv, empty, source_tree):
    result = run([venv / "bin" / "kg", "validate"], empty, clean_env())
    first = result.stdout.splitlines()[0]
    assert first.startswith("sources: ") and first.endswith("(the sources shipped with the package)")
    assert Path(first.split()[1]).resolve().is_relative_to(venv.resolve())
    run([venv / "bin" / "kg", "build", "--no-views"], empty, clean_env())
    assert (empty / "build" / "painkg.nt").is_file() and (empty / "build" / "void.ttl").is_file()
    stats = json.loads((empty / "build" / "stats.json").read_text(encoding="utf-8"))
    assert stats["assertions"] == len(curated_rows("assertions", source_tree / "data"))


# ---------------------------------------------------------------- which sources the CLI reads (this tree's code)


def kg_dev(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """This tree's `kg`, run from another folder."""
    result = subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(PYTHONPATH=str(PROJECT)),
        timeout=300,
    )
    assert not check or result.returncode == 0, result.stderr
    return result


@pytest.fixture
def second_checkout(tmp_path, snapshot) -> Path:
    """Another painkg checkout (its own pyproject.toml and data/), with a subfolder to stand in."""
    root = tmp_path / "other-checkout"
    shutil.copytree(snapshot, root / "data")
    shutil.copy2(PROJECT / "pyproject.toml", root / "pyproject.toml")
    (root / "notes").mkdir()
    return root


def test_validate_reads_the_checkout_you_stand_in(second_checkout):
    where = set_field(second_checkout / "data", "assertions", "A-seed-0001", "grade", "Z")
    result = kg_dev("validate", cwd=second_checkout / "notes", check=False)
    assert result.stdout.splitlines()[0] == f"sources: {second_checkout / 'data'} (the painkg checkout at {second_checkout})"
    assert result.returncode == 2 and where in result.stderr


def test_data_option_comes_first(second_checkout, snapshot):
    set_field(second_checkout / "data", "assertions", "A-seed-0001", "grade", "Z")
    result = kg_dev("validate", "--data", snapshot, cwd=second_checkout)
    assert result.stdout.splitlines()[0] == f"sources: {snapshot} (--data)"


def test_build_writes_into_the_checkout_you_stand_in(second_checkout):
    result = kg_dev("build", "--no-views", cwd=second_checkout / "notes")
    assert (second_checkout / "build" / "painkg.nt").is_file()
    assert not (second_checkout / "notes" / "build").exists()
    assert result.stdout.splitlines()[0].endswith(f"(the painkg checkout at {second_checkout})")


def test_viz_names_its_sources(tmp_path, snapshot):
    result = kg_dev("viz", "--data", snapshot, "--out", tmp_path / "v.html", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == f"sources: {snapshot} (--data)"
    assert (tmp_path / "v.html").is_file()


def test_outside_any_checkout_the_package_sources_are_used(tmp_path):
    result = kg_dev("validate", cwd=tmp_path)
    first = result.stdout.splitlines()[0]
    assert first.endswith("(the sources shipped with the package)")
    assert Path(first.split()[1]) == PROJECT / "data"  # a source tree ships data/ beside the package
