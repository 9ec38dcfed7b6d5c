"""Evidenced mechanism paths drug -> target -> process -> outcome, with their combined sign.

A path is only as good as its weakest hop, so every hop must carry at least one assertion whose
source supports (or partially supports) it, and the path's grade is the weakest hop's best grade.
Signs multiply along the path (painkg:sign of each predicate). The sign rule: when the drug is
asserted to ameliorate, treat or prevent the outcome, every path to it must end in a decrease;
when it causes the outcome as an adverse effect, in an increase. Paths that break the rule are
reported for curators to read (stats.json), not silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import networkx as nx

from kg.errors import UserError
from kg.model.network import CHEMICAL, GRADE_RANK, OUTCOME, PROCESS, TARGET, focal_drugs
from kg.store import to_networkx

CARRIERS = frozenset({"has_metabolite", "has_component"})  # the drug's effect is carried by its forms
SUPPORTING = frozenset({"supports", "partially_supports"})
EXPECTED_SIGN = {"ameliorates": -1, "treats": -1, "prevents": -1, "beneficial_in_models_for": -1,
                 "causes_adverse_effect": 1}
CLINICAL_PREDICATES = frozenset(EXPECTED_SIGN) | {"studied_to_treat"}
NEXT_ROLES = {CHEMICAL: {CHEMICAL, TARGET}, TARGET: {TARGET, PROCESS}, PROCESS: {PROCESS, OUTCOME},
              OUTCOME: {OUTCOME}}
POTENCY_MEASURES = ("Ki", "IC50", "EC50", "Kd")
MOLAR_TO_MICROMOLAR = {"pM": 1e-6, "nM": 1e-3, "µM": 1.0, "uM": 1.0, "μM": 1.0, "mM": 1e3}


@dataclass(frozen=True)
class Hop:
    subject: str
    predicate: str
    object: str
    sign: int
    evidence: tuple[dict, ...]

    @property
    def carrier(self) -> bool:
        return self.predicate in CARRIERS

    @property
    def best_grade(self) -> str:
        return max((e["grade"] for e in self.evidence), key=lambda g: GRADE_RANK.get(g, 0))

    @property
    def publications(self) -> list[str]:
        return sorted({p for e in self.evidence for p in e["publications"]})


@dataclass(frozen=True)
class MechanismPath:
    hops: tuple[Hop, ...]
    expected_sign: int | None  # from the drug -> outcome assertion, None when there is none

    @property
    def drug(self) -> str:
        return self.hops[0].subject

    @property
    def outcome(self) -> str:
        return self.hops[-1].object

    @property
    def nodes(self) -> list[str]:
        return [self.drug] + [h.object for h in self.hops]

    @property
    def sign(self) -> int:
        return reduce(lambda a, b: a * b, (h.sign for h in self.hops if not h.carrier), 1)

    @property
    def grade(self) -> str:
        return min((h.best_grade for h in self.hops), key=lambda g: GRADE_RANK.get(g, 0))

    @property
    def consistent(self) -> bool | None:
        return None if self.expected_sign is None else self.sign == self.expected_sign


def _supporting(network: nx.MultiDiGraph, subject: str, obj: str) -> dict[str, tuple[dict, ...]]:
    """The supporting evidence between two nodes, grouped by predicate."""
    grouped: dict[str, list[dict]] = {}
    for attributes in network.get_edge_data(subject, obj, default={}).values():
        if attributes["support"] in SUPPORTING:
            grouped.setdefault(attributes["predicate"], []).append(attributes)
    return {p: tuple(sorted(e, key=lambda a: -a["grade_rank"])) for p, e in grouped.items()}


def _hops_from(network: nx.MultiDiGraph, node: str) -> list[Hop]:
    """Every evidenced hop leaving `node` that a mechanism path may take next."""
    role = network.nodes[node].get("role")
    hops = []
    for nxt in network.successors(node):
        if network.nodes[nxt].get("role") not in NEXT_ROLES.get(role, ()):
            continue
        for predicate, evidence in _supporting(network, node, nxt).items():
            sign = evidence[0]["sign"]
            if predicate in CARRIERS or sign != 0:
                hops.append(Hop(node, predicate, nxt, sign, evidence))
    return hops


def _expected_signs(network: nx.MultiDiGraph, drugs: list[str]) -> dict[str, int]:
    """Outcome -> the sign the drug (or a form it carries) is asserted to have on it."""
    expected = {}
    for drug in drugs:
        for _, outcome, attributes in network.out_edges(drug, data=True):
            if attributes["predicate"] in EXPECTED_SIGN and attributes["support"] in SUPPORTING:
                expected.setdefault(outcome, EXPECTED_SIGN[attributes["predicate"]])
    return expected


def _walk(network, hops: list[Hop], max_hops: int):
    """Depth-first over evidenced hops in role order; yields hop lists that end at an outcome."""
    last = hops[-1].object
    roles = {network.nodes[h.object]["role"] for h in hops if not h.carrier}
    if network.nodes[last]["role"] == OUTCOME and {TARGET, PROCESS} <= roles:
        yield list(hops)
    if sum(1 for h in hops if not h.carrier) >= max_hops:
        return
    visited = {hops[0].subject} | {h.object for h in hops}
    for hop in _hops_from(network, last):
        if hop.object in visited or (hop.carrier and any(not h.carrier for h in hops)):
            continue
        yield from _walk(network, hops + [hop], max_hops)


def focal_drug(network: nx.MultiDiGraph, drug: str | None = None) -> str:
    """`drug` when given, else the first drug the data flags as focus; the graph's centre is data, not code."""
    if drug:
        return drug
    focal = focal_drugs(network)
    if not focal:
        raise UserError("no drug given and none flagged `focus` in entities/: pass drug=CURIE")
    return focal[0]


