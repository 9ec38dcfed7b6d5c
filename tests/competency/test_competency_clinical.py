"""Clinical questions: which pain conditions does ketamine relieve, how much, and at what risk?"""

from __future__ import annotations

import pytest

import kg

KETAMINE, ESKETAMINE = "CHEBI:6121", "CHEBI:60799"
POSTOP, OPIOID_USE, CPSP = "MESH:D010149", "PAINKG:postoperative-opioid-consumption", "PAINKG:chronic-postsurgical-pain"
NEUROPATHIC, CANCER, ACUTE, CRPS = "MONDO:0021667", "MESH:D000072716", "MESH:D059787", "MONDO:0019369"
PSYCHOSIS, LIVER, IL6 = "MONDO:0004630", "MONDO:0005359", "HGNC:6018"
PAIN_CONDITIONS = {
    POSTOP,
    CPSP,
    NEUROPATHIC,
    CANCER,
    ACUTE,
    CRPS,
    "HP:0012532",
    "MONDO:0005546",
    "MONDO:0005277",
    "PAINKG:chronic-pain-with-depression",
    "MESH:D010591",
}


def evidence(store, cli, subject, predicate, obj):
    """The claim's evidence rows, from the API and from the CLI (cq-05), each indexed by assertion id."""
    params = {"subject": subject, "predicate": f"painkg:{predicate}", "object": obj}
    return (
        kg.query("cq-05-assertion-evidence", graph=store, **params).set_index("assertion"),
        cli("cq-05-assertion-evidence", **params).set_index("assertion"),
    )


def test_does_perioperative_ketamine_prevent_chronic_postsurgical_pain(store, cli, claim):
    """Not shown: McNicol 2014 (PMID 25060512, meta-analysis of 17 RCTs) found no significant reduction pooled over
    all routes (A-clin-postop-0011, refutes, A) and a partial signal for some (A-clin-postop-0012, B); Sveticic 2008
    (DOI 10.1213/01.ane.0000289637.11065.8f) also refutes. The strongest row refutes."""
    rows = claim(KETAMINE, "prevents", CPSP)
    strongest = max(rows.values(), key=lambda r: "DCBA".index(r["grade"]))
    assert (strongest["id"], strongest["support"], strongest["grade"]) == ("A-clin-postop-0011", "refutes", "A")
    for table in evidence(store, cli, KETAMINE, "prevents", CPSP):
        assert set(table.index) == set(rows)
        assert table.index[0] == "A-clin-postop-0011" and table.loc["A-clin-postop-0011", "support"] == "refutes"


def test_does_ketamine_spare_postoperative_opioids_and_by_how_much(store, cli, claim):
    """Yes: Loftus 2010 (PMID 20693876, RCT, opioid-dependent back surgery) lowered opiate consumption (A-clin-postop-0003,
    B); Nielsen 2017 (DOI 10.1097/j.pain.0000000000000782) esketamine: mean difference -42 mg (-59 to -25) morphine
    (A-clin-postop-0004, B)."""
    assert claim(KETAMINE, "decreases", OPIOID_USE)["A-clin-postop-0003"]["support"] == "supports"
    [api, shell] = evidence(store, cli, ESKETAMINE, "decreases", OPIOID_USE)
    for table in (api, shell):
        row = table.loc["A-clin-postop-0004"]
        assert (float(row["value"]), float(row["value_low"]), float(row["value_high"]), row["unit"]) == (-42, -59, -25, "mg")
    for table in (
        kg.query("cq-24-drugs-for-outcome", graph=store, outcome=OPIOID_USE),
        cli("cq-24-drugs-for-outcome", outcome=OPIOID_USE),
    ):
        assert {KETAMINE, ESKETAMINE} <= set(table["drug"])


def test_does_ketamine_relieve_cancer_pain(store, cli, claim):
    """No benefit in the phase III trial: Hardy 2012 (PMID 22965960): response 31% v 27%, difference 0.04 (-0.10 to
    0.18), adverse events doubled (A-clin-chronic-0022, refutes, B); the Cochrane review (Bell 2017) calls it studied,
    not established (A-clin-chronic-0023, studied_to_treat)."""
    assert claim(KETAMINE, "ameliorates", CANCER)["A-clin-chronic-0022"]["support"] == "refutes"
    assert "A-clin-chronic-0023" in claim(KETAMINE, "studied_to_treat", CANCER)
    for table in evidence(store, cli, KETAMINE, "ameliorates", CANCER):
        row = table.loc["A-clin-chronic-0022"]
        assert row["support"] == "refutes" and float(row["value"]) == pytest.approx(0.04)
        assert float(row["value_low"]) < 0 < float(row["value_high"])  # the interval crosses no difference


