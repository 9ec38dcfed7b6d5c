"""Across drugs (issue 19): kg.compare, kg.compare_paths, the cross-drug library queries cq-44..cq-49, the comparisons
table and the comparison view.

Arithmetic is checked on a small hand-made graph whose numbers are FIXTURE VALUES (the right answer is written next
to each expectation); the curated graph is checked against the TSV rows, never against the code's own output.
"""

from __future__ import annotations

import csv
import math
import re

import pytest
from rdflib import Graph

from kg.errors import UserError
from kg.mechanisms.compare import compare, compare_paths
from kg.serve.site import Site
from kg.sparql.library import query
from kg.store import as_rdflib, to_networkx
from kg.store.backends import load
from kg.views.layout import comparison_layout
from kg.views.select import select, shared_targets
from kg.views.viewer import viz
from support.project import DATA, curated_rows, run_kg

FIXTURE = """
@prefix painkg: <https://w3id.org/painkg/> .
@prefix PAINKG: <https://w3id.org/painkg/id/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix A: <https://w3id.org/painkg/assertion/> .
@prefix PK: <https://w3id.org/painkg/pk/> .

PAINKG:fx-a a biolink:SmallMolecule ; rdfs:label "drug a" ; painkg:identifierSource "fixture" ; painkg:molecularWeight 250.0 .
PAINKG:fx-b a biolink:SmallMolecule ; rdfs:label "drug b" ; painkg:identifierSource "fixture" .
PAINKG:fx-c a biolink:SmallMolecule ; rdfs:label "drug c" ; painkg:identifierSource "fixture" .
PAINKG:fx-shared a biolink:MacromolecularComplex ; rdfs:label "shared receptor" ; painkg:identifierSource "fixture" .
PAINKG:fx-own a biolink:Gene ; rdfs:label "own receptor" ; painkg:identifierSource "fixture" .
PAINKG:fx-process a biolink:BiologicalProcess ; rdfs:label "sensitisation" ; painkg:identifierSource "fixture" .
PAINKG:fx-pain a biolink:Disease ; rdfs:label "fixture pain" ; painkg:identifierSource "fixture" .

A:X-1 a painkg:Assertion ; dcterms:identifier "X-1" ; rdf:subject PAINKG:fx-a ; rdf:predicate painkg:antagonist_of ;
    rdf:object PAINKG:fx-shared ; painkg:measure "IC50" ; painkg:value 2.0 ; painkg:unit "µM" ;
    painkg:support painkg:supports ; painkg:grade painkg:grade-B .
A:X-2 a painkg:Assertion ; dcterms:identifier "X-2" ; rdf:subject PAINKG:fx-b ; rdf:predicate painkg:channel_blocker_of ;
    rdf:object PAINKG:fx-shared ; painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:X-3 a painkg:Assertion ; dcterms:identifier "X-3" ; rdf:subject PAINKG:fx-c ; rdf:predicate painkg:binds ;
    rdf:object PAINKG:fx-shared ; painkg:support painkg:refutes ; painkg:grade painkg:grade-C .
A:X-4 a painkg:Assertion ; dcterms:identifier "X-4" ; rdf:subject PAINKG:fx-a ; rdf:predicate painkg:inhibitor_of ;
    rdf:object PAINKG:fx-own ; painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:X-5 a painkg:Assertion ; dcterms:identifier "X-5" ; rdf:subject PAINKG:fx-shared ; rdf:predicate painkg:contributes_to ;
    rdf:object PAINKG:fx-process ; painkg:support painkg:supports ; painkg:grade painkg:grade-C .
A:X-6 a painkg:Assertion ; dcterms:identifier "X-6" ; rdf:subject PAINKG:fx-process ; rdf:predicate painkg:contributes_to ;
    rdf:object PAINKG:fx-pain ; painkg:support painkg:supports ; painkg:grade painkg:grade-C .
PAINKG:fx-a painkg:antagonist_of PAINKG:fx-shared ; painkg:inhibitor_of PAINKG:fx-own .
PAINKG:fx-b painkg:channel_blocker_of PAINKG:fx-shared .
PAINKG:fx-c painkg:binds PAINKG:fx-shared .
PAINKG:fx-shared painkg:contributes_to PAINKG:fx-process .
PAINKG:fx-process painkg:contributes_to PAINKG:fx-pain .

PK:PK-fx-0001 a painkg:PharmacokineticObservation ; dcterms:identifier "PK-fx-0001" ; painkg:substance PAINKG:fx-a ;
    painkg:parameter painkg:pk-plasma_concentration ; painkg:value 125.0 ; painkg:unit "ng/mL" ; painkg:regimen "infusion" .
"""
FIXTURE_A, FIXTURE_B, FIXTURE_C = "PAINKG:fx-a", "PAINKG:fx-b", "PAINKG:fx-c"
TARGET_CATEGORIES = {"biolink:Gene", "biolink:Protein", "biolink:MacromolecularComplex"}
CHEMICAL_CATEGORIES = {"biolink:SmallMolecule", "biolink:ChemicalEntity", "biolink:MolecularMixture"}
NOT_ACTIONS = {"metabolised_by", "has_metabolite", "has_component", "enantiomer_of", "subunit_of"}
SUPPORTING = {"supports", "partially_supports"}


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    """The fixture with the schema beside it: a hop's sign comes from the predicate's painkg:sign there."""
    return Graph().parse(data=FIXTURE, format="turtle").parse(DATA / "schema" / "painkg.ttl", format="turtle")


