"""Load every curated source into one checked bundle, or raise SourceError listing all problems."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import curies

from kg import checks
from kg.config import data_dir
from kg.prefixes import load_converter
from kg.problems import SourceError
from kg.schema import Schema, load_schema
from kg.sources import (ASSERTION_COLUMNS, ENTITY_COLUMNS, EVIDENCE_TYPE_COLUMNS, FIXED_VOCABULARIES,
                        REFERENCE_COLUMNS, STUDY_COLUMNS, Row, Vocab, read_folder, read_table)


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


def _vocab(schema: Schema, converter: curies.Converter, evidence_types: list[Row]) -> Vocab:
    sets = dict(FIXED_VOCABULARIES)
    sets.update(
        systems=schema.systems, grades=schema.grades, supports=schema.supports,
        predicates=frozenset(schema.predicates), categories=schema.categories,
        evidence_types=frozenset(r["id"] for r in evidence_types),
    )
    return Vocab(converter, sets)


def load_curated(root: Path | None = None) -> Curated:
    """Read, check and cross-check all sources under `root` (default data/)."""
    root = Path(root or data_dir())
    schema = load_schema(root / "schema" / "painkg.ttl")
    converter = load_converter(root / "schema" / "prefixes.tsv")
    base = Vocab(converter, {})
    evidence_rows, problems = read_table(root / "vocabularies" / "evidence_types.tsv", EVIDENCE_TYPE_COLUMNS, base, root)
    vocab = _vocab(schema, converter, evidence_rows)
    tables = {}
    for name, columns in (("entities", ENTITY_COLUMNS), ("references", REFERENCE_COLUMNS),
                          ("studies", STUDY_COLUMNS), ("assertions", ASSERTION_COLUMNS)):
        rows, found = read_folder(root / name, columns, vocab, root, required=name != "studies")
        tables[name] = rows
        problems += found
    entities = {r["id"]: r for r in tables["entities"]}
    references = {r["id"]: r for r in tables["references"]}
    studies = {r["id"]: r for r in tables["studies"]}
    problems += checks.check_entities(entities) + checks.check_references(references)
    problems += checks.check_studies(studies, entities, references)
    problems += checks.check_assertions(tables["assertions"], entities, references, studies)
    if problems:
        raise SourceError(problems)
    return Curated(root, schema, converter, entities, references, studies,
                   {r["id"]: r for r in evidence_rows}, tables["assertions"])
