"""Evidence rules (data/README.md, "Evidence rules"): what a claim may say given how it was shown.

Each rule reads only curated columns, so a curator sees exactly which field to change:
- verified_at is the http(s) page where the claim was read, and not a page that cannot confirm it;
- a species left empty is explained ("species not stated") rather than guessed;
- the grade does not exceed the ceiling its evidence type and design allow;
- clinical predicates match the strength of the evidence behind them;
- pharmacokinetic measures live in pharmacokinetics/, never on an assertion.
Pharmacokinetic and dosing records are read on a primary page by the same rule as assertions.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from kg.errors import Problem
from kg.sources.tables import Row

URL_RE = re.compile(r"^https?://[^\s/]+\S*$")
RAW_IP_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}(:\d+)?$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SPECIES_NOT_STATED = "species not stated"
GRADES = "DCBA"  # ascending
PK_MEASURES = frozenset({"half_life", "bioavailability", "plasma_concentration", "clearance"})
SYNTHESIS_RE = re.compile(r"meta-analys|systematic review|guideline|cochrane", re.I)
OBSERVATIONAL_RE = re.compile(r"cohort|case series|observational|retrospective|registry|pharmacovigilance", re.I)
CASE_REPORT_RE = re.compile(r"case report", re.I)
GUIDELINE_RE = re.compile(r"guideline", re.I)
CLINICAL_STRENGTH = {
    "treats": "needs a guideline among its sources, or grade A",
    "ameliorates": "needs clinical evidence (an RCT or a meta-analysis)",
    "beneficial_in_models_for": "needs animal-model evidence",
}


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def blocked_host(url: str, blocked: frozenset[str]) -> str | None:
    """The listed non-confirming host this URL is on (a host or any parent domain), or 'a raw IP address'."""
    host = host_of(url)
    if RAW_IP_RE.match(host):
        return "a raw IP address"
    parts = host.split(".")
    return next((".".join(parts[i:]) for i in range(len(parts) - 1) if ".".join(parts[i:]) in blocked), None)


def check_verification(row: Row, blocked: frozenset[str], today: dt.date | None = None) -> list[Problem]:
    """verified_at: a primary public page; verified_on: an ISO date not in the future."""
    url, day = row["verified_at"], row["verified_on"]
    if not url:
        return [
            row.problem(
                "verified_at", "every claim names the public page (PubMed, PMC, Europe PMC, publisher) where its finding was read"
            )
        ]
    if not URL_RE.match(url):
        return [row.problem("verified_at", f"expected an http(s) URL, found {url[:80]!r}")]
    host = blocked_host(url, blocked)
    if host:
        return [
            row.problem(
                "verified_at",
                f"{host_of(url)} is {host if host.startswith('a ') else 'listed in vocabularies/non_confirming_hosts.tsv'}: "
                "aggregators, uploads and mirrors do not confirm; use the primary record",
            )
        ]
    if not DATE_RE.match(day):
        return [row.problem("verified_on", f"expected the ISO date the claim was read (YYYY-MM-DD), found {day!r}")]
    try:
        read_on = dt.date.fromisoformat(day)
    except ValueError:
        return [row.problem("verified_on", f"{day!r} is not a calendar date")]
    if read_on > (today or dt.date.today()):
        return [row.problem("verified_on", f"{day} is in the future")]
    return []


def check_species_stated(row: Row) -> list[Problem]:
    """An empty species is a statement ("the source does not say"), never a gap."""
    if row["species"] or SPECIES_NOT_STATED in row["note"].lower():
        return []
    return [
        row.problem("species", f"empty species: say '{SPECIES_NOT_STATED}' in note, or give the NCBITaxon id the source names")
    ]


def grade_ceiling(row: Row, kind: str, designs: list[str]) -> tuple[str, str]:
    """(highest grade allowed, why) from the evidence type's kind and the designs of the cited sources."""
    publications = len(row.list("publications"))
    if kind == "review":
        return "D", "a review statement, curator inference or opinion"
    if kind == "preclinical":
        return ("B", "a replicated preclinical body") if publications > 1 else ("C", "a single preclinical study")
    if any(SYNTHESIS_RE.search(d) for d in designs) or publications > 1:
        return "A", "a meta-analysis, guideline or several trials"
    if any(CASE_REPORT_RE.search(d) for d in designs):
        return "D", "a case report"
    if any(OBSERVATIONAL_RE.search(d) for d in designs):
        return "C", "a single observational study"
    return "B", "a single clinical study"


def check_grade(row: Row, kind: str, designs: list[str]) -> list[Problem]:
    ceiling, why = grade_ceiling(row, kind, designs)
    if GRADES.index(row["grade"]) <= GRADES.index(ceiling):
        return []
    return [row.problem("grade", f"grade {row['grade']} is above the ceiling {ceiling} for {why} ({row['evidence_type']})")]


def check_clinical_strength(row: Row, kind: str, designs: list[str], evidence_labels: str) -> list[Problem]:
    """treats / ameliorates / beneficial_in_models_for each need evidence of their own strength."""
    predicate = row["predicate"]
    if predicate == "treats" and not (any(GUIDELINE_RE.search(d) for d in designs) or row["grade"] == "A"):
        return [row.problem("predicate", f"treats {CLINICAL_STRENGTH['treats']}; use ameliorates or studied_to_treat")]
    if predicate == "ameliorates" and kind == "preclinical":
        return [
            row.problem(
                "predicate", f"ameliorates {CLINICAL_STRENGTH['ameliorates']}; for animal models use beneficial_in_models_for"
            )
        ]
    if predicate == "beneficial_in_models_for" and "animal" not in evidence_labels:
        return [
            row.problem(
                "predicate",
                f"beneficial_in_models_for {CLINICAL_STRENGTH['beneficial_in_models_for']} "
                f"(evidence type {row['evidence_type']})",
            )
        ]
    return []


def check_no_pk_measure(row: Row) -> list[Problem]:
    if row["measure"] in PK_MEASURES:
        return [
            row.problem(
                "measure", f"{row['measure']} is a pharmacokinetic parameter: record it in pharmacokinetics/, not on an assertion"
            )
        ]
    return []


def check_evidence_rules(row: Row, evidence_type: Row | None, designs: list[str], blocked: frozenset[str]) -> list[Problem]:
    """Every rule above for one assertion row."""
    kind = evidence_type["kind"] if evidence_type else "review"
    label = evidence_type["label"] if evidence_type else ""
    return (
        check_verification(row, blocked)
        + check_species_stated(row)
        + check_grade(row, kind, designs)
        + check_clinical_strength(row, kind, designs, label)
        + check_no_pk_measure(row)
    )


def check_pk_record_rules(row: Row, blocked: frozenset[str]) -> list[Problem]:
    """A PK record is a claim like any other: read on a primary page, its species stated or said to be unstated."""
    return check_verification(row, blocked) + check_species_stated(row)


def check_dosing_record_rules(row: Row, blocked: frozenset[str]) -> list[Problem]:
    """A dose range is read on the guideline's (or trial's) primary page."""
    return check_verification(row, blocked)
