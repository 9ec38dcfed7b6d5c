"""Target engagement: does the plasma concentration of a clinical regimen reach a target's published potency?

One row per potency assertion of the drug at a target (Ki, IC50, Kd, EC50, or another molar or p-scale value)
and per plasma record of the drug (painkg:PharmacokineticObservation with parameter plasma concentration or
Cmax). Both sides are converted to µM: molar units by their SI prefix, p-scale values (pKi, pIC50 ...) as
10^(6 - p), mass concentrations (ng/mL ...) with the substance's painkg:molecularWeight. The ratio is
plasma_uM / potency_uM: 1 or more reads as engaged, below 0.1 as not engaged, in between as partial. Where a
ratio cannot be computed, `reason` says why. Plasma records count as total concentrations unless their note
says "unbound" (`plasma_basis`). A refuted action keeps its row, marked, and gets no ratio: refuted evidence
never counts as engagement. cq-17-affinity-vs-plasma computes the same table in SPARQL (tested).
"""

from __future__ import annotations

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.model.network import TARGET
from kg.store import as_rdflib, to_networkx
from kg.vocab import PAINKG, PK_PARAMETER_PREFIX, painkg_local, pk_parameter_iri, project_converter

POTENCY_MEASURES = ("Ki", "IC50", "EC50", "Kd")
MICROMOLAR_PER_UNIT = {
    **{"pM": 1e-6, "nM": 1e-3, "µM": 1.0, "μM": 1.0, "uM": 1.0, "mM": 1e3, "M": 1e6},
    **{"nmol/L": 1e-3, "µmol/L": 1.0, "μmol/L": 1.0, "umol/L": 1.0, "mmol/L": 1e3},  # as clinical laboratories write them
}
P_SCALE_UNITS = ("pKi", "pIC50", "pKd", "pEC50")
# a mass concentration in these units times the factor, divided by g/mol, is µM (1 ng/mL = 1 µg/L)
MASS_TO_MICROGRAM_PER_LITRE = {
    "pg/mL": 1e-3,
    "ng/L": 1e-3,
    "ng/mL": 1.0,
    "µg/L": 1.0,
    "ug/L": 1.0,
    "µg/mL": 1e3,
    "ug/mL": 1e3,
    "mg/L": 1e3,
    "mg/mL": 1e6,
}
PLASMA_PARAMETERS = (pk_parameter_iri("plasma_concentration"), pk_parameter_iri("cmax"))
NOT_TARGET_ACTIONS = frozenset({"metabolised_by", "has_metabolite", "has_component", "enantiomer_of", "subunit_of"})
SUPPORTING = frozenset({"supports", "partially_supports"})

REFUTED = "the source refutes this action, so its number is no evidence of engagement"
NO_PLASMA_FOR_DRUG = "no plasma concentration curated for this drug"
NO_PLASMA_FOR_REGIMEN = "no plasma concentration curated for this regimen"
NO_PLASMA_VALUE = "the plasma record gives no value"
NO_RDF = "plasma records are read from the RDF graph: pass kg.load() or an rdflib Graph, not a networkx graph"
REPORTED_VALUE, RANGE_TOP = "reported value", "upper end of the reported range"

PLASMA_COLUMNS = [  # the plasma side of a row; all None when no plasma record is curated
    "pk_record",
    "pk_regimen",
    "plasma_parameter",
    "plasma",
    "plasma_low",
    "plasma_high",
    "plasma_unit",
    "plasma_statistic",
    "plasma_basis",
]
COLUMNS = [
    "drug",
    "target",
    "target_label",
    "potency_assertion",
    "support",
    "grade",
    "measure",
    "potency",
    "potency_unit",
    "potency_uM",
    *PLASMA_COLUMNS,
    "molecular_weight",
    "plasma_uM",
    "engagement_ratio",
    "reason",
]


# ---------------------------------------------------------------- unit conversion


def potency_micromolar(value: float | None, unit: str) -> float | None:
    """A potency in µM: molar units by prefix, p-scale values as 10^(6 - p); None when the unit is neither."""
    if value is None:
        return None
    if unit in P_SCALE_UNITS:
        return 10 ** (6 - value)
    factor = MICROMOLAR_PER_UNIT.get(unit)
    return None if factor is None else value * factor