def test_how_much_does_ketamine_lower_neuropathic_pain(store, cli, claim):
    """Guimarães Pereira 2022 (DOI 10.2147/JPR.S358070, meta-analysis): mean difference -2.14 (-2.65 to -1.63) and
    -1.68 (-2.25 to -1.12) points on a 0-10 scale (A-clin-chronic-0013, -0014, B)."""
    expected = {"A-clin-chronic-0013": (-2.14, -2.65, -1.63), "A-clin-chronic-0014": (-1.68, -2.25, -1.12)}
    assert set(expected) <= set(claim(KETAMINE, "ameliorates", NEUROPATHIC))
    for table in evidence(store, cli, KETAMINE, "ameliorates", NEUROPATHIC):
        for assertion, (value, low, high) in expected.items():
            row = table.loc[assertion]
            assert (float(row["value"]), float(row["value_low"]), float(row["value_high"])) == (value, low, high)


def test_which_pain_conditions_have_meta_analytic_evidence_with_effect_sizes(store, cli, assertions, studies):
    """From data/studies: acute pain (Shi 2024 SMD -0.27; Ying 2023 SMD -0.45), chronic pain (Orhurhu 2019 MD -1.83
    points) and neuropathic pain (Guimarães Pereira 2022 MD -2.14 and -1.68) carry a meta-analysis with the effect on
    the assertion itself; chronic postsurgical pain has a meta-analysis (McNicol 2014) without a pooled number."""
    expected = {
        r["id"]: float(r["value"])
        for r in assertions
        if r["object"] in PAIN_CONDITIONS
        and r["value"]
        and any(studies[s]["design"] == "meta-analysis" for s in r["studies"].split("|") if s)
    }
    assert {"A-clin-acute-0002", "A-clin-acute-0009", "A-clin-chronic-0002", "A-clin-chronic-0013"} <= set(expected)
    table = kg.evidence.evidence_table(store)
    meta = table[
        table["designs"].map(lambda d: "meta-analysis" in d) & table["object"].isin(PAIN_CONDITIONS) & table["value"].notna()
    ]
    assert dict(zip(meta["assertion"], meta["value"], strict=True)) == pytest.approx(expected)
    shell = cli("cq-21-quantitative-values", drug=KETAMINE).set_index("assertion")
    assert {a: float(shell.loc[a, "value"]) for a in expected if a in shell.index} == pytest.approx(
        {a: v for a, v in expected.items() if a in shell.index}
    )
    assert set(expected) - set(shell.index) <= {a for a, r in ((r["id"], r) for r in assertions) if r["subject"] != KETAMINE}


def test_how_often_does_ketamine_cause_psychotomimetic_effects(store, cli, claim):
    """More often than control: risk ratio 4.94 (2.76-8.84) in neuropathic-pain trials (Guimarães Pereira 2022,
    A-clin-adv-0002, A) and 13.86 (4.85-39.58) in the emergency department (Lee 2016, A-clin-adv-0022, B)."""
    rows = claim(KETAMINE, "causes_adverse_effect", PSYCHOSIS)
    assert rows["A-clin-adv-0002"]["grade"] == "A"
    for table in evidence(store, cli, KETAMINE, "causes_adverse_effect", PSYCHOSIS):
        assert float(table.loc["A-clin-adv-0002", "value"]) == 4.94 and float(table.loc["A-clin-adv-0022", "value"]) == 13.86
    for table in (kg.query("cq-11-adverse-effects", graph=store, drug=KETAMINE), cli("cq-11-adverse-effects", drug=KETAMINE)):
        assert table.loc[table["adverse_effect"] == PSYCHOSIS, "best_grade"].iloc[0] == "A"


