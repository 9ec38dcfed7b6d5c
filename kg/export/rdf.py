"""Write the RDF artefacts (Turtle, N-Triples, JSON-LD) and stats.json into one folder."""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

RDF_FILES = {"painkg.ttl": "turtle", "painkg.nt": "nt", "painkg.jsonld": "json-ld"}


def write_rdf(graph: Graph, folder: Path) -> dict[str, Path]:
    """Serialise the graph three ways; N-Triples lines are sorted so diffs between builds are readable."""
    paths = {}
    for name, fmt in RDF_FILES.items():
        path = folder / name
        if fmt == "nt":
            lines = sorted(set(graph.serialize(format="nt").splitlines()) - {""})
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        elif fmt == "json-ld":
            context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
            path.write_text(graph.serialize(format="json-ld", context=context, indent=1), encoding="utf-8")
        else:
            graph.serialize(destination=path, format=fmt, encoding="utf-8")
        paths[name] = path
    return paths


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
