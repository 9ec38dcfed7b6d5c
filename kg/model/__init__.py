"""Model: checked rows become RDF (a direct triple plus a statement node carrying the evidence), and RDF
becomes the networkx view that the path engine and the viewer walk."""

from kg.model.rdf import build_graph

__all__ = ["build_graph"]
