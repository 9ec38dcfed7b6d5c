"""The curated content itself: targets from the issues, citations that trace to a public record, standard ids.

These guard the graph's truth: a PMID nobody confirmed, an obsolete identifier or a shrinking layer
fails the build's test run, with the row to fix in the message.
"""

from __future__ import annotations

import json
import re

import pytest

from support.project import curated_rows as rows

# The goals stated in the content issues (3: mechanism layer, 4: clinical layer).
MECHANISM_TARGETS = {"entities": 90, "assertions": 220, "references": 45, "quantitative_assertions": 25}
CLINICAL_TARGETS = {"outcomes": 15, "assertions": 70, "references": 35}
MIN_STUDIES = 25
MIN_OUTCOMES_WITH_PATH = 12
STANDARD_PREFIXES = {"CHEBI", "PUBCHEM.COMPOUND", "HGNC", "UniProtKB", "GO", "MONDO", "HP", "NCBITaxon", "MESH"}
# identifiers-notes.md: obsolete or wrong terms that must never be used.
TRAPS = {
    "HP:0031005": "obsolete Hyperalgesia",
    "MONDO:0017394": "ketamine-induced biliary dilatation, not cystitis",
    "ECO:0000148": "obsolete in vitro binding evidence",
    "MONDO:0021668": "obsolete disorder involving pain",
}
SEED_REVIEW = "PMID:37622028"


@pytest.fixture(scope="module")
def stats(built):
    return json.loads((built / "stats.json").read_text())


@pytest.mark.parametrize("name,goal", sorted(MECHANISM_TARGETS.items()))
def test_mechanism_layer_meets_its_target(stats, name, goal):
    assert stats["layers"]["mechanism"][name] >= goal


@pytest.mark.parametrize("name,goal", sorted(CLINICAL_TARGETS.items()))
def test_clinical_layer_meets_its_target(stats, name, goal):
    assert stats["layers"]["clinical"][name] >= goal


def test_enough_clinical_study_nodes(stats):
    assert stats["studies"] >= MIN_STUDIES


def test_enough_outcomes_reachable_by_an_evidenced_mechanism_path(stats):
    assert len(stats["outcomes_with_mechanism_path"]) >= MIN_OUTCOMES_WITH_PATH


def test_every_cited_publication_is_a_reference_with_where_it_was_confirmed():
    references = {r["id"]: r for r in rows("references")}
    cited = [
        (r["_where"], p) for folder in ("assertions", "studies") for r in rows(folder) for p in r["publications"].split("|") if p
    ]
    missing = [f"{where}: {p}" for where, p in cited if p not in references]
    unconfirmed = [f"{r['_where']}: {r['id']}" for r in references.values() if not r["confirmed_at"].strip()]
    assert not missing, missing
    assert not unconfirmed, unconfirmed


def test_every_reference_names_the_public_page_where_it_was_confirmed():
    for row in rows("references"):
        assert re.search(r"https?://", row["confirmed_at"]), f"{row['_where']}: {row['id']} has no URL in confirmed_at"


def test_every_node_has_a_standard_identifier_or_a_stated_reason():
    for row in rows("entities"):
        prefix = row["id"].split(":")[0]
        if prefix == "PAINKG":
            assert row["identifier_source"].startswith("no standard identifier:"), row["_where"]
        else:
            assert prefix in STANDARD_PREFIXES, f"{row['_where']}: {row['id']}"


def test_genes_carry_uniprot_and_ncbigene_xrefs():
    for row in rows("entities"):
        if row["id"].startswith("HGNC:"):
            xrefs = row["xrefs"].split("|")
            assert any(x.startswith("UniProtKB:") for x in xrefs), f"{row['_where']}: {row['id']} needs a UniProtKB xref"
            assert any(x.startswith("NCBIGene:") for x in xrefs), f"{row['_where']}: {row['id']} needs an NCBIGene xref"


def test_no_obsolete_or_misleading_identifier_is_used():
    for folder in ("entities", "assertions", "studies"):
        for row in rows(folder):
            for trap, why in TRAPS.items():
                assert trap not in "\t".join(row.values()), f"{row['_where']}: {trap} is {why}"


