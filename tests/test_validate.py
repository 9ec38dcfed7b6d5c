"""SHACL shapes and QC queries catch what a broken graph would carry, naming the curated line."""

from __future__ import annotations

from rdflib import RDF, RDFS, Literal, URIRef

from kg.model.rdf import build_graph
from kg.validate.checks import validate_graph
from support.project import DATA

PAINKG = "https://w3id.org/painkg/"
SEED = URIRef(PAINKG + "assertion/A-seed-0001")


def fresh_graph(curated):
    return build_graph(curated)


def checks_of(violations):
    return {v.check for v in violations}


def test_clean_graph_has_no_violations(curated):
    assert validate_graph(fresh_graph(curated), DATA) == []


def test_assertion_without_publication(curated):
    graph = fresh_graph(curated)
    graph.remove((SEED, URIRef(PAINKG + "publication"), None))
    violations = validate_graph(graph, DATA)
    assert {"shacl", "assertion-without-publication"} <= checks_of(violations)
    assert any(v.where.startswith("data/assertions/seed-review.tsv:2") for v in violations)


def test_publication_not_in_references(curated):
    graph = fresh_graph(curated)
    graph.add((SEED, URIRef(PAINKG + "publication"), URIRef("http://www.ncbi.nlm.nih.gov/pubmed/1")))
    assert "publication-not-in-references" in checks_of(validate_graph(graph, DATA))


def test_dangling_and_unlabelled_node(curated):
    graph = fresh_graph(curated)
    ghost = URIRef("http://purl.obolibrary.org/obo/CHEBI_999999999")
    graph.set((SEED, RDF.object, ghost))
    graph.add((URIRef("http://purl.obolibrary.org/obo/CHEBI_6121"), URIRef(PAINKG + "channel_blocker_of"), ghost))
    checks = checks_of(validate_graph(graph, DATA))
    assert {"dangling-node", "node-without-label-or-category"} <= checks


def test_unknown_predicate(curated):
    graph = fresh_graph(curated)
    made_up = URIRef(PAINKG + "cures")
    graph.set((SEED, RDF.predicate, made_up))
    checks = checks_of(validate_graph(graph, DATA))
    assert {"unknown-predicate", "statement-without-direct-triple"} <= checks


def test_value_without_unit_is_a_shacl_violation(curated):
    graph = fresh_graph(curated)
    graph.add((SEED, URIRef(PAINKG + "value"), Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))))
    violations = validate_graph(graph, DATA)
    assert any(v.check == "shacl" and "unit" in v.message for v in violations)


def test_entity_with_two_labels(curated):
    graph = fresh_graph(curated)
    graph.add((URIRef("http://purl.obolibrary.org/obo/CHEBI_6121"), RDFS.label, Literal("Ketalar")))
    assert "shacl" in checks_of(validate_graph(graph, DATA))


def add_entity(graph, iri: str, category: str, label: str) -> URIRef:
    """A curated-looking entity (typed, labelled, with an identifier source) that no row connects yet."""
    node = URIRef(iri)
    graph.add((node, RDF.type, URIRef("https://w3id.org/biolink/vocab/" + category)))
    graph.add((node, RDFS.label, Literal(label)))
    graph.add((node, URIRef(PAINKG + "identifierSource"), Literal("test")))
    return node


def test_entity_in_no_assertion_is_an_orphan(curated):
    graph = fresh_graph(curated)
    lonely = add_entity(graph, "http://purl.obolibrary.org/obo/GO_0000001", "BiologicalProcess", "a process nothing links to")
    violations = [v for v in validate_graph(graph, DATA) if v.check == "orphan-node"]
    assert [v.where for v in violations] == [str(lonely)]


# ---------------------------------------------------------------- pharmacokinetic and dosing records


def a_pk_record(graph) -> URIRef:
    return next(iter(graph.subjects(RDF.type, URIRef(PAINKG + "PharmacokineticObservation"))))


def test_pk_value_without_unit_is_a_shacl_violation_at_its_row(curated):
    graph = fresh_graph(curated)
    record = a_pk_record(graph)
    graph.remove((record, URIRef(PAINKG + "unit"), None))
    violations = [v for v in validate_graph(graph, DATA) if v.check == "shacl"]
    where = str(graph.value(record, URIRef(PAINKG + "sourceFile")))
    assert where.startswith("data/pharmacokinetics/")
    assert any(v.where == where and "unit" in v.message for v in violations)


def test_pk_record_needs_one_substance_and_a_schema_parameter(curated):
    graph = fresh_graph(curated)
    record = a_pk_record(graph)
    graph.remove((record, URIRef(PAINKG + "substance"), None))
    graph.set((record, URIRef(PAINKG + "parameter"), URIRef(PAINKG + "pk-potency")))
    messages = [v.message for v in validate_graph(graph, DATA) if v.check == "shacl"]
    assert any("exactly one substance" in m for m in messages)
    assert any("one parameter of the schema" in m for m in messages)


def test_pk_record_without_verified_page_or_publication(curated):
    graph = fresh_graph(curated)
    record = a_pk_record(graph)
    graph.remove((record, URIRef(PAINKG + "verifiedAt"), None))
    graph.remove((record, URIRef(PAINKG + "publication"), None))
    messages = [v.message for v in validate_graph(graph, DATA) if v.check == "shacl"]
    assert any("verified_at" in m for m in messages) and any("cites a publication" in m for m in messages)


def test_dose_without_unit_and_dosing_record_without_drug(curated):
    graph = fresh_graph(curated)
    record = URIRef(PAINKG + "dosing/D-test-0001")
    decimal = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    graph.add((record, RDF.type, URIRef(PAINKG + "DosingRecommendation")))
    graph.add((record, URIRef(PAINKG + "doseLow"), Literal("0.5", datatype=decimal)))
    graph.add((record, URIRef(PAINKG + "sourceFile"), Literal("data/dosing/guidelines.tsv:2")))
    violations = [v for v in validate_graph(graph, DATA) if v.where == "data/dosing/guidelines.tsv:2"]
    assert any("unit" in v.message for v in violations)
    assert any(v.message.startswith(PAINKG + "drug") for v in violations)


def test_an_entity_used_only_by_a_pk_record_is_not_an_orphan(curated):
    graph = fresh_graph(curated)
    lonely = add_entity(
        graph, "http://purl.obolibrary.org/obo/CHEBI_999999999", "SmallMolecule", "a metabolite measured only in plasma"
    )
    graph.set((a_pk_record(graph), URIRef(PAINKG + "substance"), lonely))
    assert validate_graph(graph, DATA) == []
