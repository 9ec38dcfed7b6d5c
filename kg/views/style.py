"""The viewer's visual vocabulary: one shape per role, one colour per system, one edge colour per kind of action.

Kept apart from the data and the page so the legend and the drawing can never disagree:
both read these tables.
"""

from __future__ import annotations

import math
import textwrap

from kg.model.network import CHEMICAL, OTHER, OUTCOME, PROCESS, TARGET

ROLE_SHAPES = {CHEMICAL: "diamond", TARGET: "dot", PROCESS: "square", OUTCOME: "star", OTHER: "triangle"}
ROLE_NAMES = {
    CHEMICAL: "drug / metabolite",
    TARGET: "target (gene, protein, complex)",
    PROCESS: "process / cell / behaviour",
    OUTCOME: "outcome (pain condition, adverse effect)",
    OTHER: "other",
}

SYSTEM_COLOURS = {
    "glutamatergic": "#4e79a7",
    "opioid": "#e15759",
    "gabaergic": "#59a14f",
    "monoaminergic": "#b07aa1",
    "metabolism": "#9c755f",
    "neurotrophic": "#f28e2b",
    "inflammatory": "#edc948",
    "cholinergic": "#76b7b2",
    "ion_channel": "#17becf",
    "sigma": "#ff9da7",
    "nitrergic": "#8c564b",
    "clinical": "#d62728",
}
NO_SYSTEM_COLOUR = "#9e9e9e"
SYSTEM_NAMES = {
    "glutamatergic": "glutamatergic / NMDA",
    "opioid": "opioid",
    "gabaergic": "GABAergic",
    "monoaminergic": "monoaminergic",
    "metabolism": "metabolites and metabolism",
    "neurotrophic": "neurotrophic / plasticity",
    "inflammatory": "inflammatory",
    "cholinergic": "cholinergic",
    "ion_channel": "ion channels",
    "sigma": "sigma receptors",
    "nitrergic": "nitric oxide",
    "clinical": "clinical outcomes",
}

METABOLIC = frozenset({"has_metabolite", "metabolised_by"})
THERAPEUTIC = frozenset({"treats", "ameliorates", "prevents", "beneficial_in_models_for", "studied_to_treat"})
CAUSAL = frozenset({"causes_adverse_effect"})
ACTIONS = {  # action -> (colour, legend text)
    "activates": ("#2e7d32", "activates / increases"),
    "inhibits": ("#c62828", "inhibits / decreases"),
    "metabolises": ("#6a1b9a", "metabolism (has metabolite, metabolised by)"),
    "treats": ("#1565c0", "treats / ameliorates / prevents"),
    "causes": ("#ef6c00", "causes adverse effect"),
    "relates": ("#757575", "binds, part of, enantiomer (no direction)"),
}
GRADE_WIDTHS = {"A": 6.0, "B": 4.0, "C": 2.5, "D": 1.2}
SUPPORT_DASHES = {"supports": False, "partially_supports": [10, 5], "refutes": [3, 5]}


def node_size(neighbours: int) -> float:
    """Hubs are drawn bigger, so the eye finds them first."""
    return min(14 + 4 * math.sqrt(neighbours), 42)


def font_size(neighbours: int) -> int:
    return round(18 + min(12, 2.5 * math.sqrt(neighbours)))


def wrapped(label: str, width: int = 22) -> str:
    """Long labels on two or three lines, so they do not run over their neighbours."""
    lines = textwrap.wrap(label, width) or [label]
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def label_box(label: str, neighbours: int) -> tuple[float, float]:
    """Room (px) a node and its label below it take: used to keep labels from overlapping."""
    lines = wrapped(label).split("\n")
    font = font_size(neighbours)
    width = max(len(line) for line in lines) * font * 0.58 + 16
    return width, 2 * node_size(neighbours) + len(lines) * font * 1.2 + 10


def action_of(predicate: str, sign: int) -> str:
    """What an edge does to its object, for its colour: the predicate family first, then its sign."""
    if predicate in METABOLIC:
        return "metabolises"
    if predicate in THERAPEUTIC:
        return "treats"
    if predicate in CAUSAL:
        return "causes"
    return {1: "activates", -1: "inhibits"}.get(sign, "relates")


def system_colour(systems: list[str]) -> str:
    """Colour of a node: its first system in legend order (grey when it has none)."""
    for system in SYSTEM_COLOURS:
        if system in systems:
            return SYSTEM_COLOURS[system]
    return NO_SYSTEM_COLOUR


def legend() -> dict:
    """Everything the page's legend shows, from the same tables the drawing uses."""
    return {
        "roles": [{"shape": ROLE_SHAPES[r], "text": ROLE_NAMES[r]} for r in ROLE_SHAPES],
        "systems": [{"colour": c, "text": SYSTEM_NAMES[s]} for s, c in SYSTEM_COLOURS.items()]
        + [{"colour": NO_SYSTEM_COLOUR, "text": "no system given"}],
        "actions": [{"colour": c, "text": t} for c, t in ACTIONS.values()],
        "grades": [{"width": w, "text": f"grade {g}"} for g, w in GRADE_WIDTHS.items()],
        "supports": [{"dashes": d, "text": s.replace("_", " ")} for s, d in SUPPORT_DASHES.items()],
    }
