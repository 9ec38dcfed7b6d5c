"""painkg: a curated, evidence-backed knowledge graph of analgesic mechanisms, starting with ketamine.

Public API (imported lazily, so `import kg` is cheap):
    kg.load(...)          the built graph on the embedded pyoxigraph store (or rdflib / a remote endpoint)
    kg.query(name, **p)   a library or ad-hoc SPARQL query as a pandas DataFrame
    kg.describe(curie)    one entity with its assertions and evidence
    kg.queries()          the competency-question library (name, question, parameters, defaults)
    kg.to_networkx(...)   the graph as a networkx MultiDiGraph with evidence attributes
    kg.paths(...)         evidenced mechanism paths drug -> target -> process -> outcome
    kg.viz(...)           the interactive viewer as HTML
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "load": "kg.store", "query": "kg.api", "describe": "kg.api", "queries": "kg.api", "to_networkx": "kg.network",
    "paths": "kg.mechanism_paths", "viz": "kg.viewer",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def load_ipython_extension(ipython):
    """`%load_ext kg` registers the %%sparql cell magic."""
    from kg.magic import register

    register(ipython)
