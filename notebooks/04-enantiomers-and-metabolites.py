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
# # Esketamine, arketamine and the metabolites, target by target
#
# Racemic ketamine is a 1:1 mixture of esketamine (S) and arketamine (R); norketamine, hydroxynorketamines and
# dehydronorketamine are formed from it. This notebook puts their curated actions on each target side by side,
# with affinities (Ki, IC50, EC50, Kd) where a number was published.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

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
# ## The forms in the graph
#
# Ketamine, its enantiomers and everything linked to them by `has_component`, `has_metabolite` or
# `enantiomer_of`.

# %%
forms = kg.evidence.drug_forms(network)
pd.DataFrame({"id": forms, "label": [label(f) for f in forms]})

# %% [markdown]
# ## Which form does what to each target
#
# Supported actions only; an empty cell means nothing is curated for that pair (not that there is no effect).

# %%
comparison = kg.evidence.enantiomer_comparison(network)
kg.evidence.actions_by_target(comparison)

# %% [markdown]
# ## Every row, with its number, unit and source
#
# `form` says which stereoisomer a number was measured for; `micromolar` converts molar units (nM, µM, mM) so
# rows compare. Refuted rows stay in the table.

# %%
comparison[
    [
        "form",
        "target_label",
        "predicate",
        "support",
        "measure",
        "value",
        "unit",
        "micromolar",
        "species_label",
        "grade",
        "publications",
    ]
]

# %% [markdown]
# ## Potency at each target (lowest curated molar value, µM)

# %%
potency = kg.evidence.potency_matrix(comparison)
potency

# %% painkg={"figure": "potency-by-target"}
measured = comparison[
    comparison["measure"].isin(["Ki", "IC50", "EC50", "Kd"])
    & comparison["micromolar"].notna()
    & comparison["support"].isin(["supports", "partially_supports"])
]
targets = list(dict.fromkeys(measured.sort_values("micromolar")["target_label"]))
form_names = list(dict.fromkeys(measured.sort_values("drug", key=lambda d: d.map(forms.index))["form"]))
colours = dict(zip(form_names, plt.cm.tab10.colors, strict=False))  # ten colours, fewer forms
markers = {"Ki": "o", "IC50": "s", "EC50": "^", "Kd": "D"}
fig, ax = plt.subplots(figsize=(12, 0.6 * len(targets) + 1.8), layout="constrained")
offsets = np.linspace(-0.25, 0.25, len(form_names)) if len(form_names) > 1 else [0.0]
for offset, form in zip(offsets, form_names, strict=True):
    rows = measured[measured["form"] == form]
    for measure, marker in markers.items():
        chosen = rows[rows["measure"] == measure]
        ax.scatter(
            chosen["micromolar"],
            [targets.index(t) + offset for t in chosen["target_label"]],
            color=colours[form],
            marker=marker,
            s=60,
            edgecolor="black",
            linewidth=0.5,
        )
ax.set_xscale("log")
ax.set_yticks(range(len(targets)), targets)
ax.invert_yaxis()
ax.set_xlabel("potency (Ki, IC50, EC50 or Kd) in µM, log scale — further left = more potent")
ax.set_ylabel("target")
ax.set_title("Curated potencies of ketamine, its enantiomers and metabolites")
fig.legend(
    handles=[plt.Line2D([], [], marker="o", ls="", color=c, label=f) for f, c in colours.items()],
    title="form (stereoisomer)",
    loc="outside right upper",
    fontsize=8,
)
fig.legend(
    handles=[plt.Line2D([], [], marker=m, ls="", color="grey", label=k) for k, m in markers.items()],
    title="measure",
    loc="outside right lower",
    fontsize=8,
)
ax.grid(axis="x", which="both", alpha=0.3)
plt.show()

# %% [markdown]
# Numbers come from different assays and species (see `species_label` and `publications` above): compare
# orders of magnitude, not decimals.
