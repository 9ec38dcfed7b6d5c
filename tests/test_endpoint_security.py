"""What the endpoint guarantees (SECURITY.md): read-only, no SERVICE to hosts off the allow-list, a time limit,
a row cap, a body cap, local binding by default, and steady behaviour under load."""

from __future__ import annotations

import http.client as httpclient
import json
import time
import urllib.parse

import psutil
import pytest

from plugin_figures import register as register_figures
from support.endpoint import get_query, http, post_form, running_server, write_ntriples
from support.load_client import run_load

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP DEFAULT",
    "CREATE GRAPH <http://example.org/g>",
]


@pytest.fixture(scope="module")
def ntriples(tmp_path_factory):
    return write_ntriples(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def server(ntriples):
    with running_server(ntriples, "--timeout", "2", "--max-rows", "50", "--workers", "4") as process:
        yield process


@pytest.fixture(scope="module")
def endpoint(server):
    return server.endpoint_url


def count(endpoint: str) -> int:
    _, _, body = get_query(endpoint, COUNT_ALL)
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------- read-only


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_every_way_and_change_nothing(endpoint, update):
    before = count(endpoint)
    answers = [
        post_form(endpoint, {"update": update})[0],
        http(endpoint, update.encode(), {"Content-Type": "application/sparql-update"})[0],
        post_form(endpoint, {"query": update})[0],
        http(endpoint, update.encode(), {"Content-Type": "application/sparql-query"})[0],
        http(endpoint + "?" + urllib.parse.urlencode({"update": update}))[0],
    ]
    assert all(400 <= status < 500 for status in answers), answers
    assert answers[2] == 403  # recognised as an update by parsing, not only refused as a malformed query
    assert count(endpoint) == before


def test_update_hidden_behind_a_query_is_not_run(endpoint):
    before = count(endpoint)
    status, _, _ = post_form(endpoint, {"query": COUNT_ALL + " ; INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }"})
    assert status == 400
    assert count(endpoint) == before


# ---------------------------------------------------------------- SERVICE allow-list


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/meta-data> { ?s ?p ?o } }",
        "PREFIX ex: <http://evil.example/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { SERV\\u0049CE <http://evil.example/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://evil.example/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_service_to_hosts_off_the_allow_list_is_refused(endpoint, query):
    status, _, body = post_form(endpoint, {"query": query})
    assert status == 403, body
    assert b"SERVICE" in body


