"""Competency questions a pain pharmacologist asks, each answered through the public Python API and the CLI.

Expectations are written from the cited literature as curated in data/ (the TSV rows named in each test and their
references), never from the output of the code. Questions the graph cannot answer yet are strict xfails whose
reason names the missing evidence, so they turn into failures (to be un-marked) the day the evidence lands.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from support.project import curated_rows, run_kg


@pytest.fixture(scope="session")
def ntriples(graph, tmp_path_factory):
    """The snapshot graph as N-Triples, so the CLI answers from exactly the data the API sees."""
    path = tmp_path_factory.mktemp("competency") / "painkg.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def store(graph):
    import kg

    return kg.load(graph)


@pytest.fixture(scope="session")
def cli(ntriples):
    """`python -m kg query NAME --param k=v --format csv` on the same graph, as a DataFrame of strings
    (SPARQL text instead of a library name goes through `--sparql`)."""

    def ask(name: str, **params) -> pd.DataFrame:
        target = ["--sparql", name] if any(c.isspace() for c in name) else [name]
        args = ["query", *target, "--graph", str(ntriples), "--format", "csv"]
        for key, value in params.items():
            args += ["--param", f"{key}={value}"]
        result = run_kg(*args)
        assert result.returncode == 0, result.stderr
        return pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)

    return ask


@pytest.fixture(scope="session")
def assertions(snapshot) -> list[dict]:
    return curated_rows("assertions", snapshot)


@pytest.fixture(scope="session")
def entities(snapshot) -> dict[str, dict]:
    return {r["id"]: r for r in curated_rows("entities", snapshot)}


@pytest.fixture(scope="session")
def studies(snapshot) -> dict[str, dict]:
    return {r["id"]: r for r in curated_rows("studies", snapshot)}


@pytest.fixture(scope="session")
def pharmacokinetics(snapshot) -> list[dict]:
    return curated_rows("pharmacokinetics", snapshot)


@pytest.fixture(scope="session")
def claim(assertions):
    """The curated evidence rows of one claim (subject, predicate, object), by id."""

    def rows(subject: str, predicate: str, obj: str) -> dict[str, dict]:
        return {r["id"]: r for r in assertions if (r["subject"], r["predicate"], r["object"]) == (subject, predicate, obj)}

    return rows
