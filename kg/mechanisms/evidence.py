"""The evidence behind the graph as pandas tables: what the notebooks plot, computed where the tests can see it.

Every function takes `graph`: an rdflib Graph, a `kg.load()` store, or None (the graph built from data/).
Functions that only need the assertions also accept the networkx graph from `kg.to_networkx`, so a notebook
converts once and reuses it. Tables keep one row per assertion wherever they can, so a reader can always
trace a number back to its curated row (`assertion`, `source_file`).
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import DCTERMS

from kg.mechanisms.engagement import POTENCY_MEASURES, potency_micromolar
from kg.mechanisms.engine import CARRIERS, SUPPORTING, find_paths
from kg.model.network import CHEMICAL, GRADE_RANK, OUTCOME, PROCESS, TARGET, curie, focal_drugs
from kg.store import as_rdflib, to_networkx
from kg.vocab import BIOLINK, PAINKG

NO_SPECIES = "species not stated"
FORM_LINKS = CARRIERS | {"enantiomer_of"}  # predicates that tie a drug to its enantiomers and metabolites
NOT_PHARMACOLOGY = CARRIERS | {"metabolised_by"}  # drug -> enzyme rows describe metabolism, not a target action
NO_SYSTEM = "(no system)"
ROLE_LAYER = {CHEMICAL: 0, TARGET: 1, PROCESS: 2, OUTCOME: 3}  # left-to-right order for drawing a mechanism
NO_STUDY = "no linked study: "

EVIDENCE_COLUMNS = [
    "assertion",
    "subject",
    "subject_label",
    "subject_role",
    "subject_systems",
    "predicate",
    "object",
    "object_label",
    "object_role",
    "object_systems",
    "support",
    "grade",
    "species",
    "species_label",
    "evidence_type",
    "evidence_type_label",
    "studies",
    "designs",
    "publications",
    "years",
    "model",
    "measure",
    "value",
    "value_low",
    "value_high",
    "unit",
    "stereoisomer",
    "source_file",
]


# ---------------------------------------------------------------- inputs


def _network(graph) -> nx.MultiDiGraph:
    """Reuse a network the caller already built; convert anything else once."""
    return graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)


def _rdf_and_network(graph) -> tuple[Graph, nx.MultiDiGraph]:
    """Publication years and study designs are only in the RDF, so these views need it, not a networkx graph."""
    if isinstance(graph, nx.MultiDiGraph):
        raise TypeError(
            "this view reads publication years and study designs from the RDF: "
            "pass kg.load() or an rdflib Graph, not the networkx graph"
        )
    rdf = as_rdflib(graph)
    return rdf, to_networkx(rdf)


def _label(network: nx.MultiDiGraph, node: str) -> str:
    return network.nodes[node].get("label", node) if node in network else node


def _species_label(network: nx.MultiDiGraph, species: str) -> str:
    """The species' name, or NO_SPECIES where the source did not state one (never a guess)."""
    return _label(network, species) if species else NO_SPECIES


def publication_year_of(rdf: Graph) -> dict[str, int]:
    """Publication CURIE -> year, from dcterms:issued on biolink:Publication nodes."""
    years = {}
    for publication in rdf.subjects(RDF.type, BIOLINK.Publication):
        issued = rdf.value(publication, DCTERMS.issued)
        if issued is not None and str(issued)[:4].isdigit():
            years[curie(publication)] = int(str(issued)[:4])
    return years


def study_design_of(rdf: Graph) -> dict[str, str]:
    """Study CURIE -> design (meta-analysis, randomised controlled trial, ...)."""
    return {curie(study): str(rdf.value(study, PAINKG.design) or "") for study in rdf.subjects(RDF.type, BIOLINK.Study)}


def evidence_type_label_of(rdf: Graph) -> dict[str, str]:
    """ECO CURIE -> its label, so tables read 'clinical study evidence' rather than ECO:0000180."""
    return {curie(eco): str(rdf.value(eco, RDFS.label) or curie(eco)) for eco in rdf.subjects(RDF.type, PAINKG.EvidenceType)}


# ---------------------------------------------------------------- one row per assertion