def find_paths(network: nx.MultiDiGraph, drug: str | None = None, outcome: str | None = None,
               max_hops: int = 5) -> list[MechanismPath]:
    """All evidenced paths from `drug` (default: the focal drug) through its enantiomers and metabolites to outcomes."""
    drug = focal_drug(network, drug)
    if drug not in network:
        return []
    found = [hops for first in _hops_from(network, drug) for hops in _walk(network, [first], max_hops)]
    expected = _expected_signs(network, [drug, *nx.descendants(_carrier_graph(network), drug)])
    paths = [MechanismPath(tuple(h), expected.get(h[-1].object)) for h in found
             if outcome is None or h[-1].object == outcome]
    return sorted(paths, key=lambda p: (p.outcome, -GRADE_RANK.get(p.grade, 0), len(p.hops), p.nodes))


def _carrier_graph(network: nx.MultiDiGraph) -> nx.DiGraph:
    edges = [(s, o) for s, o, a in network.edges(data=True) if a["predicate"] in CARRIERS and a["support"] in SUPPORTING]
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(network.nodes)
    return graph


def paths(drug: str | None = None, outcome: str | None = None, graph=None, max_hops: int = 5):
    """The public API: evidenced mechanism paths as a pandas DataFrame, one row per path."""
    import pandas as pd

    network = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)
    rows = [path_row(network, p) for p in find_paths(network, drug, outcome, max_hops)]
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


PATH_COLUMNS = ["drug", "outcome", "outcome_label", "path", "hops", "sign", "effect", "expected_effect",
                "consistent", "grade", "publications", "target", "affinity", "clinical_concentration",
                "engagement_ratio"]


def _effect(sign: int | None) -> str:
    return {-1: "decreases", 1: "increases", 0: "no direction"}.get(sign, "")


def path_row(network: nx.MultiDiGraph, path: MechanismPath) -> dict:
    """One readable row: labels along the path, sign, grade, and the numbers that explain the first target hop."""
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    text = label(path.drug) + "".join(f" -[{h.predicate}]-> {label(h.object)}" for h in path.hops)
    target_hop = next(h for h in path.hops if network.nodes[h.object]["role"] == TARGET)
    affinity = _best_potency(target_hop)
    concentration = _clinical_concentration(network, target_hop.subject)
    return {
        "drug": path.drug, "outcome": path.outcome, "outcome_label": label(path.outcome), "path": text,
        "hops": len(path.hops), "sign": path.sign, "effect": _effect(path.sign),
        "expected_effect": _effect(path.expected_sign), "consistent": path.consistent, "grade": path.grade,
        "publications": "|".join(sorted({p for h in path.hops for p in h.publications})),
        "target": target_hop.object, "affinity": _describe_quantity(affinity),
        "clinical_concentration": _describe_quantity(concentration),
        "engagement_ratio": _ratio(concentration, affinity),
    }


