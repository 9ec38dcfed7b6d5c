"""The default graph, read once: the last build when it is newer than every curated file, the graph shipped in
the package when the sources are the packaged ones, else the sources checked and built in memory. Cached per
content of the data folder, so repeated calls cost nothing and an edited source is never served stale."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.config import build_dir, data_dir, packaged_data, packaged_graph

if TYPE_CHECKING:  # rdflib, networkx and the validator load when a graph is asked for, not for fresh_build()
    from rdflib import Graph

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
    """An N-Triples file to read instead of building: build/painkg.nt when no curated file is newer than it, else
    the graph a wheel ships (built from the packaged sources) when those are the sources asked for."""
    folder = Path(data or data_dir())
    nt = build_dir() / "painkg.nt"
    if nt.exists():
        newest = max((entry[3] for entry in fingerprint(folder)), default=0)
        if newest <= nt.stat().st_mtime_ns:
            return nt
    shipped = packaged_graph()
    if shipped is not None and folder.resolve() == packaged_data().resolve():
        return shipped / "painkg.nt"
    return None


def graph(data: Path | None = None) -> Graph:
    """The checked graph of `data` (default data/): parsed from a fresh build or built once, then cached."""
    folder = Path(data or data_dir())
    nt = fresh_build(folder) if data is None else None
    # where the graph comes from is part of the key: a build file found earlier (it holds the dataset description
    # too) must not answer once PAINKG_BUILD points elsewhere, or once the sources change
    key = (str(folder.resolve()), fingerprint(folder), str(nt) if nt else None, nt.stat().st_mtime_ns if nt else None)
    if key not in _CACHE:
        from rdflib import Graph

        from kg.validate import checked_graph

        _CACHE.clear()
        _CACHE[key] = Graph().parse(nt, format="nt") if nt else checked_graph(folder)[1]
    return _CACHE[key]


def as_rdflib(source=None) -> Graph:
    """An rdflib Graph from a Graph, a kg.load() store (anything with .rdflib_graph()), or None (the default graph)."""
    from rdflib import Graph

    if source is None:
        return graph()
    if isinstance(source, Graph):
        return source
    return source.rdflib_graph()


def to_networkx(source=None):
    """The graph as a networkx MultiDiGraph: entities as nodes, assertions as keyed edges with their evidence."""
    from kg.model.network import to_networkx as network_of

    return network_of(as_rdflib(source))
