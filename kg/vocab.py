"""The project's vocabulary in one place: the painkg and Biolink namespaces, the IRI builders for assertions,
pharmacokinetic and dosing records, systems, grades and PK parameters, and the one CURIE prefix map
(data/schema/prefixes.tsv) as a curies.Converter."""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

import curies
from rdflib import Namespace, URIRef

from kg.config import data_dir

PAINKG = Namespace("https://w3id.org/painkg/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
ASSERTION = Namespace(PAINKG + "assertion/")
PK_RECORD = Namespace(PAINKG + "pk/")
DOSING_RECORD = Namespace(PAINKG + "dosing/")
COMPARISON = Namespace(PAINKG + "comparison/")
SYSTEM_PREFIX, GRADE_PREFIX, PK_PARAMETER_PREFIX = "system-", "grade-", "pk-"


def graph_iri(version: str) -> URIRef:
    """The named graph one release is published into: https://w3id.org/painkg/graph/<version>."""
    return PAINKG[f"graph/{version}"]


def dataset_iri(version: str) -> URIRef:
    """The dataset (VoID / DCAT) one release describes: https://w3id.org/painkg/dataset/<version>."""
    return PAINKG[f"dataset/{version}"]


def system_iri(name: str) -> URIRef:
    """painkg:system-<name>, the node for one physiological system."""
    return PAINKG[SYSTEM_PREFIX + name]


def grade_iri(grade: str) -> URIRef:
    """painkg:grade-<A-D>, the node for one confidence grade."""
    return PAINKG[GRADE_PREFIX + grade]


def pk_parameter_iri(parameter: str) -> URIRef:
    """painkg:pk-<parameter>, the node for one pharmacokinetic parameter (pk-bioavailability)."""
    return PAINKG[PK_PARAMETER_PREFIX + parameter]


def painkg_local(iri, prefix: str = "") -> str:
    """The local name of a painkg IRI without `prefix` (painkg:grade-B -> "B" with GRADE_PREFIX)."""
    return str(iri)[len(str(PAINKG)) + len(prefix) :]


def project_converter(data: Path | None = None) -> curies.Converter:
    """The prefix map of the curated data folder (data/ unless PAINKG_DATA or `data` says otherwise)."""
    path = (data or data_dir()) / "schema" / "prefixes.tsv"
    stat = path.stat()
    return _converter_at(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _converter_at(path: str, _mtime_ns: int, _size: int) -> curies.Converter:
    """One parse per version of the file: the stat values are the cache key."""
    return load_converter(Path(path))


# The local part may not hold what an IRI cannot (space, control characters, <>"{}|\^`), so every
# accepted CURIE expands to an IRI that Turtle, N-Triples and JSON-LD writers accept.
IRI_UNSAFE = r"\s\x00-\x1f\x7f<>\"{}|\\^`"
CURIE_RE = re.compile(rf"^([A-Za-z][A-Za-z0-9._]*):([^{IRI_UNSAFE}:][^{IRI_UNSAFE}]*)$")
PREFIX_COLUMNS = ("prefix", "uri_prefix")


class PrefixMapError(ValueError):
    """prefixes.tsv cannot be used (missing columns, empty or duplicate prefix), with the line and field to fix."""

    def __init__(self, line: int, field: str, message: str):
        self.line, self.field, self.message = line, field, message
        super().__init__(f"line {line}: {field}: {message}" if field else f"line {line}: {message}")


def load_converter(path: Path) -> curies.Converter:
    """Read the prefix map; parsed once per file content, so an edited file is never served stale."""
    return _converter_from_text(Path(path).read_bytes().decode("utf-8-sig"))


@lru_cache(maxsize=8)
def _converter_from_text(text: str) -> curies.Converter:
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    if not reader.fieldnames or any(c not in reader.fieldnames for c in PREFIX_COLUMNS):
        raise PrefixMapError(1, "header", f"expected columns {' '.join(PREFIX_COLUMNS)}")
    prefix_map: dict[str, str] = {}
    for row in reader:
        line = reader.line_num  # as an editor shows it (blank lines are skipped but still counted)
        prefix, uri = (row.get(c) or "" for c in PREFIX_COLUMNS)
        if not prefix or not uri:
            raise PrefixMapError(line, "prefix" if not prefix else "uri_prefix", "prefix and uri_prefix are both required")
        if prefix in prefix_map:
            raise PrefixMapError(line, "prefix", f"{prefix!r} is defined twice")
        owner = next((p for p, u in prefix_map.items() if u == uri), None)
        if owner:
            raise PrefixMapError(line, "uri_prefix", f"{uri!r} is already the URI prefix of {owner!r}")
        prefix_map[prefix] = uri
    try:
        return curies.Converter.from_prefix_map(prefix_map)
    except ValueError as error:  # anything else curies refuses, shown as its first line
        raise PrefixMapError(0, "", (str(error).strip().splitlines() or ["invalid prefix map"])[0]) from error


def curie_problem(value: str, converter: curies.Converter) -> str | None:
    """Why `value` is not a usable CURIE, or None when it is."""
    shown = value if len(value) <= 80 else value[:80] + "..."
    match = CURIE_RE.match(value)
    if not match:
        return f"malformed CURIE {shown!r} (expected PREFIX:local, no spaces, quotes, <>{{}}|\\^` or control characters)"
    if match.group(1) not in converter.prefix_map:
        return f"unknown prefix {match.group(1)!r} in {shown!r} (add it to schema/prefixes.tsv)"
    return None