def concentration_micromolar(value: float | None, unit: str, molecular_weight: float | None) -> float | None:
    """A plasma concentration in µM; mass units need the molecular weight (g/mol)."""
    if value is None:
        return None
    if unit in MICROMOLAR_PER_UNIT:
        return value * MICROMOLAR_PER_UNIT[unit]
    if unit in MASS_TO_MICROGRAM_PER_LITRE and molecular_weight:
        return value * MASS_TO_MICROGRAM_PER_LITRE[unit] / molecular_weight
    return None


def potency_unit_problem(unit: str) -> str:
    return f"potency unit '{unit}' does not convert to µM"


def plasma_unit_problem(unit: str, substance: str, molecular_weight: float | None) -> str:
    if unit in MASS_TO_MICROGRAM_PER_LITRE and not molecular_weight:
        return f"no molecular weight curated for {substance}: {unit} does not convert to µM"
    return f"plasma unit '{unit}' does not convert to µM"


# ---------------------------------------------------------------- the two sides


def is_potency(evidence: dict) -> bool:
    """A number that says at what concentration the drug acts on the target."""
    if evidence["value"] is None or evidence["predicate"] in NOT_TARGET_ACTIONS:
        return False
    unit = evidence["unit"]
    return evidence["measure"] in POTENCY_MEASURES or unit in P_SCALE_UNITS or unit in MICROMOLAR_PER_UNIT


def target_actions(network: nx.MultiDiGraph, drug: str) -> list[dict]:
    """Every assertion of `drug` on a target (metabolism and composition links are not actions), with its target."""
    if drug not in network:
        return []
    return [
        dict(a, target=target)
        for _, target, a in network.out_edges(drug, data=True)
        if network.nodes[target].get("role") == TARGET and a["predicate"] not in NOT_TARGET_ACTIONS
    ]


def potency_assertions(network: nx.MultiDiGraph, drug: str) -> list[dict]:
    """Every assertion of `drug` on a target that carries a potency, as the network's edge attributes."""
    return [a for a in target_actions(network, drug) if is_potency(a)]


def molecular_weight(rdf: Graph | None, substance: str) -> float | None:
    if rdf is None:
        return None
    value = rdf.value(_iri(substance), PAINKG.molecularWeight)
    return None if value is None else float(value.toPython())


def plasma_records(rdf: Graph | None, substance: str, regimen: str | None = None) -> list[dict]:
    """The plasma concentration and Cmax records of `substance`, optionally only those whose regimen names `regimen`."""
    if rdf is None:
        return []
    node = _iri(substance)
    records = [
        _plasma_record(rdf, pk)
        for pk in rdf.subjects(PAINKG.substance, node)
        if (pk, RDF.type, PAINKG.PharmacokineticObservation) in rdf and rdf.value(pk, PAINKG.parameter) in PLASMA_PARAMETERS
    ]
    if regimen:
        records = [r for r in records if regimen.lower() in r["regimen"].lower()]
    return sorted(records, key=lambda r: r["id"])


def _plasma_record(rdf: Graph, pk: URIRef) -> dict:
    text = lambda p: str(rdf.value(pk, p) or "")  # noqa: E731
    number = lambda p: None if rdf.value(pk, p) is None else float(rdf.value(pk, p).toPython())  # noqa: E731
    return {
        "id": text(DCTERMS.identifier),
        "regimen": text(PAINKG.regimen),
        "parameter": painkg_local(rdf.value(pk, PAINKG.parameter), PK_PARAMETER_PREFIX),
        "value": number(PAINKG.value),
        "value_low": number(PAINKG.valueLow),
        "value_high": number(PAINKG.valueHigh),
        "unit": text(PAINKG.unit),
        "note": text(PAINKG.note),
    }


def _iri(entity: str) -> URIRef:
    """The IRI of a CURIE (or of an IRI given as text)."""
    return URIRef(project_converter().expand(entity) or entity)


# ---------------------------------------------------------------- the table


