"""The project prefix map (schema/prefixes.tsv) as the query path needs it: CURIE -> IRI for parameters, IRI -> CURIE
for result cells, without loading curies or rdflib.

kg.vocab.project_converter reads the same file into a curies.Converter and checks it when the sources are
loaded (duplicate prefixes, missing columns); this reader only looks prefixes up. Importing curies takes longer
than answering a library query, and `kg query NAME` has 0.3 s in all.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

from kg.config import data_dir

# = kg.vocab.CURIE_RE (not imported from there: kg.vocab loads rdflib and curies)
IRI_UNSAFE = r"\s\x00-\x1f\x7f<>\"{}|\\^`"
CURIE_RE = re.compile(rf"^([A-Za-z][A-Za-z0-9._]*):([^{IRI_UNSAFE}:][^{IRI_UNSAFE}]*)$")


class PrefixMap:
    """prefix -> URI prefix; compress() picks the longest matching URI prefix, as curies does."""

    def __init__(self, prefix_map: dict[str, str]):
        self.prefix_map = dict(prefix_map)
        self._longest_first = sorted(
            ((uri, prefix) for prefix, uri in self.prefix_map.items()), key=lambda pair: len(pair[0]), reverse=True
        )
        self._compressed: dict[str, str | None] = {}

    def expand(self, curie: str, strict: bool = False) -> str | None:
        match = CURIE_RE.match(curie)
        if match and match.group(1) in self.prefix_map:
            return self.prefix_map[match.group(1)] + match.group(2)
        if strict:
            raise ValueError(f"{curie!r} is not a CURIE with a known prefix")
        return None

    def compress(self, iri: str) -> str | None:
        if iri not in self._compressed:
            self._compressed[iri] = next(
                (f"{prefix}:{iri[len(uri) :]}" for uri, prefix in self._longest_first if iri.startswith(uri)), None
            )
        return self._compressed[iri]


def prefix_map(data: Path | None = None) -> PrefixMap:
    """The prefix map of the curated sources folder (data/ unless PAINKG_DATA or `data` says otherwise)."""
    path = Path(data or data_dir()) / "schema" / "prefixes.tsv"
    stat = path.stat()
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read(path: str, _mtime_ns: int, _size: int) -> PrefixMap:
    text = Path(path).read_bytes().decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    return PrefixMap({row["prefix"]: row["uri_prefix"] for row in rows if row.get("prefix") and row.get("uri_prefix")})
