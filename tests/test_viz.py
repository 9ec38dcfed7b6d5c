"""Viewer pages: what they contain (checked against the curated TSV rows), filters, escaping, CLI errors.

Expectations are read straight from data/*.tsv (or from kg.model.network / kg.paths, the lead's modules),
never from the page generator. The page's data is read back from the JSON it embeds, the way the
page's own script reads it.
"""

from __future__ import annotations

import html
import re

import networkx as nx
import pytest

from kg.errors import UserError
from support.project import run_kg
from support.viewer import (
    IMAGE,
    SCRIPT,
    assertion_rows,
    drawn_assertions,
    drawn_nodes,
    entity_rows,
    inject_label,
    inject_note,
    page_data,
)


@pytest.fixture(scope="module")
def whole(graph):
    from kg.views.viewer import viz

    return viz(graph=graph)


def test_whole_graph_draws_every_asserted_entity_and_every_assertion(whole, snapshot):
    rows = assertion_rows(snapshot)
    assert drawn_assertions(whole.html) == {r["id"] for r in rows}
    assert drawn_nodes(whole.html) == {r["subject"] for r in rows} | {r["object"] for r in rows}
    assert whole.edge_count == len(rows)
    assert whole.node_count == len({r["subject"] for r in rows} | {r["object"] for r in rows})


def test_page_shows_the_counts_in_its_header(whole):
    assert f'<span id="node-count">{whole.node_count}</span>' in whole.html
    assert f'<span id="edge-count">{whole.edge_count}</span>' in whole.html


def test_page_is_self_contained(graph):
    from kg.views.viewer import viz

    page = viz(systems=["opioid"], graph=graph)
    assert "<script src" not in page.html and "<link" not in page.html
    assert "@import" not in page.html and "cdn." not in page.html
    assert "vis-network" in page.html and "dual licensed" in page.html  # inlined, licence header kept


def test_system_view_has_the_system_and_every_assertion_touching_it(graph, snapshot):
    from kg.views.viewer import viz

    entities = entity_rows(snapshot)
    members = {i for i, e in entities.items() if "opioid" in e["systems"].split("|")}
    touching = [r for r in assertion_rows(snapshot) if r["subject"] in members or r["object"] in members]
    page = viz(systems="opioid", graph=graph)
    assert touching, "the curated data has opioid assertions"
    assert drawn_assertions(page.html) == {r["id"] for r in touching}
    assert drawn_nodes(page.html) == {r["subject"] for r in touching} | {r["object"] for r in touching}


def test_min_grade_keeps_only_assertions_of_that_grade_or_better(graph, snapshot):
    from kg.views.viewer import viz

    page = viz(min_grade="B", graph=graph)
    assert drawn_assertions(page.html) == {r["id"] for r in assertion_rows(snapshot) if r["grade"] in ("A", "B")}


def test_species_filter_accepts_a_taxon_number_and_keeps_that_species_only(graph, snapshot):
    from kg.views.viewer import viz

    human = {r["id"] for r in assertion_rows(snapshot) if r["species"] == "NCBITaxon:9606"}
    for name in ("NCBITaxon:9606", "9606"):
        assert drawn_assertions(viz(species=name, graph=graph).html) == human


def test_focus_with_depth_one_draws_the_direct_neighbours(graph, snapshot):
    from kg.views.viewer import viz

    rows = assertion_rows(snapshot)
    oprm1 = "HGNC:8156"
    neighbours = {r["object"] for r in rows if r["subject"] == oprm1} | {r["subject"] for r in rows if r["object"] == oprm1}
    page = viz(focus=oprm1, depth=1, graph=graph)
    assert drawn_nodes(page.html) == neighbours | {oprm1}
    assert page_data(page.html)["focus"] == [oprm1]


def longest_path_outcome(graph) -> str:
    """The outcome at the end of the longest evidenced path from ketamine in the curated data."""
    from kg.mechanisms.engine import find_paths
    from kg.store import to_networkx

    found = find_paths(to_networkx(graph), "CHEBI:6121")
    assert found, "the curated data has mechanism paths from ketamine"
    return max(found, key=lambda p: (len(p.hops), p.outcome)).outcome


def test_outcome_view_draws_the_mechanism_paths_from_ketamine(graph):
    from kg.mechanisms.engine import find_paths
    from kg.store import to_networkx
    from kg.views.viewer import viz

    outcome = longest_path_outcome(graph)
    found = find_paths(to_networkx(graph), "CHEBI:6121", outcome)
    page = viz(outcome=outcome, graph=graph)
    on_paths = {n for p in found for n in p.nodes}
    assert on_paths <= drawn_nodes(page.html)
    drawn = page_data(page.html)["assertions"]
    for path in found:  # every hop's supporting evidence is there to click
        for hop in path.hops:
            assert {e["assertion"] for e in hop.evidence} <= set(drawn)


