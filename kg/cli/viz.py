"""`kg viz`: write one self-contained viewer page. Only argparse at import time (kg --help stays fast)."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_viz(args) -> int:
    """Render the chosen view and write it atomically; prints where it is."""
    from kg.config import sources
    from kg.views.viewer import viz

    print(sources(args.data))
    graph = None
    if args.data:
        from kg.store import graph as checked

        graph = checked(args.data)
    page = viz(
        focus=args.focus,
        depth=args.depth,
        systems=args.system,
        outcome=args.outcome,
        min_grade=args.min_grade,
        species=args.species,
        graph=graph,
        compare=args.compare,
    )
    try:
        path = page.save(args.out)
    except OSError as error:
        from kg.errors import UserError

        raise UserError(f"--out: cannot write {args.out}: {error.strerror or error}") from None
    print(f"{path}: {page.node_count} nodes, {page.edge_count} assertions ({page.title})")
    return 0


def _depth(text: str) -> int:
    """--depth must be a whole number >= 0 (argparse reports anything else in one line, exit 2)."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


def register(verbs) -> None:
    """Adds the viz sub-parser."""
    viz = verbs.add_parser("viz", help="write the interactive graph viewer as one self-contained HTML file")
    viz.add_argument("--focus", action="append", metavar="CURIE", help="centre on this entity (repeatable)")
    viz.add_argument("--depth", type=_depth, default=2, help="assertions away from the focus (default 2)")
    viz.add_argument(
        "--system", action="append", metavar="NAME", help="only this system's nodes and the assertions touching them (repeatable)"
    )
    viz.add_argument("--outcome", metavar="CURIE", help="mechanism paths from the focal drug to this outcome")
    viz.add_argument("--min-grade", metavar="G", help="only assertions of this confidence grade or better (A-D)")
    viz.add_argument(
        "--compare", action="append", metavar="CURIE", help="draw these drugs round the targets they share (repeat, 2 or more)"
    )
    viz.add_argument("--species", metavar="TAXON", help="only assertions in this species (NCBITaxon:9606, 9606, human)")
    viz.add_argument(
        "--data",
        type=Path,
        help="curated sources folder (default: data/ of the painkg checkout you are "
        "in, else the sources shipped with the package)",
    )
    viz.add_argument("--out", type=Path, default=Path("painkg-viewer.html"), help="output file (default painkg-viewer.html)")
    viz.set_defaults(func=cmd_viz)
