"""The default graph, read once: the last build when it is newer than every curated file, else the sources
checked and built in memory. Cached per content of the data folder, so repeated calls cost nothing and an
edited source is never served stale."""
from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph

from kg.config import build_dir, data_dir
from kg.model.network import to_networkx as _network_of
from kg.validate import checked_graph

_CACHE: dict[tuple, Graph] = {}


def fingerprint(folder: Path) -> tuple:
    """Name, size and modification time of every file below `folder`: changes whenever a curator saves."""
    entries = []
    for parent, _dirs, files in os.walk(folder):
        for name in files:
            stat = os.stat(os.path.join(parent, name))
            entries.append((parent, name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


def fresh_build(data: Path | None = None) -> Path | None:
    """build/painkg.nt when it exists and no curated file is newer than it."""
    nt = build_dir() / "painkg.nt"
    if not nt.exists():
        return None
    built = nt.stat().st_mtime_ns
    newest = max((entry[3] for entry in fingerprint(data or data_dir())), default=0)
    return nt if newest <= built else None


def graph(data: Path | None = None) -> Graph:
    """The checked graph of `data` (default data/): parsed from a fresh build or built once, then cached."""
    folder = Path(data or data_dir())
    key = (str(folder.resolve()), fingerprint(folder))
    if key not in _CACHE:
        nt = fresh_build(folder) if data is None else None
        _CACHE.clear()
        _CACHE[key] = Graph().parse(nt, format="nt") if nt else checked_graph(folder)[1]
    return _CACHE[key]


def as_rdflib(source=None) -> Graph:
    """An rdflib Graph from a Graph, a kg.load() store (anything with .rdflib_graph()), or None (the default graph)."""
    if source is None:
        return graph()
    if isinstance(source, Graph):
        return source
    return source.rdflib_graph()


def to_networkx(source=None):
    """The graph as a networkx MultiDiGraph: entities as nodes, assertions as keyed edges with their evidence."""
    return _network_of(as_rdflib(source))
