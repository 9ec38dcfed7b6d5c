"""Evidenced mechanism paths drug -> (enantiomer / metabolite) -> target -> process -> outcome, with their sign.

A hop joins two nodes and holds every assertion between them whose source supports or partially supports a
directed claim (a predicate with a sign) or a carrier claim (has_metabolite, has_component: the drug's effect is
carried by its forms). Refuting evidence never makes a hop; it only marks the hop `contested`. A path is only as
good as its weakest hop: its grade is the weakest hop's best grade. Roles run in order (chemical, target,
process, outcome; each may repeat), carriers come first, no node is visited twice and `max_hops` counts every
hop. Signs multiply along the path (painkg:sign; a hop whose evidence disagrees on the sign has sign 0).
The sign rule: when the drug is asserted to relieve the outcome, every path to it must end in a decrease; when it
causes the outcome as an adverse effect, in an increase. Paths that break it are reported (stats.json), not
dropped. cq-04-mechanism-paths finds the same paths in SPARQL (tested row for row).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import networkx as nx

from kg.errors import UserError
from kg.mechanisms.engagement import SUPPORTING, engagement_rows
from kg.model.network import CHEMICAL, GRADE_RANK, OUTCOME, PROCESS, TARGET, focal_drugs
from kg.store import as_rdflib, to_networkx

CARRIERS = frozenset({"has_metabolite", "has_component"})  # the drug's effect is carried by its forms
RELIEF = frozenset({"ameliorates", "treats", "prevents", "beneficial_in_models_for"})
HARM = frozenset({"causes_adverse_effect"})
EXPECTED_SIGN = {**dict.fromkeys(RELIEF, -1), **dict.fromkeys(HARM, 1)}
CLINICAL_PREDICATES = frozenset(EXPECTED_SIGN) | {"studied_to_treat"}
NEXT_ROLES = {CHEMICAL: {CHEMICAL, TARGET}, TARGET: {TARGET, PROCESS}, PROCESS: {PROCESS, OUTCOME}, OUTCOME: {OUTCOME}}
DEFAULT_MAX_HOPS = 6
SEPARATOR, HOP_SEPARATOR = "|", " > "


@dataclass(frozen=True)
class Hop:
    subject: str
    object: str
    evidence: tuple[dict, ...]  # supporting directed or carrier assertions, strongest grade first
    refuting: tuple[dict, ...] = ()

    @property
    def carrier(self) -> bool:
        """Only carrier claims: the drug's effect passes to its enantiomer or metabolite."""
        return all(e["predicate"] in CARRIERS for e in self.evidence)

    @property
    def predicate(self) -> str:
        """The predicate of the strongest evidence (all of them: `predicates`)."""
        return self.evidence[0]["predicate"]

    @property
    def predicates(self) -> list[str]:
        return sorted({e["predicate"] for e in self.evidence})

    @property
    def sign(self) -> int:
        """+1 / -1 when the directed evidence agrees, 0 when it disagrees; carriers pass the sign on (+1)."""
        signs = {e["sign"] for e in self.evidence if e["predicate"] not in CARRIERS}
        return 1 if not signs else signs.pop() if len(signs) == 1 else 0

    @property
    def best_grade(self) -> str:
        return max((e["grade"] for e in self.evidence), key=lambda g: GRADE_RANK.get(g, 0))

    @property
    def assertions(self) -> list[str]:
        return sorted(e["assertion"] for e in self.evidence)

    @property
    def publications(self) -> list[str]:
        return sorted({p for e in self.evidence for p in e["publications"]})


@dataclass(frozen=True)
class MechanismPath:
    hops: tuple[Hop, ...]
    expected_sign: int | None  # from the drug's own clinical claims on the outcome; None when none or both ways

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
    def path(self) -> str:
        return HOP_SEPARATOR.join(self.nodes)

    @property
    def hop_assertions(self) -> str:
        return HOP_SEPARATOR.join(SEPARATOR.join(h.assertions) for h in self.hops)

    @property
    def sign(self) -> int:
        return reduce(lambda a, b: a * b, (h.sign for h in self.hops), 1)

    @property
    def grade(self) -> str:
        return min((h.best_grade for h in self.hops), key=lambda g: GRADE_RANK.get(g, 0))

    @property
    def contested(self) -> bool:
        return any(h.refuting for h in self.hops)

    @property
    def consistent(self) -> bool | None:
        """Whether the sign agrees with the drug's asserted effect; None when there is no claim or no sign."""
        return None if self.expected_sign is None or self.sign == 0 else self.sign == self.expected_sign


# ---------------------------------------------------------------- hops and the walk


def hop(network: nx.MultiDiGraph, subject: str, obj: str) -> Hop | None:
    """The evidenced hop between two nodes, or None when no supporting directed or carrier assertion joins them."""
    edges = network.get_edge_data(subject, obj, default={}).values()
    evidence = [a for a in edges if a["support"] in SUPPORTING and (a["predicate"] in CARRIERS or a["sign"] != 0)]
    if not evidence:
        return None
    refuting = [a for a in edges if a["support"] not in SUPPORTING]
    strongest = lambda a: (-a["grade_rank"], a["assertion"])  # noqa: E731
    return Hop(subject, obj, tuple(sorted(evidence, key=strongest)), tuple(sorted(refuting, key=strongest)))


