"""Cross-file checks on curated rows: every reference resolves, labels agree, values carry units."""

from __future__ import annotations

from itertools import pairwise

from kg.errors import Problem
from kg.sources.tables import Row

LOCAL_PREFIX = "PAINKG:"
TAXON_CATEGORY = "biolink:OrganismTaxon"


def check_entities(entities: dict[str, Row]) -> list[Problem]:
    """A local id is allowed only with the curator's statement that no standard one was found."""
    return [
        row.problem("identifier_source", "a PAINKG: id needs 'no standard identifier: <what was searched>'")
        for row in entities.values()
        if row["id"].startswith(LOCAL_PREFIX) and not row["identifier_source"].startswith("no standard identifier")
    ]


def check_references(references: dict[str, Row]) -> list[Problem]:
    """The id is the PMID when there is one, else the DOI, so each paper has exactly one node."""
    problems = []
    for row in references.values():
        pmid, doi = row["pmid"], row["doi"]
        expected = f"PMID:{pmid}" if pmid else f"DOI:{doi}" if doi else ""
        if not expected:
            problems.append(row.problem("pmid", "a reference needs a PMID or a DOI"))
        elif row["id"] != expected:
            problems.append(row.problem("id", f"expected {expected} (the PMID when known, else the DOI)"))
    return problems


def _check_node(row: Row, column: str, entities: dict[str, Row]) -> list[Problem]:
    node = entities.get(row[column])
    if node is None:
        return [row.problem(column, f"{row[column]} is not defined in entities/")]
    label_column = f"{column}_label"
    if label_column in row.values and row[label_column] != node["label"]:
        return [
            row.problem(
                label_column, f"{row[label_column]!r} does not match the entity label {node['label']!r} ({node.file}:{node.line})"
            )
        ]
    return []


def _check_listed(row: Row, column: str, known: dict[str, Row], where: str) -> list[Problem]:
    return [row.problem(column, f"{item} is not in {where}") for item in row.list(column) if item not in known]


def _check_quantity(row: Row) -> list[Problem]:
    has_value = any(row[c] for c in ("value", "value_low", "value_high"))
    problems = []
    if has_value and not row["measure"]:
        problems.append(row.problem("measure", "a value needs its measure (Ki, IC50, dose, risk_ratio ...)"))
    if has_value and not row["unit"]:
        problems.append(row.problem("unit", "a value needs its unit (use 1 for ratios)"))
    if row["measure"] and not has_value:
        problems.append(row.problem("value", f"measure {row['measure']} given without a value"))
    return problems


def _check_species(row: Row, entities: dict[str, Row]) -> list[Problem]:
    species = entities.get(row["species"])
    if row["species"] and (species is None or species["category"] != TAXON_CATEGORY):
        return [row.problem("species", f"{row['species']} is not an OrganismTaxon entity")]
    return []


def _check_range(row: Row, low: str, high: str, point: str = "") -> list[Problem]:
    """low <= (point) <= high wherever both ends are given: a swapped pair is a typo, not a finding."""
    numbers = [(c, float(row[c])) for c in (low, point, high) if c and row[c]]
    return [row.problem(b, f"{b} {row[b]} is below {a} {row[a]}") for (a, x), (b, y) in pairwise(numbers) if y < x]


def check_assertions(
    assertions: list[Row], entities: dict[str, Row], references: dict[str, Row], studies: dict[str, Row]
) -> list[Problem]:
    """Each claim must point at defined nodes, cited references, a species node and a quantity with a unit."""
    problems: list[Problem] = []
    seen: dict[tuple, Row] = {}
    for row in assertions:
        problems += _check_node(row, "subject", entities) + _check_node(row, "object", entities)
        problems += _check_listed(row, "publications", references, "references/")
        problems += _check_listed(row, "studies", studies, "studies/")
        problems += _check_species(row, entities)
        problems += _check_quantity(row)
        key = tuple(
            row[c]
            for c in (
                "subject",
                "predicate",
                "object",
                "publications",
                "support",
                "measure",
                "value",
                "stereoisomer",
                "population",
                "model",
            )
        )
        first = seen.setdefault(key, row)
        if first is not row:
            problems.append(row.problem("id", f"same claim and evidence as {first['id']} ({first.file}:{first.line})"))
    return problems


def check_studies(studies: dict[str, Row], entities: dict[str, Row], references: dict[str, Row]) -> list[Problem]:
    """Studies cite known references and name a known intervention."""
    problems = []
    for row in studies.values():
        problems += _check_listed(row, "publications", references, "references/")
        if row["intervention"] and row["intervention"] not in entities:
            problems.append(row.problem("intervention", f"{row['intervention']} is not defined in entities/"))
    return problems


def check_pharmacokinetics(records: list[Row], entities: dict[str, Row], references: dict[str, Row]) -> list[Problem]:
    """A PK record names a defined substance and species, cites known references and reports a value with its unit."""
    problems: list[Problem] = []
    for row in records:
        problems += _check_node(row, "substance", entities) + _check_species(row, entities)
        problems += _check_listed(row, "publications", references, "references/")
        has_value = any(row[c] for c in ("value", "value_low", "value_high"))
        if not has_value:
            problems.append(
                row.problem("value", f"a {row['parameter']} record reports a value or a range (value_low, value_high)")
            )
        elif not row["unit"]:
            problems.append(row.problem("unit", "a value needs its unit (% for bioavailability, h, L/h, ng/mL ...)"))
        problems += _check_range(row, "value_low", "value_high", "value")
    return problems


def check_dosing(records: list[Row], entities: dict[str, Row], references: dict[str, Row]) -> list[Problem]:
    """A dosing record names a defined drug and indication, cites known references and gives each dose its unit."""
    problems: list[Problem] = []
    for row in records:
        problems += _check_node(row, "drug", entities) + _check_node(row, "indication", entities)
        problems += _check_listed(row, "publications", references, "references/")
        has_dose = bool(row["dose_low"] or row["dose_high"])
        if has_dose and not row["unit"]:
            problems.append(row.problem("unit", "a dose needs its unit (mg/kg, mg/kg/h, mg ...)"))
        if not has_dose and not row["regimen"]:
            problems.append(
                row.problem(
                    "dose_low", "a dosing record gives dose_low/dose_high, or the regimen when the source gives no number"
                )
            )
        problems += _check_range(row, "dose_low", "dose_high")
    return problems


def check_comparisons(groups: list[Row], entities: dict[str, Row]) -> list[Problem]:
    """A comparison names two or more defined drugs (the reader refuses a repeated one, the QC query a non-chemical)."""
    problems: list[Problem] = []
    for row in groups:
        drugs = row.list("drugs")
        problems += [row.problem("drugs", f"{d} is not defined in entities/") for d in drugs if d not in entities]
        if len(set(drugs)) < 2:
            problems.append(row.problem("drugs", "a comparison needs two or more different drugs"))
    return problems
