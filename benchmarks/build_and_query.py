"""Build and query speed against the code path before the release work, both measured in this run.

    .venv/bin/python benchmarks/build_and_query.py [--repeat 5] [--baseline f5f5754]

1. The steps that changed, in this process on the same graph: QC queries (rdflib's SPARQL before, pyoxigraph
   now, the copy into pyoxigraph included), SHACL (pySHACL on the shapes as written before; the same shapes with
   the node shapes' targets on their property shapes now) and writing Turtle / N-Triples / JSON-LD (rdflib's
   serialisers before, pyoxigraph's now). Each with the ratio before / now.
2. End to end, as a user runs them, the current tree against the baseline revision (git archive of its files,
   run with its own code on the same curated sources): `kg build`, `kg build --no-views` and
   `kg query cq-01-drug-targets` (the baseline's reading the build with --graph; the current one finding the
   build itself, as `kg query NAME` does). Bytecode is written and a first run is discarded, as for an
   installed package. Before and now run in turns, so a change in the machine's load hits both.

Goals (issue 16): `kg build` under 2 s on this graph, `kg query NAME` under 0.3 s end to end.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "benchmarks"))
from queries import median_time  # noqa: E402 - the benchmarks folder is not a package


def paired_medians(before, now, repeat: int) -> tuple[float, float]:
    """Median time of each, run in turns (before, now, before, ...) so a change in the machine's load hits both."""
    times = [(median_time(before, 1), median_time(now, 1)) for _ in range(repeat)]
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)

BASELINE = "f5f5754"  # main before the release work (issue 16): rdflib QC and serialisers, nested SHACL, pandas CLI
GOAL_BUILD_S = 2.0
GOAL_QUERY_S = 0.3
QUERY = "cq-01-drug-targets"


# ---------------------------------------------------------------- 1. the changed steps, in process

def baseline_qc(graph, qc_dir: Path) -> int:
    """The QC step as it was: each *-violation.rq on rdflib's SPARQL engine."""
    return sum(len(list(graph.query(p.read_text(encoding="utf-8")))) for p in sorted(qc_dir.glob("*-violation.rq")))


def baseline_shacl(graph, shapes_path: Path) -> bool:
    """The SHACL step as it was: pySHACL on the shapes as written (property shapes nested in node shapes)."""
    from pyshacl import validate
    from rdflib import Graph

    return validate(graph, shacl_graph=Graph().parse(shapes_path, format="turtle"), inference="none",
                    advanced=False)[0]


def baseline_serialise(graph, folder: Path) -> None:
    """Turtle, sorted N-Triples and JSON-LD as rdflib wrote them."""
    graph.serialize(destination=folder / "painkg.ttl", format="turtle", encoding="utf-8")
    lines = sorted(set(graph.serialize(format="nt").splitlines()) - {""})
    (folder / "painkg.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    (folder / "painkg.jsonld").write_text(graph.serialize(format="json-ld", context=context, indent=1), encoding="utf-8")


def step_timings(repeat: int) -> list[dict]:
    from kg.export.rdf import write_rdf
    from kg.model.rdf import build_graph
    from kg.sources.curated import load_curated
    from kg.validate.checks import qc_violations, shacl_violations

    curated = load_curated(PROJECT / "data")
    graph = build_graph(curated)
    shapes, qc = curated.root / "schema" / "shapes.ttl", curated.root / "qc"
    assert baseline_shacl(graph, shapes) and shacl_violations(graph, shapes) == []
    assert baseline_qc(graph, qc) == 0 and qc_violations(graph, qc) == []
    with tempfile.TemporaryDirectory(prefix="painkg-bench-") as tmp:
        folder = Path(tmp)
        pairs = {
            "QC queries": (lambda: baseline_qc(graph, qc), lambda: qc_violations(graph, qc)),
            "SHACL": (lambda: baseline_shacl(graph, shapes), lambda: shacl_violations(graph, shapes)),
            "Turtle + N-Triples + JSON-LD": (lambda: baseline_serialise(graph, folder), lambda: write_rdf(graph, folder)),
        }
        rows = []
        for step, (before, now) in pairs.items():
            before(), now()  # warm up imports and caches
            old, new = paired_medians(before, now, repeat)
            rows.append({"step": step, "before_s": old, "now_s": new, "ratio": old / new})
    return rows


# ---------------------------------------------------------------- 2. end to end, current tree vs baseline revision

def baseline_tree(revision: str, into: Path) -> Path:
    """The files of `revision` (git archive), to run its own code."""
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", revision], capture_output=True,
                             check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def runner(tree: Path, env: dict):
    def run(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "kg", *args], cwd=tree, env={**env, "PYTHONPATH": str(tree)},
                       check=True, stdout=subprocess.DEVNULL)
    return run


def command_timings(revision: str, repeat: int) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")
           and not k.startswith("PAINKG_")}
    with tempfile.TemporaryDirectory(prefix="painkg-bench-") as tmp:
        tmp = Path(tmp)
        data = str(PROJECT / "data")
        old = runner(baseline_tree(revision, tmp / "baseline"), env)
        new = runner(PROJECT, {**env, "PAINKG_BUILD": str(tmp / "new-build")})
        old_build, new_build = str(tmp / "old-build"), str(tmp / "new-build")
        commands = {
            "kg build": (lambda: old("build", "--data", data, "--out", old_build),
                         lambda: new("build", "--data", data, "--out", new_build)),
            "kg build --no-views": (lambda: old("build", "--data", data, "--out", old_build, "--no-views"),
                                    lambda: new("build", "--data", data, "--out", new_build, "--no-views")),
            f"kg query {QUERY}": (lambda: old("query", QUERY, "--graph", old_build),
                                  lambda: new("query", QUERY)),
        }
        rows = []
        for command, (before, now) in commands.items():
            before(), now()  # writes bytecode, fills the build folders
            then, current = paired_medians(before, now, repeat)
            rows.append({"command": command, "before_s": then, "now_s": current, "ratio": then / current})
    return rows


def report(args) -> None:
    print(f"{'step (in process)':32s} {'before s':>9s} {'now s':>9s} {'before/now':>11s}")
    for row in step_timings(args.repeat):
        print(f"{row['step']:32s} {row['before_s']:9.3f} {row['now_s']:9.3f} {row['ratio']:10.1f}x")
    goals = {"kg build": GOAL_BUILD_S, f"kg query {QUERY}": GOAL_QUERY_S}
    print(f"\n{'command (end to end)':32s} {'before s':>9s} {'now s':>9s} {'before/now':>11s}  (baseline {args.baseline})")
    for row in command_timings(args.baseline, args.repeat):
        goal = goals.get(row["command"])
        verdict = "" if goal is None else f"  goal < {goal} s: {'met' if row['now_s'] < goal else 'NOT met'}"
        print(f"{row['command']:32s} {row['before_s']:9.3f} {row['now_s']:9.3f} {row['ratio']:10.1f}x{verdict}")
    print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores while measuring)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help=f"git revision to compare with (default {BASELINE})")
    report(parser.parse_args(argv))


if __name__ == "__main__":
    main()
