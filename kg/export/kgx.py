"""KGX TSV (nodes and edges) read from the validated graph, in current Biolink Model terms.

Nodes are the curated entities, clinical studies and pharmacokinetic observations; edges are the assertion
statement nodes with their evidence, and one edge from each pharmacokinetic observation to its substance.
Biolink has no predicate from a chemical to a measured value (its `has attribute` is a node slot, not a
predicate), so an observation is a `biolink:ClinicalMeasurement` node carrying its numbers, linked to the
substance by `biolink:related_to` with `knowledge_level` observation (both read from the schema's skos:broadMatch),
and `painkg_predicate` painkg:substance says exactly what the link is (the RDF triple it mirrors).
Predicates and qualifier values come from the schema annotations the graph carries (painkg:kgxPredicate,
painkg:causalMechanism, painkg:objectAspect, painkg:objectDirection on each painkg predicate), so the RDF and
the KGX export say the same thing; tests/test_kgx_biolink.py checks every value against the Biolink Model
shipped in the `biolink-model` package. Column names are fixed here once; downstream merges rely on them.
Multivalued fields are `|`-joined in sorted order (RDF keeps no order); entities, then studies, then edges by id.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.model.network import curie
from kg.model.rdf import ASSERTION_LITERALS, ASSERTION_NUMBERS, PK_LITERALS
from kg.sources.schema import Predicate, read_predicates
from kg.vocab import BIOLINK, GRADE_PREFIX, PAINKG, PK_PARAMETER_PREFIX, SYSTEM_PREFIX, painkg_local

# the pharmacokinetic columns are empty on entity and study nodes
PK_NODE_COLUMNS = [
    "has_attribute_type",
    "value",
    "value_low",
    "value_high",
    "unit",
    "route",
    "dose",
    "regimen",
    "population",
    "participants",
    "species",
    "publications",
    "verified_at",
]
NODE_COLUMNS = [
    "id",
    "category",
    "name",
    "description",
    "xref",
    "synonym",
    "provided_by",
    "systems",
    "identifier_source",
    *PK_NODE_COLUMNS,
]
EDGE_COLUMNS = [
    "id",
    "subject",
    "predicate",
    "object",
    "qualified_predicate",
    "object_aspect_qualifier",
    "object_direction_qualifier",
    "causal_mechanism_qualifier",
    "species_context_qualifier",
    "publications",
    "has_evidence",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
    "painkg_predicate",
    "support",
    "confidence_grade",
    "measure",
    "value",
    "value_low",
    "value_high",
    "unit",
    "stereoisomer",
    "population",
    "dose",
    "route",
    "model",
    "studies",
    "note",
]
KNOWLEDGE_SOURCE = "infores:painkg"  # curators read the publications themselves: painkg is the primary source
KNOWLEDGE_LEVEL = "knowledge_assertion"  # KnowledgeLevelEnum: a curated claim read in a publication
OBSERVATION_LEVEL = "observation"  # KnowledgeLevelEnum: a measured value reported in a publication
AGENT_TYPE = "manual_agent"  # AgentTypeEnum: a person curated every edge
AFFECTS = "biolink:affects"
CAUSES = "biolink:causes"  # the qualified predicate Biolink uses with affects + aspect/direction qualifiers
STUDY_CATEGORY = "biolink:Study"
STUDY_SYSTEMS = "clinical"
EVIDENCE_COLUMNS = (
    "measure",
    "value",
    "value_low",
    "value_high",
    "unit",
    "stereoisomer",
    "population",
    "dose",
    "route",
    "model",
    "note",
)  # statement literals written as their lexical form
STATEMENT_PROPERTIES = {**ASSERTION_LITERALS, **ASSERTION_NUMBERS}


def _text(graph: Graph, node: URIRef, prop: URIRef) -> str:
    value = graph.value(node, prop)
    return "" if value is None else str(value)


def _local(graph: Graph, node: URIRef, prop: URIRef, prefix: str = "") -> str:
    """The painkg local name of a value (painkg:grade-B -> "B"), "" when the statement has none."""
    value = graph.value(node, prop)
    return "" if value is None else painkg_local(value, prefix)


def _joined(values) -> str:
    """A KGX multivalued field: `|`-joined, sorted so the file is stable across builds."""
    return "|".join(sorted(values))


def _curies(graph: Graph, node: URIRef, prop: URIRef) -> str:
    return _joined(curie(o) for o in graph.objects(node, prop))


def _category(graph: Graph, node: URIRef) -> str:
    """The Biolink class the curator chose (KGX allows its ancestors too; consumers expand with the model)."""
    return _joined(curie(c) for c in graph.objects(node, RDF.type) if c.startswith(BIOLINK))


def entity_row(graph: Graph, node: URIRef) -> dict[str, str]:
    """One KGX node for a curated entity."""
    return {
        "id": curie(node),
        "category": _category(graph, node),
        "name": _text(graph, node, RDFS.label),
        "description": _text(graph, node, DCTERMS.description),
        "xref": _curies(graph, node, BIOLINK.xref),
        "synonym": _joined(str(s) for s in graph.objects(node, SKOS.altLabel)),
        "provided_by": KNOWLEDGE_SOURCE,
        "systems": _joined(painkg_local(s, SYSTEM_PREFIX) for s in graph.objects(node, PAINKG.system)),
        "identifier_source": _text(graph, node, PAINKG.identifierSource),
    }


def study_row(graph: Graph, node: URIRef) -> dict[str, str]:
    """One KGX node for a clinical study; its publications say where its identity comes from."""
    publications = _curies(graph, node, PAINKG.publication)
    return {
        "id": curie(node),
        "category": STUDY_CATEGORY,
        "name": _text(graph, node, RDFS.label),
        "description": _text(graph, node, PAINKG.note),
        "xref": publications,
        "synonym": "",
        "provided_by": KNOWLEDGE_SOURCE,
        "systems": STUDY_SYSTEMS,
        "identifier_source": publications,
    }


def pk_records(graph: Graph) -> list[URIRef]:
    return sorted(set(graph.subjects(RDF.type, PAINKG.PharmacokineticObservation)))


def pk_name(graph: Graph, node: URIRef) -> str:
    """A readable name: substance, parameter and route ("ketamine bioavailability, oral")."""
    substance = _text(graph, graph.value(node, PAINKG.substance), RDFS.label)
    parameter = _text(graph, graph.value(node, PAINKG.parameter), RDFS.label)
    return f"{substance} {parameter}, {_text(graph, node, PAINKG.route)}"


def biolink_match(graph: Graph, term: URIRef) -> str:
    """The Biolink term the schema maps a painkg class or property to (skos:broadMatch), as a CURIE."""
    match = next((m for m in graph.objects(term, SKOS.broadMatch) if str(m).startswith(str(BIOLINK))), None)
    if match is None:
        raise ValueError(f"KGX export: the schema maps {term} to no Biolink term (skos:broadMatch)")
    return curie(match)


def pk_node_row(graph: Graph, node: URIRef) -> dict[str, str]:
    """One KGX node for a pharmacokinetic observation, with its numbers and where they were read."""
    literals = {**PK_LITERALS, **ASSERTION_NUMBERS}
    return {
        "id": curie(node),
        "category": biolink_match(graph, PAINKG.PharmacokineticObservation),
        "name": pk_name(graph, node),
        "description": _text(graph, node, PAINKG.note),
        "provided_by": KNOWLEDGE_SOURCE,
        "has_attribute_type": curie(graph.value(node, PAINKG.parameter)),
        "participants": _text(graph, node, PAINKG.participants),
        "species": _curies(graph, node, PAINKG.species),
        "publications": _curies(graph, node, PAINKG.publication),
        "verified_at": _text(graph, node, PAINKG.verifiedAt),
        **{column: _text(graph, node, literals[column]) for column in PK_NODE_COLUMNS if column in literals},
    }


def pk_edge_row(graph: Graph, node: URIRef) -> dict[str, str]:
    """The edge from a pharmacokinetic observation to the substance it measured; its id is the record id."""
    return {
        "id": _text(graph, node, DCTERMS.identifier),
        "subject": curie(node),
        "predicate": biolink_match(graph, PAINKG.substance),
        "object": curie(graph.value(node, PAINKG.substance)),
        "species_context_qualifier": _curies(graph, node, PAINKG.species),
        "publications": _curies(graph, node, PAINKG.publication),
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "knowledge_level": OBSERVATION_LEVEL,
        "agent_type": AGENT_TYPE,
        "painkg_predicate": "painkg:substance",
        "measure": _local(graph, node, PAINKG.parameter, PK_PARAMETER_PREFIX),
        **{column: _text(graph, node, ASSERTION_NUMBERS[column]) for column in ASSERTION_NUMBERS},
        **{column: _text(graph, node, PK_LITERALS[column]) for column in ("unit", "population", "dose", "route", "note")},
    }


def node_rows(graph: Graph) -> list[dict[str, str]]:
    """KGX nodes: curated entities (the nodes with an identifier source), clinical studies, PK observations."""
    entities = [entity_row(graph, n) for n in set(graph.subjects(PAINKG.identifierSource, None))]
    studies = [study_row(graph, n) for n in set(graph.subjects(RDF.type, BIOLINK.Study))]
    observations = [pk_node_row(graph, n) for n in pk_records(graph)]
    by_id = lambda r: r["id"]  # noqa: E731
    return sorted(entities, key=by_id) + sorted(studies, key=by_id) + sorted(observations, key=by_id)


def qualifiers(predicate: Predicate) -> dict[str, str]:
    """Biolink predicate and qualifiers of one painkg predicate (empty strings where it has none).

    The causal mechanism is written wherever the schema gives one (also `binding` on
    directly_physically_interacts_with, as in the Biolink Model's own examples); the qualified
    predicate `biolink:causes` accompanies aspect/direction qualifiers on `biolink:affects`.
    """
    aspect, direction = predicate.object_aspect, predicate.object_direction
    qualified = CAUSES if predicate.kgx_predicate == AFFECTS and (aspect or direction) else ""
    return {
        "predicate": predicate.kgx_predicate,
        "qualified_predicate": qualified,
        "object_aspect_qualifier": aspect,
        "object_direction_qualifier": direction,
        "causal_mechanism_qualifier": predicate.causal_mechanism,
        "painkg_predicate": f"painkg:{predicate.name}",
    }


def edge_row(graph: Graph, statement: URIRef, predicates: dict[URIRef, Predicate]) -> dict[str, str]:
    """One KGX edge for one assertion statement node; its id is the assertion id, stable across builds."""
    predicate = graph.value(statement, RDF.predicate)
    if predicate not in predicates:
        raise ValueError(f"KGX export: assertion {statement} uses {predicate}, which has no painkg:kgxPredicate")
    edge = {
        "id": _text(graph, statement, DCTERMS.identifier),
        "subject": curie(graph.value(statement, RDF.subject)),
        "object": curie(graph.value(statement, RDF.object)),
        "species_context_qualifier": _curies(graph, statement, PAINKG.species),
        "publications": _curies(graph, statement, PAINKG.publication),
        "has_evidence": _curies(graph, statement, PAINKG.evidenceType),
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE,
        "support": _local(graph, statement, PAINKG.support),
        "confidence_grade": _local(graph, statement, PAINKG.grade, GRADE_PREFIX),
        "studies": _curies(graph, statement, PAINKG.study),
        **{column: _text(graph, statement, STATEMENT_PROPERTIES[column]) for column in EVIDENCE_COLUMNS},
        **qualifiers(predicates[predicate]),
    }
    return {column: edge[column] for column in EDGE_COLUMNS}


def edge_rows(graph: Graph) -> list[dict[str, str]]:
    """One KGX edge per assertion statement node, then one per PK observation, each in id order."""
    predicates = {p.iri: p for p in read_predicates(graph).values()}
    edges = [edge_row(graph, s, predicates) for s in set(graph.subjects(RDF.type, PAINKG.Assertion))]
    observations = [pk_edge_row(graph, n) for n in pk_records(graph)]
    return sorted(edges, key=lambda e: e["id"]) + sorted(observations, key=lambda e: e["id"])


def write_tsv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    """Plain KGX TSV: values written exactly as curated (no quoting or escaping, so a `"` or `\\`
    in a note survives); a tab, newline or carriage return would break the table and is refused."""
    lines = ["\t".join(columns)]
    for row in rows:
        values = [row.get(column, "") or "" for column in columns]
        bad = next((v for v in values if any(c in v for c in "\t\n\r")), None)
        if bad is not None:
            raise ValueError(f"{path.name}: row {row.get('id', '?')}: value {bad!r} contains a tab or line break")
        lines.append("\t".join(values))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_kgx(graph: Graph, folder: Path) -> dict[str, Path]:
    """Sink: kgx/nodes.tsv and kgx/edges.tsv with Biolink categories, predicates and qualifiers."""
    folder = Path(folder) / "kgx"
    return {
        "kgx/nodes.tsv": write_tsv(folder / "nodes.tsv", NODE_COLUMNS, node_rows(graph)),
        "kgx/edges.tsv": write_tsv(folder / "edges.tsv", EDGE_COLUMNS, edge_rows(graph)),
    }
