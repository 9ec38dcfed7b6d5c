"""Evidence tables: every expectation is read from the curated TSV rows (or drawn by hand), never from kg.evidence.

The curated data grows while these tests stand, so they compare whole sets derived from data/*/*.tsv;
the algorithms (grades through systems, conflicts, potency) are also checked on small hand-made graphs
and on a copy of data/ with rows a test adds, where the right answer is obvious from the test itself.
"""

from __future__ import annotations

import math
import shutil
from collections import Counter
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from evidence_edges import edge
from kg.config import data_dir
from kg.mechanisms import evidence
from kg.validate import checked_graph
from support.project import curated_rows, shown_label

DATA = data_dir()  # the curated sources the build reads (PAINKG_DATA when set)

TARGET_CATEGORIES = {"biolink:Gene", "biolink:Protein", "biolink:MacromolecularComplex"}
OUTCOME_CATEGORIES = {"biolink:Disease", "biolink:PhenotypicFeature", "biolink:ClinicalFinding"}
SUPPORTING = {"supports", "partially_supports"}
MICROMOLAR_PER_UNIT = {"nM": 0.001, "µM": 1.0, "mM": 1000.0}  # SI prefixes: 1 nM = 10^-3 µM


def split(field: str) -> list[str]:
    return [v for v in (field or "").split("|") if v]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the curated sources a test may add rows to."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


@pytest.fixture(scope="module")
def rdf():
    return checked_graph(DATA)[1]


@pytest.fixture(scope="module")
def table(rdf):
    return evidence.evidence_table(rdf).set_index("assertion")


@pytest.fixture(scope="module")
def assertions():
    return curated_rows("assertions")


@pytest.fixture(scope="module")
def entities():
    return {r["id"]: r for r in curated_rows("entities")}


# ---------------------------------------------------------------- the evidence table against the TSV rows


def test_evidence_table_has_one_row_per_curated_assertion(table, assertions):
    assert sorted(table.index) == sorted(r["id"] for r in assertions)


def test_each_row_repeats_the_curated_claim_and_its_grading(table, assertions, entities):
    for row in assertions:
        got = table.loc[row["id"]]
        for column in (
            "subject",
            "predicate",
            "object",
            "support",
            "grade",
            "species",
            "evidence_type",
            "measure",
            "unit",
            "stereoisomer",
        ):
            assert got[column] == row[column], (row["id"], column)
        for column in ("subject", "object"):
            assert got[f"{column}_label"] == shown_label(entities[row[column]]), (row["id"], column)
        assert sorted(got["publications"]) == sorted(split(row["publications"])), row["id"]
        if row["value"]:
            assert got["value"] == pytest.approx(float(row["value"])), row["id"]
        else:
            assert got["value"] is None or math.isnan(got["value"]), row["id"]


def test_species_and_systems_are_read_from_the_entities(table, assertions, entities):
    for row in assertions:
        got = table.loc[row["id"]]
        assert got["species_label"] == (shown_label(entities[row["species"]]) if row["species"] else evidence.NO_SPECIES)
        assert got["subject_systems"] == sorted(split(entities.get(row["subject"], {}).get("systems", "")))
        assert got["object_systems"] == sorted(split(entities.get(row["object"], {}).get("systems", "")))


def test_publication_years_are_the_years_of_the_cited_references(table, assertions):
    year_of = {r["id"]: int(r["year"]) for r in curated_rows("references") if r["year"]}
    for row in assertions:
        expected = sorted({year_of[p] for p in split(row["publications"]) if p in year_of})
        assert table.loc[row["id"], "years"] == expected, row["id"]


def test_designs_are_the_designs_of_the_linked_studies(table, assertions):
    design_of = {r["id"]: r["design"] for r in curated_rows("studies")}
    for row in assertions:
        expected = sorted({design_of[s] for s in split(row.get("studies", ""))})
        assert table.loc[row["id"], "designs"] == expected, row["id"]


def test_publication_table_counts_the_assertions_citing_each_reference(rdf, assertions):
    year_of = {r["id"]: int(r["year"]) for r in curated_rows("references") if r["year"]}
    citing = Counter(p for row in assertions for p in split(row["publications"]))
    years = evidence.publication_years(rdf).set_index("publication")
    assert dict(years["assertions"]) == dict(citing)
    for publication in citing:
        if publication in year_of:
            assert years.loc[publication, "year"] == year_of[publication], publication
        else:
            assert pd.isna(years.loc[publication, "year"]), publication


