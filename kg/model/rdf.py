"""Curated rows -> RDF. Each assertion is a direct triple (simple SPARQL works) and a statement node with its evidence;
each pharmacokinetic measurement and guideline dose is an observation node of its own (never an edge).

Statement nodes are reified rdf:Statement / painkg:Assertion resources, not RDF-star, so every
RDF 1.1 tool (rdflib included) reads them.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.sources.curated import Curated
from kg.sources.tables import Row
from kg.vocab import ASSERTION, BIOLINK, COMPARISON, DOSING_RECORD, PAINKG, PK_RECORD, grade_iri, pk_parameter_iri, system_iri

ASSERTION_LITERALS = {
    "model": PAINKG.model,
    "direction": PAINKG.direction,
    "measure": PAINKG.measure,
    "unit": PAINKG.unit,
    "stereoisomer": PAINKG.stereoisomer,
    "population": PAINKG.population,
    "dose": PAINKG.dose,
    "route": PAINKG.route,
    "note": PAINKG.note,
    "expression_system": PAINKG.expressionSystem,
}
ASSERTION_NUMBERS = {"value": PAINKG.value, "value_low": PAINKG.valueLow, "value_high": PAINKG.valueHigh}
STUDY_LITERALS = {
    "design": PAINKG.design,
    "population": PAINKG.population,
    "route": PAINKG.route,
    "dose": PAINKG.dose,
    "comparator": PAINKG.comparator,
    "outcome_measure": PAINKG.outcomeMeasure,
    "follow_up": PAINKG.followUp,
    "effect_measure": PAINKG.effectMeasure,
    "effect_unit": PAINKG.effectUnit,
    "effect_direction": PAINKG.effectDirection,
    "recommendation": PAINKG.recommendation,
    "recommendation_grade": PAINKG.recommendationGrade,
    "note": PAINKG.note,
}
STUDY_NUMBERS = {"effect_value": PAINKG.effectValue, "ci_low": PAINKG.ciLow, "ci_high": PAINKG.ciHigh}
RECORD_LITERALS = {
    "unit": PAINKG.unit,
    "route": PAINKG.route,
    "regimen": PAINKG.regimen,
    "population": PAINKG.population,
    "note": PAINKG.note,
}
PK_LITERALS = {**RECORD_LITERALS, "dose": PAINKG.dose}
DOSING_LITERALS = {**RECORD_LITERALS, "recommendation": PAINKG.recommendation}
DOSING_NUMBERS = {"dose_low": PAINKG.doseLow, "dose_high": PAINKG.doseHigh}


class Builder:
    """Adds curated rows to one graph, expanding CURIEs with the project's single prefix map."""

    def __init__(self, curated: Curated):
        self.curated = curated
        self.graph = Graph()
        for prefix, uri in curated.converter.prefix_map.items():
            self.graph.bind(prefix, uri, override=True, replace=True)
        self.graph.bind("painkg", str(PAINKG), replace=True)
        self.graph.bind("biolink", str(BIOLINK))

    def iri(self, curie: str) -> URIRef:
        return URIRef(self.curated.converter.expand(curie, strict=True))

    def add_literals(self, node: URIRef, row: Row, mapping: dict, datatype=None) -> None:
        for column, prop in mapping.items():
            if row[column]:
                text = canonical_decimal(row[column]) if datatype == XSD.decimal else row[column]
                self.graph.add((node, prop, Literal(text, datatype=datatype)))

    def add_entity(self, row: Row) -> None:
        node = self.iri(row["id"])
        g = self.graph
        g.add((node, RDF.type, self.iri(row["category"])))
        g.add((node, RDFS.label, Literal(row["label"])))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        g.add((node, PAINKG.identifierSource, Literal(row["identifier_source"])))
        if row["description"]:
            g.add((node, DCTERMS.description, Literal(row["description"])))
        for synonym in row.list("synonyms"):
            g.add((node, SKOS.altLabel, Literal(synonym)))
        for xref in row.list("xrefs"):
            g.add((node, BIOLINK.xref, self.iri(xref)))
        for system in row.list("systems"):
            g.add((node, PAINKG.system, system_iri(system)))
        if row["focus"]:
            g.add((node, PAINKG.focus, Literal(True)))
        if row["display_label"]:
            g.add((node, PAINKG.displayLabel, Literal(row["display_label"])))
        if row["molecular_weight"]:
            g.add((node, PAINKG.molecularWeight, Literal(canonical_decimal(row["molecular_weight"]), datatype=XSD.decimal)))

    def add_reference(self, row: Row) -> None:
        node = self.iri(row["id"])
        g = self.graph
        g.add((node, RDF.type, BIOLINK.Publication))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        g.add((node, DCTERMS.title, Literal(row["title"])))
        g.add((node, RDFS.label, Literal(_citation(row))))
        g.add((node, PAINKG.confirmedAt, Literal(row["confirmed_at"])))
        if row["year"]:
            g.add((node, DCTERMS.issued, Literal(row["year"], datatype=XSD.gYear)))
        self.add_literals(
            node,
            row,
            {
                "first_author": PAINKG.firstAuthor,
                "journal": PAINKG.journal,
                "study_type": PAINKG.studyType,
                "pmcid": PAINKG.pmcid,
            },
        )
        if row["pmid"] and row["doi"]:
            g.add((node, SKOS.exactMatch, self.iri(f"DOI:{row['doi']}")))

    def add_verification(self, node: URIRef, row: Row) -> None:
        """Where the claim was read (an IRI, so it links) and when (xsd:date)."""
        if row["verified_at"]:
            self.graph.add((node, PAINKG.verifiedAt, URIRef(row["verified_at"])))
        if row["verified_on"]:
            self.graph.add((node, PAINKG.verifiedOn, Literal(row["verified_on"], datatype=XSD.date)))

    def add_study(self, row: Row) -> None:
        node = self.iri(row["id"])
        g = self.graph
        g.add((node, RDF.type, BIOLINK.Study))
        g.add((node, RDFS.label, Literal(row["label"])))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        for publication in row.list("publications"):
            g.add((node, PAINKG.publication, self.iri(publication)))
        if row["n"]:
            g.add((node, PAINKG.participants, Literal(int(row["n"]))))
        if row["intervention"]:
            g.add((node, PAINKG.intervention, self.iri(row["intervention"])))
        self.add_literals(node, row, STUDY_LITERALS)
        self.add_verification(node, row)
        self.add_literals(node, row, STUDY_NUMBERS, XSD.decimal)

    def add_assertion(self, row: Row) -> None:
        predicate = self.curated.schema.predicates[row["predicate"]]
        subject, obj = self.iri(row["subject"]), self.iri(row["object"])
        node = ASSERTION[row["id"]]
        g = self.graph
        g.add((subject, predicate.iri, obj))
        g.add((node, RDF.type, PAINKG.Assertion))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, predicate.iri))
        g.add((node, RDF.object, obj))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        g.add((node, PAINKG.evidenceType, self.iri(row["evidence_type"])))
        if row["species"]:
            g.add((node, PAINKG.species, self.iri(row["species"])))
        g.add((node, PAINKG.support, PAINKG[row["support"]]))
        g.add((node, PAINKG.grade, grade_iri(row["grade"])))
        g.add((node, PAINKG.sourceFile, Literal(f"{row.file}:{row.line}")))
        self.add_verification(node, row)
        for publication in row.list("publications"):
            g.add((node, PAINKG.publication, self.iri(publication)))
        for study in row.list("studies"):
            g.add((node, PAINKG.study, self.iri(study)))
        self.add_literals(node, row, ASSERTION_LITERALS)
        self.add_literals(node, row, ASSERTION_NUMBERS, XSD.decimal)

    def add_record(self, node: URIRef, cls: URIRef, row: Row) -> None:
        """What every PK and dosing record carries: type, id, publications, where it was read, its file:line."""
        g = self.graph
        g.add((node, RDF.type, cls))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        g.add((node, PAINKG.sourceFile, Literal(f"{row.file}:{row.line}")))
        for publication in row.list("publications"):
            g.add((node, PAINKG.publication, self.iri(publication)))
        self.add_verification(node, row)

    def add_pk_record(self, row: Row) -> None:
        node = PK_RECORD[row["id"]]
        g = self.graph
        self.add_record(node, PAINKG.PharmacokineticObservation, row)
        g.add((node, PAINKG.substance, self.iri(row["substance"])))
        g.add((node, PAINKG.parameter, pk_parameter_iri(row["parameter"])))
        if row["species"]:
            g.add((node, PAINKG.species, self.iri(row["species"])))
        if row["n"]:
            g.add((node, PAINKG.participants, Literal(int(row["n"]))))
        self.add_literals(node, row, PK_LITERALS)
        self.add_literals(node, row, ASSERTION_NUMBERS, XSD.decimal)

    def add_dosing_record(self, row: Row) -> None:
        node = DOSING_RECORD[row["id"]]
        g = self.graph
        self.add_record(node, PAINKG.DosingRecommendation, row)
        g.add((node, PAINKG.drug, self.iri(row["drug"])))
        g.add((node, PAINKG.indication, self.iri(row["indication"])))
        g.add((node, PAINKG.grade, grade_iri(row["grade"])))
        self.add_literals(node, row, DOSING_LITERALS)
        self.add_literals(node, row, DOSING_NUMBERS, XSD.decimal)

    def add_comparison(self, row: Row) -> None:
        """A curated group of drugs weighed against each other: the viewer and explorer draw one view per group."""
        node = COMPARISON[row["id"]]
        g = self.graph
        g.add((node, RDF.type, PAINKG.Comparison))
        g.add((node, DCTERMS.identifier, Literal(row["id"])))
        g.add((node, RDFS.label, Literal(row["label"])))
        g.add((node, PAINKG.sourceFile, Literal(f"{row.file}:{row.line}")))
        if row["description"]:
            g.add((node, DCTERMS.description, Literal(row["description"])))
        for drug in row.list("drugs"):
            g.add((node, PAINKG.member, self.iri(drug)))

    def add_evidence_type(self, row: Row) -> None:
        node = self.iri(row["id"])
        self.graph.add((node, RDF.type, PAINKG.EvidenceType))
        self.graph.add((node, RDFS.label, Literal(row["label"])))


