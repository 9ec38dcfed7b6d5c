"""Scale benchmark: the curated graph merged with a generated drug-target-disease integration of 1M / 10M triples.

    .venv/bin/python benchmarks/scale.py --sizes 1000000,10000000 --stores rdflib,oxigraph-memory,oxigraph-disk,virtuoso

For each size it writes one N-Triples file (curated painkg.nt + generated triples; deterministic seed, cached in
--workdir), then for each store runs a separate subprocess (so peak RSS is that store's own) that loads the file
and runs every local library query (kg/queries, SERVICE queries excluded) with its default parameters through
kg.sparql.library.query. It prints the goal (every query under 1 s on pyoxigraph in memory) as pass / fail per query
with the query's time in full scans of the store (SCAN_QUERY, timed in the same process just before), then load time,
peak memory, each query's time (median of --repeat runs) and the rows returned, the ratios against pyoxigraph in
memory measured in the same run, and the growth from the smallest to the largest size. rdflib runs at sizes
<= --rdflib-max only (its in-memory store is the slow reference).

The generated part imitates what large integrations (Hetionet-like) add: many chemicals, genes, processes and
outcomes, and painkg-style assertion nodes (rdf:subject/predicate/object, evidence type, species, support, grade,
publication, affinity values) whose hop types, predicates and evidence values are sampled from the curated
assertions, so the library queries exercise their real patterns. A small share of generated assertions attaches
to curated entities (ketamine included), as merged sources do. Generated IRIs live under
https://example.org/painkg-synthetic/ and carry no real identifiers; publications are synthetic too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))  # test support: the Virtuoso harness and the load client

STORES = ("rdflib", "oxigraph-memory", "oxigraph-disk", "virtuoso")
BASELINE = "oxigraph-memory"
GOAL_S = 1.0  # the goal: every library query answers in under 1 s on the embedded store
GOAL_STORE = "oxigraph-memory"
# the unit of work each query is also measured in, timed in the same process just before the queries: one pass over
# every triple. A query's ratio to it stays comparable when a shared machine is busy and every time grows at once.
SCAN_QUERY = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
GRAPH_IRI = "https://w3id.org/painkg/graph"
SYN = "https://example.org/painkg-synthetic/"
PAINKG = "https://w3id.org/painkg/"
BIOLINK = "https://w3id.org/biolink/vocab/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT = "http://purl.org/dc/terms/"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
ATTACH_TO_CURATED = 0.02  # share of generated assertion ends that are curated entities
ENTITIES_PER_ASSERTION = 0.12
PUBLICATIONS_PER_ASSERTION = 0.2
FAMILY = 8  # size of the metabolite / subunit families same-kind hops stay within


# ================================================================ the curated graph's shape


def _iri(term) -> str:
    return term.value


def curated_shape(curated_nt: Path) -> dict:
    """What the generator imitates, read from the curated graph by triple patterns (no SPARQL needed)."""
    import pyoxigraph as ox

    from kg.model.network import ROLE_OF_CATEGORY

    store = ox.Store()
    store.bulk_load(path=str(curated_nt), format=ox.RdfFormat.N_TRIPLES)
    rdf_type = ox.NamedNode(RDF + "type")

    def objects(s, p):
        return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)]

    role_of, categories = {}, defaultdict(Counter)
    for quad in store.quads_for_pattern(None, rdf_type, None, None):
        category = "biolink:" + quad.object.value.removeprefix(BIOLINK)
        if quad.object.value.startswith(BIOLINK) and category in ROLE_OF_CATEGORY:
            role = ROLE_OF_CATEGORY[category]
            role_of[quad.subject.value] = role
            categories[role][quad.object.value] += 1
    hops, evidence, quantities = Counter(), defaultdict(Counter), []
    for quad in store.quads_for_pattern(None, rdf_type, ox.NamedNode(PAINKG + "Assertion"), None):
        a = quad.subject
        s, p, o = (objects(a, RDF + x)[0].value for x in ("subject", "predicate", "object"))
        if s in role_of and o in role_of:
            hops[(role_of[s], p, role_of[o])] += 1
        for prop in ("evidenceType", "species", "support", "grade"):
            evidence[prop].update(t.value for t in objects(a, PAINKG + prop))
        measure, unit = objects(a, PAINKG + "measure"), objects(a, PAINKG + "unit")
        if measure and unit and objects(a, PAINKG + "value"):
            quantities.append((measure[0].value, unit[0].value))
    curated = defaultdict(list)
    for iri, role in sorted(role_of.items()):
        curated[role].append(iri)
    return {
        "hops": hops,
        "evidence": evidence,
        "quantities": quantities,
        "categories": categories,
        "curated": curated,
        "triples": len(store),
    }


# ================================================================ the generator


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Generator:
    """Writes generated N-Triples lines shaped like the curated assertions; deterministic for a seed."""

    def __init__(self, shape: dict, n_assertions: int, seed: int):
        self.rng = random.Random(seed)
        self.shape = shape
        self.n_assertions = n_assertions
        roles = {role: sum(c.values()) for role, c in shape["categories"].items()}
        total = sum(roles.values())
        n_entities = max(100, int(n_assertions * ENTITIES_PER_ASSERTION))
        self.entities = {role: [f"{SYN}{role}/{i}" for i in range(max(10, n_entities * n // total))] for role, n in roles.items()}
        self.publications = [f"{SYN}publication/{i}" for i in range(max(10, int(n_assertions * PUBLICATIONS_PER_ASSERTION)))]
        self.hop_types, self.hop_weights = zip(*shape["hops"].items(), strict=True)
        self.evidence = {k: (list(c), list(c.values())) for k, c in shape["evidence"].items()}

    def pick(self, role: str) -> str:
        """Hubs exist: a skewed draw favours low indices; a small share lands on curated entities."""
        if self.shape["curated"][role] and self.rng.random() < ATTACH_TO_CURATED:
            return self.rng.choice(self.shape["curated"][role])
        pool = self.entities[role]
        return pool[int(len(pool) * self.rng.random() ** 2)]

    def family_member(self, s: str, role: str) -> str:
        """Same-kind hops (metabolite, enantiomer, subunit) stay inside small families of FAMILY entities, as
        metabolic trees do, so transitive paths stay short; curated ends attach like any other hop."""
        if not s.startswith(SYN):
            return self.pick(role)
        i = int(s.rsplit("/", 1)[1])
        family = i - i % FAMILY
        o = family + self.rng.randrange(FAMILY)
        o = o if o != i else family + (i + 1 - family) % FAMILY
        return self.entities[role][min(o, len(self.entities[role]) - 1)]

    def entity_lines(self):
        for role, pool in self.entities.items():
            cats, weights = zip(*self.shape["categories"][role].items(), strict=True)
            for i, iri in enumerate(pool):
                category = self.rng.choices(cats, weights)[0]
                yield f"<{iri}> <{RDF}type> <{category}> ."
                yield f"<{iri}> <{RDFS_LABEL}> {_lit(f'synthetic {role} {i}')} ."
                yield f"<{iri}> <{DCT}identifier> {_lit(f'SYN:{role}-{i}')} ."
                yield f"<{iri}> <{PAINKG}identifierSource> {_lit('generated by benchmarks/scale.py')} ."
                yield f"<{iri}> <{BIOLINK}xref> <{SYN}xref/{role}-{i}> ."

    def publication_lines(self):
        for i, iri in enumerate(self.publications):
            yield f"<{iri}> <{RDF}type> <{BIOLINK}Publication> ."
            yield f"<{iri}> <{DCT}identifier> {_lit(f'SYN:pub-{i}')} ."
            yield f"<{iri}> <{RDFS_LABEL}> {_lit(f'Synthetic et al. ({2000 + i % 25})')} ."
            yield f"<{iri}> <{DCT}title> {_lit(f'Synthetic study {i}')} ."

    def _evidence(self, prop: str) -> str:
        values, weights = self.evidence[prop]
        return self.rng.choices(values, weights)[0]

    def assertion_lines(self, i: int):
        role_s, predicate, role_o = self.rng.choices(self.hop_types, self.hop_weights)[0]
        s = self.pick(role_s)
        o = self.family_member(s, role_o) if role_s == role_o else self.pick(role_o)
        a = f"<{SYN}assertion/{i}>"
        yield f"<{s}> <{predicate}> <{o}> ."
        yield f"{a} <{RDF}type> <{PAINKG}Assertion> ."
        yield f"{a} <{RDF}subject> <{s}> ."
        yield f"{a} <{RDF}predicate> <{predicate}> ."
        yield f"{a} <{RDF}object> <{o}> ."
        yield f"{a} <{DCT}identifier> {_lit(f'SYN-{i}')} ."
        for prop in ("evidenceType", "species", "support", "grade"):
            yield f"{a} <{PAINKG}{prop}> <{self._evidence(prop)}> ."
        yield f"{a} <{PAINKG}publication> <{self.rng.choice(self.publications)}> ."
        yield f"{a} <{PAINKG}sourceFile> {_lit(f'synthetic:{i}')} ."
        yield f"{a} <{PAINKG}model> {_lit('synthetic model')} ."
        if role_o == "target" and self.shape["quantities"] and self.rng.random() < 0.4:
            measure, unit = self.rng.choice(self.shape["quantities"])
            yield f"{a} <{PAINKG}measure> {_lit(measure)} ."
            yield f'{a} <{PAINKG}value> "{round(self.rng.lognormvariate(0, 1.5), 3)}"^^<{XSD_DECIMAL}> .'
            yield f"{a} <{PAINKG}unit> {_lit(unit)} ."


def generate(size: int, workdir: Path, seed: int) -> tuple[Path, int]:
    """curated + generated N-Triples with about `size` distinct triples (cached); returns (path, exact count)."""
    path = workdir / f"painkg-scale-{size}-seed{seed}.nt"
    count_file = path.with_suffix(".count")
    if path.exists() and count_file.exists():
        return path, int(count_file.read_text())
    curated = curated_nt(workdir)
    shape = curated_shape(curated)
    per_assertion = 16.5
    n_assertions = max(
        100, int((size - shape["triples"]) / (per_assertion + ENTITIES_PER_ASSERTION * 5 + PUBLICATIONS_PER_ASSERTION * 4))
    )
    gen = Generator(shape, n_assertions, seed)
    seen_direct: set[str] = set()
    written = 0
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as out:
        for line in open(curated, encoding="utf-8"):
            if line.strip():
                out.write(line if line.endswith("\n") else line + "\n")
                written += 1
        for line in _chain(gen.entity_lines(), gen.publication_lines()):
            out.write(line + "\n")
            written += 1
        i = 0
        while written < size:
            lines = list(gen.assertion_lines(i))
            if lines[0] in seen_direct:  # the same direct triple twice is one triple in a store
                lines = lines[1:]
            else:
                seen_direct.add(lines[0])
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            i += 1
    partial.rename(path)
    count_file.write_text(str(written))
    return path, written


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable


def curated_nt(workdir: Path) -> Path:
    """The curated graph, built from data/ into the work folder (never into the shared build/)."""
    out = workdir / "curated-build"
    if not (out / "painkg.nt").exists():
        from kg.build.pipeline import run_build

        run_build(out, views=False)
    return out / "painkg.nt"


# ================================================================ one store, in its own process


def local_queries() -> list[str]:
    from kg.sparql.library import library

    return sorted(n for n, q in library().items() if not re.search(r"\bSERVICE\b", q.text, re.IGNORECASE))


def run_isolated(run, name: str, timeout: int) -> dict:
    """One query in a forked copy of this process, killed after `timeout` s.

    Native engines (pyoxigraph) do not return to Python while they evaluate, so no signal can stop them; a forked
    child shares the loaded store copy-on-write and can be killed without losing it.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run, report, exit without cleanup handlers
        os.close(read_end)
        try:
            start = time.perf_counter()
            rows = len(run(name))
            message = {"s": time.perf_counter() - start, "rows": rows}
        except MemoryError:
            message = {"error": "out of memory (over --max-memory-gb)"}
        except BaseException as error:  # noqa: BLE001 - a failing query is a result to report
            message = {"error": (str(error).splitlines() or [type(error).__name__])[0][:160]}
        os.write(write_end, json.dumps(message).encode("utf-8"))
        os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], timeout)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return {"timeout": timeout}
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks) or b'{"error": "query process died"}')