def test_does_low_dose_ketamine_relieve_acute_pain_in_the_emergency_department(store, cli, claim):
    """Yes, modestly: Ying 2023 (DOI 10.5811/westjem.2023.2.58368, 15 RCTs) SMD -0.45 (-0.84 to -0.07) against opiates
    at 30 min (A-clin-acute-0009, B); Shi 2024 (DOI 10.29271/jcpsp.2024.01.78) SMD -0.27 (-0.48 to -0.05) (A)."""
    rows = claim(KETAMINE, "ameliorates", ACUTE)
    assert rows["A-clin-acute-0009"]["value"] == "-0.45" and rows["A-clin-acute-0002"]["grade"] == "A"
    for table in evidence(store, cli, KETAMINE, "ameliorates", ACUTE):
        assert float(table.loc["A-clin-acute-0009", "value"]) == -0.45
        assert float(table.loc["A-clin-acute-0002", "value"]) == -0.27 and table.index[0] == "A-clin-acute-0002"


def test_does_ketamine_relieve_complex_regional_pain_syndrome(store, cli, claim):
    """Yes in two RCTs: Schwartzman 2009 (DOI 10.1016/j.pain.2009.08.015, ketamine) and Sigtermans 2009
    (DOI 10.1016/j.pain.2009.06.023, esketamine), both B."""
    assert claim(KETAMINE, "ameliorates", CRPS)["A-clin-chronic-0008"]["grade"] == "B"
    assert claim(ESKETAMINE, "ameliorates", CRPS)["A-clin-chronic-0009"]["grade"] == "B"
    for table in (kg.query("cq-24-drugs-for-outcome", graph=store, outcome=CRPS), cli("cq-24-drugs-for-outcome", outcome=CRPS)):
        ameliorates = table[table["predicate"] == "ameliorates"]
        assert {KETAMINE, ESKETAMINE} <= set(ameliorates["drug"])
        assert set(ameliorates.loc[ameliorates["drug"].isin([KETAMINE, ESKETAMINE]), "best_grade"]) == {"B"}


def test_does_ketamine_lower_the_inflammatory_response_to_surgery(store, cli, claim):
    """Systemically, yes: Dale 2012 (PMID 22826531, meta-analysis of 6 RCTs): IL-6 change -71 pg/mL (-101 to -41) within
    6 h of surgery (A-inflam-0006, B, human)."""
    row = claim(KETAMINE, "decreases_amount_of", IL6)["A-inflam-0006"]
    assert (row["value"], row["species"]) == ("-71", "NCBITaxon:9606")
    for table in evidence(store, cli, KETAMINE, "decreases_amount_of", IL6):
        assert float(table.loc["A-inflam-0006", "value"]) == -71 and table.loc["A-inflam-0006", "unit"] == "pg/mL"


def test_is_ketamine_hepatotoxic(store, cli, claim):
    """Associated with cholestatic liver injury in one burn-unit cohort (De Tymowski 2023, PMID 38304235, C); the other
    rows are review statements (D)."""
    rows = claim(KETAMINE, "causes_adverse_effect", LIVER)
    assert {r["grade"] for r in rows.values()} == {"C", "D"} and rows["A-clin-gap-0013"]["grade"] == "C"
    for table in (kg.query("cq-11-adverse-effects", graph=store, drug=KETAMINE), cli("cq-11-adverse-effects", drug=KETAMINE)):
        row = table[table["adverse_effect"] == LIVER].iloc[0]
        assert row["best_grade"] == "C" and int(row["evidence_rows"]) == len(rows)


def test_what_is_the_bioavailability_of_non_injected_ketamine(store, cli, pharmacokinetics):
    """Low and route-dependent: about 20% oral, 30% sublingual and rectal, 45% intranasal (Yanagihara 2003,
    PMID 12516077, against 20 mg by injection), 29% (27-31) from a sublingual wafer (Rolan 2014, PMID 24977293)."""
    expected = {
        r["id"]: float(r["value"])
        for r in pharmacokinetics
        if r["substance"] == KETAMINE and r["parameter"] == "bioavailability" and r["value"]
    }
    assert expected["PK-ket-0001"] == 20 and expected["PK-ket-0004"] == 45 and expected["PK-ket-0008"] == 29
    sparql = """PREFIX painkg: <https://w3id.org/painkg/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT ?record ?value WHERE { ?pk a painkg:PharmacokineticObservation ; painkg:parameter painkg:pk-bioavailability ;
    painkg:substance obo:CHEBI_6121 ; dcterms:identifier ?record ; painkg:value ?value }"""
    for table in (kg.query(sparql, graph=store), cli(sparql)):
        assert dict(zip(table["record"], table["value"].astype(float), strict=True)) == pytest.approx(expected)
