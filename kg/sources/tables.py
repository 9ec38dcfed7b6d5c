"""Read and check the curated TSV files; every problem names file:line:field.

Reading is strict on purpose: a curator's typo must stop the build with a message that says
where to fix it, never become a silently wrong triple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import curies

from kg.errors import Problem, relative
from kg.vocab import curie_problem

# ASCII digits only (\d would accept Arabic-Indic or superscript digits that xsd:decimal and int() refuse);
# no exponent: the value becomes an xsd:decimal literal, whose lexical form has none.
NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
WHOLE_RE = re.compile(r"^[0-9]{1,12}$")  # PMIDs, participant counts; int() refuses > 4300 digits
YEAR_RE = re.compile(r"^(19|20)[0-9]{2}$")
DOI_RE = re.compile(r"^10\.[0-9]{4,9}/[^\s<>\"{}|\\^`]+$")  # becomes an IRI (DOI: prefix): nothing an IRI cannot hold
PMCID_RE = re.compile(r"^PMC[0-9]{1,12}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # ends an IRI and a file name: lower-case words joined by hyphens
# Record ids end an IRI (painkg:assertion/A-nmda-0003, painkg:pk/PK-ket-0001): <letter>-<area>-<nnnn>.
RECORD_IDS = {  # kind -> (what it is, leading letters, example)
    "assertion_id": ("an assertion id", "A", "A-nmda-0003"),
    "pk_id": ("a pharmacokinetic record id", "PK", "PK-ket-0001"),
    "dosing_id": ("a dosing record id", "D", "D-ket-0001"),
}
RECORD_ID_RES = {
    kind: re.compile(rf"^{lead}-[A-Za-z0-9]+(-[A-Za-z0-9]+)*-[0-9]{{4}}$") for kind, (_, lead, _) in RECORD_IDS.items()
}
# C0/C1 control characters and Unicode line/paragraph separators: invisible in an editor, and a stray CR, NUL
# or NEL would split or corrupt a line of the KGX TSV or the RDF outputs for whoever reads them.
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    kind: str = "text"  # text | list | curie | curies | int | number | year | doi | pmcid | choice | choices | slug
    #                    | assertion_id | pk_id | dosing_id (RECORD_IDS)
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
    _t("id", True, "curie"),
    _t("category", True, "choice", "categories"),
    _t("label", True),
    _t("display_label"),
    _t("synonyms", kind="list"),
    _t("xrefs", kind="curies"),
    _t("description"),
    _t("molecular_weight", kind="number"),
    _t("systems", kind="choices", vocab="systems"),
    _t("focus", kind="choice", vocab="flags"),
    _t("identifier_source", True),
)
REFERENCE_COLUMNS = (
    _t("id", True, "curie"),
    _t("pmid", kind="int"),
    _t("doi", kind="doi"),
    _t("pmcid", kind="pmcid"),
    _t("first_author"),
    _t("year", kind="year"),
    _t("title", True),
    _t("journal"),
    _t("study_type"),
    _t("confirmed_at", True),
)
ASSERTION_COLUMNS = (
    _t("id", True, "assertion_id"),
    _t("subject", True, "curie"),
    _t("subject_label", True),
    _t("predicate", True, "choice", "predicates"),
    _t("object", True, "curie"),
    _t("object_label", True),
    _t("publications", True, "curies"),
    _t("studies", kind="curies"),
    _t("evidence_type", True, "choice", "evidence_types"),
    _t("species", kind="curie"),
    _t("expression_system"),
    _t("model"),
    _t("support", True, "choice", "supports"),
    _t("direction", kind="choice", vocab="directions"),
    _t("measure", kind="choice", vocab="measures"),
    _t("value", kind="number"),
    _t("value_low", kind="number"),
    _t("value_high", kind="number"),
    _t("unit"),
    _t("stereoisomer"),
    _t("population"),
    _t("dose"),
    _t("route"),
    _t("grade", True, "choice", "grades"),
    _t("note"),
    _t("verified_at"),
    _t("verified_on"),
)
STUDY_COLUMNS = (
    _t("id", True, "curie"),
    _t("label", True),
    _t("design", True, "choice", "designs"),
    _t("publications", True, "curies"),
    _t("n", kind="int"),
    _t("population"),
    _t("intervention", kind="curie"),
    _t("route"),
    _t("dose"),
    _t("comparator"),
    _t("outcome_measure"),
    _t("follow_up"),
    _t("effect_measure"),
    _t("effect_value", kind="number"),
    _t("ci_low", kind="number"),
    _t("ci_high", kind="number"),
    _t("effect_unit"),
    _t("effect_direction", kind="choice", vocab="effect_directions"),
    _t("recommendation"),
    _t("recommendation_grade"),
    _t("note"),
    _t("verified_at"),
    _t("verified_on"),
)
PK_COLUMNS = (
    _t("id", True, "pk_id"),
    _t("substance", True, "curie"),
    _t("substance_label", True),
    _t("parameter", True, "choice", "pk_parameters"),
    _t("value", kind="number"),
    _t("value_low", kind="number"),
    _t("value_high", kind="number"),
    _t("unit"),
    _t("route", True),
    _t("dose"),
    _t("regimen"),
    _t("population"),
    _t("n", kind="int"),
    _t("species", kind="curie"),
    _t("publications", True, "curies"),
    _t("verified_at"),
    _t("verified_on"),
    _t("note"),
)
DOSING_COLUMNS = (
    _t("id", True, "dosing_id"),
    _t("drug", True, "curie"),
    _t("drug_label", True),
    _t("indication", True, "curie"),
    _t("indication_label", True),
    _t("route", True),
    _t("dose_low", kind="number"),
    _t("dose_high", kind="number"),
    _t("unit"),
    _t("regimen"),
    _t("population"),
    _t("recommendation"),
    _t("grade", True, "choice", "grades"),
    _t("publications", True, "curies"),
    _t("verified_at"),
    _t("verified_on"),
    _t("note"),
)
COMPARISON_COLUMNS = (
    _t("id", True, "slug"),
    _t("label", True),
    _t("drugs", True, "curies"),
    _t("description"),
)
EVIDENCE_TYPE_COLUMNS = (
    _t("id", True, "curie"),
    _t("label", True),
    _t("kind", True, "choice", "evidence_kinds"),
    _t("identifier_source", True),
)
HOST_COLUMNS = (_t("host", True), _t("why", True))

FIXED_VOCABULARIES = {
    "directions": frozenset({"increased", "decreased", "no_change"}),
    "measures": frozenset(
        {
            "Ki",
            "IC50",
            "EC50",
            "Kd",
            "Km",
            "Vmax",
            "half_life",
            "bioavailability",
            "dose",
            "plasma_concentration",
            "mean_difference",
            "standardized_mean_difference",
            "risk_ratio",
            "odds_ratio",
            "percent_change",
            "NNT",
            "incidence",
            "clearance",
            "other",
        }
    ),
    "designs": frozenset(
        {
            "meta-analysis",
            "systematic review",
            "randomised controlled trial",
            "crossover trial",
            "cohort",
            "case series",
            "case report",
            "guideline",
            "volunteer study",
            "narrative review",
        }
    ),
    "effect_directions": frozenset({"favours_intervention", "favours_control", "no_difference"}),
    "flags": frozenset({"yes"}),
    "evidence_kinds": frozenset({"review", "preclinical", "clinical"}),
}


def _decode_lines(raw: bytes, name: str) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Split bytes into numbered text lines, tolerating a BOM and CRLF, reporting non-UTF-8 lines."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    lines, problems = [], []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(name, number, "", f"not valid UTF-8 (byte 0x{chunk[error.start]:02x} at column {error.start + 1})")
            )
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
    extra = [repr(c) if not c or c != c.strip() else c for c in header if c not in expected]
    detail = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
            "columns out of order" if not missing and not extra else "",
        )
        if part
    )
    return [Problem(name, 1, "header", f"expected columns {' '.join(expected)} ({detail})")]


def _check_value(row: Row, column: Column, vocab: Vocab) -> list[Problem]:
    value = row[column.name]
    control = CONTROL_RE.search(value)
    if control:
        return [
            row.problem(column.name, f"contains control character U+{ord(control.group()):04X} at position {control.start() + 1}")
        ]
    if value != value.strip():
        return [row.problem(column.name, "leading or trailing whitespace")]
    if not value:
        return [row.problem(column.name, "required field is empty")] if column.required else []
    kind = column.kind
    if kind in ("list", "curies", "choices"):
        parts = value.split("|")
        if any(p != p.strip() or not p for p in parts):
            return [row.problem(column.name, f"empty or padded item in |-separated list {_short(value)!r}")]
        if len(parts) != len(set(parts)):
            return [row.problem(column.name, f"duplicate item in {_short(value)!r}")]
    if kind == "curie":
        message = curie_problem(value, vocab.converter)
        return [row.problem(column.name, message)] if message else []
    if kind == "curies":
        return [row.problem(column.name, m) for m in (curie_problem(p, vocab.converter) for p in value.split("|")) if m]
    if kind == "int" and not WHOLE_RE.match(value):
        return [row.problem(column.name, f"expected a whole number (digits 0-9, at most 12), found {_short(value)!r}")]
    if kind == "number" and not NUMBER_RE.match(value):
        return [row.problem(column.name, f"expected a number (decimal point, no units or exponent), found {_short(value)!r}")]
    if kind == "year" and not YEAR_RE.match(value):
        return [row.problem(column.name, f"expected a four-digit year, found {_short(value)!r}")]
    if kind == "doi" and not DOI_RE.match(value):
        return [
            row.problem(
                column.name, f"expected a DOI such as 10.1155/2023/1234567 (no prefix, spaces or quotes), found {_short(value)!r}"
            )
        ]
    if kind in RECORD_IDS and not RECORD_ID_RES[kind].match(value):
        what, lead, example = RECORD_IDS[kind]
        return [row.problem(column.name, f"expected {what} {lead}-<area>-<nnnn> such as {example}, found {_short(value)!r}")]
    if kind == "pmcid" and not PMCID_RE.match(value):
        return [row.problem(column.name, f"expected a PMC id such as PMC10447145, found {_short(value)!r}")]
    if kind == "slug" and not SLUG_RE.match(value):
        return [
            row.problem(
                column.name, f"expected lower-case words joined by hyphens such as nmda-antagonists, found {_short(value)!r}"
            )
        ]
    if kind in ("choice", "choices"):
        allowed = vocab.sets[column.vocab]
        bad = [p for p in (value.split("|") if kind == "choices" else [value]) if p not in allowed]
        if bad:
            choices = ", ".join(sorted(allowed)) or "(none: the list of allowed values could not be read)"
            return [row.problem(column.name, f"{_short(bad[0])!r} is not one of: {choices}")]
    return []


def _short(value: str, limit: int = 80) -> str:
    """Quote at most `limit` characters of a bad value, so one very long field cannot flood the report."""
    return value if len(value) <= limit else value[:limit] + "..."


def read_table(path: Path, columns: tuple[Column, ...], vocab: Vocab, root: Path) -> tuple[list[Row], list[Problem]]:
    """Read one TSV file into checked rows; rows with any problem are dropped, problems returned."""
    name = relative(path, root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], [Problem(name, 0, "", "file is missing")]
    except OSError as error:
        return [], [Problem(name, 0, "", f"cannot be read ({error.strerror or error})")]
    lines, problems = _decode_lines(raw, name)
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
        row = Row(name, number, dict(zip((c.name for c in columns), fields, strict=True)))
        row_problems = [p for c in columns for p in _check_value(row, c, vocab)]
        problems.extend(row_problems)
        if not row_problems:
            rows.append(row)
    return rows, problems


def read_folder(
    folder: Path, columns: tuple[Column, ...], vocab: Vocab, root: Path, required: bool = True
) -> tuple[list[Row], list[Problem]]:
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
    return rows, problems + duplicate_ids(rows)


def duplicate_ids(rows: list[Row]) -> list[Problem]:
    """Ids are unique across a folder (or a single vocabulary file); each repeat names the first definition."""
    problems, first_seen = [], {}
    for row in rows:
        earlier = first_seen.setdefault(row["id"], row)
        if earlier is not row:
            problems.append(row.problem("id", f"duplicate id {row['id']} (first defined at {earlier.file}:{earlier.line})"))
    return problems