def canonical_decimal(text: str) -> str:
    """The canonical xsd:decimal form ('200' -> '200.0', '1e-3' -> '0.001'), so every serialisation agrees."""
    plain = format(Decimal(text), "f")
    return plain if "." in plain else plain + ".0"


def _citation(row: Row) -> str:
    """Short human citation: 'Anis NA 1983, Br J Pharmacol'."""
    parts = [p for p in (row["first_author"], row["year"]) if p]
    head = " ".join(parts) or row["title"][:60]
    return f"{head}, {row['journal']}" if row["journal"] else head


def build_graph(curated: Curated) -> Graph:
    """The whole knowledge graph: schema, vocabularies, entities, references, studies, assertions, PK and dosing records."""
    builder = Builder(curated)
    builder.graph += curated.schema.graph
    for row in curated.evidence_types.values():
        builder.add_evidence_type(row)
    for row in curated.entities.values():
        builder.add_entity(row)
    for row in curated.references.values():
        builder.add_reference(row)
    for row in curated.studies.values():
        builder.add_study(row)
    for row in curated.assertions:
        builder.add_assertion(row)
    for row in curated.pharmacokinetics:
        builder.add_pk_record(row)
    for row in curated.dosing:
        builder.add_dosing_record(row)
    for row in curated.comparisons:
        builder.add_comparison(row)
    return builder.graph