# ---------------------------------------------------------------- designs and species per system


def expected_systems(row: dict, entities: dict) -> list[str]:
    systems = set(split(entities.get(row["subject"], {}).get("systems", "")))
    systems |= set(split(entities.get(row["object"], {}).get("systems", "")))
    return sorted(systems) or [evidence.NO_SYSTEM]


def test_species_by_system_counts_each_assertion_once_per_system(rdf, assertions, entities):
    expected = Counter(
        (system, shown_label(entities.get(row["species"])) or evidence.NO_SPECIES)
        for row in assertions
        for system in expected_systems(row, entities)
    )
    crosstab = evidence.species_by_system(rdf)
    got = {(s, sp): int(n) for s, counts in crosstab.iterrows() for sp, n in counts.items() if n}
    assert got == dict(expected)


def test_assertions_without_studies_are_counted_under_their_evidence_type(rdf, assertions, entities):
    eco_label = {r["id"]: r["label"] for r in curated_rows("vocabularies") if "id" in r}
    design_of = {r["id"]: r["design"] for r in curated_rows("studies")}
    expected = Counter()
    for row in assertions:
        designs = sorted({design_of[s] for s in split(row.get("studies", ""))})
        designs = designs or [evidence.NO_STUDY + eco_label[row["evidence_type"]]]
        expected.update((system, d) for system in expected_systems(row, entities) for d in designs)
    crosstab = evidence.designs_by_system(rdf)
    got = {(s, d): int(n) for s, counts in crosstab.iterrows() for d, n in counts.items() if n}
    assert got == dict(expected)


# ---------------------------------------------------------------- conflicts


def disputed_ids(rows: list[dict]) -> set[str]:
    supports: dict[tuple, set[str]] = {}
    for row in rows:
        supports.setdefault((row["subject"], row["predicate"], row["object"]), set()).add(row["support"])
    return {r["id"] for r in rows if len(supports[(r["subject"], r["predicate"], r["object"])]) > 1}


def test_conflicts_list_every_side_of_each_disputed_curated_claim(rdf, assertions):
    assert set(evidence.conflicts(rdf)["assertion"]) == disputed_ids(assertions)


SYNTHETIC_NOTE = "synthetic row added by tests/test_evidence.py to a temporary copy of data/"


def add_second_source(data: Path, row: dict, new_id: str, support: str, species: str) -> None:
    """Write a row on the same subject/predicate/object as `row`, with its own support, into the copy of data/."""
    path = data / "assertions" / f"zz-test-{new_id}.tsv"
    header = [column for column in row if column != "_where"]  # _where is the reader's, not a TSV column
    second = {
        **row,
        "id": new_id,
        "support": support,
        "species": species,
        "model": "second source (synthetic)",
        "note": SYNTHETIC_NOTE,
    }
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\t".join(header) + "\n" + "\t".join(second[c] for c in header) + "\n")


def test_a_second_supporting_source_is_agreement_not_conflict(data_copy, assertions):
    undisputed = next(r for r in assertions if r["support"] == "supports" and r["id"] not in disputed_ids(assertions))
    add_second_source(data_copy, undisputed, "A-test-0002", "supports", undisputed["species"])
    assert not {undisputed["id"], "A-test-0002"} & set(evidence.conflicts(checked_graph(data_copy)[1])["assertion"])


def test_a_refuting_row_shows_up_beside_the_row_it_disputes(data_copy, assertions, entities):
    first = next(r for r in assertions if r["support"] == "supports")
    rat = "NCBITaxon:10116"
    add_second_source(data_copy, first, "A-test-0001", "refutes", rat)
    found = evidence.conflicts(checked_graph(data_copy)[1])
    sides = found[
        (found["subject"] == first["subject"]) & (found["object"] == first["object"]) & (found["predicate"] == first["predicate"])
    ]
    assert "A-test-0001" in set(sides["assertion"]) and first["id"] in set(sides["assertion"])
    assert list(sides["support"])[0] == "supports" and list(sides["support"])[-1] == "refutes"
    assert sides.set_index("assertion").loc["A-test-0001", "species_label"] == shown_label(entities[rat])


# ---------------------------------------------------------------- grades through systems (hand-made graph)

