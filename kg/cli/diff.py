"""`kg diff OLD NEW`: assertions added, removed and changed field by field, and new references (kg.build.diff)."""

from __future__ import annotations

import json


def cmd_diff(args) -> int:
    """Print the comparison; differences are the answer, not a failure, so the exit code is 0."""
    from kg.build.diff import diff

    result = diff(args.old, args.new)
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
    else:
        print(result.as_text(), end="")
    return 0


def register(verbs) -> None:
    """Adds the diff sub-parser."""
    p = verbs.add_parser(
        "diff",
        help="compare two builds, sources folders or git revisions: assertions added, "
        "removed and changed field by field, new references",
        description="Each side is a build folder (with painkg.nt), a curated sources folder, or a "
        "git revision of the checkout you are in (its data/ is built with the current "
        "code). Examples: kg diff old-build build; kg diff v0.1.0 HEAD; kg diff HEAD data",
    )
    p.add_argument("old", help="build folder, sources folder or git revision")
    p.add_argument("new", help="build folder, sources folder or git revision")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_diff)
