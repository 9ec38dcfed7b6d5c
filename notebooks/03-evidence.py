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
# # How good is the evidence?
#
# Where the graph is strong and where it rests on one animal study or a review statement: grades of mechanism
# paths by system and outcome, study designs and species behind each system, the age of the evidence, and the
# claims whose sources disagree.

# %%
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import ListedColormap

import kg

pd.set_option("display.max_colwidth", 90)
plt.rcParams.update({"figure.dpi": 110, "axes.titleweight": "bold"})
store = kg.load()  # the built graph; rebuilt in memory from data/ when a curated file is newer than the build
network = kg.to_networkx(store)  # entities as nodes, assertions as keyed edges with their evidence


def label(node: str) -> str:
    """The name a reader knows the entity by."""
    return network.nodes[node].get("label", node)


store

# %% [markdown]
# ## Best grade of a mechanism path, by system and outcome
#
# A cell holds the best grade of any evidenced path from ketamine to that outcome passing through a node of that
# system. An empty cell is a gap in the curated evidence, not evidence of no effect.

# %%
grades = kg.evidence.system_outcome_grades(network)
grades

# %% painkg={"figure": "grade-heatmap"}
ranks = kg.evidence.grade_ranks(grades)
fig, ax = plt.subplots(figsize=(1.0 + 0.75 * len(ranks.columns), 1.2 + 0.5 * len(ranks.index)))
image = ax.imshow(
    ranks.values, cmap=ListedColormap(["#d73027", "#fc8d59", "#91cf60", "#1a9850"]), vmin=0.5, vmax=4.5, aspect="auto"
)
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
plt.show()

# %% [markdown]
# ## Study designs and species behind each system
#
# Each assertion counts once for every system of its subject or object. Where no clinical study is linked, the
# evidence type (animal model, binding assay, author statement ...) stands in for the design.

# %%
designs, species = kg.evidence.designs_and_species_by_system(store)
designs

# %% painkg={"figure": "designs-by-system"}
fig, ax = plt.subplots(figsize=(11, 6))
designs.plot.barh(stacked=True, ax=ax, colormap="tab20", width=0.8)
ax.set_title("Study design (or evidence type when no study is linked) behind each system")
ax.set_xlabel("assertions (count)")
ax.set_ylabel("system")
ax.legend(title="design / evidence type", bbox_to_anchor=(1.01, 1), loc="upper left", fontsize=8)
plt.show()

# %% painkg={"figure": "species-by-system"}
ax = species.plot.barh(stacked=True, figsize=(9, 5), colormap="Set2", width=0.8)
ax.set_title("Species in which each system's assertions were observed")
ax.set_xlabel("assertions (count)")
ax.set_ylabel("system")
ax.legend(title="species")
plt.show()
species

# %% [markdown]
# ## How old is the evidence?
#
# Years come from `dcterms:issued` of each cited publication; colour is the best grade among the assertions that
# cite it.

# %% painkg={"figure": "publication-years"}
years = kg.evidence.publication_years(store)
dated = years.dropna(subset=["year"])
print(f"{len(years)} publications cited, {len(dated)} with a year; median year {int(dated['year'].median())}")
bins = range(int(dated["year"].min()), int(dated["year"].max()) + 2)
fig, ax = plt.subplots(figsize=(10, 4))
ax.hist(
    [dated.loc[dated["best_grade"] == g, "year"].astype(int) for g in "ABCD"],
    bins=bins,
    stacked=True,
    color=["#1a9850", "#91cf60", "#fc8d59", "#d73027"],
    label=list("ABCD"),
    align="left",
)
ax.set_title("Publication years of the cited evidence")
ax.set_xlabel("year of publication")
ax.set_ylabel("publications cited (count)")
ax.legend(title="best grade citing it")
plt.show()

# %% [markdown]
# ## Conflicting findings
#
# Claims (same subject, predicate and object) whose sources disagree: every side is listed, supporting rows
# first, each with its own grade, species, model and publication.

# %%
disputed = kg.evidence.conflicts(store)
disputed[["subject_label", "predicate", "object_label", "support", "grade", "species_label", "model", "publications"]]

# %% painkg={"figure": "conflicts"}
claims = disputed.assign(
    claim=disputed["subject_label"] + " " + disputed["predicate"].str.replace("_", " ") + " " + disputed["object_label"]
)
sides = pd.crosstab(claims["claim"], claims["support"]).reindex(
    columns=["supports", "partially_supports", "refutes"], fill_value=0
)
ax = sides.plot.barh(stacked=True, figsize=(10, 0.9 + 0.38 * len(sides)), color=["#2a9d8f", "#e9c46a", "#e76f51"], width=0.8)
ax.set_title("Disputed claims: what each curated source says")
ax.set_xlabel("curated evidence rows (count)")
ax.set_ylabel("")
ax.legend(title="the cited source", bbox_to_anchor=(1.01, 1), loc="upper left")
plt.show()
