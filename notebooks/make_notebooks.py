"""Write the painkg notebooks (without outputs) from the cell text below: `python notebooks/make_notebooks.py`.

Keeping the cells here makes a notebook change a readable diff; the notebooks only call kg and plot.
A code cell that draws a figure is tagged with metadata {"painkg": {"figure": NAME}} so the notebook test
can save its PNG under a name a reviewer recognises.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """\
%matplotlib inline
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

import kg
import kg.sparql.library
from kg import evidence
from kg.mechanisms.engine import paths as mechanism_paths
from kg.views.viewer import viz

pd.set_option("display.max_colwidth", 90)
plt.rcParams.update({"figure.dpi": 110, "axes.titleweight": "bold"})
store = kg.load()  # the built graph; rebuilt in memory from data/ when a curated file is newer than the build
network = kg.to_networkx(store)  # entities as nodes, assertions as keyed edges with their evidence
label = lambda node: network.nodes[node].get("label", node)  # noqa: E731
store"""


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, figure: str | None = None):
    cell = new_code_cell(text.strip())
    if figure:
        cell.metadata["painkg"] = {"figure": figure}
    return cell


TOUR = [
    md("""
# A tour of painkg

painkg is a curated knowledge graph of how ketamine relieves pain and how good the evidence is. Every claim
(an *assertion*) carries its publications, evidence type, species, numbers with units where published, a
confidence grade (A strongest … D weakest) and whether the source supports, partially supports or refutes it.

This notebook loads the graph, counts what it holds, runs three questions from the query library and opens
the interactive viewer inline. The logic lives in the `kg` package; the notebook only calls it."""),
    code(SETUP),
    md("""
## What the graph holds

`evidence.graph_statistics` counts the entities by role (chemical, target, process, outcome) and the
assertions by grade, support, evidence type and species."""),
    code("""
statistics = evidence.graph_statistics(store)
print(f"{store.triples_count():,} RDF triples")
statistics["totals"].to_frame()"""),
    code("""
for name, counts in statistics.items():
    if name != "totals":
        display(counts.to_frame(name))"""),
    md("""
How strong is the evidence overall? One bar per grade, split by what the source says about the claim."""),
    code("""
table = evidence.evidence_table(store)
by_grade = pd.crosstab(table["grade"], table["support"]).reindex(
    index=["A", "B", "C", "D"], columns=["supports", "partially_supports", "refutes"], fill_value=0)
ax = by_grade.plot.bar(stacked=True, figsize=(7, 4), rot=0, color={"supports": "#2a9d8f",
                       "partially_supports": "#e9c46a", "refutes": "#e76f51"})
ax.set_title("Curated assertions by confidence grade and support")
ax.set_xlabel("confidence grade (A = strongest evidence, D = weakest)")
ax.set_ylabel("assertions (count)")
ax.legend(title="the cited source")
plt.show()""", figure="assertions-by-grade"),
    md("""
## The query library

Each library query is a SPARQL file `kg/queries/cq-NN-*.rq` whose header states the question and its
parameters. `kg.query(name, **parameters)` runs one and returns a DataFrame; parameters are passed as
bindings, never pasted into the query text."""),
    code("kg.api.queries()[['name', 'question', 'parameters']]"),
    md("""
### 1. What does esketamine act on, and with what affinity?

One row per evidence row; affinity columns stay empty where no number was published."""),
    code('kg.query("cq-01-drug-targets", graph=store, drug="CHEBI:60799")'),
    md("### 2. Which metabolites does ketamine form, which enzymes form them, and what do they act on?"),
    code('kg.query("cq-02-metabolites-enzymes", graph=store, drug="CHEBI:6121")'),
    md("### 3. Which systems mediate the effect on neuropathic pain, and how strong is their evidence?"),
    code('kg.query("cq-03-systems-for-outcome", graph=store, outcome="MONDO:0021667")'),
    md("""
## The interactive viewer, inline

`kg.viz` draws part of the graph as a self-contained page (no network access). Here: the evidenced mechanism
paths from ketamine to neuropathic pain. Click a node or an edge to read its evidence."""),
    code('viz(outcome="MONDO:0021667", graph=network)'),
]

PATHS = [
    md("""
# Mechanism paths: drug → target → process → outcome

