"""`kg build` writes every artefact, and each says the same thing as the curated sources."""

from __future__ import annotations

import csv
import json

from rdflib import RDF, Graph, Literal, URIRef

from support.project import DATA, curated_rows, run_kg

PAINKG = "https://w3id.org/painkg/"


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ARTEFACTS = ["painkg.ttl", "painkg.nt", "painkg.jsonld", "kgx/nodes.tsv", "kgx/edges.tsv", "stats.json"]


def test_every_artefact_is_written(built):
    for name in ARTEFACTS:
        assert (built / name).stat().st_size > 0, name


def test_serialisations_parse_back_to_the_same_graph(built):
    nt = Graph().parse(built / "painkg.nt", format="nt")
    ttl = Graph().parse(built / "painkg.ttl", format="turtle")
    jsonld = Graph().parse(built / "painkg.jsonld", format="json-ld")
    stats = json.loads((built / "stats.json").read_text())
    assert len(ttl) == len(nt) == len(jsonld) == stats["triples"]
    assert ttl.isomorphic(nt)


def test_each_assertion_is_a_direct_triple_and_a_statement_with_evidence(built):
    graph = Graph().parse(built / "painkg.nt", format="nt")
    rows = curated_rows("assertions")
    assert rows
    from kg.config import data_dir  # noqa: F401  (package importable)
    from kg.vocab import load_converter

    expand = load_converter(DATA / "schema" / "prefixes.tsv").expand
    for row in rows:
        s, p, o = URIRef(expand(row["subject"])), URIRef(PAINKG + row["predicate"]), URIRef(expand(row["object"]))
        assert (s, p, o) in graph, row["id"]
        node = URIRef(PAINKG + "assertion/" + row["id"])
        assert (node, RDF.subject, s) in graph and (node, RDF.predicate, p) in graph and (node, RDF.object, o) in graph
        for publication in row["publications"].split("|"):
            assert (node, URIRef(PAINKG + "publication"), URIRef(expand(publication))) in graph
        assert (node, URIRef(PAINKG + "grade"), URIRef(PAINKG + "grade-" + row["grade"])) in graph
        species = set(graph.objects(node, URIRef(PAINKG + "species")))
        assert species == ({URIRef(expand(row["species"]))} if row["species"] else set()), row["id"]
        assert (node, URIRef(PAINKG + "verifiedAt"), URIRef(row["verified_at"])) in graph, row["id"]
        if row["value"]:
            values = list(graph.objects(node, URIRef(PAINKG + "value")))
            assert [float(v) for v in values] == [float(row["value"])]
            assert (node, URIRef(PAINKG + "unit"), Literal(row["unit"])) in graph


def test_kgx_columns_and_rows_match_sources(built):
    nodes = read_tsv(built / "kgx" / "nodes.tsv")
    edges = read_tsv(built / "kgx" / "edges.tsv")
    with open(built / "kgx" / "edges.tsv", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
    for column in (
        "id",
        "subject",
        "predicate",
        "object",
        "publications",
        "primary_knowledge_source",
        "knowledge_level",
        "agent_type",
    ):
        assert column in header
    with open(built / "kgx" / "nodes.tsv", encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split("\t")[:6] == ["id", "category", "name", "description", "xref", "synonym"]
    assertions = curated_rows("assertions")
    records = curated_rows("pharmacokinetics")  # each PK record is an observation edge to its substance
    assert {e["id"] for e in edges} == {a["id"] for a in assertions} | {r["id"] for r in records}
    node_ids = {n["id"] for n in nodes}
    assert {e["subject"] for e in edges} | {e["object"] for e in edges} <= node_ids
    claims = {a["id"] for a in assertions}
    for edge in edges:
        assert edge["predicate"].startswith("biolink:")
        level = "knowledge_assertion" if edge["id"] in claims else "observation"
        assert edge["knowledge_level"] == level and edge["agent_type"] == "manual_agent"
        assert edge["primary_knowledge_source"].startswith("infores:")


def test_channel_block_is_written_as_biolink_affects_with_qualifiers(built):
    edges = {e["id"]: e for e in read_tsv(built / "kgx" / "edges.tsv")}
    rows = [r for r in curated_rows("assertions") if r["predicate"] == "channel_blocker_of"]
    assert rows, "the curated data should hold at least one channel block"
    for row in rows:
        edge = edges[row["id"]]
        assert (edge["subject"], edge["object"]) == (row["subject"], row["object"])
        assert edge["predicate"] == "biolink:affects"
        assert edge["causal_mechanism_qualifier"] == "molecular_channel_blockage"
        assert edge["object_direction_qualifier"] == "decreased"
        assert edge["publications"] == row["publications"]


def test_stats_count_what_the_sources_hold(built):
    stats = json.loads((built / "stats.json").read_text())
    assertions = curated_rows("assertions")
    assert stats["assertions"] == len(assertions)
    assert stats["entities"] == len(curated_rows("entities"))
    assert sum(stats["by_grade"].values()) == len(assertions)
    assert sum(stats["by_predicate"].values()) == len(assertions)
    assert stats["quantitative_assertions"] == sum(1 for a in assertions if a["value"])


def test_cli_build_prints_where_everything_is(tmp_path):
    out = tmp_path / "b"
    result = run_kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for name in ("painkg.ttl", "edges.tsv", "stats.json"):
        assert name in result.stdout
    assert str(out) in result.stdout


def test_console_script_help():
    result = run_kg("--help")
    assert result.returncode == 0 and "build" in result.stdout and "validate" in result.stdout


def test_two_builds_under_different_hash_seeds_write_identical_files(tmp_path):
    """A rebuild from the same sources must give the same bytes (a reviewer diffs artefacts, a release is checked
    against its sources): set order, which Python's hash seed changes, must not leak into any file."""
    trees = {}
    for seed in ("1", "2"):
        out = tmp_path / f"seed-{seed}"
        # the issued date is the build's day: fixed, so two builds either side of midnight still compare
        result = run_kg("build", "--out", str(out), env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1767225600"})
        assert result.returncode == 0, result.stderr
        trees[seed] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert trees["1"].keys() == trees["2"].keys()
    differing = [str(name) for name, data in trees["1"].items() if data != trees["2"][name]]
    assert not differing, f"these files differ between two builds of the same sources: {differing[:10]}"
    assert len(trees["1"]) > 1000  # the site and viewer pages are part of what must not differ
