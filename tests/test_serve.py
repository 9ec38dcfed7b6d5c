"""The SPARQL 1.1 Protocol endpoint (kg serve): formats, library queries over HTTP, the SPARQL editor page, and
content negotiation on the linked-data paths (/entity/..., /assertion/..., /graph): HTML or the thing's RDF.

The server is started by the tests as a user would (`python -m kg serve --port 0`) on 127.0.0.1 and stopped after.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

PROJECT = Path(__file__).resolve().parent.parent
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KETAMINE = "http://purl.obolibrary.org/obo/CHEBI_6121"
KETAMINE_CURIE = "CHEBI:6121"


from support.endpoint import get_query, http, post_form, running_server  # noqa: E402
from support.pages import Page  # noqa: E402
from support.project import curated_rows  # noqa: E402

# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ntriples(tmp_path_factory, graph) -> Path:
    """The graph of the session's snapshot of data/, which the expectations below read too."""
    path = tmp_path_factory.mktemp("serve") / "painkg.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(ntriples):
    with running_server(ntriples) as process:
        yield process


@pytest.fixture(scope="module")
def endpoint(server) -> str:
    return server.endpoint_url


LABEL_QUERY = f"SELECT ?label WHERE {{ <{KETAMINE}> <{LABEL}> ?label }}"


# ---------------------------------------------------------------- protocol and formats


