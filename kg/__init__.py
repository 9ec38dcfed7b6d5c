"""painkg: a curated, evidence-backed knowledge graph of analgesic mechanisms, starting with ketamine.

Public API (imported lazily, so `import kg` is cheap):
    kg.load(...)          the built graph on the embedded pyoxigraph store (or rdflib / a remote endpoint)
    kg.graph(...)         the checked rdflib Graph (the last build, or the sources built once and cached)
    kg.query(name, **p)   a library or ad-hoc SPARQL query as a pandas DataFrame
    kg.describe(curie)    one entity with its assertions and evidence
    kg.queries()          the competency-question library (name, question, parameters, defaults)
    kg.to_networkx(...)   the graph as a networkx MultiDiGraph with evidence attributes
    kg.paths(...)         evidenced mechanism paths drug -> target -> process -> outcome (the same as cq-04)
    kg.engagement(...)    per target and potency: potency and plasma concentration in µM, their ratio (cq-17)
    kg.compare(...)       targets two or more drugs act on, with each drug's potency and engagement there (cq-44)
    kg.compare_paths(...) each drug's mechanism paths to one outcome, and the nodes they share (cq-45)
    kg.viz(...)           the interactive viewer as HTML
    kg.evidence           tables for notebooks: evidence per assertion, conflicts, enantiomers, designs

The data flow, one subpackage a step (none imports a later one):
    sources -> model -> validate -> export -> store -> sparql -> mechanisms -> views -> serve -> build -> cli
"""

from __future__ import annotations

import importlib

from kg.config import VERSION as __version__  # noqa: F401  (the package's version, read by importers)

_LAZY = {
    "load": "kg.store",
    "graph": "kg.store",
    "to_networkx": "kg.store",
    "query": "kg.sparql",
    "describe": "kg.sparql",
    "queries": "kg.sparql",
    "paths": "kg.mechanisms",
    "engagement": "kg.mechanisms",
    "compare": "kg.mechanisms",
    "compare_paths": "kg.mechanisms",
    "viz": "kg.views",
}
_MODULES = {"evidence": "kg.mechanisms.evidence"}

__all__ = [
    "compare",
    "compare_paths",
    "describe",
    "engagement",
    "evidence",
    "graph",
    "load",
    "load_ipython_extension",
    "paths",
    "queries",
    "query",
    "to_networkx",
    "viz",
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


def load_ipython_extension(ipython):
    """`%load_ext kg` registers the %%sparql cell magic."""
    from kg.sparql.magic import register

    register(ipython)
