"""Export: every file format is written from the validated graph, through one sink interface.

A sink is `sink(source: Validated, folder) -> {file name relative to folder: path}`, and SINKS lists them all.
`Validated` holds the checked rdflib graph and its networkx view, built at most once, so the RDF, KGX, GraphML
and Neo4j files (and the viewer pages the build writes beside them) all read the same input. Each format's
writer takes the one representation it needs, `write_<format>(graph or network, folder)`, and `on_graph` /
`on_network` make it a sink. `atomic.atomic_directory` makes a whole output folder replace the last one at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.export.graphs import write_graphml, write_neo4j
from kg.export.kgx import write_kgx
from kg.export.rdf import write_rdf
from kg.export.void import VOID_FILE, write_void
from kg.model.network import to_networkx


@dataclass(frozen=True, eq=False)
class Validated:
    """What every sink reads: a graph that passed kg.validate, and its networkx view built on first use."""

    graph: Graph
    description: Graph = field(default_factory=Graph)  # the dataset's VoID + DCAT record (kg.export.void), if any

    @cached_property
    def network(self) -> nx.MultiDiGraph:
        """Entities as nodes, assertions as keyed edges with their evidence (kg.model.network)."""
        return to_networkx(self.graph)


Sink = Callable[[Validated, Path], dict[str, Path]]


def on_graph(write: Callable[[Graph, Path], dict[str, Path]]) -> Sink:
    """A sink from a writer of the rdflib graph."""

    @wraps(write)
    def sink(source: Validated, folder: Path) -> dict[str, Path]:
        return write(source.graph, Path(folder))

    return sink


def on_network(write: Callable[[nx.MultiDiGraph, Path], dict[str, Path]]) -> Sink:
    """A sink from a writer of the networkx view."""

    @wraps(write)
    def sink(source: Validated, folder: Path) -> dict[str, Path]:
        return write(source.network, Path(folder))

    return sink


def write_rdf_with_description(source: Validated, folder: Path) -> dict[str, Path]:
    """The RDF files hold the graph and its dataset description, so a loaded graph says what it is."""
    return write_rdf(source.graph, Path(folder), source.description)


def write_description(source: Validated, folder: Path) -> dict[str, Path]:
    """void.ttl on its own, when the build described the dataset."""
    return {VOID_FILE: write_void(source.description, Path(folder))} if len(source.description) else {}


SINKS: dict[str, Sink] = {
    "rdf": write_rdf_with_description,
    "void": write_description,
    "kgx": on_graph(write_kgx),
    "graphml": on_network(write_graphml),
    "neo4j": on_network(write_neo4j),
}


def write_all(source: Validated, folder: Path) -> dict[str, Path]:
    """Every sink into one folder; keys are the written files' names relative to it."""
    written: dict[str, Path] = {}
    for sink in SINKS.values():
        written.update(sink(source, Path(folder)))
    return written


__all__ = ["SINKS", "Sink", "Validated", "on_graph", "on_network", "write_all"]
