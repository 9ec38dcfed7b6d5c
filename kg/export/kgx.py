"""KGX TSV rows (nodes and edges) from the curated sources, in current Biolink Model terms.

Column names are fixed here once; the export, the tests and downstream merges rely on them.
Predicates and qualifier values come from data/schema/painkg.ttl (painkg:kgxPredicate,
painkg:causalMechanism, painkg:objectAspect, painkg:objectDirection), so the RDF and the KGX
export say the same thing; tests/test_kgx_biolink.py checks every value against the Biolink
Model shipped in the `biolink-model` package.
"""
from __future__ import annotations

from kg.sources.curated import Curated
from kg.sources.schema import Predicate
from kg.sources.tables import Row

NODE_COLUMNS = ["id", "category", "name", "description", "xref", "synonym", "provided_by", "systems", "identifier_source"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "qualified_predicate", "object_aspect_qualifier",
    "object_direction_qualifier", "causal_mechanism_qualifier", "species_context_qualifier", "publications",
    "has_evidence", "primary_knowledge_source", "knowledge_level", "agent_type", "painkg_predicate", "support",
    "confidence_grade", "measure", "value", "value_low", "value_high", "unit", "stereoisomer", "population",
    "dose", "route", "model", "studies", "note",
]
KNOWLEDGE_SOURCE = "infores:painkg"  # curators read the publications themselves: painkg is the primary source
KNOWLEDGE_LEVEL = "knowledge_assertion"  # KnowledgeLevelEnum: a curated claim read in a publication
AGENT_TYPE = "manual_agent"  # AgentTypeEnum: a person curated every edge
AFFECTS = "biolink:affects"
CAUSES = "biolink:causes"  # the qualified predicate Biolink uses with affects + aspect/direction qualifiers
STUDY_CATEGORY = "biolink:Study"
COPIED_EDGE_COLUMNS = ("support", "measure", "value", "value_low", "value_high", "unit", "stereoisomer",
                       "population", "dose", "route", "model", "studies", "note")


def node_rows(curated: Curated) -> list[dict[str, str]]:
    """One KGX node per curated entity and per clinical study.

    `category` holds the single most specific Biolink class the curator chose; KGX allows the
    ancestors too, and consumers that want them expand it with the Biolink Model.
    """
    rows = [{
        "id": r["id"], "category": r["category"], "name": r["label"], "description": r["description"],
        "xref": r["xrefs"], "synonym": r["synonyms"], "provided_by": KNOWLEDGE_SOURCE, "systems": r["systems"],
        "identifier_source": r["identifier_source"],
    } for r in curated.entities.values()]
    rows += [{
        "id": s["id"], "category": STUDY_CATEGORY, "name": s["label"], "description": s["note"],
        "xref": s["publications"], "synonym": "", "provided_by": KNOWLEDGE_SOURCE, "systems": "clinical",
        "identifier_source": s["publications"],
    } for s in curated.studies.values()]
    return rows


def qualifiers(predicate: Predicate) -> dict[str, str]:
    """Biolink qualifiers of one painkg predicate (empty strings where it has none).

    The causal mechanism is written wherever the schema gives one (also `binding` on
    directly_physically_interacts_with, as in the Biolink Model's own examples); the qualified
    predicate `biolink:causes` accompanies aspect/direction qualifiers on `biolink:affects`.
    """
    aspect, direction = predicate.object_aspect, predicate.object_direction
    qualified = CAUSES if predicate.kgx_predicate == AFFECTS and (aspect or direction) else ""
    return {
        "qualified_predicate": qualified,
        "object_aspect_qualifier": aspect,
        "object_direction_qualifier": direction,
        "causal_mechanism_qualifier": predicate.causal_mechanism,
    }


def edge_row(row: Row, predicate: Predicate) -> dict[str, str]:
    """One KGX edge for one curated assertion; its id is the assertion id, stable across builds."""
    edge = dict.fromkeys(EDGE_COLUMNS, "")
    edge.update(
        id=row["id"], subject=row["subject"], predicate=predicate.kgx_predicate, object=row["object"],
        species_context_qualifier=row["species"], publications=row["publications"], has_evidence=row["evidence_type"],
        primary_knowledge_source=KNOWLEDGE_SOURCE, knowledge_level=KNOWLEDGE_LEVEL, agent_type=AGENT_TYPE,
        painkg_predicate=f"painkg:{predicate.name}", confidence_grade=row["grade"],
    )
    edge.update(qualifiers(predicate))
    edge.update({column: row[column] for column in COPIED_EDGE_COLUMNS})
    return edge


def edge_rows(curated: Curated) -> list[dict[str, str]]:
    """One KGX edge per curated assertion."""
    return [edge_row(row, curated.schema.predicates[row["predicate"]]) for row in curated.assertions]