def test_outcome_view_reads_left_to_right_from_ketamine_to_the_outcome(graph):
    from kg.views.viewer import viz

    outcome = longest_path_outcome(graph)
    nodes = {n["id"]: n for n in page_data(viz(outcome=outcome, graph=graph).html)["nodes"]}
    xs = {curie: node["x"] for curie, node in nodes.items()}
    others = [x for curie, x in xs.items() if curie not in ("CHEBI:6121", outcome)]
    assert xs["CHEBI:6121"] < min(others) and xs[outcome] > max(others)


def test_side_panel_data_carries_the_evidence_of_each_assertion(whole, snapshot):
    rows = {r["id"]: r for r in assertion_rows(snapshot)}
    drawn = page_data(whole.html)["assertions"]
    for key, row in rows.items():
        item = drawn[key]
        assert (item["grade"], item["species"]["id"]) == (row["grade"], row["species"])
        assert [p["id"] for p in item["publications"]] == sorted(row["publications"].split("|"))
        assert item["note"] == row["note"]
        if row["value"]:
            assert item["quantity"].split()[1] == f"{float(row['value']):g}" and row["unit"] in item["quantity"]
    pmid = next(p for r in rows.values() for p in r["publications"].split("|") if p.startswith("PMID:"))
    links = [link["url"] for item in drawn.values() for p in item["publications"] if p["id"] == pmid for link in p["links"]]
    assert f"https://pubmed.ncbi.nlm.nih.gov/{pmid[5:]}/" in links


def test_entity_identifiers_link_to_identifiers_org_and_the_source(whole, snapshot):
    ketamine = page_data(whole.html)["entities"]["CHEBI:6121"]
    expected = entity_rows(snapshot)["CHEBI:6121"]["xrefs"].split("|")
    assert [i["id"] for i in ketamine["identifiers"]] == ["CHEBI:6121", *sorted(expected)]
    urls = {link["url"] for link in ketamine["identifiers"][0]["links"]}
    assert urls == {"https://identifiers.org/CHEBI:6121", "http://purl.obolibrary.org/obo/CHEBI_6121"}


def test_injected_markup_in_a_label_and_a_note_is_escaped(data_copy):
    from kg.validate import checked_graph
    from kg.views.viewer import viz

    label = f"OPRM1 {SCRIPT} {IMAGE}"
    inject_label(data_copy, "HGNC:8156", label)
    first = assertion_rows(data_copy)[0]["id"]
    inject_note(data_copy, first, f"note {SCRIPT}")
    page = viz(graph=checked_graph(data_copy)[1])
    for raw in (SCRIPT, IMAGE, "<img"):
        assert raw not in page.html
    assert "\\u003cscript\\u003ewindow.__pwned" in page.html
    data = page_data(page.html)
    assert data["entities"]["HGNC:8156"]["label"] == label  # shown as text, not lost
    assert data["assertions"][first]["note"].endswith(f" note {SCRIPT}")


def test_notebook_display_is_an_escaped_srcdoc_iframe(graph):
    from kg.views.viewer import viz

    page = viz(systems="gabaergic", graph=graph)
    shown = page._repr_html_()
    assert shown.startswith("<iframe") and shown.count("<script") == 0
    srcdoc = re.search(r'srcdoc="([^"]*)"', shown).group(1)
    assert html.unescape(srcdoc) == page.html


def test_kg_viz_stays_callable_after_the_module_is_imported(graph):
    import kg
    import kg.views.viewer  # importing the module must not shadow the function `kg.viz`

    first, second = kg.viz(systems="gabaergic", graph=graph), kg.viz(systems="gabaergic", graph=graph)
    assert first.html == second.html and first.node_count == second.node_count


def test_save_writes_the_page(tmp_path, graph):
    from kg.views.viewer import viz

    page = viz(systems="metabolism", graph=graph)
    target = page.save(tmp_path / "sub" / "metabolism.html")
    assert target.read_text(encoding="utf-8") == page.html
    assert [p.name for p in target.parent.iterdir()] == ["metabolism.html"]  # no temporary file left


