"""Export: every artefact is written from the validated graph — Turtle, N-Triples, JSON-LD, KGX TSV,
GraphML, Neo4j CSV — into a folder that replaces the last build in one rename."""
