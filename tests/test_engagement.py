"""Target engagement: potency against plasma concentration, both in µM, in Python (kg.engagement) and SPARQL (cq-17).

The conversions are checked on a small hand-made graph whose numbers are FIXTURE VALUES chosen so the right
answer is plain arithmetic (written next to each expectation); the curated graph is checked against the TSV rows.
"""

from __future__ import annotations

import math

import pytest
from rdflib import Graph

from kg.mechanisms.engagement import COLUMNS, engagement
from kg.sparql.library import query
from kg.store.backends import load
from support.project import DATA, curated_rows

FIXTURE = """
@prefix painkg: <https://w3id.org/painkg/> .
@prefix PAINKG: <https://w3id.org/painkg/id/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix A: <https://w3id.org/painkg/assertion/> .
@prefix PK: <https://w3id.org/painkg/pk/> .

PAINKG:fx-drug a biolink:SmallMolecule ; rdfs:label "fixture drug" ; dcterms:identifier "PAINKG:fx-drug" ;
    painkg:identifierSource "test fixture" ; painkg:focus true ; painkg:molecularWeight 200.0 .
PAINKG:fx-metabolite a biolink:SmallMolecule ; rdfs:label "fixture metabolite" ; dcterms:identifier "PAINKG:fx-metabolite" ;
    painkg:identifierSource "test fixture" .
PAINKG:fx-receptor a biolink:Gene ; rdfs:label "fixture receptor" ; dcterms:identifier "PAINKG:fx-receptor" ;
    painkg:identifierSource "test fixture" .
PAINKG:fx-channel a biolink:MacromolecularComplex ; rdfs:label "fixture channel" ; painkg:displayLabel "channel" ;
    dcterms:identifier "PAINKG:fx-channel" ; painkg:identifierSource "test fixture" .
PAINKG:fx-transporter a biolink:Protein ; rdfs:label "fixture transporter" ; dcterms:identifier "PAINKG:fx-transporter" ;
    painkg:identifierSource "test fixture" .
PAINKG:fx-enzyme a biolink:Gene ; rdfs:label "fixture enzyme" ; dcterms:identifier "PAINKG:fx-enzyme" ;
    painkg:identifierSource "test fixture" .

A:F-1 a painkg:Assertion ; dcterms:identifier "F-1" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:antagonist_of ;
    rdf:object PAINKG:fx-receptor ; painkg:measure "Ki" ; painkg:value 500.0 ; painkg:unit "nM" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-B .
A:F-2 a painkg:Assertion ; dcterms:identifier "F-2" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:binds ;
    rdf:object PAINKG:fx-channel ; painkg:measure "other" ; painkg:value 5.0 ; painkg:unit "pKi" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:F-3 a painkg:Assertion ; dcterms:identifier "F-3" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:inhibitor_of ;
    rdf:object PAINKG:fx-transporter ; painkg:measure "IC50" ; painkg:value 2.0 ; painkg:unit "mM" ;
    painkg:support painkg:partially_supports ; painkg:grade painkg:grade-C .
A:F-4 a painkg:Assertion ; dcterms:identifier "F-4" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:inhibitor_of ;
    rdf:object PAINKG:fx-transporter ; painkg:measure "IC50" ; painkg:value 3.0 ; painkg:unit "µM" ;
    painkg:support painkg:refutes ; painkg:grade painkg:grade-C .
A:F-5 a painkg:Assertion ; dcterms:identifier "F-5" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:binds ;
    rdf:object PAINKG:fx-receptor ; painkg:measure "Ki" ; painkg:value 40.0 ; painkg:unit "mg/kg" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-D .
A:F-6 a painkg:Assertion ; dcterms:identifier "F-6" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:metabolised_by ;
    rdf:object PAINKG:fx-enzyme ; painkg:measure "Km" ; painkg:value 30.0 ; painkg:unit "µM" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:F-7 a painkg:Assertion ; dcterms:identifier "F-7" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:binds ;
    rdf:object PAINKG:fx-receptor ; painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:F-8 a painkg:Assertion ; dcterms:identifier "F-8" ; rdf:subject PAINKG:fx-drug ; rdf:predicate painkg:binds ;
    rdf:object PAINKG:fx-receptor ; painkg:measure "other" ; painkg:value 6.5 ; painkg:unit "pIC50" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:F-9 a painkg:Assertion ; dcterms:identifier "F-9" ; rdf:subject PAINKG:fx-metabolite ; rdf:predicate painkg:antagonist_of ;
    rdf:object PAINKG:fx-receptor ; painkg:measure "IC50" ; painkg:value 10.0 ; painkg:unit "µM" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-C .

PK:PK-fx-1 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-1" ; painkg:substance PAINKG:fx-drug ;
    painkg:parameter painkg:pk-plasma_concentration ; painkg:value 100.0 ; painkg:unit "ng/mL" ;
    painkg:regimen "IV infusion 0.5 mg/kg/h" .
PK:PK-fx-2 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-2" ; painkg:substance PAINKG:fx-drug ;
    painkg:parameter painkg:pk-cmax ; painkg:valueLow 1.0 ; painkg:valueHigh 2.0 ; painkg:unit "µM" ;
    painkg:regimen "single IV bolus" ; painkg:note "Unbound concentration, fixture." .
PK:PK-fx-3 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-3" ; painkg:substance PAINKG:fx-drug ;
    painkg:parameter painkg:pk-bioavailability ; painkg:value 20.0 ; painkg:unit "%" ; painkg:regimen "oral tablet" .
PK:PK-fx-4 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-4" ; painkg:substance PAINKG:fx-drug ;
    painkg:parameter painkg:pk-plasma_concentration ; painkg:value 3.0 ; painkg:unit "nmol/kg" ; painkg:regimen "depot" .
PK:PK-fx-5 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-5" ; painkg:substance PAINKG:fx-drug ;
    painkg:parameter painkg:pk-plasma_concentration ; painkg:unit "ng/mL" ; painkg:regimen "oral tablet" .
PK:PK-fx-6 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-6" ; painkg:substance PAINKG:fx-metabolite ;
    painkg:parameter painkg:pk-plasma_concentration ; painkg:value 30.0 ; painkg:unit "ng/mL" ;
    painkg:regimen "IV infusion 0.5 mg/kg/h" .
"""

