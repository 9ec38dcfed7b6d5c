"""Counts a curator or CI checks against the content targets (written to stats.json)."""
from __future__ import annotations

from collections import Counter

from kg.curated import Curated

CLINICAL_FILE_PREFIX = "clinical-"


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
    }


def compute_stats(curated: Curated, triples: int, extra: dict | None = None) -> dict:
    """Counts by category, predicate, system, evidence type, grade and support, plus per-layer totals."""
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
        "by_evidence_type": dict(Counter(f"{r['evidence_type']} {evidence_labels[r['evidence_type']]}" for r in assertions).most_common()),
        "by_grade": dict(sorted(Counter(r["grade"] for r in assertions).items())),
        "by_support": dict(Counter(r["support"] for r in assertions).most_common()),
        "by_species": dict(Counter(curated.entities[r["species"]]["label"] for r in assertions).most_common()),
        "by_study_design": dict(Counter(s["design"] for s in curated.studies.values()).most_common()),
        "layers": {name: _layer_counts(curated, name) for name in ("mechanism", "clinical")},
    }
    stats.update(extra or {})
    return stats