def test_compare_lists_every_drug_at_a_shared_target_with_its_own_engagement(fixture_graph):
    df = compare(graph=fixture_graph)
    assert set(df["target"]) == {"PAINKG:fx-shared"}  # fx-own has one drug only: not shared
    assert set(df["drugs_sharing"]) == {2}  # fx-c's action is refuted: a and b share the receptor
    a = df[df["drug"] == FIXTURE_A].iloc[0]
    # 125 ng/mL / 250 g/mol = 0.5 µM; 0.5 / 2 µM = 0.25: partial (between 0.1 and 1)
    assert (a["plasma_uM"], a["engagement_ratio"], a["reading"]) == (pytest.approx(0.5), pytest.approx(0.25), "partial")
    b = df[df["drug"] == FIXTURE_B].iloc[0]
    assert b["reason"] == "no potency curated for this action" and math.isnan(b["engagement_ratio"])
    c = df[df["drug"] == FIXTURE_C].iloc[0]
    assert c["support"] == "refutes" and "refutes" in c["reason"]


def test_compare_keeps_the_drugs_asked_for(fixture_graph):
    df = compare(drugs=[FIXTURE_A, FIXTURE_C], graph=fixture_graph)
    assert df.empty  # c's only action is refuted, so a and c share no target


def test_compare_paths_marks_the_nodes_two_drugs_go_through(fixture_graph):
    df = compare_paths("PAINKG:fx-pain", graph=fixture_graph)
    assert set(df["drug"]) == {FIXTURE_A, FIXTURE_B}  # c's hop is refuted: no path
    assert set(df["shared_nodes"]) == {"PAINKG:fx-shared|PAINKG:fx-process"}


# ------------------------------------------------------------------ the curated graph, against the TSVs


def entity_categories() -> dict[str, str]:
    return {r["id"]: r["category"] for r in curated_rows("entities")}


def supported_actions() -> dict[str, set[str]]:
    """target -> chemicals with a supporting action on it, read from the assertion TSVs."""
    categories = entity_categories()
    found: dict[str, set[str]] = {}
    for row in curated_rows("assertions"):
        if (
            row["support"] in SUPPORTING
            and row["predicate"] not in NOT_ACTIONS
            and categories.get(row["subject"]) in CHEMICAL_CATEGORIES
            and categories.get(row["object"]) in TARGET_CATEGORIES
        ):
            found.setdefault(row["object"], set()).add(row["subject"])
    return found


def test_shared_targets_query_lists_what_the_rows_say(graph):
    expected = {t for t, drugs in supported_actions().items() if len(drugs) >= 2}
    df = query("cq-44-shared-targets", graph=graph)
    assert set(df["target"]) == expected
    counts = dict(zip(df["target"], df["drugs"], strict=True))
    assert {t: int(n) for t, n in counts.items()} == {t: len(supported_actions()[t]) for t in expected}


def test_kg_compare_and_the_shared_targets_query_agree_on_the_nmda_receptor(graph):
    nmda = "GO:0017146"
    python = compare(target=nmda, graph=graph)
    sparql = query("cq-44-shared-targets", target=nmda, graph=graph)
    assert set(python["potency_assertion"]) == set(sparql["assertion"])
    assert supported_actions()[nmda] <= set(python["drug"])


def test_adverse_effect_profiles_hold_every_adverse_effect_row(graph):
    rows = [r for r in curated_rows("assertions") if r["predicate"] == "causes_adverse_effect"]
    df = query("cq-47-adverse-effect-profiles", graph=graph)
    assert dict(zip(df["assertion"], df["support"], strict=True)) == {r["id"]: r["support"].replace("_", " ") for r in rows}


def test_contested_across_drugs_pairs_a_supported_and_a_refuted_side(graph):
    categories = entity_categories()
    status: dict[tuple, dict[str, set[str]]] = {}
    for r in curated_rows("assertions"):
        if categories.get(r["subject"]) in CHEMICAL_CATEGORIES:
            side = "con" if r["support"] == "refutes" else "pro"
            status.setdefault((r["predicate"], r["object"]), {}).setdefault(r["subject"], set()).add(side)
    expected = {
        (p, o, d)
        for (p, o), drugs in status.items()
        if len(drugs) >= 2 and any("pro" in s for s in drugs.values()) and any("con" in s for s in drugs.values())
        for d in drugs
    }
    df = query("cq-48-contested-across-drugs", graph=graph)
    assert set(zip(df["predicate"], df["object"], df["drug"], strict=True)) == expected != set()