@pytest.mark.parametrize(
    "options, option",
    [
        ({"focus": "CHEBI:0000000"}, "--focus"),
        ({"systems": ["opiod"]}, "--system"),
        ({"min_grade": "E"}, "--min-grade"),
        ({"species": "unicorn"}, "--species"),
        ({"outcome": "MONDO:0000000"}, "--outcome"),
        ({"depth": -1}, "--depth"),
        ({"depth": "two"}, "--depth"),
        ({"focus": "CHEBI:6121", "depth": 1.5}, "--depth"),
    ],
)
def test_unknown_option_values_are_user_errors(options, option, graph):
    from kg.views.viewer import viz

    with pytest.raises(UserError, match=option):
        viz(**options, graph=graph)


def test_large_views_fall_back_to_a_neighbourhood_with_a_message():
    from kg.views.select import fit_to_limit

    big = nx.MultiDiGraph()
    for i in range(1, 2001):  # a hub with 50 chains: 2,001 nodes
        big.add_edge("hub", f"n{i}", key=f"a{i}") if i <= 50 else big.add_edge(f"n{i - 50}", f"n{i}", key=f"a{i}")
    small, note = fit_to_limit(big, [], limit=1500)
    assert small.number_of_nodes() == 1500 and "hub" in small
    assert "2001 nodes" in note and "(1500)" in note
    assert fit_to_limit(small, [], limit=1500) == (small, "")


def test_edge_colours_follow_what_the_predicate_does():
    from kg.views.style import action_of

    assert action_of("channel_blocker_of", -1) == "inhibits"
    assert action_of("agonist_of", 1) == "activates"
    assert action_of("has_metabolite", 0) == "metabolises"
    assert action_of("metabolised_by", 0) == "metabolises"
    assert action_of("ameliorates", -1) == "treats"
    assert action_of("causes_adverse_effect", 1) == "causes"
    assert action_of("binds", 0) == "relates"


def test_default_views_cover_whole_graph_systems_and_outcomes_and_the_index_links_them(tmp_path, graph, snapshot):
    import csv

    from kg.mechanisms.engine import find_paths
    from kg.store import to_networkx

    KETAMINE = "CHEBI:6121"
    from kg.views.viewer import write_default_views

    written = write_default_views(graph, tmp_path / "views")
    outcomes = {p.outcome for p in find_paths(to_networkx(graph), KETAMINE)}
    systems = ["glutamatergic", "opioid", "gabaergic", "monoaminergic", "metabolism", "neurotrophic", "inflammatory"]
    expected = {"views/index.html", "views/whole-graph.html"} | {f"views/system-{s}.html" for s in systems}
    expected |= {f"views/outcome-{o.replace(':', '_')}.html" for o in outcomes}
    with open(snapshot / "comparisons" / "groups.tsv", encoding="utf-8") as handle:  # one view per curated comparison
        groups = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    expected |= {f"views/compare-{g['id']}.html" for g in groups}
    compared = {KETAMINE} | {d for g in groups for d in g["drugs"].split("|")}  # and one per compared or focal drug
    expected |= {f"views/drug-{d.replace(':', '_')}.html" for d in compared}
    assert set(written) == expected
    assert all(path.is_file() for path in written.values())
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="([^"]+)"', index))
    assert linked == {name.removeprefix("views/") for name in expected - {"views/index.html"}}


def test_cli_writes_a_view(tmp_path, snapshot):
    out = tmp_path / "opioid.html"
    result = run_kg("viz", "--system", "opioid", "--min-grade", "C", "--out", str(out), env={"PAINKG_DATA": str(snapshot)})
    assert result.returncode == 0, result.stderr
    assert out.is_file() and str(out) in result.stdout
    rows = assertion_rows(snapshot)
    members = {i for i, e in entity_rows(snapshot).items() if "opioid" in e["systems"].split("|")}
    expected = {r["id"] for r in rows if (r["subject"] in members or r["object"] in members) and r["grade"] in "ABC"}
    assert drawn_assertions(out.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--focus", "CHEBI:0000000"], "--focus: 'CHEBI:0000000'"),
        (["--system", "opiod"], "--system: 'opiod'"),
        (["--min-grade", "E"], "--min-grade: 'E'"),
        (["--species", "unicorn"], "--species: 'unicorn'"),
        (["--depth", "two"], "--depth"),
    ],
)
def test_cli_reports_bad_options_in_one_line_with_exit_2(tmp_path, snapshot, args, fragment):
    result = run_kg("viz", *args, "--out", str(tmp_path / "x.html"), env={"PAINKG_DATA": str(snapshot)})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert fragment in lines[-1] and "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()
