"""Property-based fuzzing of the curated-source readers and of CURIE handling (hypothesis).

Whatever bytes a curator (or an editor, or a merge) puts into a source file, `kg validate` /
`load_curated` must either accept it and build, or refuse it with problems that name file, line
and field; never a traceback, and never a half-written build. The expectations are the rules of
data/README.md (tab-separated UTF-8, no control characters, CURIEs PREFIX:local, numbers with a
decimal point, required fields), not the reader's own output.

Example counts are bounded (fast suite); the number of cases tried is printed at the end of the
module and written to test-artefacts/fuzz-figures.txt.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.errors import SourceError
from kg.export.kgx import write_kgx
from kg.model.rdf import build_graph
from kg.sources.curated import load_curated
from kg.sources.tables import (
    ASSERTION_COLUMNS,
    ENTITY_COLUMNS,
    EVIDENCE_TYPE_COLUMNS,
    HOST_COLUMNS,
    REFERENCE_COLUMNS,
    STUDY_COLUMNS,
    Vocab,
    read_table,
)
from kg.vocab import curie_problem, load_converter
from plugin_figures import register as register_figures
from support.project import DATA, run_kg

FIGURES: Counter = Counter()
# CI runs the same examples every time (a landing is never blocked by chance); a developer's run explores new ones.
FAST = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
SLOW = settings(FAST, max_examples=5)  # each example runs the CLI in a subprocess

TABLES = {  # files under data/ -> their columns
    "entities/*.tsv": ENTITY_COLUMNS,
    "references/*.tsv": REFERENCE_COLUMNS,
    "studies/*.tsv": STUDY_COLUMNS,
    "assertions/*.tsv": ASSERTION_COLUMNS,
    "vocabularies/evidence_types.tsv": EVIDENCE_TYPE_COLUMNS,
    "vocabularies/non_confirming_hosts.tsv": HOST_COLUMNS,
}
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # README: no control characters in a field
IRI_BREAKERS = set(' <>"{}\\^`')
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
PROBLEM_LINE = re.compile(r"^data/[^:]+\.(tsv|ttl)(:\d+)?: ")

NASTY_CHARS = list("\t\r\x00\x0b\x1f\x7f\x85\u2028\ufeff \u00a0|:;\"'<>\\^`{}é中٣²") + ["PMID:", "CHEBI:", "-", ".", "0", "9"]
NASTY_VALUES = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(NASTY_CHARS), max_size=12).map("".join),
    st.from_regex(r"[A-Za-z][A-Za-z.]{0,8}:[^\n]{0,16}", fullmatch=True),
    st.from_regex(r"-?[0-9٣²]{1,6}([.,][0-9]{0,3})?([eE]-?[0-9]{1,2})?( ?nM)?", fullmatch=True),
    st.sampled_from(
        [
            "",
            " ",
            "CHEBI:",
            ":1",
            "CHEBI::1",
            "CHEBI: 1",
            "PMID:1|PMID:1",
            "a||b",
            "1e5",
            "NaN",
            "9" * 5000,
            "x" * 100_000,
            "PMID:37622028|",
            "biolink:Drug",
            "supports ",
            "A\r",
        ]
    ),
    st.builds(lambda piece, n: piece * n, st.text(min_size=1, max_size=3), st.integers(1000, 20_000)),
).map(lambda v: v.replace("\n", ""))


def count(name: str) -> None:
    FIGURES[name] += 1


# ------------------------------------------------------------------ a private, restorable copy of data/
@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, root)
    load_curated(root)  # the copy is valid before it is broken
    return root


_VALID: dict[Path, object] = {}


def valid_bundle(root: Path):
    """The unbroken copy, loaded once."""
    if root not in _VALID:
        _VALID[root] = load_curated(root)
    return _VALID[root]


def source_files(root: Path) -> list[tuple[Path, tuple]]:
    return [(path, columns) for pattern, columns in TABLES.items() for path in sorted(root.glob(pattern))]


@contextmanager
def replaced(path: Path, content: bytes):
    """Write `content` into `path` for the duration, then put the original bytes back."""
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        yield
    finally:
        path.write_bytes(original)


def loaded_or_problems(root: Path):
    """load_curated's two allowed outcomes: a Curated bundle, or a SourceError's problems. Anything else fails."""
    try:
        return load_curated(root), []
    except SourceError as error:
        assert error.problems, "SourceError without problems"
        return None, error.problems


def assert_well_formed(problems, root: Path) -> None:
    for problem in problems:
        text = str(problem)
        assert PROBLEM_LINE.match(text), text[:200]
        assert "\n" not in text and "Traceback" not in text
        assert problem.line >= 0 and problem.message


def assert_builds(curated, tmp: Path) -> None:
    """Accepted data must also build: graph, N-Triples and KGX without an exception."""
    graph = build_graph(curated)
    Graph().parse(data=graph.serialize(format="nt"), format="nt")
    write_kgx(graph, tmp)


def data_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig").split("\n")


# ------------------------------------------------------------------ properties
@st.composite
def field_mutations(draw, root: Path):
    """(file, columns, line number as an editor shows it, column, new value)."""
    path, columns = draw(st.sampled_from([f for f in source_files(root) if len(data_lines(f[0])) > 2]))
    lines = data_lines(path)
    line = draw(st.integers(2, len([text for text in lines if text.strip()])))
    column = draw(st.sampled_from(columns))
    return path, columns, line, column, draw(NASTY_VALUES)


def local_rule_broken(column, value: str, last: bool) -> str | None:
    """Which data/README.md rule `value` breaks on its own (None when it may be fine in context)."""
    if last:
        value = value.removesuffix("\r")  # CRLF line endings are allowed, so a final CR is a line ending
    if "\t" in value:
        return "tab"
    if CONTROL.search(value):
        return "control character"
    if value != value.strip():
        return "whitespace"
    if column.required and not value:
        return "required field is empty"
    if column.kind in ("curie", "curies", "doi") and value and any(c in IRI_BREAKERS for c in value):
        return "not a CURIE"
    if column.kind == "number" and value and not NUMBER.fullmatch(value):
        return "not a number"
    if column.kind == "assertion_id" and value and not re.fullmatch(r"A-[A-Za-z0-9-]+-[0-9]{4}", value):
        return "not an assertion id A-<area>-<nnnn>"
    return None


@settings(FAST, max_examples=25)
@given(data=st.data())
def test_mutated_field_is_accepted_and_builds_or_is_named(workspace, tmp_path_factory, data):
    path, columns, line, column, value = data.draw(field_mutations(workspace))
    count("one field replaced by a random/malformed value")
    lines = data_lines(path)
    fields = lines[line - 1].split("\t")
    fields[[c.name for c in columns].index(column.name)] = value
    lines[line - 1] = "\t".join(fields)
    with replaced(path, "\n".join(lines).encode("utf-8")):
        curated, problems = loaded_or_problems(workspace)
    assert_well_formed(problems, workspace)
    broken = local_rule_broken(column, value, last=column == columns[-1])
    name = f"data/{path.relative_to(workspace)}"
    if broken == "tab":
        assert any(p.file == name and p.line == line and "tab-separated fields" in p.message for p in problems), broken
    elif broken:
        assert any(p.file == name and p.line == line and p.field == column.name for p in problems), (broken, problems[:3])
    if curated is not None:
        assert_builds(curated, tmp_path_factory.mktemp("accepted"))


@FAST
@given(
    raw=st.one_of(
        st.binary(max_size=3000),
        st.lists(st.lists(NASTY_VALUES, max_size=30).map("\t".join), max_size=8).map(
            lambda rows: "\n".join(rows).encode("utf-8", "surrogatepass")
        ),
    ),
    folder=st.sampled_from(sorted(TABLES)),
    with_header=st.booleans(),
)
def test_any_bytes_in_any_table_give_named_problems(workspace, raw, folder, with_header):
    count("whole file of random bytes / random rows")
    columns = TABLES[folder]
    if with_header:
        raw = "\t".join(c.name for c in columns).encode() + b"\n" + raw
    converter = load_converter(workspace / "schema" / "prefixes.tsv")
    path = workspace.parent / "scratch" / folder.replace("*", "any").replace("/", "-")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    vocab = Vocab(converter, {c.vocab: frozenset() for c in columns if c.vocab})
    rows, problems = read_table(path, columns, vocab, workspace)
    for problem in problems:
        assert problem.file == f"scratch/{path.name}" and problem.message
        assert problem.field in {"", "header"} | {c.name for c in columns}
    for row in rows:  # what is accepted obeys the README rules
        assert len(row.values) == len(columns)
        for column in columns:
            assert local_rule_broken(column, row[column.name], last=False) is None, (column.name, row[column.name][:50])


@FAST
@given(
    bom=st.booleans(), crlf=st.booleans(), blank_tail=st.integers(0, 3), final_newline=st.booleans(), pick=st.integers(0, 10_000)
)
def test_bom_crlf_and_trailing_blank_lines_change_nothing(workspace, bom, crlf, blank_tail, final_newline, pick):
    count("BOM / CRLF / blank-line variants of a valid file")
    files = source_files(workspace)
    path, _ = files[pick % len(files)]
    before = valid_bundle(workspace)
    text = path.read_bytes().decode("utf-8").rstrip("\n")
    text += "\n" * blank_tail if blank_tail else ("\n" if final_newline else "")
    raw = text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8")
    with replaced(path, (b"\xef\xbb\xbf" if bom else b"") + raw):
        after = load_curated(workspace)
    assert [r.values for r in after.assertions] == [r.values for r in before.assertions]
    assert {k: r.values for k, r in after.entities.items()} == {k: r.values for k, r in before.entities.items()}
    assert {k: r.values for k, r in after.references.items()} == {k: r.values for k, r in before.references.items()}


@FAST
@given(pick=st.integers(0, 10_000), line_pick=st.integers(0, 10_000), byte=st.sampled_from([0x80, 0xC3, 0xE9, 0xFF, 0xFE]))
def test_non_utf8_byte_names_its_line(workspace, pick, line_pick, byte):
    count("non-UTF-8 byte in a random line")
    path, _ = source_files(workspace)[pick % len(source_files(workspace))]
    lines = path.read_bytes().split(b"\n")
    real = [i for i, text in enumerate(lines) if text.strip()]
    index = real[line_pick % len(real)]
    lines[index] = lines[index][:5] + bytes([byte]) + lines[index][5:]
    with replaced(path, b"\n".join(lines)):
        _, problems = loaded_or_problems(workspace)
    name = f"data/{path.relative_to(workspace)}"
    assert any(p.file == name and p.line == index + 1 and "not valid UTF-8" in p.message for p in problems)


@FAST
@given(pick=st.integers(0, 10_000), line_pick=st.integers(0, 10_000), delta=st.sampled_from([-3, -1, 1, 2]))
def test_wrong_column_count_names_its_line(workspace, pick, line_pick, delta):
    count("wrong number of fields in a random line")
    path, columns = source_files(workspace)[pick % len(source_files(workspace))]
    lines = data_lines(path)
    real = [i for i, text in enumerate(lines) if text.strip() and i > 0]
    index = real[line_pick % len(real)]
    fields = lines[index].split("\t")
    delta = max(delta, 1 - len(columns))  # dropping every field would leave a blank line, which is allowed
    lines[index] = "\t".join(fields[:delta] if delta < 0 else fields + ["extra"] * delta)
    with replaced(path, "\n".join(lines).encode("utf-8")):
        _, problems = loaded_or_problems(workspace)
    name = f"data/{path.relative_to(workspace)}"
    expected = f"expected {len(columns)} tab-separated fields, found {len(columns) + delta}"
    assert any(p.file == name and p.line == index + 1 and p.message == expected for p in problems)


@FAST
@given(pick=st.integers(0, 10_000), line_pick=st.integers(0, 10_000))
def test_duplicated_row_names_both_lines(workspace, pick, line_pick):
    count("duplicate id (a row copied to the end of its file)")
    keyed = [path for path, _ in source_files(workspace) if data_lines(path)[0].startswith("id\t")]  # tables keyed by id
    path = keyed[pick % len(keyed)]
    lines = [text for text in data_lines(path) if text.strip()]
    index = 1 + line_pick % (len(lines) - 1)
    row_id = lines[index].split("\t")[0]
    with replaced(path, ("\n".join(lines + [lines[index]]) + "\n").encode("utf-8")):
        _, problems = loaded_or_problems(workspace)
    name = f"data/{path.relative_to(workspace)}"
    expected = f"duplicate id {row_id} (first defined at {name}:{index + 1})"
    assert any(p.file == name and p.line == len(lines) + 1 and p.field == "id" and p.message == expected for p in problems)


@FAST
@given(value=st.one_of(st.text(max_size=40), st.from_regex(r"[A-Za-z][A-Za-z0-9._]{0,10}:[^\n]{0,20}", fullmatch=True)))
def test_every_accepted_curie_expands_to_an_iri_rdf_writers_accept(workspace, value):
    count("random CURIE strings")
    converter = load_converter(workspace / "schema" / "prefixes.tsv")
    message = curie_problem(value, converter)
    if message is not None:
        assert message.startswith(("malformed CURIE", "unknown prefix"))
        return
    iri = converter.expand(value, strict=True)
    graph = Graph()
    graph.add((URIRef(iri), URIRef("https://w3id.org/painkg/p"), Literal("x")))
    for fmt in ("nt", "turtle"):
        assert set(Graph().parse(data=graph.serialize(format=fmt), format=fmt)) == set(graph), fmt


@FAST
@given(local=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/()\-]{0,20}", fullmatch=True), pick=st.integers(0, 1000))
def test_known_prefix_with_plain_local_id_is_accepted(workspace, local, pick):
    count("well-formed CURIEs with known prefixes")
    converter = load_converter(workspace / "schema" / "prefixes.tsv")
    prefixes = sorted(converter.prefix_map)
    prefix = prefixes[pick % len(prefixes)]
    assert curie_problem(f"{prefix}:{local}", converter) is None
    unknown = "ZZ" + prefix.replace(".", "")
    assert unknown not in converter.prefix_map
    assert "unknown prefix" in curie_problem(f"{unknown}:{local}", converter)


# ------------------------------------------------------------------ through the CLI: exit 2 and the last good build intact
def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def good_build(workspace, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "out"
    result = run_kg("build", "--data", str(workspace), "--out", str(out), "--no-views")
    assert result.returncode == 0, result.stderr
    return out


BREAKERS = {
    "control character": lambda line: line[:3] + "\x01" + line[3:],
    "tab": lambda line: line + "\tsurplus",
    "non-UTF-8": lambda line: line,  # replaced by a raw byte below
    "padded id": lambda line: " " + line,
}


@SLOW
@given(pick=st.integers(0, 10_000), line_pick=st.integers(0, 10_000), breaker=st.sampled_from(sorted(BREAKERS)))
def test_cli_refuses_broken_sources_with_exit_2_and_keeps_the_last_build(workspace, good_build, pick, line_pick, breaker):
    count("CLI kg build on broken sources")
    before = snapshot(good_build)
    path, _ = source_files(workspace)[pick % len(source_files(workspace))]
    lines = data_lines(path)
    real = [i for i, text in enumerate(lines) if text.strip() and i > 0]
    index = real[line_pick % len(real)]
    lines[index] = BREAKERS[breaker](lines[index])
    raw = "\n".join(lines).encode("utf-8")
    if breaker == "non-UTF-8":
        parts = raw.split(b"\n")
        parts[index] = b"\xff" + parts[index]
        raw = b"\n".join(parts)
    with replaced(path, raw):
        result = run_kg("build", "--data", str(workspace), "--out", str(good_build), "--no-views")
    assert result.returncode == 2, (breaker, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    *problem_lines, summary = result.stderr.strip().splitlines()
    assert summary.startswith("kg: error: ") and "nothing was written" in summary
    name = f"data/{path.relative_to(workspace)}:{index + 1}: "
    assert any(text.startswith(name) for text in problem_lines), (name, problem_lines[:3])
    assert all(PROBLEM_LINE.match(text) for text in problem_lines), problem_lines[:3]
    assert snapshot(good_build) == before
    assert not list(good_build.parent.glob(f".{good_build.name}.partial-*"))


# ------------------------------------------------------------------ issue 2's bad-input list, in every table
def first_data_line(root: Path, folder: str) -> tuple[Path, int, list[str], list[str]]:
    path = sorted((root / folder).glob("*.tsv"))[0]
    lines = data_lines(path)
    return path, 2, lines[0].split("\t"), lines


BAD_INPUTS = [
    # (folder, column, bad value, words the message must contain)
    ("entities", "id", "CHEBI 6121", "malformed CURIE"),
    ("entities", "id", "NOPE:1", "unknown prefix"),
    ("entities", "category", "biolink:Drugz", "is not one of"),
    ("entities", "label", "", "required field is empty"),
    ("entities", "description", "two\x0blines", "control character U+000B"),
    ("entities", "synonyms", "ketamine||Ketalar", "empty or padded item"),
    ("entities", "label", " ketamine", "leading or trailing whitespace"),
    ("references", "id", "PUBMED:1", "unknown prefix"),
    ("references", "pmid", "PMID:1", "expected a whole number"),
    ("references", "pmid", "9" * 5000, "expected a whole number"),
    ("references", "year", "٢٠٢٣", "four-digit year"),
    ("references", "title", "", "required field is empty"),
    ("references", "doi", "10.1155/2023 1234567", "expected a DOI"),
    ("references", "doi", "https://doi.org/10.1155/2023/1234567", "expected a DOI"),
    ("references", "pmcid", "10447145", "expected a PMC id"),
    ("studies", "publications", "PMID:1", "not in references"),
    ("studies", "design", "anecdote", "is not one of"),
    ("studies", "intervention", "CHEBI:1", "not defined in entities"),
    ("studies", "effect_value", "1e-3", "expected a number"),
    ("studies", "n", "²", "expected a whole number"),
    ("assertions", "predicate", "cures", "is not one of"),
    ("assertions", "publications", "PMID:1", "not in references"),
    ("assertions", "publications", "PMID:37622028|PMID:37622028", "duplicate item"),
    ("assertions", "studies", "PAINKG:study-nobody1999", "not in studies"),
    ("assertions", "subject", "CHEBI:<6121>", "malformed CURIE"),
    ("assertions", "evidence_type", "ECO:9999999", "is not one of"),
    ("assertions", "value", "0.5 µM", "expected a number"),
    ("assertions", "id", 'A-nmda-"1"', "expected an assertion id"),
    ("vocabularies", "id", "ECO_0000033", "malformed CURIE"),
    ("vocabularies", "identifier_source", "", "required field is empty"),
]


@pytest.mark.parametrize("folder,column,value,words", BAD_INPUTS, ids=[f"{b[0]}:{b[1]}:{b[3]}" for b in BAD_INPUTS])
def test_bad_input_is_named_by_file_line_and_field(workspace, folder, column, value, words):
    count("listed bad inputs (issue 2)")
    path, line, header, lines = first_data_line(workspace, folder)
    fields = lines[line - 1].split("\t")
    fields[header.index(column)] = value
    lines[line - 1] = "\t".join(fields)
    with replaced(path, "\n".join(lines).encode("utf-8")):
        _, problems = loaded_or_problems(workspace)
    name = f"data/{path.relative_to(workspace)}"
    hits = [p for p in problems if p.file == name and p.line == line and p.field == column]
    assert hits and words in hits[0].message, [str(p) for p in problems][:3]
    assert len(str(hits[0])) < 600  # a very long bad value is shortened, not echoed whole


@pytest.mark.parametrize("pattern", sorted(TABLES))
def test_empty_file_in_any_table(workspace, pattern):
    count("empty file")
    path = sorted(workspace.glob(pattern))[0]
    with replaced(path, b""):
        _, problems = loaded_or_problems(workspace)
    assert f"data/{path.relative_to(workspace)}:1: header: file is empty (a header row is required)" in map(str, problems)


@pytest.mark.parametrize(
    "target,content,words",
    [
        ("schema/painkg.ttl", b"@prefix broken", "data/schema/painkg.ttl:1: Turtle syntax error"),
        ("schema/prefixes.tsv", b"prefix\turi\n", "data/schema/prefixes.tsv:1: header: expected columns prefix uri_prefix"),
        ("schema/prefixes.tsv", None, "data/schema/prefixes.tsv: file is missing"),
        ("vocabularies/evidence_types.tsv", None, "data/vocabularies/evidence_types.tsv: file is missing"),
    ],
)
def test_broken_or_missing_schema_files_are_one_line_problems(data_copy, target, content, words):
    # a fresh copy: kg.sources.schema.load_schema caches by path, so the shared workspace would hide the edit
    count("broken or missing schema/vocabulary file")
    path = data_copy / target
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content)
    _, problems = loaded_or_problems(data_copy)
    assert any(str(p).startswith(words) for p in problems), [str(p) for p in problems][:3]


def test_cli_on_a_folder_that_is_not_a_data_folder(tmp_path):
    result = run_kg("validate", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "schema/painkg.ttl: file is missing" in result.stderr


# ------------------------------------------------------------------ figures
@pytest.fixture(scope="module", autouse=True)
def fuzz_figures(request):
    """After the module: how many cases each property tried, on the terminal and in test-artefacts/."""
    yield
    total = sum(FIGURES.values())
    detail = ", ".join(f"{n} {name}" for name, n in sorted(FIGURES.items()))
    register_figures(request.config).record("fuzz-figures", f"{total} cases tried: {detail}")