def time_queries(run, repeat: int, timeout: int) -> dict:
    """{query: {"s": median seconds, "rows": n}} or {"timeout": s} / {"error": text}; SCAN_QUERY under "scan"."""
    run("cq-03")  # warm-up: imports (pandas) and the prefix map load once, outside the timings
    results = {}
    for name in ["scan", *local_queries()]:
        runs = []
        for _ in range(repeat):
            outcome = run_isolated(run, SCAN_QUERY if name == "scan" else name, timeout)
            if "s" not in outcome:
                runs = [outcome]
                break
            runs.append(outcome)
            if outcome["s"] > 10:  # slow: one run is measurement enough
                break
        if "s" in runs[0]:
            results[name] = {"s": statistics.median(r["s"] for r in runs), "rows": runs[0]["rows"]}
        else:
            results[name] = runs[0]
        print(f"{name}: {results[name]}", file=sys.stderr, flush=True)
    return results


def peak_rss_mb() -> float:
    """Largest resident set of this process or of any query process forked from it."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    forked = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, forked) / 1024


def measure_embedded(store_kind: str, path: Path, workdir: Path, repeat: int, timeout: int) -> dict:
    from kg.sparql.library import query

    start = time.perf_counter()
    if store_kind == "rdflib":
        from rdflib import Graph

        from kg.store.backends import RdflibStore

        store = RdflibStore(Graph().parse(str(path), format="nt"))
    else:
        import pyoxigraph as ox

        from kg.store.backends import OxigraphStore

        folder = tempfile.mkdtemp(prefix="oxigraph-", dir=workdir) if store_kind == "oxigraph-disk" else None
        ox_store = ox.Store(folder) if folder else ox.Store()
        ox_store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        store = OxigraphStore(ox_store)
    load_s = time.perf_counter() - start
    rss_after_load = peak_rss_mb()
    queries = time_queries(lambda name: query(name, graph=store), repeat, timeout)
    result = {
        "load_s": load_s,
        "peak_rss_mb_load": rss_after_load,
        "peak_rss_mb": peak_rss_mb(),
        "triples": store.triples_count(),
        "queries": queries,
    }
    if store_kind == "oxigraph-disk":
        import shutil

        del store, ox_store
        shutil.rmtree(folder, ignore_errors=True)
    return result


def _vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_virtuoso(path: Path, workdir: Path, repeat: int, timeout: int, size: int) -> dict:
    from kg.sparql.library import query
    from support.virtuoso import start_virtuoso

    folder = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=workdir))
    buffers = max(20000, size // 25)  # ~8 kB pages: about 3 GB of buffers at 10M triples
    with start_virtuoso(folder, load_dir=path.parent, buffers=buffers, max_rows=10_000_000) as v:
        start = time.perf_counter()
        v.bulk_load(path, GRAPH_IRI)
        load_s = time.perf_counter() - start
        rss_after_load = _vm_hwm_mb(v.process.pid)
        endpoint = v.sparql_url_for(GRAPH_IRI)
        queries = time_queries(lambda name: query(name, endpoint=endpoint), repeat, timeout)
        count = query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", endpoint=endpoint)["n"].iloc[0]
        peak = _vm_hwm_mb(v.process.pid)
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return {
        "load_s": load_s,
        "peak_rss_mb_load": rss_after_load,
        "peak_rss_mb": peak,
        "triples": int(count),
        "queries": queries,
        "note": f"server process VmHWM; NumberOfBuffers={buffers}",
    }


def limit_memory(gigabytes: float) -> None:
    """Cap this process's address space so a runaway query fails here instead of starving the machine."""
    limit = int(gigabytes * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def child(args) -> int:
    path, workdir = Path(args.child_file), Path(args.workdir)
    if args.child != "virtuoso":  # the Virtuoso server is a child of this process and sizes its own buffers
        limit_memory(args.max_memory_gb)
    if args.child == "virtuoso":
        result = measure_virtuoso(path, workdir, args.repeat, args.timeout, args.child_size)
    else:
        result = measure_embedded(args.child, path, workdir, args.repeat, args.timeout)
    print("RESULT " + json.dumps(result))
    return 0


def run_child(store: str, path: Path, size: int, args) -> dict:
    timeout = args.rdflib_timeout if store == "rdflib" else args.timeout
    command = [
        sys.executable,
        __file__,
        "--child",
        store,
        "--child-file",
        str(path),
        "--child-size",
        str(size),
        "--workdir",
        str(args.workdir),
        "--repeat",
        str(args.repeat),
        "--timeout",
        str(timeout),
        "--max-memory-gb",
        str(args.max_memory_gb),
    ]
    log = Path(args.workdir) / f"{store}-{size}.log"
    with open(log, "w", encoding="utf-8") as progress:  # per-query progress, readable while it runs
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=progress, text=True, cwd=PROJECT)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": (log.read_text(encoding="utf-8").strip().splitlines() or ["no output"])[-1][:200]}


