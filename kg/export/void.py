"""Dataset metadata: a VoID + DCAT description of one build, written to build/void.ttl and added to the graph.

It says what a catalogue or a citing paper needs: title, version, licence (CC BY 4.0 for the data), issue date,
creators, the publications the assertions were read in (prov:wasDerivedFrom), counts of triples, entities,
assertions and references, the versioned named graph a release is published into (`kg publish` uses it by
default) and, when given, the SPARQL endpoint serving it. Blank nodes are avoided so that builds of the same
sources give the same triples.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV

from kg.config import VERSION
from kg.errors import UserError
from kg.sources.curated import Curated
from kg.vocab import BIOLINK, PAINKG, dataset_iri, graph_iri

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PREFIXES = {
    "void": VOID,
    "dcat": DCAT,
    "sd": SD,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "prov": PROV,
    "owl": OWL,
    "xsd": XSD,
    "painkg": PAINKG,
    "biolink": BIOLINK,
}

# As in CITATION.cff and LICENSE-DATA (tests/test_void.py holds them to it).
TITLE = "painkg: a curated, evidence-backed knowledge graph of analgesic mechanisms, starting with ketamine"
DESCRIPTION = (
    "A curated RDF knowledge graph of analgesic mechanisms, starting with ketamine: drugs, enantiomers and "
    "metabolites linked to targets, processes and pain outcomes, every assertion carrying its "
    "publications, evidence type, species, quantitative value, support and confidence grade."
)
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
CREATORS = ("painkg contributors",)
VOID_FILE = "void.ttl"


def issued_on() -> datetime.date:
    """The build's date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return moment.date()


def _agent(name: str) -> URIRef:
    return PAINKG["agent/" + "-".join(name.lower().split())]


def _partition(g: Graph, dataset: URIRef, cls: URIRef, name: str, count: int) -> None:
    node = URIRef(f"{dataset}/partition/{name}")
    g.add((dataset, VOID.classPartition, node))
    g.add((node, VOID["class"], cls))
    g.add((node, VOID.entities, Literal(count)))


def describe_dataset(
    curated: Curated,
    data_triples: int,
    *,
    version: str = VERSION,
    issued: datetime.date | None = None,
    endpoint: str | None = None,
) -> Graph:
    """The description of a graph of `data_triples` triples built from `curated`; its void:triples counts the
    description too, so it equals the number of triples in painkg.nt."""
    dataset, named = dataset_iri(version), graph_iri(version)
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(TITLE, lang="en")))
    g.add((dataset, DCTERMS.description, Literal(DESCRIPTION, lang="en")))
    g.add((dataset, DCAT.version, Literal(version)))
    g.add((dataset, OWL.versionInfo, Literal(version)))
    g.add((dataset, DCTERMS.isVersionOf, PAINKG.dataset))
    g.add((dataset, DCTERMS.license, DATA_LICENSE))
    g.add((dataset, DCTERMS.issued, Literal((issued or issued_on()).isoformat(), datatype=XSD.date)))
    for name in CREATORS:
        g.add((dataset, DCTERMS.creator, _agent(name)))
        g.add((_agent(name), RDF.type, FOAF.Agent))
        g.add((_agent(name), FOAF.name, Literal(name)))
    for vocabulary in (PAINKG, BIOLINK):
        g.add((dataset, VOID.vocabulary, URIRef(str(vocabulary))))
    for reference in sorted(curated.references):
        g.add((dataset, PROV.wasDerivedFrom, URIRef(curated.converter.expand(reference, strict=True))))
    g.add((dataset, VOID.entities, Literal(len(curated.entities))))
    _partition(g, dataset, PAINKG.Assertion, "assertions", len(curated.assertions))
    _partition(g, dataset, BIOLINK.Publication, "references", len(curated.references))
    _partition(g, dataset, BIOLINK.Study, "studies", len(curated.studies))
    record = URIRef(f"{dataset}/named-graph")
    g.add((record, RDF.type, SD.NamedGraph))
    g.add((record, SD.name, named))
    g.add((record, SD.graph, dataset))
    if endpoint:
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", endpoint):
            raise UserError(f"SPARQL endpoint must be an http(s) URL, not {endpoint!r}")
        service = URIRef(f"{dataset}/sparql")
        g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCAT.endpointURL, URIRef(endpoint)))
        g.add((service, DCAT.servesDataset, dataset))
    g.add((dataset, VOID.triples, Literal(data_triples + len(g) + 1)))
    return g


def write_void(description: Graph, folder: Path) -> Path:
    path = Path(folder) / VOID_FILE
    path.write_text(description.serialize(format="turtle"), encoding="utf-8")
    return path


def named_graph_of(folder: Path) -> str | None:
    """The named graph IRI a build's void.ttl records (None when the folder has no void.ttl)."""
    path = Path(folder) / VOID_FILE
    if not path.is_file():
        return None
    name = next(Graph().parse(path, format="turtle").objects(None, SD.name), None)
    return str(name) if name is not None else None