def _hops_from(network: nx.MultiDiGraph, node: str) -> list[Hop]:
    """Every evidenced hop leaving `node` to a node of the same or the next role."""
    allowed = NEXT_ROLES.get(network.nodes[node].get("role"), ())
    found = (hop(network, node, nxt) for nxt in network.successors(node) if network.nodes[nxt].get("role") in allowed)
    return [h for h in found if h is not None]


def _walk(network, hops: list[Hop], max_hops: int):
    """Depth-first over evidenced hops; yields the hop lists that end at an outcome."""
    if network.nodes[hops[-1].object]["role"] == OUTCOME:
        yield list(hops)
    if len(hops) >= max_hops:
        return
    visited = {hops[0].subject} | {h.object for h in hops}
    mechanism_started = not hops[-1].carrier
    for nxt in _hops_from(network, hops[-1].object):
        if nxt.object in visited or (nxt.carrier and mechanism_started):
            continue
        yield from _walk(network, hops + [nxt], max_hops)


def expected_sign(network: nx.MultiDiGraph, drug: str, outcome: str) -> int | None:
    """-1 when the drug's supported clinical claims on the outcome are relief only, +1 when harm only, else None."""
    claims = {a["predicate"] for a in network.get_edge_data(drug, outcome, default={}).values() if a["support"] in SUPPORTING}
    relief, harm = bool(claims & RELIEF), bool(claims & HARM)
    return -1 if relief and not harm else 1 if harm and not relief else None


def focal_drug(network: nx.MultiDiGraph, drug: str | None = None) -> str:
    """`drug` when given, else the first drug the data flags as focus; the graph's centre is data, not code."""
    if drug:
        return drug
    focal = focal_drugs(network)
    if not focal:
        raise UserError("no drug given and none flagged `focus` in entities/: pass drug=CURIE")
    return focal[0]


def find_paths(
    network: nx.MultiDiGraph, drug: str | None = None, outcome: str | None = None, max_hops: int = DEFAULT_MAX_HOPS
) -> list[MechanismPath]:
    """All evidenced paths from `drug` (default: the focal drug), a chemical, through its forms to outcomes."""
    drug = focal_drug(network, drug)
    if drug not in network or network.nodes[drug].get("role") != CHEMICAL:
        return []
    found = [hops for first in _hops_from(network, drug) for hops in _walk(network, [first], max_hops)]
    paths = [
        MechanismPath(tuple(h), expected_sign(network, drug, h[-1].object))
        for h in found
        if outcome is None or h[-1].object == outcome
    ]
    return sorted(paths, key=lambda p: (p.outcome, -GRADE_RANK.get(p.grade, 0), len(p.hops), p.path))


# ---------------------------------------------------------------- the public table

PATH_COLUMNS = [
    "drug",
    "outcome",
    "outcome_label",
    "path",
    "path_labels",
    "hop_assertions",
    "hops",
    "sign",
    "effect",
    "expected_effect",
    "consistent",
    "grade",
    "contested",
    "refuting_assertions",
    "publications",
    "target",
    "target_label",
    "affinity",
    "potency_uM",
    "plasma_uM",
    "engagement_ratio",
    "potency_assertion",
    "pk_record",
    "engagement_reason",
]


def paths(
    drug: str | None = None, outcome: str | None = None, max_hops: int = DEFAULT_MAX_HOPS, graph=None, regimen: str | None = None
):
    """The public API: evidenced mechanism paths as a pandas DataFrame, one row per path.

    `graph` is an rdflib Graph, a kg.load() store, None (the graph built from data/) or the networkx graph of
    kg.to_networkx (then the plasma side of engagement is empty: plasma records live in the RDF). `regimen`
    picks the plasma records used for the engagement columns (kg.engagement lists every one).
    """
    import pandas as pd

    rdf = None if isinstance(graph, nx.MultiDiGraph) else as_rdflib(graph)
    network = graph if rdf is None else to_networkx(rdf)
    engaged = _Engagement(network, rdf, regimen)
    rows = [path_row(network, p, engaged) for p in find_paths(network, drug, outcome, max_hops)]
    return pd.DataFrame(rows, columns=PATH_COLUMNS)


def _effect(sign: int | None) -> str:
    return {-1: "decreases", 1: "increases", 0: "no direction"}.get(sign, "")


def path_labels(network: nx.MultiDiGraph, path: MechanismPath) -> str:
    """The path as a reader says it: labels with the predicates of each hop."""
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    return label(path.drug) + "".join(f" -[{', '.join(h.predicates)}]-> {label(h.object)}" for h in path.hops)