# ================================================================ the report


def _short(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size / 1e6:.1f}M"


def _fmt_s(q: dict | None) -> str:
    if not q:
        return "-"
    if "error" in q:
        return "error"
    if "timeout" in q:
        return f">{q['timeout']} s"
    return f"{q['s']:.3f}" if q["s"] < 10 else f"{q['s']:.1f}"


def metric_rows(results: dict, queries: list[str]) -> list[tuple[str, dict]]:
    """(row label, {column: value}) for the main table."""
    rows = [
        ("triples", {c: f"{r['triples']:,}" for c, r in results.items() if "triples" in r}),
        ("load (s)", {c: f"{r['load_s']:.1f}" for c, r in results.items() if "load_s" in r}),
        ("peak RSS (MB)", {c: f"{r['peak_rss_mb']:,.0f}" for c, r in results.items() if "peak_rss_mb" in r}),
    ]
    for name in queries:
        rows.append((f"{name} (s)", {c: _fmt_s(r.get("queries", {}).get(name)) for c, r in results.items()}))
        rows.append((f"{name} rows", {c: str(r.get("queries", {}).get(name, {}).get("rows", "-")) for c, r in results.items()}))
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _value(result: dict, key: str, query: str | None = None) -> float | None:
    if query:
        q = result.get("queries", {}).get(query, {})
        return q.get("s")
    return result.get(key)