ROLES = {
    "ket": ("chemical", []),
    "esk": ("chemical", ["glutamatergic"]),
    "nmdar": ("target", ["glutamatergic"]),
    "mor": ("target", ["opioid"]),
    "cs": ("process", ["glutamatergic"]),
    "desc": ("process", ["opioid"]),
    "np": ("outcome", ["clinical"]),
    "ppain": ("outcome", ["clinical"]),
    "hcn1": ("target", ["ion_channel"]),
}


@pytest.fixture
def network():
    """ket blocks NMDAR (A) -> central sensitisation (B) -> neuropathic pain (C): glutamatergic, grade C.
    ket acts on MOR (B) -> descending inhibition (B) -> neuropathic pain (B): opioid, grade B.
    The MOR hop to postoperative pain is refuted, so the opioid system has no path there."""
    g = nx.MultiDiGraph()
    for node, (role, systems) in ROLES.items():
        g.add_node(node, label=node.upper(), role=role, category="", systems=systems)
    g.add_node("NCBITaxon:9606", label="human", role="other", category="biolink:OrganismTaxon", systems=[])
    edge(g, "ket", "channel_blocker_of", "nmdar", "A")
    edge(g, "nmdar", "contributes_to", "cs", "B")
    edge(g, "cs", "contributes_to", "np", "C")
    edge(g, "ket", "agonist_of", "mor", "B")
    edge(g, "mor", "increases", "desc", "B")
    edge(g, "desc", "decreases", "np", "B")
    edge(g, "desc", "decreases", "ppain", "A", support="refutes")
    edge(g, "ket", "ameliorates", "np", "A")
    return g


def test_each_system_gets_the_best_grade_of_the_paths_through_it(network):
    grades = evidence.system_outcome_grades(network, drug="ket")
    assert list(grades.columns) == ["NP"]
    assert grades.loc["glutamatergic", "NP"] == "C"
    assert grades.loc["opioid", "NP"] == "B"
    assert grades.loc["ion_channel", "NP"] == ""  # HCN1 has no evidenced path
    assert grades.loc["clinical", "NP"] == ""  # the outcome's own system is not a mechanism


def test_a_stronger_second_path_raises_the_systems_grade(network):
    edge(network, "cs", "contributes_to", "np", "A")  # the C hop gains an A source: the weakest hop is now B
    assert evidence.system_outcome_grades(network, drug="ket").loc["glutamatergic", "NP"] == "B"


def test_refuted_evidence_counts_as_support_nowhere(network):
    """desc -> ppain is refuted only: no system reaches postoperative pain, desc gains no centrality from it, and a
    refuted potency or action is neither a potency nor an action of the form."""
    assert "PPAIN" not in evidence.system_outcome_grades(network, drug="ket").columns
    before = evidence.mechanism_centrality(network, drug="ket").set_index("node")
    edge(network, "ppain", "contributes_to", "np", "A", support="refutes")  # a refuted shortcut changes nothing
    after = evidence.mechanism_centrality(network, drug="ket").set_index("node")
    assert after.equals(before)
    network.add_node("CHEBI:6121", label="ketamine", role="chemical", systems=[], focus=True)
    edge(network, "CHEBI:6121", "agonist_of", "hcn1", "C", support="refutes", measure="EC50", value=1.0, unit="µM")
    comparison = evidence.enantiomer_comparison(network)
    assert "HCN1" not in evidence.potency_matrix(comparison).index
    assert "HCN1" not in evidence.actions_by_target(comparison).index
    assert set(comparison.loc[comparison["target"] == "hcn1", "support"]) == {"refutes"}  # listed, marked


def test_grade_ranks_turn_letters_into_heatmap_numbers(network):
    ranks = evidence.grade_ranks(evidence.system_outcome_grades(network, drug="ket"))
    assert ranks.loc["opioid", "NP"] == 3 and ranks.loc["glutamatergic", "NP"] == 2
    assert math.isnan(ranks.loc["ion_channel", "NP"])


def test_curated_grade_matrix_columns_are_outcomes(rdf, entities):
    outcome_labels = {shown_label(e) for e in entities.values() if e["category"] in OUTCOME_CATEGORIES}
    grades = evidence.system_outcome_grades(rdf)
    assert set(grades.columns) <= outcome_labels
    curated_systems = {s for e in entities.values() for s in split(e["systems"])}
    assert set(grades.index) == curated_systems


