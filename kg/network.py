"""The RDF graph as a networkx MultiDiGraph: one node per curated entity, one edge per assertion.

Notebooks, the viewer and the path finder all need graph algorithms with the evidence at hand,
so every edge keeps the statement node's evidence as attributes (keyed by the assertion id).
The graph is read from RDF, not from the TSVs, so it works on any painkg graph (a build, a merge).
"""
from __future__ import annotations

from functools import lru_cache

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.schema import BIOLINK, PAINKG

CHEMICAL, TARGET, PROCESS, OUTCOME, OTHER = "chemical", "target", "process", "outcome", "other"
ROLE_OF_CATEGORY = {
    "biolink:SmallMolecule": CHEMICAL, "biolink:ChemicalEntity": CHEMICAL, "biolink:MolecularMixture": CHEMICAL,
    "biolink:Gene": TARGET, "biolink:Protein": TARGET, "biolink:MacromolecularComplex": TARGET,
    "biolink:BiologicalProcess": PROCESS, "biolink:PhysiologicalProcess": PROCESS, "biolink:Behavior": PROCESS,
    "biolink:Cell": PROCESS, "biolink:AnatomicalEntity": PROCESS,
    "biolink:Disease": OUTCOME, "biolink:PhenotypicFeature": OUTCOME, "biolink:ClinicalFinding": OUTCOME,
}
GRADE_RANK = {"A": 4, "B": 3, "C": 2, "D": 1}
LITERAL_EVIDENCE = {
    "model": PAINKG.model, "direction": PAINKG.direction, "measure": PAINKG.measure, "unit": PAINKG.unit,
    "stereoisomer": PAINKG.stereoisomer, "population": PAINKG.population, "dose": PAINKG.dose,
    "route": PAINKG.route, "note": PAINKG.note, "source_file": PAINKG.sourceFile,
}
NUMERIC_EVIDENCE = {"value": PAINKG.value, "value_low": PAINKG.valueLow, "value_high": PAINKG.valueHigh}


def _local(iri, prefix: str = "") -> str:
    return str(iri)[len(str(PAINKG)) + len(prefix):]


@lru_cache(maxsize=1)
def _converter():
    from kg.config import data_dir
    from kg.prefixes import load_converter

    return load_converter(data_dir() / "schema" / "prefixes.tsv")


def curie(iri) -> str:
    """Compress an IRI with the project prefix map (the IRI itself when no prefix matches)."""
    return _converter().compress(str(iri), passthrough=True)


def _category(graph: Graph, node: URIRef) -> str:
    categories = sorted(curie(c) for c in graph.objects(node, RDF.type) if str(c).startswith(str(BIOLINK)))
    return categories[0] if categories else ""


def _node_attributes(graph: Graph, node: URIRef) -> dict:
    category = _category(graph, node)
    return {
        "label": str(graph.value(node, RDFS.label) or curie(node)),
        "category": category,
        "role": ROLE_OF_CATEGORY.get(category, OTHER),
        "systems": sorted(_local(s, "system-") for s in graph.objects(node, PAINKG.system)),
        "synonyms": sorted(str(s) for s in graph.objects(node, SKOS.altLabel)),
        "xrefs": sorted(curie(x) for x in graph.objects(node, BIOLINK.xref)),
        "description": str(graph.value(node, DCTERMS.description) or ""),
    }


def _edge_attributes(graph: Graph, statement: URIRef, signs: dict[URIRef, int]) -> dict:
    predicate = graph.value(statement, RDF.predicate)
    grade = _local(graph.value(statement, PAINKG.grade), "grade-")
    attributes = {
        "assertion": str(graph.value(statement, DCTERMS.identifier)),
        "predicate": _local(predicate),
        "sign": signs.get(predicate, 0),
        "grade": grade,
        "grade_rank": GRADE_RANK.get(grade, 0),
        "support": _local(graph.value(statement, PAINKG.support)),
        "species": curie(graph.value(statement, PAINKG.species)),
        "evidence_type": curie(graph.value(statement, PAINKG.evidenceType)),
        "publications": sorted(curie(p) for p in graph.objects(statement, PAINKG.publication)),
        "studies": sorted(curie(s) for s in graph.objects(statement, PAINKG.study)),
    }
    for name, prop in LITERAL_EVIDENCE.items():
        value = graph.value(statement, prop)
        attributes[name] = "" if value is None else str(value)
    for name, prop in NUMERIC_EVIDENCE.items():
        value = graph.value(statement, prop)
        attributes[name] = None if value is None else float(value.toPython())
    return attributes


def default_graph() -> Graph:
    """The checked graph built from the curated sources (data/, or PAINKG_DATA)."""
    from kg.build import checked_graph

    return checked_graph()[1]


def as_rdflib(graph=None) -> Graph:
    """Accept an rdflib Graph, anything with .rdflib_graph() (a kg.load() store), or None (build from data/)."""
    if graph is None:
        return default_graph()
    if isinstance(graph, Graph):
        return graph
    return graph.rdflib_graph()


def to_networkx(graph=None) -> nx.MultiDiGraph:
    """Entities as nodes (label, category, role, systems ...), assertions as keyed edges with their evidence."""
    graph = as_rdflib(graph)
    signs = {p: int(s.toPython()) for p, s in graph.subject_objects(PAINKG.sign)}
    network = nx.MultiDiGraph()
    for node in set(graph.subjects(PAINKG.identifierSource, None)):
        network.add_node(curie(node), **_node_attributes(graph, node))
    for statement in graph.subjects(RDF.type, PAINKG.Assertion):
        subject, obj = (curie(graph.value(statement, p)) for p in (RDF.subject, RDF.object))
        attributes = _edge_attributes(graph, statement, signs)
        network.add_edge(subject, obj, key=attributes["assertion"], **attributes)
    return network
