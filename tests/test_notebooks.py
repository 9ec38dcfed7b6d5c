"""Every notebook runs top to bottom on a fresh kernel, as a reader would run it, and its figures are kept to look at.

The notebooks are jupytext percent scripts (notebooks/0N-*.py, paired with .ipynb that jupytext makes and git
ignores). Each is read with jupytext and executed with nbclient on this test's own interpreter (a kernelspec
written into a temporary JUPYTER_PATH), with the notebooks folder as working directory. A cell that raises
fails the test. Figures (image/png outputs of cells tagged painkg={"figure": NAME}) are written to
test-artefacts/notebooks/NOTEBOOK--NAME.png, and each executed notebook to test-artefacts/notebooks/NOTEBOOK.ipynb.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from support.project import PROJECT, curated_rows

NOTEBOOKS = PROJECT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))
KERNEL = "painkg-test"
CELL_TIMEOUT_S = 300
RUFF = Path(sys.executable).with_name("ruff")


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory) -> Path:
    """A JUPYTER_PATH holding one kernelspec that runs ipykernel on this interpreter."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": KERNEL, "language": "python"}))
    return root


@pytest.fixture(scope="module")
def executed(kernel_path, artefacts):
    """Run each notebook at most once per test session; returns a function path -> executed notebook."""
    done: dict[Path, nbformat.NotebookNode] = {}
    folder = artefacts / "notebooks"
    folder.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(kernel_path))

        def run(path: Path) -> nbformat.NotebookNode:
            if path not in done:
                done[path] = run_notebook(path)
                nbformat.write(done[path], folder / f"{path.stem}.ipynb")
            return done[path]

        yield run


def run_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook jupytext makes from the script, executed like a fresh `Run all`."""
    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()  # raises CellExecutionError naming the cell when one raises
    return notebook


def figures(notebook: nbformat.NotebookNode) -> dict[str, list[bytes]]:
    """PNG bytes of every tagged figure cell, by figure name."""
    found = {}
    for cell in notebook.cells:
        name = cell.metadata.get("painkg", {}).get("figure")
        if name:
            found[name] = [
                base64.b64decode(o["data"]["image/png"]) for o in cell.get("outputs", []) if "image/png" in o.get("data", {})
            ]
    return found


def test_each_notebook_is_a_jupytext_script_paired_with_its_ipynb():
    """Opened in Jupyter (with jupytext) the script and its .ipynb stay in step, and saving rewrites nothing."""
    assert len(NOTEBOOK_FILES) == 4, NOTEBOOK_FILES
    for path in NOTEBOOK_FILES:
        notebook = jupytext.read(path)
        assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent", path.name
        assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# "), path.name
        assert jupytext.writes(notebook, fmt="py:percent") == path.read_text(encoding="utf-8"), path.name


def kg_names(tree: ast.Module) -> tuple[list[str], set[str]]:
    """How a script imports kg (one entry per import statement) and the attributes it reads from `kg`."""
    imports = [
        f"import {a.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for a in node.names
        if a.name.split(".")[0] == "kg"
    ]
    imports += [
        f"from {node.module} import ..."
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "kg"
    ]
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "kg"
    }
    return imports, used


def test_notebooks_call_only_the_public_api():
    import kg

    for path in NOTEBOOK_FILES:
        imports, used = kg_names(ast.parse(path.read_text(encoding="utf-8")))
        assert imports == ["import kg"], f"{path.name}: {imports}"
        assert used and used <= set(kg.__all__), f"{path.name}: not in kg.__all__: {sorted(used - set(kg.__all__))}"


def test_notebooks_name_no_drug_the_data_does_not_flag():
    """The drug is the entity flagged `focus` in data/entities, so no notebook writes a chemical's identifier."""
    chemicals = {r["id"] for r in curated_rows("entities") if r["category"] == "biolink:SmallMolecule"}
    for path in NOTEBOOK_FILES:
        written = set(re.findall(r"\b[A-Za-z.]+:[0-9A-Za-z_.-]+", path.read_text(encoding="utf-8")))
        assert not written & chemicals, f"{path.name}: {sorted(written & chemicals)}"


def test_notebooks_pass_ruff():
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "notebooks"], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_draws_its_figures(path, executed, artefacts):
    notebook = executed(path)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    drawn = figures(notebook)
    assert drawn, f"{path.name}: no figure cell"
    for name, pngs in drawn.items():
        assert pngs, f"{path.name}: figure cell {name!r} produced no image"
        for number, png in enumerate(pngs):
            assert png.startswith(b"\x89PNG"), name
            suffix = f"-{number + 1}" if len(pngs) > 1 else ""
            (artefacts / "notebooks" / f"{path.stem}--{name}{suffix}.png").write_bytes(png)


def test_tour_shows_library_queries_as_tables_and_the_viewer_inline(executed):
    notebook = executed(NOTEBOOKS / "01-tour.py")
    outputs = {c.source: c.outputs for c in notebook.cells if c.cell_type == "code"}
    query_cells = [source for source in outputs if source.startswith('kg.query("cq-')]
    assert len(query_cells) >= 3
    for source in query_cells:
        html = "".join(o.get("data", {}).get("text/html", "") for o in outputs[source])
        assert "<table" in html and "<td>" in html, f"{source}: shows no rows"
    viewer = next(outputs[s] for s in outputs if s.startswith("kg.viz("))
    html = "".join(o.get("data", {}).get("text/html", "") for o in viewer)
    assert html.startswith("<iframe srcdoc=")