A *mechanism path* chains assertions from a drug through a molecular target and a process to a pain outcome.
Every hop must be backed by at least one source that supports it; the path's grade is its weakest hop's best
grade, and its sign is the product of the hops' signs (−1 lowers the next node, +1 raises it)."""),
    code(SETUP),
    md("""
## The graph as networkx

Nodes carry label, Biolink category, role and systems; each edge is one assertion (keyed by its id) with its
predicate, sign, grade, support, species, evidence type, publications and numbers."""),
    code("""
print(network.number_of_nodes(), "nodes,", network.number_of_edges(), "assertion edges")
pd.Series(network.nodes["CHEBI:6121"], name="CHEBI:6121").to_frame()"""),
    code("""
ketamine_edges = pd.DataFrame([a for _, _, a in network.out_edges("CHEBI:60799", data=True)])
ketamine_edges[["assertion", "predicate", "grade", "support", "species", "measure", "value", "unit",
                "publications"]].head(10)"""),
    md("""
## Every evidenced path to one outcome

Paths from racemic ketamine, from each enantiomer and from each metabolite to neuropathic pain. Ketamine's
own paths include those through its enantiomers and metabolites (`has_component`, `has_metabolite` hops).
`consistent` says whether the path's sign agrees with the drug's curated effect on the outcome."""),
    code("""
OUTCOME = "MONDO:0021667"  # neuropathic pain
forms = evidence.drug_forms(network)
found = pd.concat([mechanism_paths(drug=form, outcome=OUTCOME, graph=network) for form in forms],
                  ignore_index=True)
found.insert(1, "drug_label", found["drug"].map(label))
found[["drug_label", "path", "effect", "expected_effect", "consistent", "grade", "affinity", "publications"]]"""),
    code("""
per_form = pd.crosstab(found["drug_label"], found["grade"]).reindex(
    index=[label(f) for f in forms], columns=["A", "B", "C", "D"], fill_value=0)
ax = per_form.plot.barh(stacked=True, figsize=(8, 4), color=["#1a9850", "#91cf60", "#fc8d59", "#d73027"])
ax.invert_yaxis()
ax.set_title(f"Evidenced mechanism paths to {label(OUTCOME)}")
ax.set_xlabel("mechanism paths (count)")
ax.set_ylabel("drug (racemate, enantiomer or metabolite)")
ax.legend(title="path grade")
plt.show()""", figure="paths-per-form"),
    md("""
## Which targets and processes carry the mechanisms?

`paths_through` counts the evidenced paths from ketamine (to any outcome) that pass through a node;
betweenness is computed on supported assertions only."""),
    code("""
central = evidence.mechanism_centrality(network)
central.head(15)"""),
    code("""
top = central.head(15).iloc[::-1]
colours = top["role"].map({"target": "#dd8452", "process": "#55a868"})
fig, ax = plt.subplots(figsize=(8, 6))
ax.barh(top["label"], top["paths_through"], color=colours)
ax.set_title("Targets and processes most mechanism paths from ketamine pass through")
ax.set_xlabel("evidenced mechanism paths through the node (count)")
ax.legend(handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#dd8452", "#55a868")],
          labels=["target", "process"], loc="lower right")
plt.show()""", figure="centrality"),
    md("""
## One system drawn: glutamatergic / NMDA

The system's targets and processes, the chemicals acting on them and the outcomes they lead to, laid out left to
right by role (a chemical's direct clinical claims are left out: they are the subject of the evidence notebook).
Grey edges are supported assertions; red dashed edges are refuted ones (kept, not deleted)."""),
    code("""
SYSTEM = "glutamatergic"
sub = evidence.system_subgraph(network, SYSTEM)
positions = nx.multipartite_layout(sub, subset_key=evidence.drawing_layers(sub), scale=2)
role_colour = {"chemical": "#4c72b0", "target": "#dd8452", "process": "#55a868", "outcome": "#c44e52",
               "other": "#8c8c8c"}
refuted = [(s, o) for s, o, a in sub.edges(data=True) if a["support"] == "refutes"]
supported = [(s, o) for s, o, a in sub.edges(data=True) if a["support"] != "refutes"]

tallest = max(sum(1 for n in sub if sub.nodes[n]["layer"] == layer) for layer in range(4))
fig, ax = plt.subplots(figsize=(15, 2 + 0.42 * tallest))
nx.draw_networkx_edges(sub, positions, edgelist=supported, ax=ax, edge_color="#9a9a9a", alpha=0.6,
                       arrowsize=10, node_size=300)
nx.draw_networkx_edges(sub, positions, edgelist=refuted, ax=ax, edge_color="#d62728", style="dashed",
                       arrowsize=10, node_size=300)
nx.draw_networkx_nodes(sub, positions, ax=ax, node_size=300,
                       node_color=[role_colour[sub.nodes[n].get("role", "other")] for n in sub])
nx.draw_networkx_labels(sub, positions, labels={n: label(n) for n in sub}, ax=ax, font_size=8,
                        verticalalignment="bottom", bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1})
ax.legend(handles=[plt.Line2D([], [], marker="o", ls="", color=c, label=r) for r, c in role_colour.items()
                   if r != "other"] + [plt.Line2D([], [], color="#9a9a9a", label="supported assertion"),
                                       plt.Line2D([], [], color="#d62728", ls="--", label="refuted assertion")],
          loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=6, frameon=False)
ax.set_title(f"{SYSTEM} system: {sub.number_of_nodes()} nodes, {sub.number_of_edges()} assertions "
             "(chemicals → targets → processes → outcomes)")
ax.axis("off")
plt.show()""", figure="system-subgraph"),
]

