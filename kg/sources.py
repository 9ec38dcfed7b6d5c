"""Read and check the curated TSV files; every problem names file:line:field.

Reading is strict on purpose: a curator's typo must stop the build with a message that says
where to fix it, never become a silently wrong triple.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import curies

from kg.prefixes import curie_problem
from kg.problems import Problem, relative

NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?([eE]-?\d+)?$")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    kind: str = "text"  # text | list | curie | curies | int | number | year | choice | choices
    vocab: str = ""  # for choice/choices: the key of the allowed set in Vocab


@dataclass
class Row:
    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def list(self, name: str) -> list[str]:
        return [v for v in self.values[name].split("|") if v]

    def problem(self, column: str, message: str) -> Problem:
        return Problem(self.file, self.line, column, message)


@dataclass
class Vocab:
    """Allowed values for controlled columns, taken from the schema and vocabularies."""

    converter: curies.Converter
    sets: dict[str, frozenset[str]] = field(default_factory=dict)


def _t(name, required=False, kind="text", vocab=""):
    return Column(name, required, kind, vocab)


ENTITY_COLUMNS = (
    _t("id", True, "curie"), _t("category", True, "choice", "categories"), _t("label", True),
    _t("synonyms", kind="list"), _t("xrefs", kind="curies"), _t("description"),
    _t("systems", kind="choices", vocab="systems"), _t("identifier_source", True),
)
REFERENCE_COLUMNS = (
    _t("id", True, "curie"), _t("pmid", kind="int"), _t("doi"), _t("pmcid"), _t("first_author"),
    _t("year", kind="year"), _t("title", True), _t("journal"), _t("study_type"), _t("confirmed_at", True),
)
ASSERTION_COLUMNS = (
    _t("id", True), _t("subject", True, "curie"), _t("subject_label", True),
    _t("predicate", True, "choice", "predicates"), _t("object", True, "curie"), _t("object_label", True),
    _t("publications", True, "curies"), _t("studies", kind="curies"),
    _t("evidence_type", True, "choice", "evidence_types"), _t("species", True, "curie"), _t("model"),
    _t("support", True, "choice", "supports"), _t("direction", kind="choice", vocab="directions"),
    _t("measure", kind="choice", vocab="measures"), _t("value", kind="number"), _t("value_low", kind="number"),
    _t("value_high", kind="number"), _t("unit"), _t("stereoisomer"), _t("population"), _t("dose"), _t("route"),
    _t("grade", True, "choice", "grades"), _t("note"),
)
STUDY_COLUMNS = (
    _t("id", True, "curie"), _t("label", True), _t("design", True, "choice", "designs"),
    _t("publications", True, "curies"), _t("n", kind="int"), _t("population"), _t("intervention", kind="curie"),
    _t("route"), _t("dose"), _t("comparator"), _t("outcome_measure"), _t("follow_up"), _t("effect_measure"),
    _t("effect_value", kind="number"), _t("ci_low", kind="number"), _t("ci_high", kind="number"),
    _t("effect_unit"), _t("effect_direction", kind="choice", vocab="effect_directions"),
    _t("recommendation"), _t("recommendation_grade"), _t("note"),
)
EVIDENCE_TYPE_COLUMNS = (_t("id", True, "curie"), _t("label", True), _t("identifier_source", True))

FIXED_VOCABULARIES = {
    "directions": frozenset({"increased", "decreased", "no_change"}),
    "measures": frozenset({
        "Ki", "IC50", "EC50", "Kd", "Km", "Vmax", "half_life", "bioavailability", "dose", "plasma_concentration",
        "mean_difference", "standardized_mean_difference", "risk_ratio", "odds_ratio", "percent_change", "NNT",
        "incidence", "clearance", "other",
    }),
    "designs": frozenset({
        "meta-analysis", "systematic review", "randomised controlled trial", "crossover trial", "cohort",
        "case series", "case report", "guideline", "volunteer study", "narrative review",
    }),
    "effect_directions": frozenset({"favours_ketamine", "favours_control", "no_difference"}),
}


def _decode_lines(raw: bytes, name: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Split bytes into numbered text lines, tolerating a BOM and CRLF, reporting non-UTF-8 lines."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    lines, problems = [], []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(name, number, "", f"not valid UTF-8 (byte 0x{chunk[error.start]:02x} at column {error.start + 1})"))
            continue
        lines.append((number, text.removesuffix("\r")))
    while lines and lines[-1][1] == "":
        lines.pop()
    return lines, problems


def _check_header(name: str, header: list[str], columns: tuple[Column, ...]) -> list[Problem]:
    expected = [c.name for c in columns]
    if header == expected:
        return []
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    detail = "; ".join(part for part in (
        f"missing {', '.join(missing)}" if missing else "",
        f"unexpected {', '.join(extra)}" if extra else "",
        "columns out of order" if not missing and not extra else "",
    ) if part)
    return [Problem(name, 1, "header", f"expected columns {' '.join(expected)} ({detail})")]


def _check_value(row: Row, column: Column, vocab: Vocab) -> list[Problem]:
    value = row[column.name]
    if value != value.strip():
        return [row.problem(column.name, "leading or trailing whitespace")]
    if not value:
        return [row.problem(column.name, "required field is empty")] if column.required else []
    kind = column.kind
    if kind in ("list", "curies", "choices"):
        parts = value.split("|")
        if any(p != p.strip() or not p for p in parts):
            return [row.problem(column.name, f"empty or padded item in |-separated list {value!r}")]
        if len(parts) != len(set(parts)):
            return [row.problem(column.name, f"duplicate item in {value!r}")]
    if kind == "curie":
        message = curie_problem(value, vocab.converter)
        return [row.problem(column.name, message)] if message else []
    if kind == "curies":
        return [row.problem(column.name, m) for m in (curie_problem(p, vocab.converter) for p in value.split("|")) if m]
    if kind == "int" and not value.isdigit():
        return [row.problem(column.name, f"expected a whole number, found {value!r}")]
    if kind == "number" and not NUMBER_RE.match(value):
        return [row.problem(column.name, f"expected a number (decimal point, no units), found {value!r}")]
    if kind == "year" and not re.fullmatch(r"(19|20)\d\d", value):
        return [row.problem(column.name, f"expected a four-digit year, found {value!r}")]
    if kind in ("choice", "choices"):
        allowed = vocab.sets[column.vocab]
        bad = [p for p in (value.split("|") if kind == "choices" else [value]) if p not in allowed]
        if bad:
            return [row.problem(column.name, f"{bad[0]!r} is not one of: {', '.join(sorted(allowed))}")]
    return []


def read_table(path: Path, columns: tuple[Column, ...], vocab: Vocab, root: Path) -> tuple[list[Row], list[Problem]]:
    """Read one TSV file into checked rows; rows with any problem are dropped, problems returned."""
    name = relative(path, root)
    lines, problems = _decode_lines(path.read_bytes(), name)
    if not lines or (lines[0][0] != 1):
        return [], problems or [Problem(name, 1, "header", "file is empty (a header row is required)")]
    header = lines[0][1].split("\t")
    header_problems = _check_header(name, header, columns)
    if header_problems:
        return [], problems + header_problems
    rows = []
    for number, text in lines[1:]:
        if not text.strip():
            continue
        fields = text.split("\t")
        if len(fields) != len(columns):
            problems.append(Problem(name, number, "", f"expected {len(columns)} tab-separated fields, found {len(fields)}"))
            continue
        row = Row(name, number, dict(zip((c.name for c in columns), fields)))
        row_problems = [p for c in columns for p in _check_value(row, c, vocab)]
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row)
    return rows, problems


def read_folder(folder: Path, columns: tuple[Column, ...], vocab: Vocab, root: Path,
                required: bool = True) -> tuple[list[Row], list[Problem]]:
    """Read every *.tsv in a folder; ids must be unique across the folder."""
    rows, problems = [], []
    if not required and not any(folder.glob("*.tsv")):
        return [], []
    if not folder.is_dir() or not any(folder.glob("*.tsv")):
        return [], [Problem(relative(folder, root), 0, "", "no .tsv files found")]
    for path in sorted(folder.glob("*.tsv")):
        file_rows, file_problems = read_table(path, columns, vocab, root)
        rows.extend(file_rows)
        problems.extend(file_problems)
    first_seen: dict[str, Row] = {}
    for row in rows:
        earlier = first_seen.setdefault(row["id"], row)
        if earlier is not row:
            problems.append(row.problem("id", f"duplicate id {row['id']} (first defined at {earlier.file}:{earlier.line})"))
    return rows, problems