def test_pk_across_drugs_lists_every_record_of_the_parameter(graph):
    rows = {r["id"] for r in curated_rows("pharmacokinetics") if r["parameter"] == "elimination_half_life"}
    df = query("cq-49-pk-across-drugs", graph=graph)
    assert set(df["pk_record"]) == rows
    assert df["substance"].nunique() >= 3  # more than one drug side by side


def test_head_to_head_query_lists_studies_linked_to_two_or_more_drugs(graph):
    by_study: dict[str, set[str]] = {}
    categories = entity_categories()
    for r in curated_rows("assertions"):
        for study in filter(None, r["studies"].split("|")):
            if categories.get(r["subject"]) in CHEMICAL_CATEGORIES:
                by_study.setdefault(study, set()).add(r["subject"])
    expected = {s for s, drugs in by_study.items() if len(drugs) >= 2}
    df = query("cq-46-head-to-head", graph=graph)
    assert set(df["study"]) == expected


# ------------------------------------------------------------------ comparisons: data and views


def comparison_rows() -> list[dict]:
    with open(DATA / "comparisons" / "groups.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_each_curated_comparison_gets_a_view_and_each_member_a_drug_view(built):
    views = built / "views"
    for row in comparison_rows():
        assert (views / f"compare-{row['id']}.html").is_file()
        for drug in row["drugs"].split("|"):
            assert (views / f"drug-{drug.replace(':', '_')}.html").is_file(), drug


def test_comparison_view_puts_the_shared_targets_in_the_middle(graph):
    group = comparison_rows()[0]
    drugs = group["drugs"].split("|")
    network = to_networkx(as_rdflib(graph))
    selection = select(network, compare=drugs)
    positions = comparison_layout(selection.network, drugs, shared_targets(selection.network, drugs))
    shared = {t for t, ds in supported_actions().items() if len(ds & set(drugs)) >= 2}
    radius = lambda n: math.hypot(*positions[n])  # noqa: E731
    assert shared and set(drugs) <= set(selection.network)
    assert max(radius(t) for t in shared) < min(radius(d) for d in drugs)
    page = viz(compare=drugs, graph=graph)
    assert page.node_count == selection.network.number_of_nodes() and "comparing" in page.title


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("Nmda Group\tx\tCHEBI:6121|CHEBI:64312\t", "id", "lower-case words"),
        ("solo\tx\tCHEBI:6121\t", "drugs", "two or more"),
        ("twice\tx\tCHEBI:6121|CHEBI:6121\t", "drugs", "duplicate"),
        ("unknown\tx\tCHEBI:6121|CHEBI:999999999\t", "drugs", "not defined"),
    ],
)
def test_a_bad_comparison_row_is_refused_naming_file_line_and_field(data_copy, row, field, words):
    path = data_copy / "comparisons" / "groups.tsv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    result = run_kg("validate", "--data", str(data_copy))
    assert result.returncode == 2
    assert f"comparisons/groups.tsv:{len(lines) + 1}: {field}:" in result.stderr + result.stdout
    assert words in result.stderr + result.stdout


def test_compare_refuses_an_unknown_drug_in_the_viewer(graph):
    with pytest.raises(UserError, match="--compare"):
        viz(compare=["CHEBI:6121", "PAINKG:no-such-drug"], graph=graph)


def test_each_comparison_has_an_explorer_page_listing_every_action_at_its_shared_targets(built):
    actions = supported_actions()
    categories = entity_categories()
    for group in comparison_rows():
        drugs = set(group["drugs"].split("|"))
        page = (built / "site" / "compare" / f"{group['id']}.html").read_text(encoding="utf-8")
        shared = {t for t, ds in actions.items() if len(ds & drugs) >= 2}
        expected = {
            r["id"]
            for r in curated_rows("assertions")
            if r["subject"] in drugs
            and r["object"] in shared
            and r["predicate"] not in NOT_ACTIONS
            and categories.get(r["object"]) in TARGET_CATEGORIES
        }
        listed = set(re.findall(r'data-assertion="([^"]+)"', page))
        assert listed == expected, group["id"]
        assert f"compare/{group['id']}.html" in (built / "site" / "explore.html").read_text(encoding="utf-8")


def test_the_server_resolves_a_comparison_path_and_refuses_an_unknown_one(graph):
    site = Site(load(graph))
    group = comparison_rows()[0]["id"]
    assert site.resolve(f"/compare/{group}").kind == "compare"
    assert site.resolve("/compare/no-such-group") is None


def test_kg_viz_compare_writes_a_page_with_both_drugs(tmp_path):
    out = tmp_path / "pair.html"
    result = run_kg("viz", "--compare", "CHEBI:6121", "--compare", "CHEBI:64312", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "CHEBI:6121" in html and "CHEBI:64312" in html and "comparing" in result.stdout
