"""SPARQL results in the format a client asks for: SPARQL JSON, CSV, TSV and XML for SELECT and ASK; Turtle,
JSON-LD, N-Triples or RDF/XML for CONSTRUCT and DESCRIBE."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from kg.serve.negotiation import RDF_TYPES, negotiate

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_TYPES = dict(
    zip(RDF_TYPES, (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML), strict=True)
)
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
}


@dataclass
class Answer:
    """What a query produced, capped at max_rows."""

    kind: str  # select, ask, graph
    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: bool = False
    truncated: bool = False


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def select_json(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return json.dumps({"head": {}, "boolean": answer.boolean}).encode()
    bindings = [{v: term_json(t) for v, t in zip(answer.variables, row, strict=True) if t is not None} for row in answer.rows]
    return json.dumps({"head": {"vars": answer.variables}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")


def select_csv(answer: Answer) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    if answer.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if answer.boolean else "false"])
    else:
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(["" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return stream.getvalue().encode("utf-8")


def select_tsv(answer: Answer) -> bytes:
    if answer.kind == "ask":
        return ("?_askResult\n" + ("true" if answer.boolean else "false") + "\n").encode()
    lines = ["\t".join("?" + v for v in answer.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in answer.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def select_xml(answer: Answer) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if answer.kind == "ask":
        out.append(f"<head/><boolean>{'true' if answer.boolean else 'false'}</boolean></sparql>")
        return "".join(out).encode("utf-8")
    out.append("<head>" + "".join(f'<variable name="{xml_escape(v)}"/>' for v in answer.variables) + "</head><results>")
    for row in answer.rows:
        out.append("<result>")
        for name, term in zip(answer.variables, row, strict=True):
            if term is not None:
                out.append(f'<binding name="{xml_escape(name)}">{_xml_term(term)}</binding>')
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang="{xml_escape(term.language)}">{xml_escape(term.value)}</literal>'
    return f'<literal datatype="{xml_escape(term.datatype.value)}">{xml_escape(term.value)}</literal>'


SELECT_WRITERS = {"json": select_json, "csv": select_csv, "tsv": select_tsv, "xml": select_xml}


def render(answer: Answer, accept: str, prefixes: dict | None = None) -> tuple[str, bytes]:
    """(content type, body) for an answer in the format the client asked for; `prefixes` shorten Turtle."""
    if answer.kind == "graph":
        media = negotiate(accept, GRAPH_TYPES, "text/turtle")
        return media, ox.serialize(answer.rows, format=GRAPH_TYPES[media], prefixes=prefixes or None)
    media = negotiate(accept, SELECT_TYPES, "application/sparql-results+json")
    charset = "" if SELECT_TYPES[media] == "json" else "; charset=utf-8"
    return media + charset, SELECT_WRITERS[SELECT_TYPES[media]](answer)
