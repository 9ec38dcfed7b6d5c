"""Federated library queries (cq-90 Wikidata, cq-91 UniProt) against local endpoints standing in for the public ones.

Each test starts a tiny SPARQL endpoint (tests/sparql_stub.py) on 127.0.0.1 holding a few stand-in records shaped
like Wikidata's / UniProt's, built from painkg's own curated UniProtKB cross-references, and passes its URL as the
`service` parameter. Expected rows come from the curated TSV files (which targets a drug acts on, their
accessions), not from running the query.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.sparql.library import find_query, query
from sparql_stub import StubEndpoint
from support.project import curated_rows as rows

WDT = "http://www.wikidata.org/prop/direct/"
HUMAN_WIKIDATA = ox.NamedNode("http://www.wikidata.org/entity/Q15978631")
UP = "http://purl.uniprot.org/core/"
UNIPROT = "http://purl.uniprot.org/uniprot/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
STAND_IN = "https://example.org/stand-in/"
KETAMINE, ESKETAMINE = "CHEBI:6121", "CHEBI:60799"
NOT_TARGET_PREDICATES = {"has_metabolite", "metabolised_by"}


def accessions() -> dict[str, str]:
    """Curated entity id -> UniProt accession, for every gene/protein with a UniProtKB xref."""
    out = {}
    for entity in rows("entities"):
        for xref in filter(None, entity["xrefs"].split("|")):
            if xref.startswith("UniProtKB:") and entity["category"] in ("biolink:Gene", "biolink:Protein"):
                out[entity["id"]] = xref.removeprefix("UniProtKB:")
    return out


def curated_targets(drug: str) -> dict[str, str]:
    """What the query promises: genes/proteins in the drug's non-refuted, non-metabolic assertions, or subunits."""
    assertions = rows("assertions")
    acted_on = {
        r["object"]
        for r in assertions
        if r["subject"] == drug and r["support"] != "refutes" and r["predicate"] not in NOT_TARGET_PREDICATES
    }
    subunits = {r["subject"] for r in assertions if r["predicate"] == "subunit_of" and r["object"] in acted_on}
    known = accessions()
    return {t: known[t] for t in acted_on | subunits if t in known}


def wikidata_stand_in() -> ox.Store:
    """Every curated accession as a human protein item with an English and a German label, plus one item in
    another taxon that the query must not return."""
    store = ox.Store()
    for entity, accession in accessions().items():
        item = ox.NamedNode(STAND_IN + "item-" + accession)
        store.add(ox.Quad(item, ox.NamedNode(WDT + "P352"), ox.Literal(accession)))
        store.add(ox.Quad(item, ox.NamedNode(WDT + "P703"), HUMAN_WIKIDATA))
        store.add(ox.Quad(item, RDFS_LABEL, ox.Literal(f"stand-in {entity}", language="en")))
        store.add(ox.Quad(item, RDFS_LABEL, ox.Literal(f"Platzhalter {entity}", language="de")))
    some_accession = sorted(curated_targets(KETAMINE).values())[0]
    other = ox.NamedNode(STAND_IN + "item-other-taxon")
    store.add(ox.Quad(other, ox.NamedNode(WDT + "P352"), ox.Literal(some_accession)))
    store.add(ox.Quad(other, ox.NamedNode(WDT + "P703"), ox.NamedNode(STAND_IN + "some-other-taxon")))
    store.add(ox.Quad(other, RDFS_LABEL, ox.Literal("other taxon", language="en")))
    return store