def evidence_table(graph=None) -> pd.DataFrame:
    """Every assertion with its evidence, labels, roles and systems: the table all other views start from."""
    rdf, network = _rdf_and_network(graph)
    years, designs, eco = publication_year_of(rdf), study_design_of(rdf), evidence_type_label_of(rdf)
    rows = [_evidence_row(network, s, o, a, years, designs, eco) for s, o, a in network.edges(data=True)]
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    return table.sort_values("assertion", ignore_index=True)


def _evidence_row(network, subject, obj, a, years, designs, eco) -> dict:
    node = lambda n: network.nodes[n] if n in network else {}  # noqa: E731
    return {
        "assertion": a["assertion"],
        "subject": subject,
        "subject_label": _label(network, subject),
        "subject_role": node(subject).get("role", ""),
        "subject_systems": node(subject).get("systems", []),
        "predicate": a["predicate"],
        "object": obj,
        "object_label": _label(network, obj),
        "object_role": node(obj).get("role", ""),
        "object_systems": node(obj).get("systems", []),
        "support": a["support"],
        "grade": a["grade"],
        "species": a["species"],
        "species_label": _species_label(network, a["species"]),
        "evidence_type": a["evidence_type"],
        "evidence_type_label": eco.get(a["evidence_type"], a["evidence_type"]),
        "studies": a["studies"],
        "designs": sorted({designs[s] for s in a["studies"] if designs.get(s)}),
        "publications": a["publications"],
        "years": sorted({years[p] for p in a["publications"] if p in years}),
        "model": a["model"],
        "measure": a["measure"],
        "value": a["value"],
        "value_low": a["value_low"],
        "value_high": a["value_high"],
        "unit": a["unit"],
        "stereoisomer": a["stereoisomer"],
        "source_file": a["source_file"],
    }


# ---------------------------------------------------------------- systems x outcomes


def system_outcome_grades(graph=None, drug: str | None = None) -> pd.DataFrame:
    """Systems (rows) x outcomes (columns): best grade of any evidenced mechanism path through that system.

    A path goes through a system when one of its intermediate nodes (metabolite, target or process, not the
    drug and not the outcome) belongs to it. Empty cells mean no evidenced path: a gap, not a negative finding.
    """
    network = _network(graph)
    best: dict[tuple[str, str], str] = {}
    for path in find_paths(network, drug):
        for system in _path_systems(network, path.nodes[1:-1]):
            key = (system, path.outcome)
            if GRADE_RANK.get(path.grade, 0) > GRADE_RANK.get(best.get(key, ""), 0):
                best[key] = path.grade
    systems = sorted({s for _, attrs in network.nodes(data=True) for s in attrs.get("systems", [])})
    outcomes = sorted({o for _, o in best}, key=lambda o: _label(network, o))
    frame = pd.DataFrame(
        [[best.get((s, o), "") for o in outcomes] for s in systems], index=systems, columns=[_label(network, o) for o in outcomes]
    )
    frame.index.name, frame.columns.name = "system", "outcome"
    return frame


def _path_systems(network: nx.MultiDiGraph, nodes: list[str]) -> set[str]:
    return {s for n in nodes for s in network.nodes[n].get("systems", [])}


def grade_ranks(grades: pd.DataFrame) -> pd.DataFrame:
    """Letters -> numbers for a heatmap (A=4 ... D=1), NaN where there is no grade."""
    return grades.map(lambda g: GRADE_RANK.get(g, math.nan)).astype(float)


# ---------------------------------------------------------------- designs, species, years


