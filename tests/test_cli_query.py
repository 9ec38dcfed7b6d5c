"""The query verbs as a user runs them: kg queries, kg query, kg describe; errors are one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from support.endpoint import running_server, write_ntriples
from support.project import run_kg

QUERIES_DIR = Path(__file__).resolve().parent.parent / "kg" / "queries"


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    """A folder holding painkg.nt of the current curated data (what `kg build` writes)."""
    folder = tmp_path_factory.mktemp("cli-build")
    write_ntriples(folder)
    return folder


def test_help_lists_the_query_verbs():
    result = run_kg("--help")
    assert result.returncode == 0
    for verb in ("queries", "query", "describe", "serve"):
        assert verb in result.stdout


def test_queries_lists_every_library_file():
    result = run_kg("queries")
    assert result.returncode == 0
    for path in QUERIES_DIR.glob("cq-*.rq"):
        assert path.stem in result.stdout
    rows = json.loads(run_kg("queries", "--format", "json").stdout)
    assert {r["name"] for r in rows} == {p.stem for p in QUERIES_DIR.glob("cq-*.rq")}


def test_query_with_parameters_in_csv_tsv_and_json(build):
    args = ("query", "cq-15-entity-lookup", "--param", "text=esketamine", "--graph", str(build))
    rows = list(csv.DictReader(io.StringIO(run_kg(*args, "--format", "csv").stdout)))
    assert [(r["entity"], r["label"]) for r in rows] == [("CHEBI:60799", "esketamine")]
    tsv = list(csv.DictReader(io.StringIO(run_kg(*args, "--format", "tsv").stdout), delimiter="\t"))
    assert tsv == rows
    records = json.loads(run_kg(*args, "--format", "json").stdout)
    assert [(r["entity"], r["label"]) for r in records] == [("CHEBI:60799", "esketamine")]
    table = run_kg(*args)
    assert table.returncode == 0 and "esketamine" in table.stdout and "(1 rows)" in table.stdout


def test_query_sparql_text_and_rq_file_on_the_rdflib_store(build, tmp_path):
    text = (
        "SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_6121> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    result = run_kg("query", "--sparql", text, "--format", "csv", "--graph", str(build), "--store", "rdflib")
    assert result.stdout.split() == ["label", "ketamine"]
    rq = tmp_path / "mine.rq"
    rq.write_text(text, encoding="utf-8")
    assert run_kg("query", str(rq), "--format", "csv", "--graph", str(build)).stdout.split() == ["label", "ketamine"]


def test_query_against_an_endpoint_gives_the_local_answer(build):
    args = ("query", "cq-01-drug-targets", "--param", "drug=CHEBI:8058", "--format", "csv")
    local = run_kg(*args, "--graph", str(build)).stdout
    with running_server(build / "painkg.nt") as server:
        remote = run_kg(*args, "--endpoint", server.endpoint_url).stdout
    assert sorted(local.splitlines()) == sorted(remote.splitlines()) and len(local.splitlines()) > 1


def test_describe_prints_the_entity_and_its_assertions(build):
    result = run_kg("describe", "CHEBI:6121", "--format", "json")
    entity = json.loads(result.stdout)
    assert entity["label"] == "ketamine"
    assert any(a["assertion"] == "A-seed-0001" for a in entity["assertions"])
    text = run_kg("describe", "CHEBI:6121").stdout
    assert text.startswith("CHEBI:6121  ketamine") and "A-seed-0001" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (("query", "cq-99-nothing"), "unknown query"),
        (("query", "--sparql", "SELECT * WHERE { ?s ?p "), "syntax error"),
        (("query", "cq-01-drug-targets", "--param", "colour=red"), "unknown parameter 'colour'"),
        (("query", "cq-01-drug-targets", "--param", "drug=NOPE:1"), "parameter drug"),
        (("query", "cq-01-drug-targets", "--param", "drug"), "expected KEY=VALUE"),
        (("query", "cq-01-drug-targets", "--endpoint", "http://127.0.0.1:1/sparql"), "unreachable"),
        (("query",), "either a query NAME"),
        (("describe", "CHEBI:1"), "no entity CHEBI:1"),
        (("query", "missing-file.rq"), "missing-file.rq"),
    ],
)
def test_errors_are_one_line_and_exit_2(build, args, message):
    extra = ("--graph", str(build)) if args[0] == "query" and "--endpoint" not in args else ()
    result = run_kg(*args, *extra)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error:") and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