def ratio_table(results: dict, sizes: list[int], stores: list[str], queries: list[str]) -> str:
    """Each store / pyoxigraph in memory at the same size (x; > 1 = slower or bigger)."""
    header = ["measure"] + [f"{s} {_short(n)}" for n in sizes for s in stores if s != BASELINE and (s, n) in results]
    rows = []
    for label, key, query in [("load", "load_s", None), ("peak RSS", "peak_rss_mb", None)] + [(q, None, q) for q in queries]:
        row = [label]
        for n in sizes:
            base = results.get((BASELINE, n), {})
            for s in stores:
                if s == BASELINE or (s, n) not in results:
                    continue
                a, b = _value(results[(s, n)], key, query), _value(base, key, query)
                row.append(f"{a / b:.1f}x" if a and b else "-")
        rows.append(row)
    return markdown(header, rows)


def growth_table(results: dict, sizes: list[int], stores: list[str], queries: list[str]) -> str:
    small, large = min(sizes), max(sizes)
    header = ["measure"] + [s for s in stores if (s, small) in results and (s, large) in results]
    rows = []
    for label, key, query in [("load", "load_s", None), ("peak RSS", "peak_rss_mb", None)] + [(q, None, q) for q in queries]:
        row = [label]
        for s in header[1:]:
            a, b = _value(results[(s, large)], key, query), _value(results[(s, small)], key, query)
            row.append(f"{a / b:.1f}x" if a and b else "-")
        rows.append(row)
    return markdown(header, rows)