@pytest.mark.parametrize("system", ["glutamatergic", "opioid", "gabaergic", "monoaminergic", "metabolism", "neurotrophic"])
def test_each_seed_review_mechanism_has_primary_sources(system):
    """The review's mechanism sections (NMDA, opioid, GABA, monoamines, metabolites, antidepressant) each need
    assertions backed by papers other than the review itself."""
    in_system = {r["id"] for r in rows("entities") if system in r["systems"].split("|")}
    primary = [
        r
        for r in rows("assertions")
        if (r["subject"] in in_system or r["object"] in in_system) and set(r["publications"].split("|")) - {SEED_REVIEW}
    ]
    assert len(primary) >= 3, f"{system}: only {len(primary)} assertions with a primary source"


def test_quantities_have_units_and_measures():
    for row in rows("assertions"):
        if row["value"]:
            assert row["unit"] and row["measure"], row["_where"]


# The goals of issues 15 (content III) and 19 (beyond ketamine), as `kg build` reports them in stats.json "targets".
# A goal the curated data does not meet yet is a strict expected failure whose reason names the missing evidence:
# the day the rows land it turns into a failure, and the mark comes off.
UNMET = {
    "dosing_records": "2 of 8: the guideline dose tables (Schwenk 2018, Cohen 2018) were readable only on third-party "
    "summaries, not on the guidelines' own pages: their 8 dosing rows wait in data/unverified/dosing/",
}
ISSUE_GOALS = (
    "pk_records",
    "pk_substances",
    "pk_routes",
    "dosing_records",
    "assertions",
    "contraindications_and_interactions",
    "review_only_percent",
    "drugs_beyond_focus_complete",
    "references_cited",
)


@pytest.mark.parametrize(
    "goal",
    [pytest.param(g, marks=pytest.mark.xfail(strict=True, reason=UNMET[g])) if g in UNMET else g for g in ISSUE_GOALS],
)
def test_issue_content_goal_is_met(stats, goal):
    report = stats["targets"][goal]
    assert report["met"], f"{goal}: {report['value']} against {'at most ' if report.get('at_most') else ''}{report['target']}"


def test_interactions_and_contraindications_are_counted_from_the_rows(stats):
    """Issue 15 counts contraindications and interactions that were found: a supporting or partial row that an
    inhibitor or inducer changes an enzyme some drug is metabolised by, or a drug itself; no-effect rows do not count."""
    assertions = rows("assertions")
    metabolism = [r for r in assertions if r["predicate"] == "metabolised_by"]
    enzymes_or_drugs = {r["object"] for r in metabolism} | {r["subject"] for r in metabolism}
    changes = ("inhibitor_of", "decreases_activity_of", "decreases_amount_of", "increases_activity_of", "increases_amount_of")
    found = [
        r
        for r in assertions
        if r["support"] != "refutes"
        and (r["predicate"] == "contraindicated_in" or (r["predicate"] in changes and r["object"] in enzymes_or_drugs))
    ]
    assert stats["targets"]["contraindications_and_interactions"]["value"] == len(found)
    assert {"A-int-0001", "A-int-0005"} <= {r["id"] for r in found}  # fluvoxamine on lidocaine, bupropion on CYP2D6
    assert not {"A-int-0009", "A-int-0010"} & {r["id"] for r in found}  # fluvoxamine, sertraline: no CYP2D6 change


def test_the_compared_drugs_are_counted_from_the_rows(stats):
    """A drug family (chemicals joined by has_component, enantiomer_of or has_metabolite rows) without the focal drug
    counts as complete when the TSVs give its members at least 25 assertions as subject and 5 pharmacokinetic records."""
    import collections

    assertions = rows("assertions")
    chemicals = {e["id"] for e in rows("entities") if e["category"] in ("biolink:SmallMolecule", "biolink:ChemicalEntity")}
    group = {c: {c} for c in chemicals}
    for r in assertions:
        if r["predicate"] in ("has_component", "enantiomer_of", "has_metabolite"):
            merged = group[r["subject"]] | group[r["object"]]
            for member in merged:
                group[member] = merged
    families = {frozenset(g) for g in group.values()}
    focal = {e["id"] for e in rows("entities") if e["focus"] == "yes"}
    subjects = collections.Counter(r["subject"] for r in assertions)
    records = collections.Counter(r["substance"] for r in rows("pharmacokinetics"))
    complete = {
        family
        for family in families
        if not family & focal and sum(subjects[d] for d in family) >= 25 and sum(records[d] for d in family) >= 5
    }
    named = {max(sorted(f), key=lambda d: subjects[d]) for f in complete}
    assert set(stats["drugs_beyond_focus_complete"]) == named != set()
