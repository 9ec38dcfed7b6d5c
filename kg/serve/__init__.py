"""Serve: a read-only SPARQL 1.1 Protocol endpoint and query page, built on kg.store and kg.sparql."""
