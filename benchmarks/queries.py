"""Query benchmark: every library query on embedded pyoxigraph vs rdflib's memory store (ratio per query),
end-to-end `kg query`, `kg --help` start-up, and endpoint throughput of `kg serve` (vs Virtuoso when installed).

    .venv/bin/python benchmarks/queries.py [--repeat 5] [--requests 5000] [--clients 8] [--no-virtuoso]

Goals (from the project brief): each library query < 50 ms on the embedded store; `kg --help` < 0.3 s.
Every figure is measured in this run; ratios compare stores measured side by side. Throughput is measured from a
second process (this script re-run with --client) so client and server do not share an interpreter.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))  # test support: the Virtuoso harness and the load client
GOAL_QUERY_MS = 50
GOAL_HELP_S = 0.3
SIMPLE = ("SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_6121> "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def median_time(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def library_timings(repeat: int) -> list[dict]:
    """Median time of each local library query on oxigraph and rdflib (defaults bound), with the ratio."""
    from kg.sparql.library import library, query
    from kg.validate import checked_graph
    from kg.store.backends import load

    graph = checked_graph()[1]
    stores = {"oxigraph": load(graph), "rdflib": load(graph, store="rdflib")}
    query("cq-16-graph-statistics", graph=stores["oxigraph"])  # warm up pandas and the prefix map
    rows = []
    for name, entry in library().items():
        if re.search(r"\bSERVICE\b", entry.text, re.I):
            continue
        times = {kind: median_time(lambda s=store: query(name, graph=s), repeat) for kind, store in stores.items()}
        rows.append({"query": name, "oxigraph_ms": times["oxigraph"] * 1000, "rdflib_ms": times["rdflib"] * 1000,
                     "ratio": times["rdflib"] / times["oxigraph"]})
    return rows


def command_time(args: list[str], repeat: int) -> float:
    return median_time(lambda: subprocess.run([sys.executable, "-m", "kg", *args], cwd=PROJECT, check=True,
                                              capture_output=True), repeat)


def client(url: str, requests: int, clients: int) -> dict:
    """Run `requests` GETs of the simple query from `clients` threads on keep-alive connections."""
    from support.load_client import run_load

    return run_load(url, requests, clients, query=SIMPLE).as_dict()


def measure_from_second_process(url: str, requests: int, clients: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--client", url, "--requests", str(requests),
                           "--clients", str(clients)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def kg_serve_throughput(ntriples: Path, requests: int, clients: int) -> dict:
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--graph", str(ntriples)],
                               cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"(http://[\d.]+:\d+/sparql)", process.stdout.readline()).group(1)
        measure_from_second_process(url, 200, clients)  # warm up
        return measure_from_second_process(url, requests, clients)
    finally:
        process.terminate()
        process.wait(timeout=10)


def virtuoso_throughput(ntriples: Path, requests: int, clients: int) -> dict | str:
    from support.virtuoso import start_virtuoso, virtuoso_missing

    missing = virtuoso_missing()
    if missing:
        return f"not measured: {missing}"
    graph_iri = "https://w3id.org/painkg/graph"
    with start_virtuoso(load_dir=ntriples.parent) as virtuoso:
        virtuoso.bulk_load(ntriples, graph_iri)
        url = virtuoso.sparql_url_for(graph_iri)
        measure_from_second_process(url, 200, clients)
        return measure_from_second_process(url, requests, clients)


def report(args) -> None:
    from kg.validate import checked_graph

    rows = library_timings(args.repeat)
    print(f"{'library query':40s} {'oxigraph ms':>12s} {'rdflib ms':>10s} {'rdflib/oxigraph':>16s}")
    for row in rows:
        flag = "" if row["oxigraph_ms"] < GOAL_QUERY_MS else f"  (over the {GOAL_QUERY_MS} ms goal)"
        print(f"{row['query']:40s} {row['oxigraph_ms']:12.1f} {row['rdflib_ms']:10.1f} {row['ratio']:15.1f}x{flag}")
    ox = [r["oxigraph_ms"] for r in rows]
    print(f"{len(rows)} queries: oxigraph median {statistics.median(ox):.1f} ms, max {max(ox):.1f} ms; "
          f"{sum(o < GOAL_QUERY_MS for o in ox)}/{len(rows)} under {GOAL_QUERY_MS} ms; "
          f"median rdflib/oxigraph ratio {statistics.median(r['ratio'] for r in rows):.1f}x")

    with tempfile.TemporaryDirectory(prefix="painkg-bench-") as folder:
        ntriples = Path(folder) / "painkg.nt"
        checked_graph()[1].serialize(destination=ntriples, format="nt", encoding="utf-8")
        help_s = command_time(["--help"], args.repeat)
        query_s = command_time(["query", "cq-01-drug-targets", "--graph", str(ntriples), "--format", "csv"], args.repeat)
        print(f"kg --help: {help_s:.3f} s (goal < {GOAL_HELP_S} s); "
              f"kg query cq-01-drug-targets end to end: {query_s:.3f} s")
        ours = kg_serve_throughput(ntriples, args.requests, args.clients)
        print(f"kg serve, {ours['requests']} requests from {args.clients} clients: {ours['rps']:.0f} requests/s, "
              f"p50 {ours['p50_ms']:.2f} ms, p99 {ours['p99_ms']:.2f} ms, errors {ours['errors']}")
        if not args.no_virtuoso:
            theirs = virtuoso_throughput(ntriples, args.requests, args.clients)
            if isinstance(theirs, str):
                print(f"Virtuoso: {theirs}")
            else:
                print(f"Virtuoso /sparql, same graph and load: {theirs['rps']:.0f} requests/s, p50 {theirs['p50_ms']:.2f} ms, "
                      f"p99 {theirs['p99_ms']:.2f} ms, errors {theirs['errors']}; "
                      f"kg serve / Virtuoso throughput {ours['rps'] / theirs['rps']:.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--no-virtuoso", action="store_true")
    parser.add_argument("--client", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        print(json.dumps(client(args.client, args.requests, args.clients)))
        return
    report(args)


if __name__ == "__main__":
    main()
