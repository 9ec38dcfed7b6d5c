"""Store: the validated graph behind one query interface — embedded pyoxigraph (default), rdflib's memory
store, or a remote SPARQL endpoint — plus `graph()`, the one cached graph later layers read when the caller
passes none, and `publish` into any Graph Store Protocol server."""

from kg.store.backends import OxigraphStore, RdflibStore, RemoteStore, Store, load
from kg.store.graph import as_rdflib, graph, to_networkx

__all__ = ["OxigraphStore", "RdflibStore", "RemoteStore", "Store", "as_rdflib", "graph", "load", "to_networkx"]
