"""`kg publish` (graph -> a triple store's named graph) and `kg export` (GraphML / Neo4j CSV).

Only argparse-level code at import time: the verbs import their modules when they run, so `kg --help` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path


def register(verbs) -> None:
    """Adds the publish and export sub-parsers."""
    _add_publish(verbs)
    _add_export(verbs)


def _add_publish(verbs) -> None:
    p = verbs.add_parser(
        "publish",
        help="upload the built graph into a named graph of a triple store and verify the count",
        description="Graph Store Protocol PUT (replaces the graph), falling back to SPARQL Update "
        "(DROP + INSERT DATA); then counts the triples in the graph and fails on a mismatch.",
    )
    p.add_argument(
        "--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso)"
    )
    p.add_argument(
        "--graph",
        help="named graph IRI (default: the versioned one the build's void.ttl records, https://w3id.org/painkg/graph/VERSION)",
    )
    p.add_argument("--user", help="user for digest or basic auth")
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the password (never on the command line)")
    p.add_argument("--update-endpoint", help="SPARQL Update URL for the fallback (default: --endpoint)")
    p.add_argument(
        "--query-endpoint",
        help="SPARQL query URL used to count the triples read back (default: --update-endpoint, else --endpoint)",
    )
    p.add_argument("--source", type=Path, help="N-Triples file or build folder (default: build/painkg.nt)")
    p.set_defaults(func=cmd_publish)


def _add_export(verbs) -> None:
    p = verbs.add_parser("export", help="write the graph as GraphML or Neo4j import CSV (nodes = entities, edges = assertions)")
    p.add_argument("--format", required=True, choices=("graphml", "neo4j"))
    p.add_argument("--out", type=Path, help="output folder (default: build/)")
    p.add_argument("--graph", type=Path, help="RDF file or build folder to read (default: the current build / data/)")
    p.set_defaults(func=cmd_export)


def _password(args) -> str | None:
    from kg.errors import UserError

    if not args.password_env:
        return None
    if args.password_env not in os.environ:
        raise UserError(f"--password-env: environment variable {args.password_env} is not set")
    return os.environ[args.password_env]


def cmd_publish(args) -> int:
    from kg.store.publish import publish

    result = publish(
        args.endpoint,
        args.graph,
        args.user,
        _password(args),
        args.source,
        update_endpoint=args.update_endpoint,
        query_endpoint=args.query_endpoint,
    )
    print(result.summary())
    return 0


def cmd_export(args) -> int:
    from kg.config import build_dir
    from kg.export import SINKS, Validated
    from kg.store import as_rdflib

    graph = None
    if args.graph:
        from kg.store.backends import load

        graph = load(args.graph, store="rdflib").rdflib_graph()
    out = Path(args.out or build_dir())
    out.mkdir(parents=True, exist_ok=True)
    paths = SINKS[args.format](Validated(as_rdflib(graph)), out)
    for path in paths.values():
        print(path)
    return 0
