"""Dosing records (data/dosing/*.tsv), contraindications and drug interactions: each reader rule refuses a broken copy
naming file:line:field, a dosing row becomes a painkg:DosingRecommendation node with the row's values, stats count
them, and the library queries (cq-41 dose range, cq-42 contraindications, cq-43 interactions) return exactly what the
TSV rows hold. Rows a test adds go into a private copy of data/, never into the curated files."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef

from kg.build.stats import compute_stats
from kg.sparql.library import query
from kg.validate import ValidationError, checked_graph
from kg.vocab import load_converter
from support.editing import set_field
from support.project import DATA, curated_rows
from support.records import append_row, problems

PAINKG = "https://w3id.org/painkg/"
P = lambda name: URIRef(PAINKG + name)  # noqa: E731
# The columns agreed for data/dosing/*.tsv (brief, "RDF shapes agreed between helpers").
COLUMNS = [
    "id",
    "drug",
    "drug_label",
    "indication",
    "indication_label",
    "route",
    "dose_low",
    "dose_high",
    "unit",
    "regimen",
    "population",
    "recommendation",
    "grade",
    "publications",
    "verified_at",
    "verified_on",
    "note",
]
INHIBITS = {"inhibitor_of", "decreases_activity_of", "decreases_amount_of"}
INDUCES = {"increases_activity_of", "increases_amount_of"}
ASSERTIONS = curated_rows("assertions")
ENTITIES = {row["id"]: row for row in curated_rows("entities")}
DRUG = next(i for i, e in ENTITIES.items() if e["focus"] == "yes")
TEST_ID = "D-test-0001"


def guideline_claim() -> dict:
    """A curated `treats` claim of the focal drug: its indication, publication and verified page seed the test row."""
    return next(r for r in ASSERTIONS if r["subject"] == DRUG and r["predicate"] == "treats")


@pytest.fixture
def with_dosing_row(data_copy):
    """The copy with one dosing row written the way a curator would (the numbers are the test's own)."""
    claim = guideline_claim()
    row = {
        "id": TEST_ID,
        "drug": DRUG,
        "drug_label": ENTITIES[DRUG]["label"],
        "indication": claim["object"],
        "indication_label": claim["object_label"],
        "route": "IV bolus",
        "dose_low": "0.1",
        "dose_high": "0.35",
        "unit": "mg/kg",
        "regimen": "single bolus",
        "population": "adults",
        "recommendation": "test row",
        "grade": "C",
        "publications": claim["publications"],
        "verified_at": claim["verified_at"],
        "verified_on": claim["verified_on"],
        "note": "written by tests/test_dosing.py",
    }
    where = append_row(data_copy, "dosing", "guidelines.tsv", row)
    return data_copy, row, where


def test_the_dosing_folder_has_the_agreed_header():
    path = DATA / "dosing" / "guidelines.tsv"
    assert path.read_text(encoding="utf-8").split("\n")[0].split("\t") == COLUMNS


def test_a_dosing_row_as_a_curator_writes_it_builds(with_dosing_row):
    data, _, _ = with_dosing_row
    assert problems(data) == []
    checked_graph(data)


BROKEN = [
    ("grade", "E", "'E' is not one of"),
    ("dose_low", "0.1 mg/kg", "expected a number"),
    ("unit", "", "a dose needs its unit"),
    ("drug", "CHEBI:999999999", "CHEBI:999999999 is not defined in entities/"),
    ("indication", "MONDO:9999999", "MONDO:9999999 is not defined in entities/"),
    ("indication_label", "some pain", "does not match the entity label"),
    ("publications", "PMID:1", "PMID:1 is not in references/"),
    ("route", "", "required field is empty"),
    ("id", "D-1", "expected a dosing record id D-<area>-<nnnn>"),
    ("verified_at", "", "every claim names the public page"),
    ("verified_on", "yesterday", "expected the ISO date"),
    ("dose_high", "0.01", "dose_high 0.01 is below dose_low 0.1"),
]


@pytest.mark.parametrize("column,value,words", BROKEN, ids=[f"{b[0]}={b[1]!r}" for b in BROKEN])
def test_a_broken_dosing_field_is_named_by_file_line_and_field(with_dosing_row, column, value, words):
    data, _, where = with_dosing_row
    assert where == set_field(data, "dosing", TEST_ID, column, value)
    found = problems(data)
    assert any(p.startswith(f"{where}: {column}: ") and words in p for p in found), found


def test_a_dosing_row_without_dose_or_regimen_is_refused(with_dosing_row):
    data, _, where = with_dosing_row
    for column in ("dose_low", "dose_high", "regimen"):
        set_field(data, "dosing", TEST_ID, column, "")
    assert any(p.startswith(f"{where}: dose_low: a dosing record gives dose_low/dose_high") for p in problems(data))


def test_a_dosing_drug_that_is_not_a_chemical_fails_the_qc_rule(with_dosing_row):
    data, _, where = with_dosing_row
    gene = next(e for e in ENTITIES.values() if e["category"] == "biolink:Gene")
    set_field(data, "dosing", TEST_ID, "drug", gene["id"])
    set_field(data, "dosing", TEST_ID, "drug_label", gene["label"])
    with pytest.raises(ValidationError) as raised:
        checked_graph(data)
    assert [(v.check, v.where) for v in raised.value.violations] == [("record-substance-not-chemical", where)]


# ---------------------------------------------------------------- graph, stats and the dose-range query


def assert_dosing_node(graph, expand, row: dict, where: str) -> None:
    node = URIRef(f"{PAINKG}dosing/{row['id']}")
    assert (node, RDF.type, P("DosingRecommendation")) in graph
    assert graph.value(node, P("drug")) == URIRef(expand(row["drug"]))
    assert graph.value(node, P("indication")) == URIRef(expand(row["indication"]))
    assert graph.value(node, P("grade")) == P(f"grade-{row['grade']}")
    for column, prop in (("dose_low", "doseLow"), ("dose_high", "doseHigh")):
        found = graph.value(node, P(prop))
        assert (float(found) if found is not None else None) == (float(row[column]) if row[column] else None)
    for column, prop in (
        ("route", "route"),
        ("unit", "unit"),
        ("regimen", "regimen"),
        ("population", "population"),
        ("recommendation", "recommendation"),
        ("note", "note"),
    ):
        assert graph.value(node, P(prop)) == (Literal(row[column]) if row[column] else None), (row["id"], column)
    assert set(graph.objects(node, P("publication"))) == {URIRef(expand(p)) for p in row["publications"].split("|")}
    assert graph.value(node, P("verifiedAt")) == URIRef(row["verified_at"])
    assert graph.value(node, P("sourceFile")) == Literal(where)


def test_a_written_dosing_row_is_a_node_with_its_values_and_is_counted(with_dosing_row):
    data, row, where = with_dosing_row
    curated, graph = checked_graph(data)
    assert_dosing_node(graph, curated.converter.expand, row, where)
    assert compute_stats(curated, len(graph))["dosing_records"] == len(curated_rows("dosing")) + 1


def test_each_curated_dosing_row_is_a_node_with_its_values(graph, snapshot):
    expand = load_converter(snapshot / "schema" / "prefixes.tsv").expand
    rows = curated_rows("dosing", snapshot)
    assert set(graph.subjects(RDF.type, P("DosingRecommendation"))) == {URIRef(f"{PAINKG}dosing/{r['id']}") for r in rows}
    for row in rows:
        assert_dosing_node(graph, expand, row, f"data/dosing/{row['_where']}")


def test_stats_count_the_curated_dosing_rows(curated):
    assert compute_stats(curated, 0)["dosing_records"] == len(curated_rows("dosing"))


def test_dose_range_query_lists_every_curated_dosing_row(graph, snapshot):
    df = query("cq-41-dose-range", graph=graph)
    assert sorted(df["record"]) == sorted(r["id"] for r in curated_rows("dosing", snapshot))


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_dose_range_for_an_indication_and_route(with_dosing_row, store):
    from kg.store.backends import load

    data, row, _ = with_dosing_row
    graph = load(checked_graph(data)[1], store=store)
    df = query("cq-41-dose-range", graph=graph, indication=row["indication"], route=row["route"])
    expected = {
        r["id"] for r in curated_rows("dosing", data) if (r["indication"], r["route"]) == (row["indication"], row["route"])
    }
    assert TEST_ID in expected and set(df["record"]) == expected
    mine = df.set_index("record").loc[TEST_ID]
    assert (mine["dose_low"], mine["dose_high"], mine["unit"]) == (0.1, 0.35, "mg/kg")
    assert mine["grade"] == "C" and mine["publications"] == row["publications"]
    assert query("cq-41-dose-range", graph=graph, indication=row["indication"], route="rectal").empty


# ---------------------------------------------------------------- contraindications and interactions


def test_contraindications_are_the_contraindicated_in_rows(graph, snapshot):
    df = query("cq-42-contraindications", graph=graph)
    rows = curated_rows("assertions", snapshot)
    assert set(df["assertion"]) == {r["id"] for r in rows if r["predicate"] == "contraindicated_in"}


def claim_like(base: dict, **changes) -> dict:
    """A copy of a curated assertion row with some fields changed (for a row added to a private copy)."""
    return {**{k: v for k, v in base.items() if k != "_where"}, **changes}


def test_a_contraindication_shows_with_its_support_and_grade(data_copy):
    base = guideline_claim()
    condition = next(r for r in ASSERTIONS if r["subject"] == DRUG and r["predicate"] == "causes_adverse_effect")
    row = claim_like(
        base,
        id="A-test-0001",
        predicate="contraindicated_in",
        object=condition["object"],
        object_label=condition["object_label"],
        measure="",
        value="",
        value_low="",
        value_high="",
        unit="",
    )
    append_row(data_copy, "assertions", base["_where"].split(":")[0], row)
    df = query("cq-42-contraindications", graph=checked_graph(data_copy)[1], drug=DRUG)
    mine = df.set_index("assertion").loc["A-test-0001"]
    assert (mine["condition"], mine["support"], mine["grade"]) == (condition["object"], base["support"], base["grade"])


def interactions(rows: list[dict], drug: str) -> set[tuple[str, str]]:
    """(assertion, enzyme) pairs: assertions of an inhibitor or inducer of an enzyme that metabolises `drug`, on that
    enzyme or on the drug, read from the TSV rows."""
    enzymes = {r["object"] for r in rows if (r["subject"], r["predicate"]) == (drug, "metabolised_by")}
    perpetrators = {
        (r["subject"], r["object"])
        for r in rows
        if r["predicate"] in INHIBITS | INDUCES and r["object"] in enzymes and r["subject"] != drug
    }
    return {
        (r["id"], enzyme) for r in rows for who, enzyme in perpetrators if r["subject"] == who and r["object"] in (enzyme, drug)
    }


def interaction_pairs(df) -> set[tuple[str, str]]:
    return set(zip(df["assertion"], df["enzyme"], strict=True))


def test_interactions_follow_the_curated_rows(graph, snapshot):
    df = query("cq-43-drug-interactions", graph=graph, drug=DRUG)
    assert interaction_pairs(df) == interactions(curated_rows("assertions", snapshot), DRUG)


def test_an_enzyme_inhibitor_is_listed_as_an_interaction_with_its_effect(data_copy):
    metabolism = next(r for r in ASSERTIONS if (r["subject"], r["predicate"]) == (DRUG, "metabolised_by"))
    other = next(e for i, e in ENTITIES.items() if e["category"] == "biolink:SmallMolecule" and i != DRUG)
    row = claim_like(
        metabolism,
        id="A-test-0002",
        subject=other["id"],
        subject_label=other["label"],
        predicate="inhibitor_of",
        measure="IC50",
        value="5",
        value_low="",
        value_high="",
        unit="µM",
    )
    append_row(data_copy, "assertions", metabolism["_where"].split(":")[0], row)
    df = query("cq-43-drug-interactions", graph=checked_graph(data_copy)[1], drug=DRUG)
    assert interaction_pairs(df) == interactions(curated_rows("assertions", data_copy), DRUG)
    mine = df.set_index("assertion").loc["A-test-0002"]
    assert (mine["perpetrator"], mine["role"], mine["predicate"]) == (other["id"], "inhibitor", "inhibitor_of")
    assert (mine["measure"], mine["value"], mine["unit"]) == ("IC50", 5.0, "µM")
