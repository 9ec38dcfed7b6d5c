# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Mechanism paths: drug → target → process → outcome
#
# A *mechanism path* chains assertions from a drug through a molecular target and a process to a pain outcome.
# Every hop must be backed by at least one source that supports it; the path's grade is its weakest hop's best
# grade, and its sign is the product of the hops' signs (−1 lowers the next node, +1 raises it).

# %%
import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

import kg

pd.set_option("display.max_colwidth", 90)
plt.rcParams.update({"figure.dpi": 110, "axes.titleweight": "bold"})
store = kg.load()  # the built graph; rebuilt in memory from data/ when a curated file is newer than the build
network = kg.to_networkx(store)  # entities as nodes, assertions as keyed edges with their evidence
DRUG = next(node for node, focus in network.nodes(data="focus") if focus)  # `focus` = yes in data/entities


def label(node: str) -> str:
    """The name a reader knows the entity by."""
    return network.nodes[node].get("label", node)


store

# %% [markdown]
# ## The graph as networkx
#
# Nodes carry label, Biolink category, role and systems; each edge is one assertion (keyed by its id) with its
# predicate, sign, grade, support, species, evidence type, publications and numbers.

# %%
print(network.number_of_nodes(), "nodes,", network.number_of_edges(), "assertion edges")
pd.Series(network.nodes[DRUG], name=DRUG).to_frame()

# %%
drug_edges = pd.DataFrame([a for _, _, a in network.out_edges(DRUG, data=True)])
drug_edges[["assertion", "predicate", "grade", "support", "species", "measure", "value", "unit", "publications"]].head(10)

# %% [markdown]
# ## Every evidenced path to one outcome
#
# Paths from racemic ketamine, from each enantiomer and from each metabolite to one outcome: the one most of
# ketamine's evidenced paths reach, so the choice follows the data. Ketamine's own paths include those through
# its enantiomers and metabolites (`has_component`, `has_metabolite` hops). `consistent` says whether the path's
# sign agrees with the drug's curated effect on the outcome.

# %%
reached = kg.paths(drug=DRUG, graph=network)["outcome"].value_counts()
OUTCOME = sorted(reached[reached == reached.max()].index)[0]
forms = kg.evidence.drug_forms(network)
found = pd.concat([kg.paths(drug=form, outcome=OUTCOME, graph=network) for form in forms], ignore_index=True)
found.insert(1, "drug_label", found["drug"].map(label))
found[["drug_label", "path", "effect", "expected_effect", "consistent", "grade", "affinity", "publications"]]

# %% painkg={"figure": "paths-per-form"}
per_form = pd.crosstab(found["drug_label"], found["grade"]).reindex(
    index=[label(f) for f in forms], columns=["A", "B", "C", "D"], fill_value=0
)
ax = per_form.plot.barh(stacked=True, figsize=(8, 4), color=["#1a9850", "#91cf60", "#fc8d59", "#d73027"])
ax.invert_yaxis()
ax.set_title(f"Evidenced mechanism paths to {label(OUTCOME)}")
ax.set_xlabel("mechanism paths (count)")
ax.set_ylabel("drug (racemate, enantiomer or metabolite)")
ax.legend(title="path grade")
plt.show()

# %% [markdown]
# ## Which targets and processes carry the mechanisms?
#
# `paths_through` counts the evidenced paths from ketamine (to any outcome) that pass through a node;
# betweenness is computed on supported assertions only.

# %%
central = kg.evidence.mechanism_centrality(network)
central.head(15)

# %% painkg={"figure": "centrality"}
top = central.head(15).iloc[::-1]
colours = top["role"].map({"target": "#dd8452", "process": "#55a868"})
fig, ax = plt.subplots(figsize=(8, 6))
ax.barh(top["label"], top["paths_through"], color=colours)
ax.set_title("Targets and processes most mechanism paths from ketamine pass through")
ax.set_xlabel("evidenced mechanism paths through the node (count)")
ax.legend(
    handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#dd8452", "#55a868")],
    labels=["target", "process"],
    loc="lower right",
)
plt.show()

# %% [markdown]
# ## One system drawn: glutamatergic / NMDA
#
# The system's targets and processes, the chemicals acting on them and the outcomes they lead to, laid out left to
# right by role (a chemical's direct clinical claims are left out: they are the subject of the evidence notebook).
# Grey edges are supported assertions; red dashed edges are refuted ones (kept, not deleted).

# %% painkg={"figure": "system-subgraph"}
SYSTEM = "glutamatergic"
sub = kg.evidence.system_subgraph(network, SYSTEM)
positions = nx.multipartite_layout(sub, subset_key=kg.evidence.drawing_layers(sub), scale=2)
role_colour = {"chemical": "#4c72b0", "target": "#dd8452", "process": "#55a868", "outcome": "#c44e52", "other": "#8c8c8c"}
refuted = [(s, o) for s, o, a in sub.edges(data=True) if a["support"] == "refutes"]
supported = [(s, o) for s, o, a in sub.edges(data=True) if a["support"] != "refutes"]

tallest = max(sum(1 for n in sub if sub.nodes[n]["layer"] == layer) for layer in range(4))
fig, ax = plt.subplots(figsize=(15, 2 + 0.42 * tallest))
nx.draw_networkx_edges(sub, positions, edgelist=supported, ax=ax, edge_color="#9a9a9a", alpha=0.6, arrowsize=10, node_size=300)
nx.draw_networkx_edges(sub, positions, edgelist=refuted, ax=ax, edge_color="#d62728", style="dashed", arrowsize=10, node_size=300)
nx.draw_networkx_nodes(
    sub, positions, ax=ax, node_size=300, node_color=[role_colour[sub.nodes[n].get("role", "other")] for n in sub]
)
nx.draw_networkx_labels(
    sub,
    positions,
    labels={n: label(n) for n in sub},
    ax=ax,
    font_size=8,
    verticalalignment="bottom",
    bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1},
)
ax.legend(
    handles=[plt.Line2D([], [], marker="o", ls="", color=c, label=r) for r, c in role_colour.items() if r != "other"]
    + [
        plt.Line2D([], [], color="#9a9a9a", label="supported assertion"),
        plt.Line2D([], [], color="#d62728", ls="--", label="refuted assertion"),
    ],
    loc="upper center",
    bbox_to_anchor=(0.5, 0.0),
    ncol=6,
    frameon=False,
)
ax.set_title(
    f"{SYSTEM} system: {sub.number_of_nodes()} nodes, {sub.number_of_edges()} assertions "
    "(chemicals → targets → processes → outcomes)"
)
ax.axis("off")
plt.show()
