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
# # A tour of painkg
#
# painkg is a curated knowledge graph of how ketamine relieves pain and how good the evidence is. Every claim
# (an *assertion*) carries its publications, evidence type, species, numbers with units where published, a
# confidence grade (A strongest … D weakest) and whether the source supports, partially supports or refutes it.
#
# This notebook loads the graph, counts what it holds, runs three questions from the query library and opens
# the interactive viewer inline. The logic lives in the `kg` package; the notebook only calls it.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

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
# ## What the graph holds
#
# `kg.evidence.graph_statistics` counts the entities by role (chemical, target, process, outcome) and the
# assertions by grade, support, evidence type and species.

# %%
statistics = kg.evidence.graph_statistics(store)
print(f"{store.triples_count():,} RDF triples")
statistics["totals"].to_frame()

# %%
for name, counts in statistics.items():
    if name != "totals":
        display(counts.to_frame(name))

# %% [markdown]
# How strong is the evidence overall? One bar per grade, split by what the source says about the claim.

# %% painkg={"figure": "assertions-by-grade"}
table = kg.evidence.evidence_table(store)
by_grade = pd.crosstab(table["grade"], table["support"]).reindex(
    index=["A", "B", "C", "D"], columns=["supports", "partially_supports", "refutes"], fill_value=0
)
ax = by_grade.plot.bar(
    stacked=True, figsize=(7, 4), rot=0, color={"supports": "#2a9d8f", "partially_supports": "#e9c46a", "refutes": "#e76f51"}
)
ax.set_title("Curated assertions by confidence grade and support")
ax.set_xlabel("confidence grade (A = strongest evidence, D = weakest)")
ax.set_ylabel("assertions (count)")
ax.legend(title="the cited source")
plt.show()

# %% [markdown]
# ## The query library
#
# Each library query is a SPARQL file `kg/queries/cq-NN-*.rq` whose header states the question and its
# parameters. `kg.query(name, **parameters)` runs one and returns a DataFrame; parameters are passed as
# bindings, never pasted into the query text.

# %%
kg.queries()[["name", "question", "parameters"]]

# %% [markdown]
# ### 1. What does ketamine act on, and with what affinity?
#
# `DRUG` is the drug the curated data flags as its focus (ketamine), so the notebook names no identifier of its own.
# One row per evidence row; affinity columns stay empty where no number was published.

# %%
kg.query("cq-01-drug-targets", graph=store, drug=DRUG)

# %% [markdown]
# ### 2. Which metabolites does ketamine form, which enzymes form them, and what do they act on?

# %%
kg.query("cq-02-metabolites-enzymes", graph=store, drug=DRUG)

# %% [markdown]
# ### 3. Which systems mediate the effect on a pain outcome, and how strong is their evidence?
#
# The outcome is the one most of ketamine's evidenced mechanism paths reach (`kg.paths`), so it follows the data.

# %%
reached = kg.paths(drug=DRUG, graph=network)["outcome"].value_counts()
OUTCOME = sorted(reached[reached == reached.max()].index)[0]
print(f"{label(OUTCOME)} ({OUTCOME}): {reached[OUTCOME]} mechanism paths from {label(DRUG)}")

# %%
kg.query("cq-03-systems-for-outcome", graph=store, outcome=OUTCOME)

# %% [markdown]
# ## The interactive viewer, inline
#
# `kg.viz` draws part of the graph as a self-contained page (no network access). Here: the evidenced mechanism
# paths from ketamine to that outcome. Click a node or an edge to read its evidence.

# %%
kg.viz(outcome=OUTCOME, graph=network)
