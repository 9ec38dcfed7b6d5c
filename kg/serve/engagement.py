"""Which potency and which plasma concentration the site's pages set side by side (the numbers come from
kg.mechanisms.engagement, the one place where potencies and concentrations become µM).

A page shows, per target, the strongest-graded potency (Ki, IC50, EC50, Kd) curated on a drug -> target assertion
beside the drug's clinical plasma concentration: an assertion with measure `plasma_concentration`, else a
pharmacokinetic plasma-concentration or Cmax record. Their ratio says whether the target is plausibly engaged
(above 1) or needs more than clinical exposure (well below 1). kg.engagement gives the full table (every potency
against every plasma record).
"""

from __future__ import annotations

from kg.mechanisms.engagement import POTENCY_MEASURES, concentration_micromolar, potency_micromolar
from kg.model.network import GRADE_RANK

CONCENTRATION_PARAMETERS = ("cmax", "plasma_concentration")  # painkg:pk-cmax, painkg:pk-plasma_concentration


def potency_in_micromolar(potency: dict | None) -> float | None:
    """A potency evidence row's value in µM, or None when its unit does not convert."""
    if not potency:
        return None
    return potency_micromolar(potency.get("value"), potency.get("unit") or "")


def concentration_in_micromolar(record: dict | None, molecular_weight: float | None = None) -> float | None:
    """A concentration's value (its upper end when only a range is given) in µM, or None when it cannot convert."""
    if not record:
        return None
    amount = record.get("value") if record.get("value") is not None else record.get("value_high")
    return concentration_micromolar(amount, record.get("unit") or "", molecular_weight)


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
    clinical = concentration_in_micromolar(concentration, molecular_weight)
    rows = []
    for target, evidence in by_target.items():
        potency = best_potency(evidence)
        if potency is None:
            continue
        rows.append(
            {
                "target": target,
                "potency": potency,
                "micromolar": potency_in_micromolar(potency),
                "concentration": concentration,
                "ratio": ratio(clinical, potency_in_micromolar(potency)),
            }
        )
    return sorted(
        rows, key=lambda r: (r["micromolar"] is None, r["micromolar"] or 0.0, -GRADE_RANK.get(r["potency"].get("grade", ""), 0))
    )