def path_row(network: nx.MultiDiGraph, path: MechanismPath, engaged: _Engagement | None = None) -> dict:
    """One row: the path, its evidence per hop, sign, grade, and the engagement at its first target."""
    label = lambda n: network.nodes[n].get("label", n)  # noqa: E731
    at_target = next(h for h in path.hops if network.nodes[h.object]["role"] == TARGET)  # the drug or form acting on it
    refuting = sorted({e["assertion"] for h in path.hops for e in h.refuting})
    row = {
        "drug": path.drug,
        "outcome": path.outcome,
        "outcome_label": label(path.outcome),
        "path": path.path,
        "path_labels": path_labels(network, path),
        "hop_assertions": path.hop_assertions,
        "hops": len(path.hops),
        "sign": path.sign,
        "effect": _effect(path.sign),
        "expected_effect": _effect(path.expected_sign),
        "consistent": path.consistent,
        "grade": path.grade,
        "contested": path.contested,
        "refuting_assertions": SEPARATOR.join(refuting),
        "publications": SEPARATOR.join(sorted({p for h in path.hops for p in h.publications})),
        "target": at_target.object,
        "target_label": label(at_target.object),
    }
    return row | (engaged or _Engagement(network, None, None)).at(at_target.subject, at_target.object)


class _Engagement:
    """Engagement rows per form, computed once per table, and the one a path row shows at its target."""

    def __init__(self, network: nx.MultiDiGraph, rdf, regimen: str | None):
        self.network, self.rdf, self.regimen, self.rows = network, rdf, regimen, {}

    def at(self, form: str, target: str) -> dict:
        """The strongest-graded supported potency of `form` at `target` (then the most potent), with its plasma side."""
        if form not in self.rows:
            self.rows[form] = engagement_rows(self.network, self.rdf, form, self.regimen)
        rows = [r for r in self.rows[form] if r["target"] == target and r["support"] in SUPPORTING]
        if not rows:
            return {
                "affinity": "",
                "potency_uM": None,
                "plasma_uM": None,
                "engagement_ratio": None,
                "potency_assertion": "",
                "pk_record": "",
                "engagement_reason": "no potency curated at this target",
            }
        best = min(
            rows,
            key=lambda r: (
                -GRADE_RANK.get(r["grade"], 0),
                _or_inf(r["potency_uM"]),
                r["potency_assertion"],
                r["pk_record"] or "",
            ),
        )
        return {
            "affinity": _affinity(self.network, form, target, best),
            "potency_uM": best["potency_uM"],
            "plasma_uM": best["plasma_uM"],
            "engagement_ratio": best["engagement_ratio"],
            "potency_assertion": best["potency_assertion"],
            "pk_record": best["pk_record"] or "",
            "engagement_reason": best["reason"] or "",
        }


def _or_inf(value: float | None) -> float:
    return float("inf") if value is None else value


def _affinity(network: nx.MultiDiGraph, form: str, target: str, row: dict) -> str:
    """'Ki 3100 nM (rat; A-nmda-0028)': the number as published, with species, stereoisomer and assertion."""
    evidence = network.edges[form, target, row["potency_assertion"]]
    species = evidence["species"] or "species not stated"
    species = network.nodes[species].get("label", species) if species in network else species
    stereo = f", {evidence['stereoisomer']}" if evidence["stereoisomer"] else ""
    return f"{row['measure']} {row['potency']:g} {row['potency_unit']} ({species}{stereo}; {row['potency_assertion']})"


# ---------------------------------------------------------------- the sign rule and stats.json


def _breaks(network: nx.MultiDiGraph, found: list[MechanismPath]) -> list[dict]:
    return [
        {
            "drug": p.drug,
            "outcome": p.outcome,
            "path": p.path,
            "path_labels": path_labels(network, p),
            "sign": p.sign,
            "expected": p.expected_sign,
        }
        for p in found
        if p.consistent is False
    ]


def sign_rule_breaks(network: nx.MultiDiGraph, drug: str | None = None) -> list[dict]:
    """Every path whose combined sign contradicts the drug's asserted effect on the outcome."""
    return _breaks(network, find_paths(network, drug))


def _carrier_graph(network: nx.MultiDiGraph) -> nx.DiGraph:
    edges = [(s, o) for s, o, a in network.edges(data=True) if a["predicate"] in CARRIERS and a["support"] in SUPPORTING]
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(network.nodes)
    return graph


def outcomes_without_path(network: nx.MultiDiGraph, found: list[MechanismPath], drug: str | None = None) -> list[str]:
    """Outcomes the drug (or a form it carries) is asserted to affect clinically but no evidenced path explains:
    the mechanism is stated as unknown rather than invented."""
    drug = focal_drug(network, drug)
    drugs = [drug, *nx.descendants(_carrier_graph(network), drug)] if drug in network else []
    clinical = {
        o
        for d in drugs
        for _, o, a in network.out_edges(d, data=True)
        if a["predicate"] in CLINICAL_PREDICATES and a["support"] in SUPPORTING and network.nodes[o].get("role") == OUTCOME
    }
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
