"""Write the RDF artefacts (Turtle, N-Triples, JSON-LD, with pyoxigraph's writers) and stats.json into one folder."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from kg.validate.checks import oxigraph_store

RDF_FILES = {"painkg.ttl": "turtle", "painkg.nt": "nt", "painkg.jsonld": "json-ld"}


def prefixes_of(graph: Graph) -> dict[str, str]:
    """The prefixes bound in the graph (the project prefix map), for Turtle."""
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def write_rdf(graph: Graph, folder: Path, *more: Graph) -> dict[str, Path]:
    """Serialise the graph (and `more`, e.g. the dataset description) three ways with pyoxigraph's writers, the
    triples in one sorted order: the same sources give byte-identical files whatever Python's hash seed (set order),
    Turtle groups each subject's triples, and diffs between builds are readable. JSON-LD is written expanded."""
    import pyoxigraph as ox

    store = oxigraph_store(graph)
    for extra in more:
        store.bulk_load(extra.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    triples = sorted((quad.triple for quad in store), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    formats = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD}
    paths = {}
    for name, fmt in RDF_FILES.items():
        path = folder / name
        data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes_of(graph) if fmt == "turtle" else None)
        if fmt == "nt":
            data = b"".join(sorted(data.splitlines(keepends=True)))  # byte order, as `sort` gives it
        path.write_bytes(data)
        paths[name] = path
    return paths


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
