"""The SPARQL 1.1 Protocol endpoint (kg serve): formats, the offline query page, library queries over HTTP.

The server is started by the tests as a user would (`python -m kg serve --port 0`) on 127.0.0.1 and stopped after.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph

PROJECT = Path(__file__).resolve().parent.parent
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KETAMINE = "http://purl.obolibrary.org/obo/CHEBI_6121"


from support.endpoint import get_query, http, post_form, running_server, write_ntriples  # noqa: E402


# ---------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def ntriples(tmp_path_factory) -> Path:
    return write_ntriples(tmp_path_factory.mktemp("serve"))


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
    status, _, direct = http(endpoint, LABEL_QUERY.encode(), {"Content-Type": "application/sparql-query",
                                                               "Accept": "application/sparql-results+json"})
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


# ---------------------------------------------------------------- library queries over HTTP

def test_library_query_over_http_binds_parameters(endpoint):
    base = endpoint.replace("/sparql", "")
    status, _, body = http(base + "/library/cq-15-entity-lookup?" + urllib.parse.urlencode({"text": "ESKETAMINE"}))
    assert status == 200
    labels = {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert labels == {"esketamine"}


def test_library_query_bad_parameter_is_400_and_unknown_query_404(endpoint):
    base = endpoint.replace("/sparql", "")
    status, _, body = http(base + "/library/cq-01-drug-targets?drug=NOPE:1")
    assert status == 400 and b"parameter drug" in body
    status, _, _ = http(base + "/library/cq-999-nothing")
    assert status == 404


# ---------------------------------------------------------------- the offline HTML page

def test_query_page_works_offline_and_lists_the_library(endpoint):
    from kg.sparql.library import library

    status, headers, body = http(endpoint.replace("/sparql", "/"))
    html = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in html and "<select" in html and "<table" not in html.split("<script")[0]
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "the page must load nothing from elsewhere"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    embedded = json.loads(re.search(r'<script type="application/json" id="library-data">(.*?)</script>', html, re.S).group(1))
    assert {q["name"] for q in embedded} == set(library())
    assert all(q["question"] == library()[q["name"]].question for q in embedded)


def test_query_page_writes_results_as_text_never_as_html():
    template = (PROJECT / "kg" / "serve" / "templates" / "query.html").read_text(encoding="utf-8")
    assert "innerHTML" not in template and "outerHTML" not in template and "document.write" not in template
    assert "textContent" in template


def test_library_text_cannot_close_the_script_element(monkeypatch):
    from kg.serve import server as serve

    monkeypatch.setattr(serve, "library_listing", lambda: [{"name": "x", "question": "</script><script>alert(1)</script>",
                                                           "text": "", "params": []}])
    html = serve.page().decode()
    assert "</script><script>alert(1)" not in html
    data = re.search(r'id="library-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)[0]["question"] == "</script><script>alert(1)</script>"
