"""A build killed at any moment (SIGKILL: no cleanup code runs) never leaves a half-written output folder.

`kg build --out X` prepares the new build beside X and swaps it in with one rename, so after a kill X
is either exactly what it was before, or a complete new build; never a mix. Partial folders left by
killed builds are removed by the next build, while a partial folder of a build still running is kept.
No test-only hook in the product: the builds are real subprocesses killed after random delays.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugin_figures import register as register_figures
from support.project import DATA, PROJECT

KILLS = 5


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def start_build(data: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", "--data", str(data), "--out", str(out)],
        cwd=PROJECT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},  # one issued date: every file is byte-stable per data
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def build(data: Path, out: Path) -> float:
    """A complete build; returns how long it took."""
    began = time.monotonic()
    process = start_build(data, out)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode(errors="replace")
    return time.monotonic() - began


def partials(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.partial-*"))


def variant(tmp: Path, name: str, note: str) -> Path:
    """A copy of data/ whose first assertion's note differs, so two builds are told apart by their bytes."""
    data = tmp / name
    shutil.copytree(DATA, data)
    path = data / "assertions" / "seed-review.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split("\t")
    fields = lines[1].split("\t")
    fields[header.index("note")] += f" ({note})"
    lines[1] = "\t".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    return data


def is_complete_build_of(folder: Path, reference: dict[str, bytes]) -> bool:
    """Byte for byte the complete reference build (a build is reproducible, so any mix of two shows)."""
    return snapshot(folder) == reference


@pytest.fixture(scope="module")
def two_datasets(tmp_path_factory) -> dict[str, tuple[Path, dict[str, bytes], float]]:
    """Data A and B with a reference build of each: (data folder, build bytes, build seconds)."""
    tmp = tmp_path_factory.mktemp("interrupt")
    result = {}
    for name in ("A", "B"):
        data = variant(tmp, f"data-{name}", f"interrupted-build test, variant {name}")
        out = tmp / f"reference-{name}"
        seconds = build(data, out)
        result[name] = (data, snapshot(out), seconds)
    assert result["A"][1]["kgx/edges.tsv"] != result["B"][1]["kgx/edges.tsv"]
    return result


def test_killed_builds_leave_the_old_or_the_new_build_never_a_mix(two_datasets, tmp_path, request):
    out = tmp_path / "out"
    build(two_datasets["A"][0], out)
    current = snapshot(out)
    longest = max(seconds for _, _, seconds in two_datasets.values())
    rng = random.Random(20261125)
    outcomes = {"untouched": 0, "replaced whole": 0}
    killed: set[int] = set()
    for attempt in range(KILLS):
        target = "B" if attempt % 2 == 0 else "A"
        data, reference, _ = two_datasets[target]
        delay = rng.uniform(0.05, longest * 1.1)
        process = start_build(data, out)
        time.sleep(delay)
        process.kill()  # SIGKILL: the build gets no chance to clean up
        process.wait(timeout=60)
        process.stderr.close()
        killed.add(process.pid)
        if snapshot(out) == current:
            outcomes["untouched"] += 1
        else:
            assert is_complete_build_of(out, reference), f"attempt {attempt} (killed after {delay:.2f}s): mixed output"
            outcomes["replaced whole"] += 1
            current = snapshot(out)
        for stale in partials(out):  # what is left over belongs to killed builds only, none in use
            assert int(stale.name.split(".partial-")[1].split("-")[0]) in killed, stale.name
    register_figures(request.config).record(
        "interrupted-builds",
        f"{KILLS} builds killed (SIGKILL) after random delays: "
        + ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())),
    )
    assert sum(outcomes.values()) == KILLS

    build(two_datasets["A"][0], out)  # the next build cleans up after the killed ones
    assert partials(out) == []
    assert is_complete_build_of(out, two_datasets["A"][1])


def test_next_build_removes_partials_of_dead_builds_and_keeps_a_running_ones(two_datasets, tmp_path):
    out = tmp_path / "out"
    build(two_datasets["A"][0], out)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(finished.stdout)
    dead = out.parent / f".{out.name}.partial-{dead_pid}-abc123"
    running = out.parent / f".{out.name}.partial-{os.getpid()}-def456"  # this test process is alive
    for folder in (dead, running):
        (folder / "kgx").mkdir(parents=True)
        (folder / "kgx" / "edges.tsv").write_text("half\n")
    try:
        build(two_datasets["B"][0], out)
        assert not dead.exists()
        assert running.exists()
        assert is_complete_build_of(out, two_datasets["B"][1])
    finally:
        shutil.rmtree(running, ignore_errors=True)
