"""kg.sparql.library: query by name, number, file or text; parameters as typed bindings; describe; the library listing; magic."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import UserError
from support.project import curated_rows

ASSERTIONS = curated_rows("assertions")
ENTITIES = {row["id"]: row for row in curated_rows("entities")}


def contested_subject() -> str:
    """A subject with supporting and non-supporting rows on the same claim, read from the curated rows."""
    claims: dict[tuple, set] = {}
    for row in ASSERTIONS:
        claims.setdefault((row["subject"], row["predicate"], row["object"]), set()).add(row["support"])
    return sorted(s for (s, _, _), support in claims.items() if "supports" in support and support - {"supports"})[0]


@pytest.fixture(scope="module")
def store():
    from kg.store.backends import load
    from kg.validate import checked_graph

    return load(checked_graph()[1])


def test_queries_lists_name_question_parameters_defaults():
    import kg

    df = kg.queries()
    assert list(df.columns) == ["name", "question", "parameters", "defaults", "example"]
    row = df.set_index("name").loc["cq-01-drug-targets"]
    assert row["defaults"] == {"drug": "CHEBI:6121"}
    assert row["parameters"] == "drug (curie)"
    assert len(df) == len(list((Path(kg.__file__).parent / "queries").glob("cq-*.rq")))


def test_query_by_name_number_path_and_text_agree(store):
    from kg.config import QUERIES_DIR
    from kg.sparql.library import query

    by_name = query("cq-15-entity-lookup", graph=store, text="ketamine")
    by_number = query("cq-15", graph=store, text="ketamine")
    by_digits = query("15", graph=store, text="ketamine")
    by_path = query(str(QUERIES_DIR / "cq-15-entity-lookup.rq"), graph=store, text="ketamine")
    assert by_name.equals(by_number) and by_name.equals(by_digits) and by_name.equals(by_path)
    text = (QUERIES_DIR / "cq-15-entity-lookup.rq").read_text(encoding="utf-8")
    by_text = query(text, graph=store, text="ketamine")
    assert by_text.equals(by_name)
    labels = {e["label"] for e in ENTITIES.values() if "ketamine" in e["label"].lower()}
    assert labels <= set(by_name["label"])


def test_defaults_apply_and_parameters_override(store):
    from kg.sparql.library import query

    default = query("cq-01-drug-targets", graph=store)
    assert set(default["drug"]) == {"CHEBI:6121"}
    other = query("cq-01-drug-targets", graph=store, drug="CHEBI:8058")
    assert set(other["drug"]) == {"CHEBI:8058"}
    full_iri = query("cq-01-drug-targets", graph=store, drug="http://purl.obolibrary.org/obo/CHEBI_8058")
    assert full_iri.equals(other)


def test_optional_parameter_left_empty_means_all(store):
    from kg.sparql.library import query

    everything = query("cq-06-conflicting-findings", graph=store)
    subject = contested_subject()
    one = query("cq-06-conflicting-findings", graph=store, subject=subject)
    assert len(everything["subject"].unique()) > 1 and set(one["subject"]) == {subject}


def test_ad_hoc_sparql_parameters_are_typed_by_their_value(store):
    from kg.sparql.library import query

    text = "SELECT ?entity ?label WHERE { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    assert query(text, graph=store, entity="CHEBI:6121")["label"].tolist() == ["ketamine"]
    assert query(text, graph=store, label="ketamine")["entity"].tolist() == ["CHEBI:6121"]


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("cq-99-nothing", {}, "unknown query"),
        ("cq-01-drug-targets", {"drugg": "CHEBI:6121"}, "unknown parameter 'drugg'"),
        ("cq-01-drug-targets", {"drug": "NOPREFIX:1"}, "parameter drug"),
        ("cq-01-drug-targets", {"drug": "ketamine"}, "parameter drug"),
        ("cq-13-assertions-by-species", {"species": "javascript:alert(1)"}, "parameter species"),
        ("SELECT ?x WHERE { ?x ?p ?o }", {"y": "1"}, "no variable ?y"),
        ("SELECT ?x WHERE { ?x ?p ", {}, "syntax error"),
    ],
)
def test_bad_queries_and_parameters_are_user_errors(store, name, params, message):
    from kg.sparql.library import query

    with pytest.raises(UserError, match=message.replace("?", r"\?")):
        query(name, graph=store, **params)


def test_typed_parameters_reject_bad_values():
    from kg.sparql.library import to_term

    assert str(to_term("b", "grade", "g")) == "https://w3id.org/painkg/grade-B"
    assert to_term("42", "int", "n").toPython() == 42
    for value, kind in (("E", "grade"), ("4x", "int"), ("1,5", "decimal")):
        with pytest.raises(UserError):
            to_term(value, kind, "p")


def test_string_parameter_is_never_query_text(store):
    """A value crafted to end the FILTER and match everything still only matches as text."""
    from kg.sparql.library import query

    df = query("cq-15-entity-lookup", graph=store, text='x")) } UNION { ?entity ?p ?label } #')
    assert df.empty


def test_describe_gives_the_entity_and_every_assertion_touching_it(store):
    from kg.sparql.library import describe

    entity = describe("CHEBI:91519", graph=store)
    row = ENTITIES["CHEBI:91519"]
    assert entity["id"] == "CHEBI:91519" and entity["label"] == row["label"] == "norketamine"
    assert entity["category"] == row["category"]
    assert entity["systems"] == sorted(filter(None, row["systems"].split("|")))
    assert entity["xrefs"] == sorted(filter(None, row["xrefs"].split("|")))
    expected = {r["id"] for r in ASSERTIONS if "CHEBI:91519" in (r["subject"], r["object"])}
    assert {a["assertion"] for a in entity["assertions"]} == expected
    by_id = {a["assertion"]: a for a in entity["assertions"]}
    for r in ASSERTIONS:
        if r["id"] in by_id:
            assert by_id[r["id"]]["publications"] == sorted(r["publications"].split("|"))
            assert by_id[r["id"]]["grade"] == r["grade"]


def test_describe_unknown_entity_is_a_user_error(store):
    from kg.sparql.library import describe

    with pytest.raises(UserError, match="no entity"):
        describe("CHEBI:1", graph=store)


def test_sparql_cell_magic_returns_a_dataframe(store, monkeypatch):
    from IPython.testing.globalipapp import start_ipython

    import kg.sparql.library

    monkeypatch.setattr(kg.sparql.library, "_default_store", lambda kind: store)
    ipython = start_ipython()
    ipython.run_line_magic("load_ext", "kg")
    df = ipython.run_cell_magic("sparql", "drug=CHEBI:8058", "cq-01-drug-targets")
    assert set(df["drug"]) == {"CHEBI:8058"}
    df = ipython.run_cell_magic(
        "sparql",
        "",
        "SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CHEBI_6121> <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
    )
    assert df["label"].tolist() == ["ketamine"]
    with pytest.raises(UserError):
        ipython.run_cell_magic("sparql", "--store", "SELECT * WHERE { ?s ?p ?o }")