def test_get_query_answers_sparql_json(endpoint):
    status, headers, body = get_query(endpoint, LABEL_QUERY)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    data = json.loads(body)
    assert data["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in data["results"]["bindings"]] == ["ketamine"]


def test_post_form_and_post_sparql_query_give_the_same_answer(endpoint):
    _, _, form = post_form(endpoint, {"query": LABEL_QUERY})
    status, _, direct = http(
        endpoint, LABEL_QUERY.encode(), {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    )
    assert status == 200
    assert json.loads(form) == json.loads(direct)


def test_csv_tsv_and_xml_by_accept_header(endpoint):
    _, headers, body = get_query(endpoint, LABEL_QUERY, "text/csv")
    assert headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["label"], ["ketamine"]]
    _, headers, body = get_query(endpoint, LABEL_QUERY, "text/tab-separated-values")
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode().splitlines() == ["?label", '"ketamine"']
    _, headers, body = get_query(endpoint, LABEL_QUERY, "application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body)
    assert [e.text for e in root.findall(".//s:binding/s:literal", ns)] == ["ketamine"]


def test_accept_q_values_pick_the_preferred_format(endpoint):
    _, headers, _ = get_query(endpoint, LABEL_QUERY, "application/sparql-results+json;q=0.5, text/csv;q=0.9")
    assert headers["Content-Type"].startswith("text/csv")


def test_ask_query_in_json_and_csv(endpoint):
    _, _, body = get_query(endpoint, f'ASK {{ <{KETAMINE}> <{LABEL}> "ketamine" }}')
    assert json.loads(body)["boolean"] is True
    _, _, body = get_query(endpoint, f'ASK {{ <{KETAMINE}> <{LABEL}> "not ketamine" }}', "text/csv")
    assert body.decode().split() == ["_askResult", "false"]


def test_construct_as_turtle_and_json_ld(endpoint):
    query = f"CONSTRUCT {{ <{KETAMINE}> <{LABEL}> ?l }} WHERE {{ <{KETAMINE}> <{LABEL}> ?l }}"
    status, headers, body = get_query(endpoint, query, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    turtle = Graph().parse(data=body.decode(), format="turtle")
    _, headers, body = get_query(endpoint, query, "application/ld+json")
    assert headers["Content-Type"].startswith("application/ld+json")
    jsonld = Graph().parse(data=body.decode(), format="json-ld")
    assert set(turtle) == set(jsonld) and len(turtle) == 1


def test_describe_returns_the_entity_triples(endpoint):
    _, _, body = get_query(endpoint, f"DESCRIBE <{KETAMINE}>", "text/turtle")
    graph = Graph().parse(data=body.decode(), format="turtle")
    assert any(str(o) == "ketamine" for o in graph.objects(predicate=None))


def test_malformed_query_is_400_with_the_parser_message(endpoint):
    status, _, body = get_query(endpoint, "SELECT * WHERE { ?s ?p ")
    assert status == 400
    assert "syntax error" in body.decode() and "1:" in body.decode()


def test_unknown_path_is_404(endpoint):
    status, _, _ = http(endpoint.replace("/sparql", "/nothing-here"))
    assert status == 404
    status, _, _ = http(endpoint.replace("/sparql", "/library"))
    assert status == 404


# ---------------------------------------------------------------- library queries over HTTP


def test_library_query_over_http_binds_parameters(endpoint):
    base = endpoint.replace("/sparql", "")
    status, _, body = http(base + "/library/cq-15-entity-lookup?" + urllib.parse.urlencode({"text": "ESKETAMINE"}))
    assert status == 200
    labels = {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert labels == {"esketamine"}


def test_library_query_over_http_pages_with_limit_and_offset(endpoint):
    """A client pages a long table as `kg query --param limit=... --param offset=...` does: pages of the asked size
    that follow each other without overlap."""
    base = endpoint.replace("/sparql", "") + "/library/cq-26-review-only-claims?"

    def claims(**params) -> list[tuple]:
        status, _, body = http(base + urllib.parse.urlencode(params))
        assert status == 200
        rows = json.loads(body)["results"]["bindings"]
        return [(r["subject"]["value"], r["predicate"]["value"], r["object"]["value"]) for r in rows]

    everything = claims(limit=0)
    assert len(everything) > 10
    first, second = claims(limit=5), claims(limit=5, offset=5)
    assert first == everything[:5] and second == everything[5:10]
    status, _, body = http(base + "limit=five")
    assert status == 400 and b"parameter limit" in body


def test_library_query_bad_parameter_is_400_and_unknown_query_404(endpoint):
    base = endpoint.replace("/sparql", "")
    status, _, body = http(base + "/library/cq-01-drug-targets?drug=NOPE:1")
    assert status == 400 and b"parameter drug" in body
    status, _, _ = http(base + "/library/cq-999-nothing")
    assert status == 404


# ---------------------------------------------------------------- the SPARQL editor page


def test_editor_page_loads_only_its_own_files_and_lists_the_library(endpoint):
    from kg.sparql.library import library

    status, headers, body = http(endpoint.replace("/sparql", "/query"))
    page = Page(body.decode())
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert page.by_id("query").tag == "textarea" and page.by_id("library").tag == "select"
    assert page.loads() and all(not re.match(r"^(https?:)?//", url) for url in page.loads()), page.loads()
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    embedded = json.loads(page.by_id("editor-data").content)
    assert {q["name"] for q in embedded["library"]} == set(library())
    assert all(q["question"] == library()[q["name"]].question for q in embedded["library"])
    assert embedded["prefixes"]["CHEBI"] == "http://purl.obolibrary.org/obo/CHEBI_"


def test_every_file_the_pages_load_is_served(endpoint):
    base = endpoint.replace("/sparql", "")
    for path in ("/", "/query", "/entity/CHEBI:6121", "/explore"):
        page = Page(http(base + path)[2].decode())
        for url in page.loads():
            status, headers, _ = http(urllib.parse.urljoin(base + path, url))
            assert status == 200, (path, url)
            assert headers["Content-Type"].split(";")[0] in ("text/javascript", "text/css"), url


def test_site_scripts_write_data_as_text_never_as_html():
    for script in sorted((PROJECT / "kg" / "serve" / "static").glob("*.js")):
        code = script.read_text(encoding="utf-8")
        assert "innerHTML" not in code and "outerHTML" not in code and "document.write" not in code, script.name
        assert "textContent" in code or "location" in code, script.name


def test_library_text_cannot_close_the_script_element(monkeypatch):
    from kg.serve import pages, site
    from kg.serve.links import Links
    from kg.serve.sitedata import read_site_data
    from kg.store import load

    question = "</script><script>alert(1)</script>"
    data = read_site_data(load())
    html = pages.query_page(data, Links(), [{"name": "x", "question": question, "text": "", "params": []}])
    assert "</script><script>alert(1)" not in html
    assert json.loads(Page(html).by_id("editor-data").content)["library"][0]["question"] == question
    assert callable(site.library_listing)


# ---------------------------------------------------------------- linked data: the same paths as HTML or RDF

ASSERTION_NS = "https://w3id.org/painkg/assertion/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PUBLICATION = "https://w3id.org/painkg/publication"


def ketamine_rows(data: Path) -> list[dict]:
    return [r for r in curated_rows("assertions", data) if KETAMINE_CURIE in (r["subject"], r["object"])]


def expand(curie: str) -> str:
    from kg.vocab import project_converter

    return project_converter().expand(curie, strict=True)


def get_rdf(base: str, path: str, media: str) -> Graph:
    status, headers, body = http(base + path, headers={"Accept": media})
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith(media) and "Accept" in headers["Vary"]
    return Graph().parse(
        data=body.decode("utf-8"),
        format={"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[media],
    )


def test_turtle_for_ketamine_holds_every_assertion_with_its_statement_node(endpoint, snapshot):
    base = endpoint.replace("/sparql", "")
    graph = get_rdf(base, "/entity/CHEBI:6121", "text/turtle")
    rows = ketamine_rows(snapshot)
    assert rows, "the curated data has assertions about ketamine"
    for row in rows:
        node = URIRef(ASSERTION_NS + row["id"])
        subject, obj = URIRef(expand(row["subject"])), URIRef(expand(row["object"]))
        predicate = URIRef("https://w3id.org/painkg/" + row["predicate"])
        assert (node, URIRef(RDF_NS + "subject"), subject) in graph, row["id"]
        assert (node, URIRef(RDF_NS + "object"), obj) in graph, row["id"]
        assert (subject, predicate, obj) in graph, row["id"]  # the direct triple too
        assert {str(p) for p in graph.objects(node, URIRef(PUBLICATION))} == {expand(p) for p in row["publications"].split("|")}
    assert (URIRef(KETAMINE), URIRef(LABEL), Literal("ketamine")) in graph


def test_json_ld_and_n_triples_carry_the_same_triples_as_turtle(endpoint):
    base = endpoint.replace("/sparql", "")
    turtle = get_rdf(base, "/entity/CHEBI:6121", "text/turtle")
    assert set(get_rdf(base, "/entity/CHEBI:6121", "application/ld+json")) == set(turtle)
    assert set(get_rdf(base, "/entity/CHEBI_6121", "application/n-triples")) == set(turtle)


def test_browsers_and_clients_accepting_anything_get_html(endpoint):
    base = endpoint.replace("/sparql", "")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "*/*", ""):
        status, headers, body = http(base + "/entity/CHEBI:6121", headers={"Accept": accept} if accept else {})
        assert status == 200 and headers["Content-Type"].startswith("text/html"), accept
        assert Page(body.decode()).all("h1")[0].content == "ketamine"
    _, headers, _ = http(base + "/entity/CHEBI:6121?format=turtle", headers={"Accept": browser})
    assert headers["Content-Type"].startswith("text/turtle")


def test_assertion_path_answers_with_its_statement_node_and_evidence(endpoint, snapshot):
    base = endpoint.replace("/sparql", "")
    row = next(r for r in curated_rows("assertions", snapshot) if r["grade"] and r["species"])
    graph = get_rdf(base, f"/assertion/{row['id']}", "text/turtle")
    node = URIRef(ASSERTION_NS + row["id"])
    assert (node, URIRef("https://w3id.org/painkg/grade"), URIRef(f"https://w3id.org/painkg/grade-{row['grade']}")) in graph
    assert (node, URIRef("https://w3id.org/painkg/species"), URIRef(expand(row["species"]))) in graph
    direct = (
        URIRef(expand(row["subject"])),
        URIRef("https://w3id.org/painkg/" + row["predicate"]),
        URIRef(expand(row["object"])),
    )
    assert direct in graph
    page = Page(http(base + f"/assertion/{row['id']}")[2].decode())
    assert row["id"] in page.text and f"grade {row['grade']}" in page.text


def test_painkg_namespace_paths_answer_like_their_iris(endpoint, ntriples, snapshot):
    base = endpoint.replace("/sparql", "")
    local = next(r for r in curated_rows("entities", snapshot) if r["id"].startswith("PAINKG:"))
    graph = get_rdf(base, "/id/" + local["id"].removeprefix("PAINKG:"), "text/turtle")
    assert (URIRef(expand(local["id"])), URIRef(LABEL), Literal(local["label"])) in graph
    grade = get_rdf(base, "/grade-B", "text/turtle")
    assert (URIRef("https://w3id.org/painkg/grade-B"), URIRef(LABEL), Literal("B")) in grade
    whole = get_rdf(base, "/graph", "application/n-triples")
    assert len(whole) == len(Graph().parse(ntriples, format="nt"))


def test_unknown_things_are_404_pages(endpoint):
    base = endpoint.replace("/sparql", "")
    for path in ("/entity/CHEBI:0", "/assertion/A-none-0000", "/study/none", "/reference/PMID:1", "/no-such-term"):
        status, headers, _ = http(base + path)
        assert status == 404 and headers["Content-Type"].startswith("text/html"), path
