"""Command line: verbs map to functions, nothing else. Imports are lazy so `kg --help` starts fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2
DATA_HELP = "curated sources folder (default: data/ of the painkg checkout you are in, else the sources shipped with the package)"


def _fail(message: str) -> int:
    print(f"kg: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _sources(args):
    """The curated sources a command reads (--data, ./data of a checkout, or the packaged ones), announced."""
    from kg.config import sources

    chosen = sources(args.data)
    print(chosen)
    return chosen.folder


def cmd_build(args) -> int:
    from kg.build.pipeline import run_build

    result = run_build(args.out, _sources(args), views=not args.no_views, endpoint=args.sparql_endpoint)
    s = result.stats
    print(
        f"painkg built: {s['entities']} entities, {s['assertions']} assertions, {s['references_cited']} cited references, "
        f"{s['studies']} studies, {s['triples']} triples; SHACL and QC checks passed"
    )
    for layer_name, counts in s["layers"].items():
        print(f"  {layer_name} layer: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(
        f"  pharmacokinetics: {s['pk_records']} records, {s['pk_substances']} substances, {s['pk_routes']} routes; "
        f"dosing: {s['dosing_records']} records"
    )
    for key in ("mechanism_paths", "outcomes_with_mechanism_path", "sign_rule_breaks"):
        if key in s:
            value = s[key]
            print(f"  {key.replace('_', ' ')}: {len(value) if isinstance(value, list) else value}")
    unmet = [f"{k} {t['value']}/{t['target']}" for k, t in s["targets"].items() if not t["met"]]
    print("  content targets: " + ("all met" if not unmet else "NOT met: " + ", ".join(unmet)))
    print("artefacts:")
    for name, path in sorted(result.artefacts.items()):
        if not name.startswith("views/") or name == "views/index.html":
            print(f"  {path}")
    views = [p for n, p in result.artefacts.items() if n.startswith("views/")]
    if views:
        print(f"  {len(views)} viewer pages in {result.out / 'views'} (open views/index.html)")
    return 0


def cmd_validate(args) -> int:
    from kg.validate import checked_graph

    curated, graph = checked_graph(_sources(args))
    print(
        f"valid: {len(curated.entities)} entities, {len(curated.assertions)} assertions, {len(graph)} triples; "
        "SHACL and QC checks passed"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="kg", description="painkg: curated knowledge graph of analgesic mechanisms (ketamine).")
    verbs = top.add_subparsers(dest="verb", required=True, metavar="VERB")

    build = verbs.add_parser("build", help="check the curated sources, build and validate the graph, write all artefacts")
    build.add_argument("--out", type=Path, help="output folder (default: build/ of the painkg checkout you are in, else ./build)")
    build.add_argument("--data", type=Path, help=DATA_HELP)
    build.add_argument("--no-views", action="store_true", help="skip the HTML viewer pages")
    build.add_argument(
        "--sparql-endpoint", metavar="URL", help="SPARQL endpoint where this build will be served, recorded in void.ttl"
    )
    build.set_defaults(func=cmd_build)

    validate = verbs.add_parser("validate", help="run every check without writing anything; exit 2 with a report on problems")
    validate.add_argument("--data", type=Path, help=DATA_HELP)
    validate.set_defaults(func=cmd_validate)

    _add_more_verbs(verbs)
    return top


VERB_MODULES = ("kg.cli.query", "kg.cli.viz", "kg.cli.publish", "kg.cli.diff")


def _add_more_verbs(verbs) -> None:
    """Verbs of the using-modules (query, serve, viz, publish): each module's register(verbs) adds its sub-parsers."""
    import importlib

    for name in VERB_MODULES:
        importlib.import_module(name).register(verbs)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from kg.errors import SourceError

    try:
        return args.func(args)
    except SourceError as error:
        print(error.report(), file=sys.stderr)
        return _fail(f"{len(error.problems)} problem(s) in curated sources; nothing was written")
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        known = _known_error(error)
        if known is None:
            raise
        return known


def _known_error(error: Exception) -> int | None:
    from kg.validate import ValidationError

    if isinstance(error, ValidationError):
        print(error.report(), file=sys.stderr)
        return _fail(f"{len(error.violations)} validation problem(s); nothing was written")
    from kg.errors import UserError

    if isinstance(error, UserError):
        return _fail(str(error))
    return None


if __name__ == "__main__":
    sys.exit(main())