def goal_table(results: dict, sizes: list[int]) -> str:
    """Per query on GOAL_STORE: seconds, the goal met or not, and the time in full scans of the same run."""
    measured = [n for n in sizes if "queries" in results.get((GOAL_STORE, n), {})]
    if not measured:
        return ""
    header = ["query"] + [f"{label} {_short(n)}" for n in measured for label in ("s", "goal", "x scan")]
    rows, met = [], dict.fromkeys(measured, 0)
    for name in local_queries():
        row = [name]
        for n in measured:
            found = results[(GOAL_STORE, n)]["queries"]
            q, scan = found.get(name, {}), found.get("scan", {}).get("s")
            passed = "s" in q and q["s"] < GOAL_S
            met[n] += passed
            row += [_fmt_s(q), "pass" if passed else "FAIL", f"{q['s'] / scan:.1f}" if "s" in q and scan else "-"]
        rows.append(row)
    scans = ", ".join(f"{_short(n)} {_fmt_s(results[(GOAL_STORE, n)]['queries'].get('scan'))} s" for n in measured)
    summary = "; ".join(f"{_short(n)}: met by {met[n]} of {len(rows)}" for n in measured)
    return (
        f"Goal: each library query under {GOAL_S:g} s on {GOAL_STORE} ({summary}). x scan = the query's time "
        f"over one full scan of every triple timed in the same process ({scans}).\n\n" + markdown(header, rows)
    )