def uniprot_stand_in() -> ox.Store:
    """Every curated accession as a human up:Protein with a mnemonic and a recommended full name; one mouse entry."""
    store = ox.Store()
    human = ox.NamedNode("http://purl.uniprot.org/taxonomy/9606")
    for entity, accession in accessions().items():
        protein, name = ox.NamedNode(UNIPROT + accession), ox.BlankNode()
        store.add(ox.Quad(protein, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(UP + "Protein")))
        store.add(ox.Quad(protein, ox.NamedNode(UP + "organism"), human))
        store.add(ox.Quad(protein, ox.NamedNode(UP + "mnemonic"), ox.Literal(f"STANDIN_{accession}")))
        store.add(ox.Quad(protein, ox.NamedNode(UP + "recommendedName"), name))
        store.add(ox.Quad(name, ox.NamedNode(UP + "fullName"), ox.Literal(f"stand-in name of {entity}")))
    mouse = ox.NamedNode(UNIPROT + "STANDIN-MOUSE")
    store.add(ox.Quad(mouse, ox.NamedNode(UP + "organism"), ox.NamedNode("http://purl.uniprot.org/taxonomy/10090")))
    return store


@pytest.fixture(scope="module")
def wikidata():
    with StubEndpoint(wikidata_stand_in()) as stub:
        yield stub


@pytest.fixture(scope="module")
def uniprot():
    with StubEndpoint(uniprot_stand_in()) as stub:
        yield stub


def test_the_public_endpoints_are_the_defaults_and_the_endpoint_is_a_parameter():
    assert find_query("cq-90").param("service").default == "https://query.wikidata.org/sparql"
    assert find_query("cq-91").param("service").default == "https://sparql.uniprot.org/sparql"


def test_curated_data_gives_ketamine_targets_with_uniprot_accessions():
    """Guards the expectations below: they are empty (and the tests weak) if this ever fails."""
    assert len(curated_targets(KETAMINE)) >= 3


@pytest.mark.parametrize("drug", [KETAMINE, ESKETAMINE])
def test_wikidata_items_for_a_drugs_targets(wikidata, drug):
    expected = curated_targets(drug)
    df = query("cq-90", drug=drug, service=f"{wikidata.url}/sparql")
    assert set(df["drug"]) <= {drug}
    got = {(r.target, r.uniprot, r.wikidata_item, r.wikidata_label) for r in df.itertuples()}
    assert got == {(t, acc, f"{STAND_IN}item-{acc}", f"stand-in {t}") for t, acc in expected.items()}


def test_wikidata_stand_in_got_only_the_service_block(wikidata):
    """pyoxigraph ships the SERVICE pattern alone: no painkg data leaves the machine."""
    before = len(wikidata.queries)
    query("cq-90", service=f"{wikidata.url}/sparql")
    sent = wikidata.queries[before:]
    assert len(sent) == 1
    assert "P352" in sent[0] and "painkg" not in sent[0] and "CHEBI" not in sent[0]


def test_uniprot_names_for_ketamine_targets(uniprot):
    expected = curated_targets(KETAMINE)
    df = query("cq-91", drug=KETAMINE, service=f"{uniprot.url}/sparql")
    got = {(r.target, r.protein, r.mnemonic, r.recommended_name) for r in df.itertuples()}
    assert got == {(t, f"UniProtKB:{acc}", f"STANDIN_{acc}", f"stand-in name of {t}") for t, acc in expected.items()}


def test_another_drug_gets_its_own_curated_targets(uniprot):
    """Esketamine: the rows follow the curated TSVs for that drug, not ketamine's."""
    expected = curated_targets(ESKETAMINE)
    assert expected and expected != curated_targets(KETAMINE)
    df = query("cq-91", drug=ESKETAMINE, service=f"{uniprot.url}/sparql")
    assert {r.target for r in df.itertuples()} == set(expected)


def test_cli_runs_a_federated_query_against_the_given_service(wikidata, built):
    from conftest import run_kg

    result = run_kg("query", "cq-90", "--param", f"service={wikidata.url}/sparql", "--format", "csv", "--graph", str(built))
    assert result.returncode == 0, result.stderr
    for target, accession in curated_targets(KETAMINE).items():
        assert f"{STAND_IN}item-{accession}" in result.stdout and f"stand-in {target}" in result.stdout
