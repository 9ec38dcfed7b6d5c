"""Write the build artefacts: Turtle, N-Triples, JSON-LD, KGX TSV and stats.json into one folder."""
from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph

from kg.export import kgx

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


def write_tsv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    """Plain KGX TSV: values written exactly as curated (no quoting or escaping, so a `"` or `\\`
    in a note survives); a tab, newline or carriage return would break the table and is refused."""
    lines = ["\t".join(columns)]
    for row in rows:
        values = [row.get(column, "") or "" for column in columns]
        bad = next((v for v in values if any(c in v for c in "\t\n\r")), None)
        if bad is not None:
            raise ValueError(f"{path.name}: row {row.get('id', '?')}: value {bad!r} contains a tab or line break")
        lines.append("\t".join(values))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_kgx(curated, folder: Path) -> dict[str, Path]:
    """KGX nodes/edges TSV with Biolink categories, predicates and qualifiers."""
    return {
        "kgx/nodes.tsv": write_tsv(folder / "kgx" / "nodes.tsv", kgx.NODE_COLUMNS, kgx.node_rows(curated)),
        "kgx/edges.tsv": write_tsv(folder / "kgx" / "edges.tsv", kgx.EDGE_COLUMNS, kgx.edge_rows(curated)),
    }


def write_json(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
