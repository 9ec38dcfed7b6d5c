"""Start `kg serve` as a user would and talk HTTP to it: shared by the endpoint, store, query and CLI tests."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from support.project import PROJECT


def write_ntriples(folder: Path) -> Path:
    """The graph built from the curated data, as N-Triples (what kg serve loads)."""
    from kg.validate import checked_graph

    path = folder / "painkg.nt"
    checked_graph()[1].serialize(destination=path, format="nt", encoding="utf-8")
    return path


@contextlib.contextmanager
def running_server(ntriples: Path, *args: str):
    """`kg serve --port 0` on 127.0.0.1; yields the endpoint URL read from its first output line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", "0", "--graph", str(ntriples), *args],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://[\d.]+:\d+/sparql)", line)
        if not match:
            raise AssertionError(
                f"kg serve did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
            )
        process.endpoint_url = match.group(1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_query(endpoint: str, query: str, accept: str = "application/sparql-results+json"):
    return http(endpoint + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def post_form(endpoint: str, fields: dict, accept: str = "application/sparql-results+json"):
    return http(
        endpoint, urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    )
