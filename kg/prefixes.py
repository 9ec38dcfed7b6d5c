"""The one CURIE prefix map (data/schema/prefixes.tsv), as a curies.Converter."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import curies

CURIE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9._]*):([^\s|:][^\s|]*)$")


@lru_cache(maxsize=8)
def load_converter(path: Path) -> curies.Converter:
    """Read the prefix map once per path."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return curies.Converter.from_prefix_map({row["prefix"]: row["uri_prefix"] for row in rows})


def curie_problem(value: str, converter: curies.Converter) -> str | None:
    """Why `value` is not a usable CURIE, or None when it is."""
    match = CURIE_RE.match(value)
    if not match:
        return f"malformed CURIE {value!r} (expected PREFIX:local, no spaces)"
    if match.group(1) not in converter.prefix_map:
        return f"unknown prefix {match.group(1)!r} in {value!r} (add it to schema/prefixes.tsv)"
    return None
