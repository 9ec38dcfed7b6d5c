"""Every notebook runs top to bottom on a fresh kernel, as a reader would run it, and its figures are kept to look at.

The kernel is this test's own interpreter (a kernelspec written into a temporary JUPYTER_PATH), started with
the notebooks folder as working directory. A cell that raises fails the test. Figures (image/png outputs of
cells tagged {"painkg": {"figure": NAME}}) are written to test-artefacts/notebooks/NOTEBOOK--NAME.png.
"""
from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from support.project import PROJECT

NOTEBOOKS = PROJECT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
KERNEL = "painkg-test"
CELL_TIMEOUT_S = 300


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
def executed(kernel_path):
    """Run each notebook at most once per test session; returns a function path -> executed notebook."""
    done: dict[Path, nbformat.NotebookNode] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(kernel_path))

        def run(path: Path) -> nbformat.NotebookNode:
            if path not in done:
                done[path] = run_notebook(path)
            return done[path]

        yield run


def run_notebook(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError naming the cell when one raises
    return notebook


def figures(notebook: nbformat.NotebookNode) -> dict[str, list[bytes]]:
    """PNG bytes of every tagged figure cell, by figure name."""
    found = {}
    for cell in notebook.cells:
        name = cell.metadata.get("painkg", {}).get("figure")
        if name:
            found[name] = [base64.b64decode(o["data"]["image/png"]) for o in cell.get("outputs", [])
                           if "image/png" in o.get("data", {})]
    return found


def test_notebooks_are_stored_without_outputs():
    assert NOTEBOOK_FILES, "no notebooks found"
    for path in NOTEBOOK_FILES:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name}: stored with outputs"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_draws_its_figures(path, executed, artefacts):
    notebook = executed(path)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    folder = artefacts / "notebooks"
    folder.mkdir(exist_ok=True)
    drawn = figures(notebook)
    for name, pngs in drawn.items():
        assert pngs, f"{path.name}: figure cell {name!r} produced no image"
        for number, png in enumerate(pngs):
            assert png.startswith(b"\x89PNG"), name
            suffix = f"-{number + 1}" if len(pngs) > 1 else ""
            (folder / f"{path.stem}--{name}{suffix}.png").write_bytes(png)


def test_tour_shows_library_queries_as_tables_and_the_viewer_inline(executed):
    notebook = executed(NOTEBOOKS / "01-tour.ipynb")
    outputs = {c.source: c.outputs for c in notebook.cells if c.cell_type == "code"}
    query_cells = [source for source in outputs if source.startswith('kg.query("cq-')]
    assert len(query_cells) >= 3
    for source in query_cells:
        html = "".join(o.get("data", {}).get("text/html", "") for o in outputs[source])
        assert "<table" in html and "<td>" in html, f"{source}: shows no rows"
    viewer = next(outputs[s] for s in outputs if s.startswith("viz("))
    html = "".join(o.get("data", {}).get("text/html", "") for o in viewer)
    assert html.startswith("<iframe srcdoc=")


def test_stored_notebooks_are_what_the_generator_writes(tmp_path):
    """Cells are edited in notebooks/make_notebooks.py; a notebook edited by hand would silently drift from it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_notebooks", NOTEBOOKS / "make_notebooks.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    generated = generator.write_notebooks(tmp_path)
    assert sorted(p.name for p in generated) == sorted(p.name for p in NOTEBOOK_FILES)
    for path in generated:
        fresh = [c.source for c in nbformat.read(path, as_version=4).cells]
        stored = [c.source for c in nbformat.read(NOTEBOOKS / path.name, as_version=4).cells]
        assert stored == fresh, f"{path.name} differs from make_notebooks.py: regenerate it"