def test_paths_through_counts_every_path_once_per_node(network):
    edge(network, "nmdar", "contributes_to", "desc", "B")  # a second route through NMDAR
    central = evidence.mechanism_centrality(network, drug="ket").set_index("node")
    # ket-nmdar-cs-np, ket-nmdar-desc-np, ket-mor-desc-np
    assert central.loc["nmdar", "paths_through"] == 2
    assert central.loc["desc", "paths_through"] == 2
    assert central.loc["cs", "paths_through"] == 1
    assert "hcn1" not in central.index  # no supported assertion: not part of any mechanism


def test_system_subgraph_keeps_the_system_its_drugs_and_outcomes(network):
    edge(network, "ket", "has_component", "esk", "A")
    sub = evidence.system_subgraph(network, "opioid")
    assert set(sub.nodes) == {"mor", "desc", "np", "ppain", "ket"}
    assert not sub.has_edge("ket", "np")  # a clinical claim, not part of the mechanism drawing
    assert not sub.has_edge("ket", "esk")
    assert sub.has_edge("desc", "ppain")  # refuted evidence stays visible


# ---------------------------------------------------------------- enantiomers and metabolites


def test_forms_are_ketamine_its_enantiomers_and_what_links_to_them(network):
    network.add_node("CHEBI:6121", label="ketamine", role="chemical", systems=[], focus=True)
    network.add_node("CHEBI:60799", label="esketamine", role="chemical", systems=[])
    network.add_node("nk", label="norketamine", role="chemical", systems=[])
    network.add_node("hnk", label="hydroxynorketamine", role="chemical", systems=[])
    network.add_node("morphine", label="morphine", role="chemical", systems=[])
    edge(network, "CHEBI:6121", "has_component", "CHEBI:60799", "A")
    edge(network, "CHEBI:6121", "has_metabolite", "nk", "A")
    edge(network, "nk", "has_metabolite", "hnk", "A")
    edge(network, "morphine", "has_metabolite", "hnk", "A", support="refutes")
    assert evidence.drug_forms(network) == ["CHEBI:6121", "CHEBI:60799", "hnk", "nk"]


def test_potency_matrix_takes_the_lowest_supported_molar_value_per_form(network):
    network.add_node("CHEBI:60799", label="esketamine", role="chemical", systems=[], focus=True)
    network.add_node("CHEBI:580604", label="arketamine", role="chemical", systems=[], focus=True)
    edge(network, "CHEBI:60799", "channel_blocker_of", "nmdar", "A", measure="Ki", value=300.0, unit="nM")
    edge(network, "CHEBI:60799", "channel_blocker_of", "nmdar", "A", measure="Ki", value=0.9, unit="µM")
    edge(network, "CHEBI:60799", "channel_blocker_of", "nmdar", "C", support="refutes", measure="Ki", value=1.0, unit="nM")
    edge(network, "CHEBI:580604", "channel_blocker_of", "nmdar", "A", measure="Ki", value=1.4, unit="µM")
    edge(network, "CHEBI:580604", "binds", "mor", "C")
    comparison = evidence.enantiomer_comparison(network)
    assert len(comparison) == 5
    assert set(comparison[comparison["target"] == "mor"]["drug_label"]) == {"arketamine"}
    matrix = evidence.potency_matrix(comparison)
    assert matrix.loc["NMDAR", "esketamine"] == pytest.approx(0.3)
    assert matrix.loc["NMDAR", "arketamine"] == pytest.approx(1.4)
    assert "MOR" not in matrix.index  # a row without a number has no potency


