"""Counts a curator or CI checks against the content targets (written to stats.json)."""

from __future__ import annotations

from collections import Counter

from kg.sources.curated import Curated

CLINICAL_FILE_PREFIX = "clinical-"
OUTCOME_CATEGORIES = frozenset({"biolink:Disease", "biolink:PhenotypicFeature", "biolink:ClinicalFinding"})
# The content goals of the project (issues 3 and 4): `kg build` prints each against its value.
CONTENT_TARGETS = {
    "mechanism.entities": 90,
    "mechanism.assertions": 220,
    "mechanism.references": 45,
    "mechanism.quantitative_assertions": 25,
    "clinical.outcomes": 15,
    "studies": 25,
    "clinical.assertions": 70,
    "clinical.references": 35,
    "outcomes_with_mechanism_path": 12,
    # issue 15 (pharmacokinetics, dosing, safety)
    "pk_records": 30,
    "pk_substances": 4,
    "pk_routes": 4,
    "dosing_records": 8,
}


def layer(row) -> str:
    """Clinical rows live in assertions/clinical-*.tsv; everything else is the mechanism layer."""
    return "clinical" if row.file.rsplit("/", 1)[-1].startswith(CLINICAL_FILE_PREFIX) else "mechanism"


def _layer_counts(curated: Curated, name: str) -> dict:
    rows = [r for r in curated.assertions if layer(r) == name]
    nodes = {n for r in rows for n in (r["subject"], r["object"])}
    references = {p for r in rows for p in r.list("publications")}
    references |= {p for r in rows for s in r.list("studies") for p in curated.studies[s].list("publications")}
    return {
        "assertions": len(rows),
        "entities": len(nodes),
        "references": len(references),
        "quantitative_assertions": sum(1 for r in rows if r["value"]),
        "studies_cited": len({s for r in rows for s in r.list("studies")}),
        "outcomes": len({n for n in nodes if n in curated.entities and curated.entities[n]["category"] in OUTCOME_CATEGORIES}),
    }


def _record_counts(curated: Curated) -> dict:
    """Pharmacokinetic and dosing records: how many, of how many substances, by how many routes."""
    pk, dosing = curated.pharmacokinetics, curated.dosing
    label = lambda curie: curated.entities[curie]["label"]  # noqa: E731
    return {
        "pk_records": len(pk),
        "pk_substances": len({r["substance"] for r in pk}),
        "pk_routes": len({r["route"] for r in pk}),
        "pk_by_parameter": dict(Counter(r["parameter"] for r in pk).most_common()),
        "pk_by_substance": dict(Counter(label(r["substance"]) for r in pk).most_common()),
        "pk_by_route": dict(Counter(r["route"] for r in pk).most_common()),
        "dosing_records": len(dosing),
        "dosing_by_indication": dict(Counter(label(r["indication"]) for r in dosing).most_common()),
        "dosing_by_route": dict(Counter(r["route"] for r in dosing).most_common()),
    }


def compute_stats(curated: Curated, triples: int, extra: dict | None = None) -> dict:
    """Counts by category, predicate, system, evidence type, grade and support, per-layer totals, PK and dosing records."""
    entities = curated.entities.values()
    assertions = curated.assertions
    evidence_labels = {k: v["label"] for k, v in curated.evidence_types.items()}
    stats = {
        "triples": triples,
        "entities": len(curated.entities),
        "assertions": len(assertions),
        "references": len(curated.references),
        "references_cited": len({p for r in assertions for p in r.list("publications")}),
        "studies": len(curated.studies),
        "quantitative_assertions": sum(1 for r in assertions if r["value"]),
        "local_identifiers": sorted(e["id"] for e in entities if e["id"].startswith("PAINKG:")),
        "by_category": dict(Counter(e["category"] for e in entities).most_common()),
        "by_system": dict(Counter(s for e in entities for s in e.list("systems")).most_common()),
        "by_predicate": dict(Counter(r["predicate"] for r in assertions).most_common()),
        "by_evidence_type": dict(
            Counter(f"{r['evidence_type']} {evidence_labels[r['evidence_type']]}" for r in assertions).most_common()
        ),
        "by_grade": dict(sorted(Counter(r["grade"] for r in assertions).items())),
        "by_support": dict(Counter(r["support"] for r in assertions).most_common()),
        "by_species": dict(
            Counter(
                curated.entities[r["species"]]["label"] if r["species"] else "species not stated" for r in assertions
            ).most_common()
        ),
        "by_study_design": dict(Counter(s["design"] for s in curated.studies.values()).most_common()),
        "layers": {name: _layer_counts(curated, name) for name in ("mechanism", "clinical")},
        **_record_counts(curated),
    }
    stats.update(extra or {})
    stats["targets"] = target_report(stats)
    return stats


def _lookup(stats: dict, key: str) -> int:
    value = stats["layers"][key.split(".")[0]][key.split(".")[1]] if "." in key else stats.get(key, 0)
    return len(value) if isinstance(value, list) else value


def target_report(stats: dict) -> dict:
    """Each content goal with the value reached and whether it is met."""
    return {
        key: {"value": _lookup(stats, key), "target": goal, "met": _lookup(stats, key) >= goal}
        for key, goal in CONTENT_TARGETS.items()
    }
