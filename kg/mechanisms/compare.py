"""Across drugs: which share a target (with each one's engagement there) and which share mechanism steps to an outcome.

Nobody chooses an analgesic alone: a clinician weighs ketamine against the other NMDA antagonists and adjuvants. These
tables put the drugs side by side with the same rules as the single-drug ones: only supporting (or partly
supporting) evidence makes a shared action or a path hop, refuted actions keep their rows, marked, and every number
is the one on its own assertion or PK record. Which drugs take part is data (the drugs given, else every chemical
with an action on a target); no drug is named here.
"""

from __future__ import annotations

import networkx as nx

from kg.mechanisms.engagement import COLUMNS as ENGAGEMENT_COLUMNS
from kg.mechanisms.engagement import REFUTED, SUPPORTING, engagement_rows, is_potency, target_actions
from kg.mechanisms.engine import find_paths
from kg.model.network import CHEMICAL
from kg.store import as_rdflib, to_networkx

ENGAGED, PARTIAL, NOT_ENGAGED = "engaged", "partial", "not engaged"
NO_POTENCY = "no potency curated for this action"
TARGET_COLUMNS = ["target", "target_label", "drugs_sharing", "drug", "drug_label", "action", "reading"]
COMPARE_COLUMNS = TARGET_COLUMNS + [c for c in ENGAGEMENT_COLUMNS if c not in ("drug", "target", "target_label")]
PATH_COLUMNS = ["outcome", "drug", "drug_label", "path", "hop_assertions", "sign", "grade", "contested", "shared_nodes"]


def reading(ratio: float | None) -> str:
    """How the README reads an engagement ratio: >= 1 engaged, < 0.1 not engaged, partial in between."""
    if ratio is None:
        return ""
    return ENGAGED if ratio >= 1 else NOT_ENGAGED if ratio < 0.1 else PARTIAL


def acting_drugs(network: nx.MultiDiGraph, drugs: list[str] | None) -> list[str]:
    """The drugs to compare: those given, else every chemical with an action on a target (a refuted one included, so
    a refutation shows beside the drugs whose action stands)."""
    if drugs:
        return list(drugs)
    chemicals = (n for n, d in network.nodes(data=True) if d.get("role") == CHEMICAL)
    return sorted(d for d in chemicals if target_actions(network, d))


def sharing(network: nx.MultiDiGraph, drugs: list[str]) -> dict[str, set[str]]:
    """target -> the drugs with a supported action on it, for targets two or more of `drugs` act on."""
    by_target: dict[str, set[str]] = {}
    for drug in drugs:
        for action in target_actions(network, drug):
            if action["support"] in SUPPORTING:
                by_target.setdefault(action["target"], set()).add(drug)
    return {t: ds for t, ds in by_target.items() if len(ds) >= 2}


def _label(network: nx.MultiDiGraph, node: str) -> str:
    return network.nodes[node].get("label", node) if node in network else node


def _action_rows(network, rdf, drug: str, shared: dict[str, set[str]], regimen: str | None) -> list[dict]:
    """One drug's rows at the shared targets: each potency x plasma record (engagement), then actions without a number."""
    rows = []
    for row in engagement_rows(network, rdf, drug, regimen):
        if row["target"] in shared:
            rows.append(row)
    for action in target_actions(network, drug):
        if action["target"] in shared and not is_potency(action):
            rows.append(
                {
                    "drug": drug,
                    "target": action["target"],
                    "target_label": _label(network, action["target"]),
                    "potency_assertion": action["assertion"],
                    "support": action["support"],
                    "grade": action["grade"],
                    "reason": NO_POTENCY if action["support"] in SUPPORTING else REFUTED,
                }
            )
    return rows


def compare_rows(network, rdf, drugs: list[str] | None = None, target: str | None = None, regimen: str | None = None):
    """Rows of kg.compare: per shared target and drug, every action with its potency and engagement."""
    chosen = acting_drugs(network, drugs)
    shared = sharing(network, chosen)
    if target:
        shared = {t: ds for t, ds in shared.items() if t == target}
    predicates = {}
    for drug in chosen:
        for action in target_actions(network, drug):
            predicates[action["assertion"]] = action["predicate"]
    rows = []
    for drug in chosen:
        for row in _action_rows(network, rdf, drug, shared, regimen):
            row.update(
                drugs_sharing=len(shared[row["target"]]),
                drug_label=_label(network, drug),
                action=predicates.get(row["potency_assertion"], ""),
                reading=reading(row.get("engagement_ratio")),
            )
            rows.append({column: row.get(column) for column in COMPARE_COLUMNS})
    return sorted(rows, key=lambda r: (r["target_label"], r["drug_label"], r["potency_assertion"], r.get("pk_record") or ""))


def compare(drugs: list[str] | None = None, target: str | None = None, regimen: str | None = None, graph=None):
    """The public API: targets two or more drugs act on, and at each one every drug's action, potency and engagement.

    One row per drug, shared target, potency assertion and plasma record (as kg.engagement), plus one row per action
    that carries no potency (`reason` says so). `reading` puts the engagement ratio into words (engaged >= 1, not
    engaged < 0.1). `drugs` defaults to every chemical with an action on a target; `target` keeps one target.
    """
    import pandas as pd

    rdf = as_rdflib(graph)
    rows = compare_rows(to_networkx(rdf), rdf, drugs, target, regimen)
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)


def compare_paths(outcome: str, drugs: list[str] | None = None, max_hops: int = 6, graph=None):
    """The public API: each drug's evidenced mechanism paths to `outcome`, and the nodes they share with another drug's.

    One row per path (kg.paths columns); `shared_nodes` lists the path's intermediate nodes that some other drug's
    path to the same outcome also passes through, `|`-joined: the mechanism the drugs have in common.
    """
    import pandas as pd

    network = graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(as_rdflib(graph))
    found = {drug: find_paths(network, drug, outcome, max_hops) for drug in acting_drugs(network, drugs)}
    through = {drug: {n for p in paths for n in p.nodes[1:-1]} for drug, paths in found.items()}
    rows = []
    for drug, paths in found.items():
        others = set().union(*(nodes for other, nodes in through.items() if other != drug))
        for p in paths:
            rows.append(
                {
                    "outcome": outcome,
                    "drug": drug,
                    "drug_label": _label(network, drug),
                    "path": p.path,
                    "hop_assertions": p.hop_assertions,
                    "sign": p.sign,
                    "grade": p.grade,
                    "contested": p.contested,
                    "shared_nodes": "|".join(n for n in p.nodes[1:-1] if n in others),
                }
            )
    rows.sort(key=lambda r: (r["drug_label"], r["path"]))
    return pd.DataFrame(rows, columns=PATH_COLUMNS)
