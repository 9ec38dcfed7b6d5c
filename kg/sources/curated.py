"""Load every curated source into one checked bundle, or raise SourceError listing all problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import curies
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg.config import data_dir
from kg.errors import Problem, SourceError, relative
from kg.sources import checks
from kg.sources.rules import check_dosing_record_rules, check_evidence_rules, check_pk_record_rules
from kg.sources.schema import Schema, load_schema
from kg.sources.tables import (
    ASSERTION_COLUMNS,
    COMPARISON_COLUMNS,
    DOSING_COLUMNS,
    ENTITY_COLUMNS,
    EVIDENCE_TYPE_COLUMNS,
    FIXED_VOCABULARIES,
    HOST_COLUMNS,
    PK_COLUMNS,
    REFERENCE_COLUMNS,
    STUDY_COLUMNS,
    Row,
    Vocab,
    duplicate_ids,
    read_folder,
    read_table,
)
from kg.vocab import PrefixMapError, load_converter

REQUIRED_FOLDERS = frozenset({"entities", "references", "assertions"})  # the others may be absent or empty


@dataclass
class Curated:
    root: Path
    schema: Schema
    converter: curies.Converter
    entities: dict[str, Row]
    references: dict[str, Row]
    studies: dict[str, Row]
    evidence_types: dict[str, Row]
    assertions: list[Row]
    pharmacokinetics: list[Row] = field(default_factory=list)
    dosing: list[Row] = field(default_factory=list)
    comparisons: list[Row] = field(default_factory=list)


def _vocab(schema: Schema, converter: curies.Converter, evidence_types: list[Row]) -> Vocab:
    sets = dict(FIXED_VOCABULARIES)
    sets.update(
        systems=schema.systems,
        grades=schema.grades,
        supports=schema.supports,
        predicates=frozenset(schema.predicates),
        categories=schema.categories,
        evidence_types=frozenset(r["id"] for r in evidence_types),
        pk_parameters=schema.pk_parameters,
    )
    return Vocab(converter, sets)


def _schema_files(root: Path) -> tuple[Schema, curies.Converter]:
    """The ontology and the prefix map; a missing or unreadable one is a curator's problem, not a crash."""
    problems, loaded = [], []
    for path, load in ((root / "schema" / "painkg.ttl", load_schema), (root / "schema" / "prefixes.tsv", load_converter)):
        name = relative(path, root)
        if not path.is_file():
            hint = "" if root.is_dir() else f" ({root} is not a folder: --data must name the curated sources folder)"
            problems.append(Problem(name, 0, "", f"file is missing{hint}"))
            continue
        try:
            loaded.append(load(path))
        except PrefixMapError as error:
            problems.append(Problem(name, error.line, error.field, error.message))
        except BadSyntax as error:
            problems.append(
                Problem(
                    name,
                    error.lines + 1,
                    "",
                    f"Turtle syntax error: {getattr(error, '_why', None) or str(error).strip().splitlines()[0]}",
                )
            )
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, TypeError) as error:
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            problems.append(Problem(name, 0, "", f"cannot be loaded: {first_line}"))
    if problems:
        raise SourceError(problems)
    return loaded[0], loaded[1]


def designs_of(row: Row, references: dict[str, Row], studies: dict[str, Row]) -> list[str]:
    """The study types of the cited references and the designs of the linked studies: what the grade ceiling reads."""
    found = [references[p]["study_type"] for p in row.list("publications") if p in references]
    found += [studies[s]["design"] for s in row.list("studies") if s in studies]
    return [d for d in found if d]


def duplicate_ids_by(rows: list[Row], column: str) -> list[Problem]:
    seen: dict[str, Row] = {}
    return [
        row.problem(column, f"{row[column]} listed twice (first at {seen[row[column]].file}:{seen[row[column]].line})")
        for row in rows
        if seen.setdefault(row[column], row) is not row
    ]


def load_curated(root: Path | None = None) -> Curated:
    """Read, check and cross-check all sources under `root` (default data/)."""
    root = Path(root or data_dir())
    schema, converter = _schema_files(root)
    base = Vocab(converter, dict(FIXED_VOCABULARIES))
    evidence_rows, problems = read_table(root / "vocabularies" / "evidence_types.tsv", EVIDENCE_TYPE_COLUMNS, base, root)
    problems += duplicate_ids(evidence_rows)
    vocab = _vocab(schema, converter, evidence_rows)
    tables = {}
    for name, columns in (
        ("entities", ENTITY_COLUMNS),
        ("references", REFERENCE_COLUMNS),
        ("studies", STUDY_COLUMNS),
        ("assertions", ASSERTION_COLUMNS),
        ("pharmacokinetics", PK_COLUMNS),
        ("dosing", DOSING_COLUMNS),
        ("comparisons", COMPARISON_COLUMNS),
    ):
        rows, found = read_folder(root / name, columns, vocab, root, required=name in REQUIRED_FOLDERS)
        tables[name] = rows
        problems += found
    entities = {r["id"]: r for r in tables["entities"]}
    references = {r["id"]: r for r in tables["references"]}
    studies = {r["id"]: r for r in tables["studies"]}
    problems += checks.check_entities(entities) + checks.check_references(references)
    problems += checks.check_studies(studies, entities, references)
    problems += checks.check_assertions(tables["assertions"], entities, references, studies)
    problems += checks.check_pharmacokinetics(tables["pharmacokinetics"], entities, references)
    problems += checks.check_dosing(tables["dosing"], entities, references)
    problems += checks.check_comparisons(tables["comparisons"], entities)
    host_rows, found = read_table(root / "vocabularies" / "non_confirming_hosts.tsv", HOST_COLUMNS, base, root)
    problems += found + duplicate_ids_by(host_rows, "host")
    blocked = frozenset(r["host"].lower() for r in host_rows)
    evidence = {r["id"]: r for r in evidence_rows}
    for row in tables["assertions"]:
        problems += check_evidence_rules(row, evidence.get(row["evidence_type"]), designs_of(row, references, studies), blocked)
    for row in tables["pharmacokinetics"]:
        problems += check_pk_record_rules(row, blocked)
    for row in tables["dosing"]:
        problems += check_dosing_record_rules(row, blocked)
    if problems:
        raise SourceError(problems)
    return Curated(
        root,
        schema,
        converter,
        entities,
        references,
        studies,
        {r["id"]: r for r in evidence_rows},
        tables["assertions"],
        tables["pharmacokinetics"],
        tables["dosing"],
        tables["comparisons"],
    )
