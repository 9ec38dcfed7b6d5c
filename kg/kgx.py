"""KGX TSV rows (nodes and edges) from the curated sources, in Biolink terms.

Column names are fixed here once; the export, the tests and downstream merges rely on them.
"""
from __future__ import annotations

from kg.curated import Curated
from kg.schema import Predicate
from kg.sources import Row

NODE_COLUMNS = ["id", "category", "name", "description", "xref", "synonym", "provided_by", "systems", "identifier_source"]
EDGE_COLUMNS = [
    "id", "subject", "predicate", "object", "qualified_predicate", "object_aspect_qualifier",
    "object_direction_qualifier", "causal_mechanism_qualifier", "species_context_qualifier", "publications",
    "has_evidence", "primary_knowledge_source", "knowledge_level", "agent_type", "painkg_predicate", "support",
    "confidence_grade", "measure", "value", "value_low", "value_high", "unit", "stereoisomer", "population",
    "dose", "route", "model", "studies", "note",
]
KNOWLEDGE_SOURCE = "infores:painkg"
COPIED_EDGE_COLUMNS = ("support", "measure", "value", "value_low", "value_high", "unit", "stereoisomer",
                       "population", "dose", "route", "model", "studies", "note")


def node_rows(curated: Curated) -> list[dict[str, str]]:
    """One KGX node per curated entity and per clinical study."""
    rows = [{
        "id": r["id"], "category": r["category"], "name": r["label"], "description": r["description"],
        "xref": r["xrefs"], "synonym": r["synonyms"], "provided_by": KNOWLEDGE_SOURCE, "systems": r["systems"],
        "identifier_source": r["identifier_source"],
    } for r in curated.entities.values()]
    rows += [{
        "id": s["id"], "category": "biolink:Study", "name": s["label"], "description": s["note"], "xref": s["publications"],
        "synonym": "", "provided_by": KNOWLEDGE_SOURCE, "systems": "clinical", "identifier_source": s["publications"],
    } for s in curated.studies.values()]
    return rows


def _qualifiers(predicate: Predicate) -> dict[str, str]:
    """Biolink qualifiers for functional effects; binding and metabolism edges carry none."""
    if predicate.kgx_predicate != "biolink:affects":
        return {}
    return {
        "qualified_predicate": "biolink:causes",
        "object_aspect_qualifier": predicate.object_aspect,
        "object_direction_qualifier": predicate.object_direction,
        "causal_mechanism_qualifier": predicate.causal_mechanism,
    }


def edge_row(row: Row, predicate: Predicate) -> dict[str, str]:
    edge = dict.fromkeys(EDGE_COLUMNS, "")
    edge.update(
        id=row["id"], subject=row["subject"], predicate=predicate.kgx_predicate, object=row["object"],
        species_context_qualifier=row["species"], publications=row["publications"], has_evidence=row["evidence_type"],
        primary_knowledge_source=KNOWLEDGE_SOURCE, knowledge_level="knowledge_assertion", agent_type="manual_agent",
        painkg_predicate=f"painkg:{predicate.name}", confidence_grade=row["grade"],
    )
    edge.update(_qualifiers(predicate))
    edge.update({column: row[column] for column in COPIED_EDGE_COLUMNS})
    return edge


def edge_rows(curated: Curated) -> list[dict[str, str]]:
    """One KGX edge per curated assertion (its id is the assertion id)."""
    return [edge_row(row, curated.schema.predicates[row["predicate"]]) for row in curated.assertions]
