"""The RDF graph as a networkx MultiDiGraph: one node per curated entity, one edge per assertion.

Notebooks, the viewer and the path finder all need graph algorithms with the evidence at hand,
so every edge keeps the statement node's evidence as attributes (keyed by the assertion id).
The graph is read from RDF, not from the TSVs, so it works on any painkg graph (a build, a merge).
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.model.rdf import ASSERTION_LITERALS, ASSERTION_NUMBERS
from kg.vocab import BIOLINK, GRADE_PREFIX, PAINKG, SYSTEM_PREFIX, painkg_local, project_converter

CHEMICAL, TARGET, PROCESS, OUTCOME, OTHER = "chemical", "target", "process", "outcome", "other"
ROLE_OF_CATEGORY = {
    "biolink:SmallMolecule": CHEMICAL,
    "biolink:ChemicalEntity": CHEMICAL,
    "biolink:MolecularMixture": CHEMICAL,
    "biolink:Gene": TARGET,
    "biolink:Protein": TARGET,
    "biolink:MacromolecularComplex": TARGET,
    "biolink:BiologicalProcess": PROCESS,
    "biolink:PhysiologicalProcess": PROCESS,
    "biolink:Behavior": PROCESS,
    "biolink:Cell": PROCESS,
    "biolink:AnatomicalEntity": PROCESS,
    "biolink:Disease": OUTCOME,
    "biolink:PhenotypicFeature": OUTCOME,
    "biolink:ClinicalFinding": OUTCOME,
}
GRADE_RANK = {"A": 4, "B": 3, "C": 2, "D": 1}
LITERAL_EVIDENCE = {**ASSERTION_LITERALS, "source_file": PAINKG.sourceFile}
NUMERIC_EVIDENCE = ASSERTION_NUMBERS


def curie(iri) -> str:
    """Compress an IRI with the project prefix map (the IRI itself when no prefix matches)."""
    return project_converter().compress(str(iri), passthrough=True)


def _curie_or_empty(iri) -> str:
    return curie(iri) if iri is not None else ""


def _category(graph: Graph, node: URIRef) -> str:
    categories = sorted(curie(c) for c in graph.objects(node, RDF.type) if str(c).startswith(str(BIOLINK)))
    return categories[0] if categories else ""


def _node_attributes(graph: Graph, node: URIRef) -> dict:
    category = _category(graph, node)
    return {
        "label": str(graph.value(node, PAINKG.displayLabel) or graph.value(node, RDFS.label) or curie(node)),
        "ontology_label": str(graph.value(node, RDFS.label) or ""),
        "category": category,
        "role": ROLE_OF_CATEGORY.get(category, OTHER),
        "systems": sorted(painkg_local(s, SYSTEM_PREFIX) for s in graph.objects(node, PAINKG.system)),
        "synonyms": sorted(str(s) for s in graph.objects(node, SKOS.altLabel)),
        "xrefs": sorted(curie(x) for x in graph.objects(node, BIOLINK.xref)),
        "description": str(graph.value(node, DCTERMS.description) or ""),
        "focus": bool(graph.value(node, PAINKG.focus)),
    }


def _edge_attributes(graph: Graph, statement: URIRef, signs: dict[URIRef, int]) -> dict:
    predicate = graph.value(statement, RDF.predicate)
    grade = painkg_local(graph.value(statement, PAINKG.grade), GRADE_PREFIX)
    attributes = {
        "assertion": str(graph.value(statement, DCTERMS.identifier)),
        "predicate": painkg_local(predicate),
        "sign": signs.get(predicate, 0),
        "grade": grade,
        "grade_rank": GRADE_RANK.get(grade, 0),
        "support": painkg_local(graph.value(statement, PAINKG.support)),
        "species": _curie_or_empty(graph.value(statement, PAINKG.species)),
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


def focal_drugs(network: nx.MultiDiGraph) -> list[str]:
    """The drugs the curated data puts at the centre (entities flagged `focus`), in CURIE order."""
    return sorted(n for n, attributes in network.nodes(data=True) if attributes.get("focus"))


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes (label, category, role, systems ...), assertions as keyed edges with their evidence; both in
    IRI order, so every view drawn from the network is the same whatever Python's hash seed."""
    if not isinstance(graph, Graph):
        raise TypeError(f"to_networkx needs an rdflib Graph, not {type(graph).__name__} (kg.to_networkx accepts a store)")
    signs = {p: int(s.toPython()) for p, s in graph.subject_objects(PAINKG.sign)}
    network = nx.MultiDiGraph()
    for node in sorted(set(graph.subjects(PAINKG.identifierSource, None))):
        network.add_node(curie(node), **_node_attributes(graph, node))
    for statement in sorted(graph.subjects(RDF.type, PAINKG.Assertion)):
        subject, obj = (curie(graph.value(statement, p)) for p in (RDF.subject, RDF.object))
        attributes = _edge_attributes(graph, statement, signs)
        network.add_edge(subject, obj, key=attributes["assertion"], **attributes)
    return network


def comparisons(graph: Graph) -> list[dict]:
    """The curated drug comparisons (painkg:Comparison): id, label, description and member drugs as CURIEs."""
    found = []
    for node in set(graph.subjects(RDF.type, PAINKG.Comparison)):
        found.append(
            {
                "id": str(graph.value(node, DCTERMS.identifier)),
                "label": str(graph.value(node, RDFS.label)),
                "description": str(graph.value(node, DCTERMS.description) or ""),
                "drugs": sorted(curie(d) for d in graph.objects(node, PAINKG.member)),
            }
        )
    return sorted(found, key=lambda c: c["id"])