EVIDENCE = [
    md("""
# How good is the evidence?

Where the graph is strong and where it rests on one animal study or a review statement: grades of mechanism
paths by system and outcome, study designs and species behind each system, the age of the evidence, and the
claims whose sources disagree."""),
    code(SETUP),
    md("""
## Best grade of a mechanism path, by system and outcome

A cell holds the best grade of any evidenced path from ketamine to that outcome passing through a node of that
system. An empty cell is a gap in the curated evidence, not evidence of no effect."""),
    code("""
grades = evidence.system_outcome_grades(network)
grades"""),
    code("""
from matplotlib.colors import ListedColormap

ranks = evidence.grade_ranks(grades)
fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(ranks.columns), 1.2 + 0.5 * len(ranks.index)))
image = ax.imshow(ranks.values, cmap=ListedColormap(["#d73027", "#fc8d59", "#91cf60", "#1a9850"]),
                  vmin=0.5, vmax=4.5, aspect="auto")
for (row, column), grade in pd.DataFrame(grades.values).stack().items():
    if grade:
        ax.text(column, row, grade, ha="center", va="center", fontsize=10, fontweight="bold")
ax.set_xticks(range(len(ranks.columns)), ranks.columns, rotation=40, ha="right")
ax.set_yticks(range(len(ranks.index)), ranks.index)
ax.set_xlabel("outcome")
ax.set_ylabel("system the mechanism passes through")
ax.set_title("Best evidence grade of a mechanism path from ketamine")
bar = fig.colorbar(image, ax=ax, ticks=[1, 2, 3, 4], shrink=0.7)
bar.ax.set_yticklabels(["D", "C", "B", "A"])
bar.set_label("grade (A = strongest; blank = no path)")
plt.show()""", figure="grade-heatmap"),
    md("""
## Study designs and species behind each system

Each assertion counts once for every system of its subject or object. Where no clinical study is linked, the
evidence type (animal model, binding assay, author statement ...) stands in for the design."""),
    code("""
designs, species = evidence.designs_and_species_by_system(store)
designs"""),
    code("""
fig, ax = plt.subplots(figsize=(11, 6))
designs.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.8)
ax.set_title("Study design (or evidence type when no study is linked) behind each system")
ax.set_xlabel("assertions (count)")
ax.set_ylabel("system")
ax.legend(title="design / evidence type", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
plt.show()""", figure="designs-by-system"),
    code("""
ax = species.plot.barh(stacked=True, figsize=(9, 5), colormap="Set2", width=0.8)
ax.set_title("Species in which each system's assertions were observed")
ax.set_xlabel("assertions (count)")
ax.set_ylabel("system")
ax.legend(title="species")
plt.show()
species""", figure="species-by-system"),
    md("""
## How old is the evidence?

Years come from `dcterms:issued` of each cited publication; colour is the best grade among the assertions that
cite it."""),
    code("""
years = evidence.publication_years(store)
dated = years.dropna(subset=["year"])
print(f"{len(years)} publications cited, {len(dated)} with a year; median year {int(dated['year'].median())}")
bins = range(int(dated["year"].min()), int(dated["year"].max()) + 2)
fig, ax = plt.subplots(figsize=(10, 4))
ax.hist([dated.loc[dated["best_grade"] == g, "year"].astype(int) for g in "ABCD"], bins=bins, stacked=True,
        color=["#1a9850", "#91cf60", "#fc8d59", "#d73027"], label=list("ABCD"), align="left")
ax.set_title("Publication years of the cited evidence")
ax.set_xlabel("year of publication")
ax.set_ylabel("publications cited (count)")
ax.legend(title="best grade citing it")
plt.show()""", figure="publication-years"),
    md("""
## Conflicting findings

Claims (same subject, predicate and object) whose sources disagree: every side is listed, supporting rows
first, each with its own grade, species, model and publication."""),
    code("""
disputed = evidence.conflicts(store)
disputed[["subject_label", "predicate", "object_label", "support", "grade", "species_label", "model",
          "publications"]]"""),
    code("""
claims = disputed.assign(claim=disputed["subject_label"] + " " + disputed["predicate"].str.replace("_", " ")
                         + " " + disputed["object_label"])
sides = pd.crosstab(claims["claim"], claims["support"]).reindex(
    columns=["supports", "partially_supports", "refutes"], fill_value=0)
ax = sides.plot.barh(stacked=True, figsize=(10, 0.9 + 0.38 * len(sides)),
                     color=["#2a9d8f", "#e9c46a", "#e76f51"], width=0.8)
ax.set_title("Disputed claims: what each curated source says")
ax.set_xlabel("curated evidence rows (count)")
ax.set_ylabel("")
ax.legend(title="the cited source", bbox_to_anchor=(1.01, 1), loc="upper left")
plt.show()""", figure="conflicts"),
]

