"""Pharmacokinetic records (data/pharmacokinetics/*.tsv): each reader rule refuses a broken copy naming file:line:field,
each row becomes a painkg:PharmacokineticObservation node with the row's values, stats count them and the library
query returns exactly the curated rows (expectations are read from the TSVs, never from the code's output)."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kg.build.stats import compute_stats
from kg.sparql.library import query
from kg.validate import ValidationError, checked_graph
from kg.vocab import load_converter
from support.editing import set_field
from support.project import DATA, curated_rows, run_kg
from support.records import problems

PAINKG = "https://w3id.org/painkg/"
P = lambda name: URIRef(PAINKG + name)  # noqa: E731
DECIMAL, DATE = (URIRef(f"http://www.w3.org/2001/XMLSchema#{name}") for name in ("decimal", "date"))
# The controlled vocabulary of issue 13, item 5.
PARAMETERS = {
    "bioavailability",
    "elimination_half_life",
    "distribution_half_life",
    "clearance",
    "volume_of_distribution",
    "protein_binding",
    "cmax",
    "tmax",
    "auc",
    "plasma_concentration",
}
ROWS = curated_rows("pharmacokinetics")
ENTITIES = {row["id"]: row for row in curated_rows("entities")}


def first(condition) -> str:
    """The id of the first curated PK row meeting `condition`, so the tests follow the data as it grows."""
    return next(row["id"] for row in ROWS if condition(row))


def test_the_curated_folder_holds_pk_rows():
    assert ROWS, "data/pharmacokinetics/ holds at least the ketamine rows"
    assert all(row["parameter"] in PARAMETERS for row in ROWS)


def test_every_parameter_is_a_labelled_schema_individual(curated):
    from rdflib import Graph

    schema = Graph().parse(DATA / "schema" / "painkg.ttl")
    individuals = set(schema.subjects(RDF.type, P("PharmacokineticParameter")))
    assert individuals == {P(f"pk-{name}") for name in PARAMETERS}
    assert all(schema.value(node, RDFS.label) for node in individuals)
    assert curated.schema.pk_parameters == PARAMETERS


WITH_VALUE = lambda r: r["value"] and r["species"] and r["unit"]  # noqa: E731
BROKEN = [
    # (which row, column, bad value, words the message must contain)
    (WITH_VALUE, "parameter", "half_life", "'half_life' is not one of"),
    (WITH_VALUE, "substance", "CHEBI:999999999", "CHEBI:999999999 is not defined in entities/"),
    (WITH_VALUE, "substance_label", "ketamin", "does not match the entity label"),
    (WITH_VALUE, "publications", "PMID:1", "PMID:1 is not in references/"),
    (WITH_VALUE, "species", "CHEBI:6121", "CHEBI:6121 is not an OrganismTaxon entity"),
    (WITH_VALUE, "species", "", "empty species: say 'species not stated' in note"),
    (WITH_VALUE, "unit", "", "a value needs its unit"),
    (WITH_VALUE, "route", "", "required field is empty"),
    (WITH_VALUE, "value", "20 %", "expected a number"),
    (WITH_VALUE, "n", "three", "expected a whole number"),
    (WITH_VALUE, "id", "PK-1", "expected a pharmacokinetic record id PK-<area>-<nnnn>"),
    (WITH_VALUE, "verified_at", "", "every claim names the public page"),
    (WITH_VALUE, "verified_at", "https://www.researchgate.net/publication/1", "listed in vocabularies/non_confirming_hosts.tsv"),
    (WITH_VALUE, "verified_on", "2999-01-01", "2999-01-01 is in the future"),
]


@pytest.mark.parametrize("condition,column,value,words", BROKEN, ids=[f"{b[1]}={b[2]!r}" for b in BROKEN])
def test_a_broken_pk_field_is_named_by_file_line_and_field(data_copy, condition, column, value, words):
    where = set_field(data_copy, "pharmacokinetics", first(condition), column, value)
    found = problems(data_copy)
    assert any(p.startswith(f"{where}: {column}: ") and words in p for p in found), found


def test_a_record_without_any_number_is_refused(data_copy):
    row_id = first(WITH_VALUE)
    for column in ("value", "value_low", "value_high"):
        where = set_field(data_copy, "pharmacokinetics", row_id, column, "")
    assert (
        f"{where}: value: a {next(r for r in ROWS if r['id'] == row_id)['parameter']} record reports a value or a range"
        in "\n".join(problems(data_copy))
    )


def test_a_swapped_range_is_refused(data_copy):
    row = next(r for r in ROWS if r["value_low"] and r["value_high"])
    where = set_field(data_copy, "pharmacokinetics", row["id"], "value_low", str(float(row["value_high"]) + 1))
    assert any(p.startswith(f"{where}: value") and "is below value_low" in p for p in problems(data_copy))


def test_a_repeated_id_names_the_first_row(data_copy):
    second = ROWS[1]
    where = set_field(data_copy, "pharmacokinetics", second["id"], "id", ROWS[0]["id"])
    assert f"{where}: id: duplicate id {ROWS[0]['id']} (first defined at data/pharmacokinetics/{ROWS[0]['_where']})" in problems(
        data_copy
    )


def test_the_cli_refuses_a_broken_pk_row_with_exit_2(data_copy):
    where = set_field(data_copy, "pharmacokinetics", first(WITH_VALUE), "parameter", "halflife")
    result = run_kg("validate", "--data", str(data_copy))
    assert result.returncode == 2
    assert f"{where}: parameter: 'halflife' is not one of" in result.stderr and "Traceback" not in result.stderr


def test_a_pk_substance_that_is_not_a_chemical_fails_the_qc_rule(data_copy):
    gene = next(e for e in ENTITIES.values() if e["category"] == "biolink:Gene")
    row_id = first(WITH_VALUE)
    set_field(data_copy, "pharmacokinetics", row_id, "substance", gene["id"])
    where = set_field(data_copy, "pharmacokinetics", row_id, "substance_label", gene["label"])
    with pytest.raises(ValidationError) as raised:
        checked_graph(data_copy)
    assert [(v.check, v.where) for v in raised.value.violations] == [("record-substance-not-chemical", where)]


# ---------------------------------------------------------------- the graph says what the rows say


def test_each_pk_row_is_an_observation_node_with_the_rows_values(graph, snapshot):
    expand = load_converter(snapshot / "schema" / "prefixes.tsv").expand
    rows = curated_rows("pharmacokinetics", snapshot)
    nodes = set(graph.subjects(RDF.type, P("PharmacokineticObservation")))
    assert nodes == {URIRef(f"{PAINKG}pk/{row['id']}") for row in rows}
    for row in rows:
        node = URIRef(f"{PAINKG}pk/{row['id']}")
        assert graph.value(node, URIRef("http://purl.org/dc/terms/identifier")) == Literal(row["id"])
        assert graph.value(node, P("substance")) == URIRef(expand(row["substance"]))
        assert graph.value(node, P("parameter")) == P(f"pk-{row['parameter']}")
        for column, prop in (("value", "value"), ("value_low", "valueLow"), ("value_high", "valueHigh")):
            found = graph.value(node, P(prop))
            assert (float(found) if found is not None else None) == (float(row[column]) if row[column] else None), row["id"]
            assert found is None or found.datatype == DECIMAL
        for column, prop in (
            ("unit", "unit"),
            ("route", "route"),
            ("dose", "dose"),
            ("regimen", "regimen"),
            ("population", "population"),
            ("note", "note"),
        ):
            assert graph.value(node, P(prop)) == (Literal(row[column]) if row[column] else None), (row["id"], column)
        assert graph.value(node, P("participants")) == (Literal(int(row["n"])) if row["n"] else None)
        assert graph.value(node, P("species")) == (URIRef(expand(row["species"])) if row["species"] else None)
        assert set(graph.objects(node, P("publication"))) == {URIRef(expand(p)) for p in row["publications"].split("|")}
        assert graph.value(node, P("verifiedAt")) == URIRef(row["verified_at"])
        assert graph.value(node, P("verifiedOn")) == Literal(row["verified_on"], datatype=DATE)
        assert graph.value(node, P("sourceFile")) == Literal(f"data/pharmacokinetics/{row['_where']}")


def test_pk_values_sit_on_no_assertion(graph):
    """Issue 13, item 5: the numbers live on the observation nodes, not on mechanism edges."""
    from kg.sources.rules import PK_MEASURES

    on_edges = {str(m) for m in graph.objects(None, P("measure"))}
    assert not on_edges & PK_MEASURES


def test_stats_count_pk_records_substances_and_routes(curated):
    stats = compute_stats(curated, 0)
    assert stats["pk_records"] == len(ROWS)
    assert stats["pk_substances"] == len({r["substance"] for r in ROWS})
    assert stats["pk_routes"] == len({r["route"] for r in ROWS})
    assert sum(stats["pk_by_parameter"].values()) == len(ROWS)
    assert {"pk_records", "pk_substances", "pk_routes"} <= set(stats["targets"])


def test_kg_build_prints_the_pk_counts(tmp_path):
    result = run_kg("build", "--no-views", "--out", str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    routes = len({r["route"] for r in ROWS})
    substances = len({r["substance"] for r in ROWS})
    assert f"pharmacokinetics: {len(ROWS)} records, {substances} substances, {routes} routes" in result.stdout


# ---------------------------------------------------------------- the library query answers from the rows


def test_pk_query_lists_every_curated_record_with_its_numbers(graph):
    df = query("cq-40-pharmacokinetics", graph=graph)
    assert sorted(df["record"]) == sorted(r["id"] for r in ROWS)
    by_id = {r["id"]: r for r in ROWS}
    for record in df.itertuples():
        row = by_id[record.record]
        assert (record.substance, record.parameter, record.unit) == (row["substance"], row["parameter"], row["unit"])
        if row["value"]:
            assert record.value == pytest.approx(float(row["value"]))
        assert set(record.publications.split("|")) == set(row["publications"].split("|"))


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_pk_query_by_substance_and_route(graph, store):
    from kg.store.backends import load

    row = ROWS[0]
    df = query("cq-40-pharmacokinetics", graph=load(graph, store=store), substance=row["substance"], route=row["route"])
    expected = {r["id"] for r in ROWS if (r["substance"], r["route"]) == (row["substance"], row["route"])}
    assert set(df["record"]) == expected and set(df["route"]) == {row["route"]}


def test_pk_query_gives_concentrations_in_micromolar_from_the_molecular_weight(data_copy):
    """ng/mL / (g/mol) = µmol/L: 200 ng/mL of a 237.725 g/mol substance is 0.841 µM."""
    row = next(r for r in ROWS if r["value"])
    set_field(data_copy, "pharmacokinetics", row["id"], "unit", "ng/mL")
    set_field(data_copy, "pharmacokinetics", row["id"], "value", "200")
    for column in ("value_low", "value_high"):
        set_field(data_copy, "pharmacokinetics", row["id"], column, "")
    set_field(data_copy, "entities", row["substance"], "molecular_weight", "237.725")
    df = query("cq-40-pharmacokinetics", graph=checked_graph(data_copy)[1])
    converted = df.set_index("record").loc[row["id"], "value_uM"]
    assert converted == pytest.approx(200 / 237.725)
