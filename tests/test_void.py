"""build/void.ttl describes the dataset the way a catalogue or a citing paper needs it (VoID + DCAT).

Expectations come from the project's own statements (CITATION.cff, LICENSE-DATA, CHANGELOG.md) and from the
curated TSVs, never from the description itself.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV

from support.project import DATA, PROJECT, curated_rows

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PAINKG = Namespace("https://w3id.org/painkg/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def citation() -> dict:
    """title, version and author names of CITATION.cff (read line by line: it is plain YAML)."""
    text = (PROJECT / "CITATION.cff").read_text(encoding="utf-8")
    top = {m.group(1): m.group(2).strip('"') for m in re.finditer(r"^(\w+): (.+)$", text, re.MULTILINE)}
    block = itertools.takewhile(lambda line: line.startswith(" "), text.split("\nauthors:\n", 1)[1].splitlines())
    top["authors"] = [m.group(1) for line in block if (m := re.match(r'^\s+- name: "?([^"]+)"?$', line))]
    return top


def expand(curie: str) -> URIRef:
    with open(DATA / "schema" / "prefixes.tsv", encoding="utf-8") as handle:
        prefixes = {r["prefix"]: r["uri_prefix"] for r in csv.DictReader(handle, delimiter="\t")}
    prefix, local = curie.split(":", 1)
    return URIRef(prefixes[prefix] + local)


@pytest.fixture(scope="module")
def void(built) -> Graph:
    return Graph().parse(built / "void.ttl", format="turtle")


@pytest.fixture(scope="module")
def dataset(void) -> URIRef:
    (node,) = set(void.subjects(RDF.type, VOID.Dataset))
    assert (node, RDF.type, DCAT.Dataset) in void
    return node


def test_title_version_and_creators_are_those_of_citation_cff(void, dataset):
    cff = citation()
    assert str(void.value(dataset, DCTERMS.title)) == cff["title"]
    assert str(void.value(dataset, DCAT.version)) == cff["version"]
    creators = {str(void.value(agent, FOAF.name)) for agent in void.objects(dataset, DCTERMS.creator)}
    assert creators == set(cff["authors"]) and creators


def test_data_licence_is_cc_by_4(void, dataset):
    assert "Creative Commons Attribution 4.0" in (PROJECT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert set(void.objects(dataset, DCTERMS.license)) == {CC_BY_4}


def test_issued_is_the_build_date(void, dataset):
    issued = void.value(dataset, DCTERMS.issued)
    assert issued.datatype == XSD_DATE
    assert abs(datetime.date.fromisoformat(str(issued)) - datetime.date.today()) <= datetime.timedelta(days=1)


def test_sources_are_the_references_of_the_curated_tables(void, dataset):
    references = {expand(r["id"]) for r in curated_rows("references")}
    assert set(void.objects(dataset, PROV.wasDerivedFrom)) == references


def test_counts_match_the_files(void, dataset, built):
    triples = [line for line in (built / "painkg.nt").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert void.value(dataset, VOID.triples).toPython() == len(triples)
    assert void.value(dataset, VOID.entities).toPython() == len(curated_rows("entities"))
    partitions = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities).toPython() for p in void.objects(dataset, VOID.classPartition)
    }
    assert partitions == {
        PAINKG.Assertion: len(curated_rows("assertions")),
        BIOLINK.Publication: len(curated_rows("references")),
        BIOLINK.Study: len(curated_rows("studies")),
    }


def test_versioned_named_graph_is_recorded(void, dataset):
    version = citation()["version"]
    (record,) = set(void.subjects(SD.graph, dataset))
    assert void.value(record, SD.name) == URIRef(f"https://w3id.org/painkg/graph/{version}")


def test_the_description_is_inside_the_graph(void, built):
    graph = Graph().parse(built / "painkg.nt", format="nt")
    assert len(void) > 0 and all(triple in graph for triple in void)


def test_no_endpoint_unless_one_is_given(void, dataset):
    assert void.value(dataset, VOID.sparqlEndpoint) is None


def test_endpoint_and_date_when_given(tmp_path, monkeypatch, snapshot):
    """`kg build --sparql-endpoint URL` records where it is served; SOURCE_DATE_EPOCH fixes the date."""
    from kg.build.pipeline import run_build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    out = run_build(tmp_path / "build", snapshot, views=False, endpoint="http://127.0.0.1:7878/sparql").out
    void = Graph().parse(out / "void.ttl", format="turtle")
    (dataset,) = set(void.subjects(RDF.type, VOID.Dataset))
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:7878/sparql")
    (service,) = set(void.subjects(DCAT.servesDataset, dataset))
    assert void.value(service, DCAT.endpointURL) == URIRef("http://127.0.0.1:7878/sparql")
    assert void.value(dataset, DCTERMS.issued) == Literal("2026-01-01", datatype=XSD_DATE)


def test_the_release_has_a_changelog_entry():
    version = citation()["version"]
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(version)}\]", changelog, re.MULTILINE)
    assert "void.ttl" in changelog and "kg diff" in changelog