ENANTIOMERS = [
    md("""
# Esketamine, arketamine and the metabolites, target by target

Racemic ketamine is a 1:1 mixture of esketamine (S) and arketamine (R); norketamine, hydroxynorketamines and
dehydronorketamine are formed from it. This notebook puts their curated actions on each target side by side,
with affinities (Ki, IC50, EC50, Kd) where a number was published."""),
    code(SETUP),
    md("""
## The forms in the graph

Ketamine, its enantiomers and everything linked to them by `has_component`, `has_metabolite` or
`enantiomer_of`."""),
    code("""
forms = evidence.drug_forms(network)
pd.DataFrame({"id": forms, "label": [label(f) for f in forms]})"""),
    md("""
## Which form does what to each target

Supported actions only; an empty cell means nothing is curated for that pair (not that there is no effect)."""),
    code("""
comparison = evidence.enantiomer_comparison(network)
evidence.actions_by_target(comparison)"""),
    md("""
## Every row, with its number, unit and source

`form` says which stereoisomer a number was measured for; `micromolar` converts molar units (nM, µM, mM) so
rows compare. Refuted rows stay in the table."""),
    code("""
comparison[["form", "target_label", "predicate", "support", "measure", "value", "unit", "micromolar",
            "species_label", "grade", "publications"]]"""),
    md("""
## Potency at each target (lowest curated molar value, µM)"""),
    code("""
potency = evidence.potency_matrix(comparison)
potency"""),
    code("""
import numpy as np

measured = comparison[comparison["measure"].isin(["Ki", "IC50", "EC50", "Kd"]) & comparison["micromolar"].notna()
                      & comparison["support"].isin(["supports", "partially_supports"])]
targets = list(dict.fromkeys(measured.sort_values("micromolar")["target_label"]))
form_names = list(dict.fromkeys(measured.sort_values("drug", key=lambda d: d.map(forms.index))["form"]))
colours = dict(zip(form_names, plt.cm.tab10.colors))
markers = {"Ki": "o", "IC50": "s", "EC50": "^", "Kd": "D"}
fig, ax = plt.subplots(figsize=(12, 0.6 * len(targets) + 1.8), layout="constrained")
offsets = np.linspace(-0.25, 0.25, len(form_names)) if len(form_names) > 1 else [0.0]
for offset, form in zip(offsets, form_names):
    rows = measured[measured["form"] == form]
    for measure, marker in markers.items():
        chosen = rows[rows["measure"] == measure]
        ax.scatter(chosen["micromolar"], [targets.index(t) + offset for t in chosen["target_label"]],
                   color=colours[form], marker=marker, s=60, edgecolor="black", linewidth=0.5)
ax.set_xscale("log")
ax.set_yticks(range(len(targets)), targets)
ax.invert_yaxis()
ax.set_xlabel("potency (Ki, IC50, EC50 or Kd) in µM, log scale — further left = more potent")
ax.set_ylabel("target")
ax.set_title("Curated potencies of ketamine, its enantiomers and metabolites")
fig.legend(handles=[plt.Line2D([], [], marker="o", ls="", color=c, label=f) for f, c in colours.items()],
           title="form (stereoisomer)", loc="outside right upper", fontsize=8)
fig.legend(handles=[plt.Line2D([], [], marker=m, ls="", color="grey", label=k) for k, m in markers.items()],
           title="measure", loc="outside right lower", fontsize=8)
ax.grid(axis="x", which="both", alpha=0.3)
plt.show()""", figure="potency-by-target"),
    md("""
Numbers come from different assays and species (see `species_label` and `publications` above): compare
orders of magnitude, not decimals."""),
]

NOTEBOOKS = {
    "01-tour.ipynb": TOUR,
    "02-mechanism-paths.ipynb": PATHS,
    "03-evidence.ipynb": EVIDENCE,
    "04-enantiomers-and-metabolites.ipynb": ENANTIOMERS,
}


def write_notebooks(folder: Path = HERE) -> list[Path]:
    """Write every notebook with no outputs and no execution counts."""
    written = []
    for name, cells in NOTEBOOKS.items():
        for number, cell in enumerate(cells, start=1):
            cell.id = f"{name.split('-')[0]}-{number:02d}"  # stable ids: regenerating gives no diff
        notebook = new_notebook(cells=cells, metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"}})
        nbformat.validate(notebook)
        path = folder / name
        nbformat.write(notebook, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_notebooks():
        print(path)