def test_service_to_an_allowed_host_is_federated(ntriples, endpoint):
    """A second endpoint allowed to call 127.0.0.1 federates the first one's graph."""
    with running_server(ntriples, "--allow-service", "127.0.0.1") as second:
        query = (
            f"SELECT ?label WHERE {{ SERVICE <{endpoint}> {{ <http://purl.obolibrary.org/obo/CHEBI_6121> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }"
        )
        status, _, body = post_form(second.endpoint_url, {"query": query})
        assert status == 200, body
        assert [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["ketamine"]


# ---------------------------------------------------------------- limits


def test_query_over_the_time_limit_is_503_on_time_and_the_server_recovers(endpoint, server):
    started = time.monotonic()
    status, _, body = post_form(endpoint, {"query": SLOW})
    elapsed = time.monotonic() - started
    assert status == 503 and b"time limit" in body
    assert elapsed < 2 + 3
    assert count(endpoint) > 0
    time.sleep(1.0)  # the killed worker is replaced
    children = psutil.Process(server.pid).children(recursive=True)
    busy = [c for c in children if c.is_running() and c.cpu_percent(interval=0.2) > 50]
    assert not busy, "a timed-out query must not keep running"


def test_results_are_capped_at_max_rows_and_marked(endpoint):
    status, headers, body = get_query(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 50
    assert headers["X-Painkg-Truncated"].startswith("true")
    _, headers, body = get_query(endpoint, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
    assert len(json.loads(body)["results"]["bindings"]) == 3 and headers.get("X-Painkg-Truncated") is None


def test_request_body_over_the_cap_is_413_before_it_is_read(endpoint):
    """The server answers from the declared length; the client has not even sent the body yet."""
    parsed = urllib.parse.urlsplit(endpoint)
    connection = httpclient.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    connection.putrequest("POST", parsed.path)
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", str(1_100_000))
    connection.endheaders()
    response = connection.getresponse()
    assert response.status == 413
    connection.close()
    status, _, _ = http(endpoint, (" " * 10_000 + COUNT_ALL).encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200


def test_binds_loopback_by_default(server):
    assert server.endpoint_url.startswith("http://127.0.0.1:")
    from kg.cli.main import parser

    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.allow_service == []


# ---------------------------------------------------------------- the linked-data site on the same server

SITE_PATHS = ["/", "/entity/CHEBI:6121", "/assertion/A-nmda-0001", "/query", "/explore", "/search", "/graph"]


def site(endpoint: str) -> str:
    return endpoint.replace("/sparql", "")


def test_pages_cannot_write_anything(endpoint):
    before = count(endpoint)
    for path in ("/", "/entity/CHEBI:6121", "/graph", "/assertion/A-nmda-0001"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status = http(site(endpoint) + path, b"<a> <b> <c> .", {"Content-Type": "text/turtle"}, method=method)[0]
            assert status in (404, 405, 501), (method, path, status)
    assert count(endpoint) == before


@pytest.mark.parametrize(
    "path",
    [
        "/static/../server.py",
        "/static/%2e%2e/server.py",
        "/static/..%2fserver.py",
        "/static/codemirror/../../server.py",
        "/static//etc/passwd",
        "/static/VENDORED.md",
        "/static/",
        "/static/queries/describe-resource.rq",
    ],
)
def test_static_paths_serve_only_the_packaged_scripts_and_styles(endpoint, path):
    status, _, body = http(site(endpoint) + path)
    assert status == 404, body[:200]


def test_markup_in_a_requested_path_comes_back_as_text(endpoint):
    status, headers, body = http(site(endpoint) + "/entity/" + urllib.parse.quote("<script>alert(1)</script>"))
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"<script>alert(1)" not in body and b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("path", SITE_PATHS)
def test_pages_allow_scripts_and_connections_only_from_the_server_itself(endpoint, path):
    status, headers, _ = http(site(endpoint) + path)
    policy = headers["Content-Security-Policy"]
    assert status == 200
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "form-action 'self'" in policy
    assert "http" not in policy  # no other host may serve anything to a page
    if path == "/graph":  # the whole-graph view inlines vis-network and its own script (no data in code)
        assert "script-src 'unsafe-inline'" in policy
    else:
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_rdf_of_a_page_runs_under_the_row_cap(endpoint):
    status, headers, body = http(site(endpoint) + "/entity/CHEBI:6121", headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["X-Painkg-Truncated"].startswith("true")
    assert len([line for line in body.decode().splitlines() if line.strip()]) == 50


# ---------------------------------------------------------------- load


def _rss(pid: int) -> int:
    process = psutil.Process(pid)
    return process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))


def test_load_5000_requests_from_8_clients_without_errors_and_bounded_memory(ntriples, request):
    figures = register_figures(request.config)
    with running_server(ntriples, "--workers", "4") as server:
        run_load(server.endpoint_url, requests=200)  # warm up
        rss_before = _rss(server.pid)
        result = run_load(server.endpoint_url, requests=5000, clients=8)
        rss_after = _rss(server.pid)
    assert result.errors == []
    assert len(result.latencies) == 5000
    growth_mb = (rss_after - rss_before) / 2**20
    assert growth_mb < 50, f"memory grew by {growth_mb:.1f} MB"
    figures.record(
        "endpoint-load",
        (
            f"{len(result.latencies)} requests, 8 clients: {result.requests_per_second:.0f} requests/s, "
            f"p50 {result.percentile_ms(0.5):.2f} ms, p99 {result.percentile_ms(0.99):.2f} ms, "
            f"memory growth {growth_mb:.1f} MB"
        ),
    )