def _best_potency(hop: Hop) -> dict | None:
    """The strongest-graded potency value (Ki, IC50, EC50, Kd) recorded on the drug -> target hop."""
    return next((e for e in hop.evidence if e["measure"] in POTENCY_MEASURES and e["value"] is not None), None)


def _clinical_concentration(network: nx.MultiDiGraph, drug: str) -> dict | None:
    """A plasma concentration curated for this drug (any assertion with measure plasma_concentration)."""
    values = [a for _, _, a in network.out_edges(drug, data=True)
              if a["measure"] == "plasma_concentration" and _peak(a) is not None]
    return max(values, key=lambda a: a["grade_rank"]) if values else None


def _peak(evidence: dict) -> float | None:
    """The point value, or the upper end when a source reports only a range (a plasma range's peak)."""
    return evidence["value"] if evidence["value"] is not None else evidence["value_high"]


def _describe_quantity(evidence: dict | None) -> str:
    if not evidence:
        return ""
    stereo = f", {evidence['stereoisomer']}" if evidence["stereoisomer"] else ""
    amount = (f"{evidence['value']:g}" if evidence["value"] is not None
              else f"{evidence['value_low']:g}-{evidence['value_high']:g}")
    return f"{evidence['measure']} {amount} {evidence['unit']} ({evidence['species']}{stereo}; {evidence['assertion']})"


def _micromolar(evidence: dict | None) -> float | None:
    if not evidence or evidence["unit"] not in MOLAR_TO_MICROMOLAR:
        return None
    return _peak(evidence) * MOLAR_TO_MICROMOLAR[evidence["unit"]]


def _ratio(concentration: dict | None, affinity: dict | None) -> float | None:
    """Clinical concentration over potency, when both are molar: above 1 the target is plausibly engaged."""
    c, a = _micromolar(concentration), _micromolar(affinity)
    return None if c is None or a is None or a == 0 else round(c / a, 3 if c / a < 10 else 1)


def _breaks(network: nx.MultiDiGraph, found: list[MechanismPath]) -> list[dict]:
    return [{"drug": p.drug, "outcome": p.outcome, "path": path_row(network, p)["path"],
             "sign": p.sign, "expected": p.expected_sign} for p in found if p.consistent is False]


def sign_rule_breaks(network: nx.MultiDiGraph, drug: str | None = None) -> list[dict]:
    """Every path whose combined sign contradicts the drug's asserted effect on the outcome."""
    return _breaks(network, find_paths(network, drug))


def outcomes_without_path(network: nx.MultiDiGraph, found: list[MechanismPath], drug: str | None = None) -> list[str]:
    """Outcomes the drug (or a form it carries) is asserted to affect clinically but no evidenced path explains:
    the mechanism is stated as unknown rather than invented."""
    drug = focal_drug(network, drug)
    drugs = [drug, *nx.descendants(_carrier_graph(network), drug)] if drug in network else []
    clinical = {o for d in drugs for _, o, a in network.out_edges(d, data=True)
                if a["predicate"] in CLINICAL_PREDICATES and network.nodes[o].get("role") == OUTCOME}
    return sorted(clinical - {p.outcome for p in found})


def path_stats(graph) -> dict:
    """What stats.json records about mechanism paths from the focal drugs (used by `kg build`); takes a graph or a network."""
    network = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)
    drugs = focal_drugs(network)
    found = [p for drug in drugs for p in find_paths(network, drug)]
    outcomes = sorted({p.outcome for p in found})
    unknown = {o for drug in drugs for o in outcomes_without_path(network, [p for p in found if p.drug == drug], drug)}
    return {
        "focal_drugs": drugs,
        "mechanism_paths": len(found),
        "outcomes_with_mechanism_path": outcomes,
        "outcomes_with_unknown_mechanism": sorted(unknown),
        "outcomes_with_consistent_path": sorted({p.outcome for p in found if p.consistent}),
        "sign_rule_breaks": _breaks(network, found),
    }
