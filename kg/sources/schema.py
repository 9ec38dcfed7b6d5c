"""The painkg ontology (data/schema/painkg.ttl): predicates with their Biolink mapping and sign, systems, grades,
pharmacokinetic parameters.

The Turtle file is the single definition; the readers, the model and the KGX export all ask this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef

from kg.vocab import BIOLINK, PAINKG, PK_PARAMETER_PREFIX, SYSTEM_PREFIX


@dataclass(frozen=True)
class Predicate:
    name: str
    iri: URIRef
    label: str
    kgx_predicate: str
    causal_mechanism: str
    object_aspect: str
    object_direction: str
    sign: int


@dataclass(frozen=True)
class Schema:
    graph: Graph
    predicates: dict[str, Predicate]
    systems: frozenset[str]
    categories: frozenset[str]
    grades: frozenset[str]
    supports: frozenset[str]
    pk_parameters: frozenset[str] = frozenset()


def _text(graph: Graph, subject: URIRef, prop: URIRef) -> str:
    value = graph.value(subject, prop)
    return "" if value is None else str(value)


def _curie(iri: str) -> str:
    return "biolink:" + iri[len(str(BIOLINK)) :] if iri.startswith(str(BIOLINK)) else iri


def read_predicates(graph: Graph) -> dict[str, Predicate]:
    """Every painkg predicate (a subject of painkg:kgxPredicate) in `graph`: the schema or a graph that holds it."""
    predicates = {}
    for iri in graph.subjects(PAINKG.kgxPredicate, None):
        name = str(iri)[len(str(PAINKG)) :]
        predicates[name] = Predicate(
            name=name,
            iri=iri,
            label=_text(graph, iri, RDFS.label),
            kgx_predicate=_curie(_text(graph, iri, PAINKG.kgxPredicate)),
            causal_mechanism=_text(graph, iri, PAINKG.causalMechanism),
            object_aspect=_text(graph, iri, PAINKG.objectAspect),
            object_direction=_text(graph, iri, PAINKG.objectDirection),
            sign=int(graph.value(iri, PAINKG.sign)),
        )
    return predicates


def _local_names(graph: Graph, cls: URIRef, strip: str = "") -> frozenset[str]:
    return frozenset(str(s)[len(str(PAINKG)) + len(strip) :] for s in graph.subjects(RDF.type, cls))


def load_schema(path: Path) -> Schema:
    """Parse the ontology once per content, so an edited file is never served stale."""
    return _parse_schema(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _parse_schema(text: str) -> Schema:
    graph = Graph().parse(data=text, format="turtle")
    return Schema(
        graph=graph,
        predicates=read_predicates(graph),
        systems=_local_names(graph, PAINKG.System, SYSTEM_PREFIX),
        categories=frozenset(_curie(str(c)) for c in graph.subjects(PAINKG.allowedCategory, None)),
        grades=frozenset(str(graph.value(g, RDFS.label)) for g in graph.subjects(RDF.type, PAINKG.ConfidenceGrade)),
        supports=_local_names(graph, PAINKG.SupportLevel),
        pk_parameters=_local_names(graph, PAINKG.PharmacokineticParameter, PK_PARAMETER_PREFIX),
    )
