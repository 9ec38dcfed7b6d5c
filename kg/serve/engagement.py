"""Target engagement: is a drug's potency at a target within reach of the concentrations patients get?

A potency (Ki, IC50, EC50, Kd) curated on a drug -> target assertion is set beside a clinical plasma
concentration of that drug: an assertion with measure `plasma_concentration`, or a pharmacokinetic Cmax record.
Both become micromolar (mass concentrations through the drug's curated molecular weight), and their ratio says
whether the target is plausibly engaged (above 1) or needs more than clinical exposure (well below 1).
"""

from __future__ import annotations

from kg.model.network import GRADE_RANK

POTENCY_MEASURES = ("Ki", "IC50", "EC50", "Kd")
MOLAR_IN_MICROMOLAR = {"pM": 1e-6, "nM": 1e-3, "µM": 1.0, "μM": 1.0, "uM": 1.0, "mM": 1e3, "M": 1e6}
MASS_IN_MICROGRAM_PER_LITRE = {
    "ng/mL": 1.0,
    "ng/ml": 1.0,
    "µg/L": 1.0,
    "μg/L": 1.0,
    "ug/L": 1.0,
    "µg/mL": 1e3,
    "μg/mL": 1e3,
    "ug/mL": 1e3,
    "mg/L": 1e3,
}
CONCENTRATION_PARAMETERS = ("cmax", "plasma_concentration")  # painkg:pk-cmax, painkg:pk-plasma_concentration


def micromolar(record: dict | None, molecular_weight: float | None = None) -> float | None:
    """The record's value (its upper end when only a range is given) in µM, or None when the unit cannot convert."""
    if not record:
        return None
    amount = record.get("value") if record.get("value") is not None else record.get("value_high")
    unit = record.get("unit") or ""
    if amount is None:
        return None
    if unit in MOLAR_IN_MICROMOLAR:
        return amount * MOLAR_IN_MICROMOLAR[unit]
    if unit in MASS_IN_MICROGRAM_PER_LITRE and molecular_weight:
        return amount * MASS_IN_MICROGRAM_PER_LITRE[unit] / molecular_weight  # µg/L over g/mol is µmol/L
    return None


def best_potency(evidence) -> dict | None:
    """The strongest-graded potency with a number among a hop's (or a drug-target pair's) evidence."""
    potencies = [e for e in evidence if e.get("measure") in POTENCY_MEASURES and e.get("value") is not None]
    return max(potencies, key=lambda e: e.get("grade_rank", 0), default=None)


def clinical_concentration(assertions: list[dict], pharmacokinetics: list[dict]) -> dict | None:
    """The drug's best-graded curated plasma concentration: assertions first, then a Cmax record."""
    measured = [
        a
        for a in assertions
        if a.get("measure") == "plasma_concentration" and (a.get("value") is not None or a.get("value_high") is not None)
    ]
    if measured:
        return max(measured, key=lambda a: a.get("grade_rank", 0))
    peaks = [
        r
        for r in pharmacokinetics
        if r.get("parameter_id") in CONCENTRATION_PARAMETERS and (r.get("value") is not None or r.get("value_high") is not None)
    ]
    return peaks[0] if peaks else None


def ratio(concentration: float | None, potency: float | None) -> float | None:
    """Concentration over potency to three significant figures; None when either is unknown."""
    if concentration is None or not potency:
        return None
    return float(f"{concentration / potency:.3g}")


def engagement_rows(
    drug_assertions: list[dict], target_ids: set[str], concentration: dict | None, molecular_weight: float | None
) -> list[dict]:
    """One row per target the drug acts on with a curated potency: the potency, the concentration, their ratio."""
    by_target: dict[str, list[dict]] = {}
    for assertion in drug_assertions:
        if assertion["object"] in target_ids:
            by_target.setdefault(assertion["object"], []).append(assertion)
    clinical = micromolar(concentration, molecular_weight)
    rows = []
    for target, evidence in by_target.items():
        potency = best_potency(evidence)
        if potency is None:
            continue
        rows.append(
            {
                "target": target,
                "potency": potency,
                "micromolar": micromolar(potency),
                "concentration": concentration,
                "ratio": ratio(clinical, micromolar(potency)),
            }
        )
    return sorted(
        rows, key=lambda r: (r["micromolar"] is None, r["micromolar"] or 0.0, -GRADE_RANK.get(r["potency"].get("grade", ""), 0))
    )