def engagement_rows(network: nx.MultiDiGraph, rdf: Graph | None, drug: str, regimen: str | None = None) -> list[dict]:
    """Potency x plasma record rows for one drug (the plasma side is empty without an RDF graph)."""
    weight = molecular_weight(rdf, drug)
    records = plasma_records(rdf, drug, regimen)
    missing = NO_RDF if rdf is None else NO_PLASMA_FOR_REGIMEN if regimen else NO_PLASMA_FOR_DRUG
    rows = []
    for potency in potency_assertions(network, drug):
        for record in records or [None]:
            rows.append(_row(network, drug, potency, record, weight, missing))
    return sorted(rows, key=lambda r: (r["target_label"], r["potency_assertion"], r["pk_record"] or ""))


def _row(network, drug: str, potency: dict, record: dict | None, weight: float | None, missing: str) -> dict:
    potency_uM = potency_micromolar(potency["value"], potency["unit"])
    row = {
        "drug": drug,
        "target": potency["target"],
        "target_label": network.nodes[potency["target"]]["label"],
        "potency_assertion": potency["assertion"],
        "support": potency["support"],
        "grade": potency["grade"],
        "measure": potency["measure"],
        "potency": potency["value"],
        "potency_unit": potency["unit"],
        "potency_uM": potency_uM,
        **_plasma_columns(record, weight),
        "molecular_weight": weight,
    }
    plasma_uM = _plasma_micromolar(record, weight)
    row["plasma_uM"] = plasma_uM
    reason = _reason(potency, potency_uM, record, plasma_uM, drug, weight, missing)
    row["engagement_ratio"] = None if reason else plasma_uM / potency_uM
    row["reason"] = reason
    return row


def _plasma_columns(record: dict | None, weight: float | None) -> dict:
    if record is None:
        return dict.fromkeys(PLASMA_COLUMNS)
    statistic = REPORTED_VALUE if record["value"] is not None else RANGE_TOP if record["value_high"] is not None else None
    return {
        "pk_record": record["id"],
        "pk_regimen": record["regimen"],
        "plasma_parameter": record["parameter"],
        "plasma": record["value"],
        "plasma_low": record["value_low"],
        "plasma_high": record["value_high"],
        "plasma_unit": record["unit"],
        "plasma_statistic": statistic,
        "plasma_basis": "unbound" if "unbound" in record["note"].lower() else "total",
    }


def _plasma_point(record: dict) -> float | None:
    """The reported value, else the top of a reported range (the concentration the regimen reaches)."""
    return record["value"] if record["value"] is not None else record["value_high"]


def _plasma_micromolar(record: dict | None, weight: float | None) -> float | None:
    return None if record is None else concentration_micromolar(_plasma_point(record), record["unit"], weight)


def _reason(potency, potency_uM, record, plasma_uM, drug, weight, missing) -> str | None:
    """Why no ratio: the first obstacle a reader would have to remove, None when the ratio stands."""
    if potency["support"] not in SUPPORTING:
        return REFUTED
    if potency_uM is None:
        return potency_unit_problem(potency["unit"])
    if record is None:
        return missing
    if _plasma_point(record) is None:
        return NO_PLASMA_VALUE
    if plasma_uM is None:
        return plasma_unit_problem(record["unit"], drug, weight)
    if potency_uM == 0:
        return "a potency of 0 gives no ratio"
    return None


def engagement(drug: str | None = None, regimen: str | None = None, graph=None):
    """The public API: per target and potency assertion, the potency and plasma concentration in µM and their ratio.

    `drug` defaults to the focal drug of the data; `regimen` keeps only plasma records whose regimen contains it
    (case-insensitive). `graph` is an rdflib Graph, a kg.load() store or None (the graph built from data/).
    """
    import pandas as pd

    from kg.mechanisms.engine import focal_drug  # the engine imports this module, so not at the top

    if isinstance(graph, nx.MultiDiGraph):
        raise TypeError(
            "engagement reads plasma records and molecular weights from the RDF: "
            "pass kg.load() or an rdflib Graph, not the networkx graph"
        )
    rdf = as_rdflib(graph)
    network = to_networkx(rdf)
    rows = engagement_rows(network, rdf, focal_drug(network, drug), regimen)
    return pd.DataFrame(rows, columns=COLUMNS)