def _by_system(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (assertion, system of its subject or object); assertions without a system keep one row."""
    systems = [
        sorted(set(s) | set(o)) or [NO_SYSTEM] for s, o in zip(table["subject_systems"], table["object_systems"], strict=True)
    ]
    return table.assign(system=systems).explode("system", ignore_index=True)


def _design_or_evidence(row) -> list[str]:
    """The linked studies' designs; for rows with no study, the evidence type says what kind of evidence it is."""
    return row["designs"] or [NO_STUDY + row["evidence_type_label"]]


def designs_by_system(graph=None) -> pd.DataFrame:
    """Systems x study design (or evidence type when no study is linked): number of assertions."""
    return _design_counts(_by_system(evidence_table(graph)))


def species_by_system(graph=None) -> pd.DataFrame:
    """Systems x species: number of assertions, so a reader sees which systems rest on animal work only."""
    return pd.crosstab(*_species_columns(_by_system(evidence_table(graph))))


def designs_and_species_by_system(graph=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both crosstabs from one read of the graph: (designs_by_system, species_by_system)."""
    table = _by_system(evidence_table(graph))
    return _design_counts(table), pd.crosstab(*_species_columns(table))


def _design_counts(by_system: pd.DataFrame) -> pd.DataFrame:
    table = by_system.assign(design=by_system.apply(_design_or_evidence, axis=1)).explode("design")
    return pd.crosstab(table["system"], table["design"])


def _species_columns(by_system: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return by_system["system"], by_system["species_label"]


def publication_years(graph=None) -> pd.DataFrame:
    """One row per cited publication: year, citation, study type, how many assertions cite it, their best grade."""
    rdf, network = _rdf_and_network(graph)
    years = publication_year_of(rdf)
    cited: dict[str, list[str]] = {}
    for _, _, a in network.edges(data=True):
        for publication in a["publications"]:
            cited.setdefault(publication, []).append(a["grade"])
    nodes = {curie(p): p for p in rdf.subjects(RDF.type, BIOLINK.Publication)}
    rows = [_publication_row(rdf, nodes.get(p), p, years.get(p), grades) for p, grades in cited.items()]
    columns = ["publication", "citation", "year", "study_type", "assertions", "best_grade"]
    table = pd.DataFrame(rows, columns=columns).astype({"year": "Int64"})
    return table.sort_values(["year", "publication"], ignore_index=True)


def _publication_row(rdf: Graph, node, publication: str, year: int | None, grades: list[str]) -> dict:
    return {
        "publication": publication,
        "citation": str(rdf.value(node, RDFS.label) or publication),
        "year": year,
        "study_type": str(rdf.value(node, PAINKG.studyType) or ""),
        "assertions": len(grades),
        "best_grade": max(grades, key=lambda g: GRADE_RANK.get(g, 0)),
    }


# ---------------------------------------------------------------- conflicts

CONFLICT_COLUMNS = [
    "subject_label",
    "predicate",
    "object_label",
    "support",
    "grade",
    "species_label",
    "model",
    "evidence_type_label",
    "publications",
    "years",
    "assertion",
    "subject",
    "object",
    "source_file",
]


def conflicts(graph=None) -> pd.DataFrame:
    """Claims (same subject, predicate, object) whose sources disagree on support: every side, row by row."""
    table = evidence_table(graph)
    supports = table.groupby(["subject", "predicate", "object"])["support"].transform("nunique")
    disputed = table[supports > 1]
    order = disputed["support"].map({"supports": 0, "partially_supports": 1, "refutes": 2})
    disputed = disputed.assign(_order=order).sort_values(["subject_label", "predicate", "object_label", "_order", "assertion"])
    return disputed[CONFLICT_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------- a drug, its enantiomers and metabolites


def drug_anchors(network: nx.MultiDiGraph, drug: str | None = None) -> list[str]:
    """The drug (default: the focal drugs; with none flagged, every chemical no other form carries) followed by
    the forms it is made of (has_component: its enantiomers)."""
    drugs = [drug] if drug else focal_drugs(network) or _root_chemicals(network)
    anchors = []
    for root in (d for d in drugs if d in network):
        components = {
            o
            for _, o, a in network.out_edges(root, data=True)
            if a["predicate"] == "has_component" and a["support"] in SUPPORTING
        }
        anchors += [n for n in [root, *sorted(components, key=lambda n: _label(network, n))] if n not in anchors]
    return anchors


def _root_chemicals(network: nx.MultiDiGraph) -> list[str]:
    carried = {o for _, o, a in network.edges(data=True) if a["predicate"] in CARRIERS and a["support"] in SUPPORTING}
    return sorted(n for n, role in network.nodes(data="role") if role == CHEMICAL and n not in carried)


def drug_forms(graph=None, drug: str | None = None) -> list[str]:
    """The drug, its components and every form linked to them (metabolites, components, enantiomers)."""
    network = _network(graph)
    links = nx.Graph(
        [(s, o) for s, o, a in network.edges(data=True) if a["predicate"] in FORM_LINKS and a["support"] in SUPPORTING]
    )
    anchors = drug_anchors(network, drug)
    linked = {n for a in anchors if a in links for n in nx.node_connected_component(links, a)}
    return anchors + sorted(linked - set(anchors), key=lambda n: _label(network, n))


COMPARISON_COLUMNS = [
    "drug",
    "drug_label",
    "form",
    "target",
    "target_label",
    "predicate",
    "support",
    "measure",
    "value",
    "value_low",
    "value_high",
    "unit",
    "micromolar",
    "stereoisomer",
    "species_label",
    "grade",
    "publications",
    "assertion",
]


def enantiomer_comparison(graph=None) -> pd.DataFrame:
    """Every curated action of the focal drug, its enantiomers and metabolites on a target, with the number if any.

    `form` names what the number is for (the drug, or the stereoisomer the row's `stereoisomer` column gives);
    `micromolar` converts molar units and p-scale values (pKi ...) so potencies compare across rows; other units stay
    as published.
    """
    network = _network(graph)
    forms = drug_forms(network)
    rows = [
        _comparison_row(network, drug, target, a)
        for drug in forms
        for _, target, a in network.out_edges(drug, data=True)
        if network.nodes[target].get("role") == TARGET and a["predicate"] not in NOT_PHARMACOLOGY
    ]
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    order = {d: i for i, d in enumerate(forms)}
    table = (
        table.assign(_order=table["drug"].map(order))
        .sort_values(["target_label", "_order", "assertion"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    table.attrs["forms"] = forms  # the drug and its components first, for actions_by_target's column order
    return table


def _comparison_row(network, drug: str, target: str, a: dict) -> dict:
    label = _label(network, drug)
    return {
        "drug": drug,
        "drug_label": label,
        "form": f"{label} ({a['stereoisomer']})" if a["stereoisomer"] else label,
        "target": target,
        "target_label": _label(network, target),
        "predicate": a["predicate"],
        "support": a["support"],
        "measure": a["measure"],
        "value": a["value"],
        "value_low": a["value_low"],
        "value_high": a["value_high"],
        "unit": a["unit"],
        "micromolar": potency_micromolar(a["value"], a["unit"]),
        "stereoisomer": a["stereoisomer"],
        "species_label": _species_label(network, a["species"]),
        "grade": a["grade"],
        "publications": "|".join(a["publications"]),
        "assertion": a["assertion"],
    }


def potency_matrix(comparison: pd.DataFrame) -> pd.DataFrame:
    """Targets x forms: the lowest supported molar potency (µM) among Ki, IC50, EC50 and Kd; NaN where none."""
    potent = comparison[
        comparison["measure"].isin(POTENCY_MEASURES) & comparison["micromolar"].notna() & comparison["support"].isin(SUPPORTING)
    ]
    return potent.pivot_table(index="target_label", columns="form", values="micromolar", aggfunc="min")


def actions_by_target(comparison: pd.DataFrame) -> pd.DataFrame:
    """Targets x drugs: the supported actions (predicates) curated for each pair, '' where nothing is curated."""
    supported = comparison[comparison["support"].isin(SUPPORTING)]
    table = supported.pivot_table(
        index="target_label", columns="drug_label", values="predicate", aggfunc=lambda p: ", ".join(sorted(set(p)))
    )
    anchors = {d: i for i, d in enumerate(comparison.attrs.get("forms", []))}
    drugs = supported.drop_duplicates("drug")
    drugs = drugs.assign(_order=drugs["drug"].map(lambda d: anchors.get(d, len(anchors))))
    columns = list(drugs.sort_values(["_order", "drug_label"])["drug_label"])  # the drug and its enantiomers first
    return table.reindex(columns=columns).fillna("")


# ---------------------------------------------------------------- network views


def mechanism_centrality(graph=None, drug: str | None = None) -> pd.DataFrame:
    """Targets and processes with supported assertions, ranked by mechanism paths through them, then betweenness.

    Betweenness is computed on supported assertions only, so a refuted claim does not make a node look central.
    """
    network = _network(graph)
    through: dict[str, int] = {}
    for path in find_paths(network, drug):
        for node in set(path.nodes[1:-1]):
            through[node] = through.get(node, 0) + 1
    supported = nx.DiGraph([(s, o) for s, o, a in network.edges(data=True) if a["support"] in SUPPORTING])
    betweenness = nx.betweenness_centrality(supported) if supported.number_of_nodes() else {}
    rows = [
        {
            "node": n,
            "label": attrs["label"],
            "role": attrs["role"],
            "systems": "|".join(attrs["systems"]),
            "paths_through": through.get(n, 0),
            "betweenness": round(betweenness.get(n, 0.0), 4),
            "degree": supported.degree(n),
        }
        for n, attrs in network.nodes(data=True)
        if attrs.get("role") in (TARGET, PROCESS) and n in supported
    ]
    table = pd.DataFrame(rows, columns=["node", "label", "role", "systems", "paths_through", "betweenness", "degree"])
    return table.sort_values(["paths_through", "betweenness", "label"], ascending=[False, False, True], ignore_index=True)


def system_subgraph(graph, system: str) -> nx.MultiDiGraph:
    """The mechanism of one system: its targets and processes, the chemicals acting on them, the outcomes they lead to.

    Only mechanism edges are kept (a chemical's direct claims on outcomes or on other chemicals belong to the
    clinical and metabolism views), so the drawing reads left to right. Nodes are inserted sorted by role and
    label and get `layer` (chemical 0, target 1, process 2, outcome 3) for nx.multipartite_layout(subset_key="layer").
    """
    network = _network(graph)
    role = lambda n: network.nodes[n].get("role")  # noqa: E731
    members = {
        n
        for n, attrs in network.nodes(data=True)
        if system in attrs.get("systems", []) and attrs.get("role") in (TARGET, PROCESS)
    }
    outcomes = {o for n in members for o in network.successors(n) if role(o) == OUTCOME}
    drugs = {d for n in members for d in network.predecessors(n) if role(d) == CHEMICAL}
    nodes = sorted(members | outcomes | drugs, key=lambda n: (ROLE_LAYER[role(n)], _label(network, n).lower()))
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, {**network.nodes[n], "layer": ROLE_LAYER[role(n)]}) for n in nodes)
    sub.add_edges_from(
        (s, o, k, a)
        for s, o, k, a in network.edges(keys=True, data=True)
        if s in sub and o in sub and not (role(s) == CHEMICAL and role(o) in (OUTCOME, CHEMICAL))
    )
    return sub


def drawing_layers(subgraph: nx.MultiDiGraph) -> dict[int, list[str]]:
    """Layer -> nodes, for nx.multipartite_layout(subgraph, subset_key=...): keeps the subgraph's label order top
    to bottom (given the attribute name, networkx groups a layer's nodes in an unordered set, first at the bottom)."""
    layers: dict[int, list[str]] = {}
    for node, layer in subgraph.nodes(data="layer"):
        layers.setdefault(layer, []).insert(0, node)
    return dict(sorted(layers.items()))


# ---------------------------------------------------------------- overview


def graph_statistics(graph=None) -> dict[str, pd.Series]:
    """Totals and the main breakdowns (entities by role, assertions by grade, support, evidence, species)."""
    rdf, network = _rdf_and_network(graph)
    table = evidence_table(rdf)
    roles = pd.Series([a["role"] for _, a in network.nodes(data=True) if "role" in a], dtype=str)
    totals = {
        "entities": len(roles),
        "assertions": len(table),
        "publications cited": len({p for ps in table["publications"] for p in ps}),
        "studies linked": len({s for ss in table["studies"] for s in ss}),
        "quantitative assertions": int(table["value"].notna().sum()),
    }
    return {
        "totals": pd.Series(totals, name="count"),
        "entities by role": roles.value_counts().rename("entities"),
        "assertions by grade": table["grade"].value_counts().sort_index().rename("assertions"),
        "assertions by support": table["support"].value_counts().rename("assertions"),
        "assertions by evidence type": table["evidence_type_label"].value_counts().rename("assertions"),
        "assertions by species": table["species_label"].value_counts().rename("assertions"),
    }
