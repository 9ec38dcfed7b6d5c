"""Hand-drawn evidence networks for unit tests: edges carry the same attributes kg.model.network.to_networkx gives."""

from __future__ import annotations

SIGN = {
    "channel_blocker_of": -1,
    "agonist_of": 1,
    "contributes_to": 1,
    "increases": 1,
    "decreases": -1,
    "ameliorates": -1,
    "causes_adverse_effect": 1,
    "has_metabolite": 0,
    "has_component": 0,
    "binds": 0,
    "increases_activity_of": 1,
}


def edge(network, s, p, o, grade="B", support="supports", species="NCBITaxon:9606", **extra):
    """Add one assertion s -p-> o with its evidence; the key is unique per grade, support and value."""
    attributes = dict(
        assertion=f"{s}-{p}-{o}-{grade}-{support}-{extra.get('value')}",
        predicate=p,
        sign=SIGN[p],
        grade=grade,
        grade_rank="DCBA".index(grade) + 1,
        support=support,
        species=species,
        evidence_type="ECO:0000180",
        publications=["PMID:1"],
        studies=[],
        measure="",
        unit="",
        value=None,
        value_low=None,
        value_high=None,
        stereoisomer="",
        model="",
        direction="",
        population="",
        dose="",
        route="",
        note="",
        source_file="x.tsv:2",
    )
    attributes.update(extra)
    network.add_edge(s, o, key=attributes["assertion"], **attributes)
    return attributes["assertion"]
