"""Registration of the verbs beyond build/validate (query, queries, describe, serve, viz, publish)."""

from __future__ import annotations

import argparse


def register(verbs) -> None:
    """Each using-module adds its own sub-parser; kept here so cli.py stays a thin table."""
    register_query_verbs(verbs)


# ---------------------------------------------------------- queries, query, describe, serve (kg.sparql.library, kg.serve.server)

FORMATS = ("table", "csv", "tsv", "json")


def register_query_verbs(verbs) -> None:
    """`kg queries`, `kg query`, `kg describe`, `kg serve`; imports stay inside the commands so --help is fast."""
    listing = verbs.add_parser("queries", help="list the competency-question library (name, question, parameters)")
    listing.add_argument("--format", choices=FORMATS, default="table")
    listing.set_defaults(func=cmd_queries)

    query = verbs.add_parser("query", help="run a library query, a .rq file or SPARQL text; prints a table, CSV, TSV or JSON")
    query.add_argument("name", nargs="?", help="library query name (cq-01-drug-targets, cq-01, 1) or a path to a .rq file")
    query.add_argument("--sparql", help="SPARQL SELECT text to run instead of a library query")
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="parameter binding, e.g. --param drug=PREFIX:local (repeatable; `kg queries` lists each query's parameters)",
    )
    query.add_argument("--format", choices=FORMATS, default="table")
    query.add_argument("--endpoint", help="query this SPARQL endpoint URL instead of the local build")
    query.add_argument("--store", choices=("oxigraph", "rdflib"), default="oxigraph", help="local store (default oxigraph)")
    query.add_argument("--graph", help="build folder or RDF file to query (default: build/, rebuilt in memory if stale)")
    query.set_defaults(func=cmd_query)

    describe = verbs.add_parser("describe", help="one entity with its identifiers, systems and every assertion with evidence")
    describe.add_argument("curie", help="entity CURIE (PREFIX:local, a prefix of data/schema/prefixes.tsv)")
    describe.add_argument("--format", choices=("text", "json"), default="text")
    describe.add_argument("--endpoint", help="SPARQL endpoint URL instead of the local build")
    describe.set_defaults(func=cmd_describe)

    serve = verbs.add_parser(
        "serve", help="SPARQL 1.1 endpoint (read-only) with linked-data pages, a query page at /query and the explorer"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, local only)")
    serve.add_argument("--port", type=int, default=7878)
    serve.add_argument("--timeout", type=float, default=10.0, metavar="S", help="per-query time limit in seconds")
    serve.add_argument("--max-rows", type=int, default=10000, metavar="N", help="result rows returned at most")
    serve.add_argument(
        "--allow-service", nargs="*", default=[], metavar="HOST", help="hosts SERVICE clauses may call (default: none)"
    )
    serve.add_argument("--workers", type=int, default=4, help="query worker processes (default 4)")
    serve.add_argument("--graph", help="build folder or RDF file to serve (default: build/)")
    serve.set_defaults(func=cmd_serve)


def parse_params(pairs: list[str]) -> dict[str, str]:
    from kg.errors import UserError

    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--param {pair!r}: expected KEY=VALUE")
        params[key.strip()] = value
    return params


def cmd_queries(args: argparse.Namespace) -> int:
    from kg.sparql.library import queries

    df = queries()
    if args.format == "table":
        for row in df.itertuples():
            print(f"{row.name}\n    {row.question}")
            if row.parameters:
                defaults = ", ".join(f"{k}={v}" if v else f"{k} (optional)" for k, v in row.defaults.items())
                print(f"    parameters: {defaults}")
        print(f"{len(df)} queries; run one with: kg query NAME [--param KEY=VALUE]")
        return 0
    print(render(df, args.format), end="")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    """Rows straight from the store to text: no pandas (and no rdflib on the default store), so it starts fast."""
    from kg.errors import UserError
    from kg.sparql.library import query_rows

    if bool(args.name) == bool(args.sparql):
        raise UserError("give either a query NAME / FILE.rq or --sparql TEXT")
    columns, rows = query_rows(
        args.sparql or args.name, graph=args.graph, endpoint=args.endpoint, store=args.store, **parse_params(args.param)
    )
    print(render_rows(columns, rows, args.format), end="")
    return 0


def _cell(value) -> str:
    return "" if value is None else str(value)


def render_rows(columns: list[str], rows: list[list], fmt: str) -> str:
    """Rows as text, the way `render` prints the same DataFrame: right-aligned table, CSV, TSV, JSON records."""
    if fmt == "json":
        import json

        return json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return out.getvalue()
    if not rows:
        return "(no rows)\n"
    cells = [[" " + repr(v) if isinstance(v, float) else _cell(v) for v in row] for row in rows]  # as pandas pads
    widths = [max(len(c) for c in [name, *(row[i] for row in cells)]) for i, name in enumerate(columns)]
    lines = [" ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)) for line in [columns, *cells]]
    return "\n".join(lines) + f"\n({len(rows)} rows)\n"


def render(df, fmt: str) -> str:
    """The DataFrame as text: an aligned table, CSV, TSV or JSON records."""
    if fmt == "json":
        return df.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        return df.to_csv(index=False, sep="," if fmt == "csv" else "\t", lineterminator="\n")
    if df.empty:
        return "(no rows)\n"
    return df.astype(object).where(df.notna(), "").to_string(index=False) + f"\n({len(df)} rows)\n"


def cmd_describe(args: argparse.Namespace) -> int:
    import json

    from kg.sparql.library import describe

    entity = describe(args.curie, endpoint=args.endpoint)
    if args.format == "json":
        print(json.dumps(entity, indent=1, ensure_ascii=False, default=str))
        return 0
    print(f"{entity['id']}  {entity['label']}  ({entity['category']})")
    for key in ("description", "synonyms", "xrefs", "systems", "identifier_source"):
        value = entity[key]
        if value:
            print(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    print(f"  {len(entity['assertions'])} assertions:")
    for a in entity["assertions"]:
        numbers = f" {a['measure']} {a['value']} {a['unit']}" if a.get("measure") else ""
        print(
            f"    {a['assertion']}: {a['subject_label']} {a['predicate']} {a['object_label']} "
            f"[{a['support']}, grade {a['grade']}, {a['species']}]{numbers} {', '.join(a['publications'])}"
        )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve.server import serve_forever

    serve_forever(
        host=args.host,
        port=args.port,
        graph=args.graph,
        timeout=args.timeout,
        max_rows=args.max_rows,
        allow_service=args.allow_service,
        workers=args.workers,
    )
    return 0