def report(results: dict, sizes: list[int], stores: list[str]) -> str:
    queries = ["scan", *local_queries()]  # the full scan first: what each store takes to read every triple once
    columns = {f"{s} {_short(n)}": results[(s, n)] for n in sizes for s in stores if (s, n) in results}
    table = markdown(
        ["measure"] + list(columns),
        [[label] + [values.get(c, "-") for c in columns] for label, values in metric_rows(columns, queries)],
    )
    goal = goal_table(results, sizes)
    parts = ([f"## Goal: every query under {GOAL_S:g} s on {GOAL_STORE}", goal, ""] if goal else []) + [
        "## Measurements",
        table,
        f"\n## Ratio to {BASELINE} at the same size",
        ratio_table(results, sizes, stores, queries),
    ]
    if len(sizes) > 1:
        parts += [
            f"\n## Growth {_short(min(sizes))} -> {_short(max(sizes))} (same store)",
            growth_table(results, sizes, stores, queries),
        ]
    errors = [f"- {c}: {r['error']}" for c, r in columns.items() if "error" in r]
    errors += [f"- {c} {q}: {v['error']}" for c, r in columns.items() for q, v in r.get("queries", {}).items() if "error" in v]
    if errors:
        parts += ["\n## Errors", "\n".join(errors)]
    return "\n".join(parts)


# ================================================================ main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000000,10000000", help="comma-separated triple counts")
    p.add_argument("--stores", default=",".join(STORES), help=f"comma-separated, from {', '.join(STORES)}")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "painkg-scale")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--repeat", type=int, default=3, help="runs per query (median reported)")
    p.add_argument("--timeout", type=int, default=120, help="seconds before a query counts as too slow")
    p.add_argument("--max-memory-gb", type=float, default=10, help="address-space cap for each embedded-store process")
    p.add_argument("--rdflib-timeout", type=int, default=30, help="per-query limit for rdflib (the slow reference)")
    p.add_argument("--merge", action="store_true", help="keep earlier results.json entries (other sizes/stores)")
    p.add_argument("--report-only", action="store_true", help="print the tables from the last run's results.json")
    p.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest size rdflib is run at")
    p.add_argument("--child", choices=STORES, help=argparse.SUPPRESS)
    p.add_argument("--child-file", help=argparse.SUPPRESS)
    p.add_argument("--child-size", type=int, default=0, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.child:
        return child(args)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    stores = [s.strip() for s in args.stores.split(",")]
    unknown = set(stores) - set(STORES)
    if unknown:
        print(f"scale.py: error: unknown store(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    saved = args.workdir / "results.json"
    results = {}
    if args.report_only or args.merge:
        results = {(s, int(n)): r for s, n, r in json.loads(saved.read_text())} if saved.exists() else {}
    if args.report_only:
        print(report(results, sizes, stores))
        return 0
    for size in sizes:
        start = time.perf_counter()
        path, count = generate(size, args.workdir, args.seed)
        print(f"# {path.name}: {count:,} triples (generated in {time.perf_counter() - start:.0f} s)", flush=True)
        for store in stores:
            if store == "rdflib" and size > args.rdflib_max:
                continue
            results[(store, size)] = run_child(store, path, size, args)
            saved.write_text(json.dumps([[s, n, r] for (s, n), r in results.items()]))
            r = results[(store, size)]
            print(
                f"#   {store}: load {r.get('load_s', float('nan')):.1f} s, peak {r.get('peak_rss_mb', float('nan')):,.0f} MB"
                + (f", error: {r['error']}" if "error" in r else ""),
                flush=True,
            )
    print()
    print(report(results, sizes, stores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