def test_curated_comparison_has_every_target_action_of_the_ketamine_forms(rdf, assertions, entities):
    links = nx.Graph(
        [
            (r["subject"], r["object"])
            for r in assertions
            if r["predicate"] in {"has_metabolite", "has_component", "enantiomer_of"} and r["support"] in SUPPORTING
        ]
    )
    anchors = {"CHEBI:6121", "CHEBI:60799", "CHEBI:580604"}
    forms = anchors | {n for a in anchors if a in links for n in nx.node_connected_component(links, a)}
    expected = {
        r["id"]
        for r in assertions
        if r["subject"] in forms
        and entities.get(r["object"], {}).get("category") in TARGET_CATEGORIES
        and r["predicate"] not in {"has_metabolite", "has_component", "metabolised_by"}
    }
    comparison = evidence.enantiomer_comparison(rdf)
    assert set(comparison["assertion"]) == expected
    for row in assertions:
        if row["id"] in expected and row["unit"] in MICROMOLAR_PER_UNIT and row["value"]:
            got = comparison.set_index("assertion").loc[row["id"], "micromolar"]
            assert got == pytest.approx(float(row["value"]) * MICROMOLAR_PER_UNIT[row["unit"]]), row["id"]
        if row["id"] in expected and row["unit"] == "pKi":  # -log10(Ki in M): Ki = 10^(6 - pKi) µM
            got = comparison.set_index("assertion").loc[row["id"], "micromolar"]
            assert got == pytest.approx(10 ** (6 - float(row["value"]))), row["id"]


# ---------------------------------------------------------------- overview


def test_statistics_totals_match_the_curated_files(rdf, assertions, entities):
    totals = evidence.graph_statistics(rdf)["totals"]
    assert totals["entities"] == len(entities)
    assert totals["assertions"] == len(assertions)
    assert totals["publications cited"] == len({p for r in assertions for p in split(r["publications"])})
    assert totals["quantitative assertions"] == sum(1 for r in assertions if r["value"])


def test_statistics_count_assertions_by_grade_and_support(rdf, assertions):
    statistics = evidence.graph_statistics(rdf)
    assert dict(statistics["assertions by grade"]) == dict(Counter(r["grade"] for r in assertions))
    assert dict(statistics["assertions by support"]) == dict(Counter(r["support"] for r in assertions))


def test_system_subgraph_lays_out_chemicals_before_targets_processes_and_outcomes(network):
    sub = evidence.system_subgraph(network, "glutamatergic")
    layer = nx.get_node_attributes(sub, "layer")
    assert layer["ket"] < layer["nmdar"] < layer["cs"] < layer["np"]


def test_actions_by_target_lists_supported_actions_with_ketamine_first(network):
    network.add_node("CHEBI:6121", label="ketamine", role="chemical", systems=[], focus=True)
    network.add_node("CHEBI:60799", label="esketamine", role="chemical", systems=[])
    network.add_node("CHEBI:580604", label="arketamine", role="chemical", systems=[])
    edge(network, "CHEBI:6121", "has_component", "CHEBI:60799", "A")
    edge(network, "CHEBI:6121", "has_component", "CHEBI:580604", "A")
    edge(network, "CHEBI:580604", "channel_blocker_of", "nmdar", "A")
    edge(network, "CHEBI:6121", "binds", "mor", "C")
    edge(network, "CHEBI:6121", "agonist_of", "mor", "C", support="refutes")
    edge(network, "CHEBI:60799", "channel_blocker_of", "nmdar", "B")
    edge(network, "CHEBI:60799", "binds", "nmdar", "B")
    actions = evidence.actions_by_target(evidence.enantiomer_comparison(network))
    assert list(actions.columns) == ["ketamine", "arketamine", "esketamine"]  # the drug, then its components by name
    assert actions.loc["MOR", "ketamine"] == "binds"  # the refuted agonism is not an action
    assert actions.loc["NMDAR", "esketamine"] == "binds, channel_blocker_of"
    assert actions.loc["NMDAR", "ketamine"] == ""


def test_views_that_need_publication_years_refuse_a_networkx_graph_with_a_clear_message(network):
    with pytest.raises(TypeError, match="pass kg.load"):
        evidence.publication_years(network)


def test_drawing_layers_put_labels_in_alphabetical_order_from_the_top(network):
    sub = evidence.system_subgraph(network, "glutamatergic")
    positions = nx.multipartite_layout(sub, subset_key=evidence.drawing_layers(sub))
    assert positions["ket"][0] < positions["nmdar"][0] < positions["cs"][0] < positions["np"][0]
    edge(network, "ket", "channel_blocker_of", "hcn1", "C")
    network.nodes["hcn1"]["systems"] = ["glutamatergic"]
    sub = evidence.system_subgraph(network, "glutamatergic")
    positions = nx.multipartite_layout(sub, subset_key=evidence.drawing_layers(sub))
    assert positions["hcn1"][1] > positions["nmdar"][1]  # HCN1 before NMDAR: drawn higher
