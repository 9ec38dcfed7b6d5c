"""Counts a curator or CI checks against the content targets (written to stats.json)."""

from __future__ import annotations

from collections import Counter

from kg.sources.curated import Curated

CLINICAL_FILE_PREFIX = "clinical-"
OUTCOME_CATEGORIES = frozenset({"biolink:Disease", "biolink:PhenotypicFeature", "biolink:ClinicalFinding"})
CHEMICAL_CATEGORIES = frozenset({"biolink:SmallMolecule", "biolink:ChemicalEntity", "biolink:MolecularMixture"})
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
    "assertions": 550,
    "contraindications_and_interactions": 8,
    # issue 19 (beyond the focal drug)
    "drugs_beyond_focus_complete": 5,
    "references_cited": 300,
}
# goals that are ceilings, not floors (issue 15: review statements carry at most a fifth of the claims)
CONTENT_LIMITS = {"review_only_percent": 20}
REVIEW_EVIDENCE = frozenset({"ECO:0000033", "ECO:0006016"})  # author statements: review-only claims
FAMILY_LINKS = frozenset({"has_component", "enantiomer_of", "has_metabolite"})
INHIBIT_OR_INDUCE = frozenset(
    {"inhibitor_of", "decreases_activity_of", "decreases_amount_of", "increases_activity_of", "increases_amount_of"}
)
DRUG_COMPLETE = {"assertions": 25, "pk_records": 5}  # issue 19: what makes a compared drug's layers complete


def layer(row, evidence_kinds: dict[str, str]) -> str:
    """Clinical: the rows of assertions/clinical-*.tsv and any row resting on clinical evidence (a trial of another
    drug lives in that drug's file); everything else is the mechanism layer."""
    in_clinical_file = row.file.rsplit("/", 1)[-1].startswith(CLINICAL_FILE_PREFIX)
    return "clinical" if in_clinical_file or evidence_kinds.get(row["evidence_type"]) == "clinical" else "mechanism"


def _layer_counts(curated: Curated, name: str) -> dict:
    kinds = {k: v["kind"] for k, v in curated.evidence_types.items()}
    rows = [r for r in curated.assertions if layer(r, kinds) == name]
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


def _families(curated: Curated) -> list[set[str]]:
    """Chemicals joined by has_component, enantiomer_of or has_metabolite rows, as groups: ketamine with its
    enantiomers and metabolites is one drug, magnesium sulfate with the magnesium ion another."""
    import networkx as nx

    links = nx.Graph()
    links.add_nodes_from(e["id"] for e in curated.entities.values() if e["category"] in CHEMICAL_CATEGORIES)
    links.add_edges_from((r["subject"], r["object"]) for r in curated.assertions if r["predicate"] in FAMILY_LINKS)
    return [set(group) for group in nx.connected_components(links)]


def _compared_drugs(curated: Curated) -> dict:
    """Per drug family without a focal drug: its members' assertions (as subject) and PK records, under the name of
    the member with the most assertions."""
    focal = {e["id"] for e in curated.entities.values() if e["focus"]}
    subjects = Counter(r["subject"] for r in curated.assertions)
    records = Counter(r["substance"] for r in curated.pharmacokinetics)
    found = {}
    for family in _families(curated):
        counts = {"assertions": sum(subjects[d] for d in family), "pk_records": sum(records[d] for d in family)}
        if family & focal or not any(counts.values()):
            continue
        name = max(sorted(family), key=lambda d: subjects[d])
        found[name] = {**counts, "members": sorted(family)}
    return dict(sorted(found.items()))


def _safety_counts(curated: Curated) -> int:
    """Contraindications plus interactions: inhibitors or inducers of an enzyme that metabolises a drug, and their
    effect on the drug's exposure (the rows cq-42 and cq-43 list). A refuting row (no interaction found) stays in the
    graph beside the others but is not an interaction to count."""
    enzymes = {r["object"] for r in curated.assertions if r["predicate"] == "metabolised_by"}
    victims = {r["subject"] for r in curated.assertions if r["predicate"] == "metabolised_by"}
    return sum(
        1
        for r in curated.assertions
        if r["support"] != "refutes"
        and (
            r["predicate"] == "contraindicated_in"
            or (r["predicate"] in INHIBIT_OR_INDUCE and (r["object"] in enzymes or r["object"] in victims))
        )
    )


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
        "contraindications_and_interactions": _safety_counts(curated),
        "review_only_assertions": (review := sum(1 for r in assertions if r["evidence_type"] in REVIEW_EVIDENCE)),
        "review_only_percent": round(100 * review / max(len(assertions), 1), 1),
        "compared_drugs": (compared := _compared_drugs(curated)),
        "drugs_beyond_focus_complete": sorted(
            d for d, n in compared.items() if all(n[k] >= goal for k, goal in DRUG_COMPLETE.items())
        ),
    }
    stats.update(extra or {})
    stats["targets"] = target_report(stats)
    return stats


def _lookup(stats: dict, key: str) -> int:
    value = stats["layers"][key.split(".")[0]][key.split(".")[1]] if "." in key else stats.get(key, 0)
    return len(value) if isinstance(value, list) else value


def target_report(stats: dict) -> dict:
    """Each content goal with the value reached and whether it is met (ceilings: `at_most`)."""
    report = {
        key: {"value": _lookup(stats, key), "target": goal, "met": _lookup(stats, key) >= goal}
        for key, goal in CONTENT_TARGETS.items()
    }
    for key, ceiling in CONTENT_LIMITS.items():
        report[key] = {"value": stats[key], "target": ceiling, "at_most": True, "met": stats[key] <= ceiling}
    return report