# hand arithmetic on the fixture values
KI_F1_UM = 0.5  # 500 nM
PKI_F2_UM = 10.0  # pKi 5 -> 10^(6 - 5) µM
IC50_F3_UM = 2000.0  # 2 mM
PIC50_F8_UM = 10**-0.5  # pIC50 6.5 -> 10^(6 - 6.5) µM = 0.316 µM
INFUSION_UM = 0.5  # 100 ng/mL / 200 g/mol
BOLUS_UM = 2.0  # top of the 1-2 µM range


@pytest.fixture(scope="module")
def fixture_graph():
    graph = Graph().parse(DATA / "schema" / "painkg.ttl")
    return graph.parse(data=FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def table(fixture_graph):
    return engagement(graph=fixture_graph)


def rows(table, potency, pk=None) -> list[dict]:
    found = table[(table["potency_assertion"] == potency)]
    found = found[found["pk_record"].isna()] if pk is None else found[found["pk_record"] == pk]
    return found.to_dict("records")


def test_one_row_per_potency_assertion_and_plasma_record(table):
    """Potency rows: F-1, F-2, F-3, F-4 (refuted), F-5, F-8; not the enzyme's Km (F-6) nor the row without a number
    (F-7). Plasma records of the drug: PK-fx-1, 2, 4, 5 (not the bioavailability PK-fx-3)."""
    assert set(table["potency_assertion"]) == {"F-1", "F-2", "F-3", "F-4", "F-5", "F-8"}
    assert set(table["pk_record"]) == {"PK-fx-1", "PK-fx-2", "PK-fx-4", "PK-fx-5"}
    assert len(table) == 6 * 4


def test_potencies_are_converted_to_micromolar(table):
    potency = dict(zip(table["potency_assertion"], table["potency_uM"], strict=True))
    assert potency["F-1"] == pytest.approx(KI_F1_UM)
    assert potency["F-2"] == pytest.approx(PKI_F2_UM)
    assert potency["F-3"] == pytest.approx(IC50_F3_UM)
    assert potency["F-8"] == pytest.approx(PIC50_F8_UM)
    assert math.isnan(potency["F-5"])  # mg/kg is a dose, not a concentration


def test_plasma_is_converted_with_the_molecular_weight_and_marked_total_or_unbound(table):
    [infusion] = rows(table, "F-1", "PK-fx-1")
    assert infusion["plasma_uM"] == pytest.approx(INFUSION_UM)
    assert infusion["plasma_basis"] == "total" and infusion["plasma_statistic"] == "reported value"
    assert infusion["molecular_weight"] == 200.0
    [bolus] = rows(table, "F-1", "PK-fx-2")
    assert bolus["plasma_uM"] == pytest.approx(BOLUS_UM)
    assert bolus["plasma_basis"] == "unbound" and bolus["plasma_statistic"] == "upper end of the reported range"


def test_engagement_ratio_is_plasma_over_potency(table):
    assert rows(table, "F-1", "PK-fx-1")[0]["engagement_ratio"] == pytest.approx(INFUSION_UM / KI_F1_UM)  # 1.0
    assert rows(table, "F-1", "PK-fx-2")[0]["engagement_ratio"] == pytest.approx(BOLUS_UM / KI_F1_UM)  # 4.0
    assert rows(table, "F-2", "PK-fx-1")[0]["engagement_ratio"] == pytest.approx(INFUSION_UM / PKI_F2_UM)  # 0.05
    assert rows(table, "F-3", "PK-fx-1")[0]["engagement_ratio"] == pytest.approx(INFUSION_UM / IC50_F3_UM)
    assert rows(table, "F-8", "PK-fx-1")[0]["engagement_ratio"] == pytest.approx(INFUSION_UM / PIC50_F8_UM)


def test_every_row_without_a_ratio_says_why(table):
    assert table["engagement_ratio"].isna().eq(table["reason"].notna()).all()
    reasons = {(r["potency_assertion"], r["pk_record"]): r["reason"] for r in table.to_dict("records")}
    assert reasons["F-4", "PK-fx-1"] == "the source refutes this action, so its number is no evidence of engagement"
    assert reasons["F-5", "PK-fx-1"] == "potency unit 'mg/kg' does not convert to µM"
    assert reasons["F-1", "PK-fx-4"] == "plasma unit 'nmol/kg' does not convert to µM"
    assert reasons["F-1", "PK-fx-5"] == "the plasma record gives no value"


def test_refuted_action_keeps_its_row_but_never_a_ratio(table):
    refuted = table[table["potency_assertion"] == "F-4"]
    assert set(refuted["support"]) == {"refutes"} and refuted["engagement_ratio"].isna().all()


def test_regimen_keeps_only_the_records_that_name_it(fixture_graph):
    infusion = engagement(regimen="INFUSION", graph=fixture_graph)
    assert set(infusion["pk_record"]) == {"PK-fx-1"}
    none = engagement(regimen="intrathecal", graph=fixture_graph)
    assert none["pk_record"].isna().all()
    assert set(none["reason"]) <= {
        "no plasma concentration curated for this regimen",
        "the source refutes this action, so its number is no evidence of engagement",
        "potency unit 'mg/kg' does not convert to µM",
    }


def test_mass_units_without_a_molecular_weight_say_so(fixture_graph):
    [row] = engagement("PAINKG:fx-metabolite", graph=fixture_graph).to_dict("records")
    assert row["plasma_uM"] is None or math.isnan(row["plasma_uM"])
    assert row["reason"] == "no molecular weight curated for PAINKG:fx-metabolite: ng/mL does not convert to µM"


def test_drug_defaults_to_the_focal_drug(fixture_graph, table):
    assert set(table["drug"]) == {"PAINKG:fx-drug"}


def test_networkx_graph_is_refused_with_a_clear_message(fixture_graph):
    from kg.store import to_networkx

    with pytest.raises(TypeError, match="plasma records"):
        engagement(graph=to_networkx(fixture_graph))


# ---------------------------------------------------------------- Python and SPARQL agree


def same_table(python, sparql) -> None:
    """Row for row, column for column; numbers to 1e-9 relative (the SPARQL p-scale series is exact to ~1e-13)."""
    assert list(sparql.columns)[: len(COLUMNS)] == COLUMNS
    assert len(python) == len(sparql)
    for mine, theirs in zip(python.to_dict("records"), sparql[COLUMNS].to_dict("records"), strict=True):
        for column in COLUMNS:
            a, b = mine[column], theirs[column]
            if _missing(a) or _missing(b):
                assert _missing(a) and _missing(b), (column, a, b)
            elif isinstance(a, float) or isinstance(b, float):
                assert float(b) == pytest.approx(float(a), rel=1e-9), (column, mine["potency_assertion"])
            else:
                assert a == b, (column, a, b)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("params", [{}, {"regimen": "infusion"}, {"regimen": "intrathecal"}, {"drug": "PAINKG:fx-metabolite"}])
def test_cq17_gives_the_same_table_as_kg_engagement_on_the_fixture(fixture_graph, store, params):
    python = engagement(graph=fixture_graph, **params)
    sparql = query("cq-17-affinity-vs-plasma", graph=load(fixture_graph, store=store), **({"drug": "PAINKG:fx-drug"} | params))
    same_table(python, sparql)


@pytest.fixture(scope="module")
def curated_graph():
    from kg.validate import checked_graph

    return checked_graph()[1]


def test_cq17_gives_the_same_table_as_kg_engagement_on_the_curated_graph(curated_graph):
    same_table(engagement(graph=curated_graph), query("cq-17-affinity-vs-plasma", graph=load(curated_graph)))


# ---------------------------------------------------------------- the curated graph, from the TSV rows

MICROMOLAR = {"nM": 1e-3, "µM": 1.0, "mM": 1e3, "nmol/L": 1e-3, "µmol/L": 1.0, "mmol/L": 1e3}  # and as laboratories write them


def curated_potency_uM(row: dict) -> float | None:
    """The published number in µM, by hand: SI prefixes, and pKi as 10^(6 - pKi)."""
    value = float(row["value"])
    return 10 ** (6 - value) if row["unit"] == "pKi" else value * MICROMOLAR[row["unit"]] if row["unit"] in MICROMOLAR else None


def test_curated_engagement_lists_every_potency_of_the_focal_drug(curated_graph):
    entities = {r["id"]: r for r in curated_rows("entities")}
    focal = next(i for i, e in entities.items() if e["focus"] == "yes")
    targets = {
        i for i, e in entities.items() if e["category"] in ("biolink:Gene", "biolink:Protein", "biolink:MacromolecularComplex")
    }
    expected = {
        r["id"]: curated_potency_uM(r)
        for r in curated_rows("assertions")
        if r["subject"] == focal
        and r["object"] in targets
        and r["value"]
        and (r["measure"] in ("Ki", "IC50", "EC50", "Kd") or r["unit"] in ("pKi", *MICROMOLAR))
        and r["predicate"] not in ("metabolised_by",)
    }
    table = engagement(graph=curated_graph)
    got = dict(zip(table["potency_assertion"], table["potency_uM"], strict=True))
    assert set(got) == set(expected)
    assert got == pytest.approx(expected)
    assert "A-opioid-0001" in got and got["A-opioid-0001"] == pytest.approx(41.69, rel=1e-3)  # pKi 4.38 at MOR


MASS_PER_LITRE = {"ng/mL": 1.0, "µg/mL": 1e3, "mg/L": 1e3}  # µg/L per unit; µg/L divided by g/mol is µM


def test_curated_ratios_follow_the_plasma_records_and_molecular_weight_in_the_tsvs(curated_graph):
    """Today data/pharmacokinetics holds no plasma concentration or Cmax of the focal drug, so every curated row
    names the missing plasma record instead of leaving a blank; once records are curated, their ratios are the
    hand-converted plasma concentration over the potency."""
    entities = {r["id"]: r for r in curated_rows("entities")}
    focal = next(i for i, e in entities.items() if e["focus"] == "yes")
    weight = float(entities[focal]["molecular_weight"]) if entities[focal].get("molecular_weight") else None
    plasma = {
        r["id"]: r
        for r in curated_rows("pharmacokinetics")
        if r["substance"] == focal and r["parameter"] in ("plasma_concentration", "cmax")
    }
    table = engagement(graph=curated_graph)
    if not plasma:
        assert set(table["reason"]) == {"no plasma concentration curated for this drug"}
        return
    for row in table[table["pk_record"].notna()].to_dict("records"):
        record = plasma[row["pk_record"]]
        point = float(record["value"] or record["value_high"])
        unit = record["unit"]
        uM = (
            point * MICROMOLAR[unit]
            if unit in MICROMOLAR
            else point * MASS_PER_LITRE[unit] / weight
            if unit in MASS_PER_LITRE and weight
            else None
        )
        if uM is None or row["support"] == "refutes":
            assert row["reason"], row
        else:
            assert row["engagement_ratio"] == pytest.approx(uM / row["potency_uM"]), row


def test_cq17_regimen_filter_holds_when_bound_as_a_remote_endpoint_binds_it(fixture_graph):
    """A remote endpoint receives parameters as a VALUES block, not as substitutions: the regimen filter inside the
    plasma OPTIONAL must see it there too (BOUND() of a substituted parameter is false on pyoxigraph, so the query
    tests the value instead)."""
    from kg.sparql.library import bindings_for, find_query
    from kg.store.backends import with_values

    entry = find_query("cq-17-affinity-vs-plasma")
    text = with_values(entry.text, bindings_for(entry, entry.text, {"drug": "PAINKG:fx-drug", "regimen": "infusion"}))
    for store in ("oxigraph", "rdflib"):
        table = load(fixture_graph, store=store).select(text, {})
        assert set(table["pk_record"].dropna()) == {"PK-fx-1"}, store
