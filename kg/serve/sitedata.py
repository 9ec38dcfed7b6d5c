"""What the pages show, read from the graph once: entities, assertions, studies, publications, pharmacokinetic and
dosing records through the site's SPARQL queries (kg/serve/queries/site-*.rq, run by kg.sparql on any kg.store
back end), and the networkx graph the mechanism path engine walks.

Everything is plain dicts and lists keyed by CURIE or assertion id, so one read serves every page of the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx

from kg.mechanisms.compare import compare_rows
from kg.mechanisms.engine import find_paths
from kg.model.network import GRADE_RANK, comparisons
from kg.sparql.library import query_rows
from kg.store import to_networkx
from kg.store.backends import compact, converter
from kg.views.data import context_labels

QUERIES = Path(__file__).resolve().parent / "queries"
SEPARATOR = "|"  # GROUP_CONCAT separator of the site queries
LIST_COLUMNS = {"synonyms", "xrefs", "systems", "publications", "studies"}
IRI_LIST_COLUMNS = {"xrefs", "publications", "studies"}


def run(name: str, store) -> list[dict]:
    """One site query as a list of records: unbound values None, lists split, IRIs in lists as CURIEs. Rows of
    Python values, not a DataFrame: the site needs no pandas (importing it alone takes about 0.4 s)."""
    columns, rows = query_rows(str(QUERIES / f"{name}.rq"), graph=store)
    return [clean(dict(zip(columns, row, strict=True))) for row in rows]


def clean(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if key in LIST_COLUMNS:
            items = sorted(str(value).split(SEPARATOR)) if value else []
            value = sorted(compact(i) for i in items) if key in IRI_LIST_COLUMNS else items
        out[key] = value
    return out


def by_key(rows: list[dict], key: str) -> dict[str, dict]:
    return {row[key]: row for row in rows}


def grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row[key], []).append(row)
    return out


@dataclass
class SiteData:
    """The graph as the pages need it; indexes are computed on first use."""

    entities: dict[str, dict]
    assertions: dict[str, dict]
    studies: dict[str, dict]
    references: dict[str, dict]
    pharmacokinetics: dict[str, list[dict]]
    dosing: dict[str, list[dict]]
    labels: dict[str, str]
    network: nx.MultiDiGraph
    prefixes: dict[str, str]
    comparisons: list[dict] = field(default_factory=list)
    _paths: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ lookups

    def label(self, curie: str) -> str:
        """The name a page shows for any CURIE: an entity's display label, else any rdfs:label, else the CURIE."""
        entity = self.entities.get(curie)
        return entity["label"] if entity else self.labels.get(curie, curie)

    @cached_property
    def assertions_by_entity(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for assertion in self.assertions.values():
            for end in {assertion["subject"], assertion["object"]}:
                out.setdefault(end, []).append(assertion)
        return out

    @cached_property
    def assertions_by_study(self) -> dict[str, list[dict]]:
        return self._cited("studies")

    @cached_property
    def assertions_by_reference(self) -> dict[str, list[dict]]:
        return self._cited("publications")

    def _cited(self, column: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for assertion in self.assertions.values():
            for cited in assertion[column]:
                out.setdefault(cited, []).append(assertion)
        return out

    @cached_property
    def studies_by_reference(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for study in self.studies.values():
            for publication in study["publications"]:
                out.setdefault(publication, []).append(study)
        return out

    @cached_property
    def studies_by_intervention(self) -> dict[str, list[dict]]:
        return grouped([s for s in self.studies.values() if s["intervention"]], "intervention")

    @cached_property
    def claims(self) -> dict[tuple, list[dict]]:
        """(subject, predicate, object) -> every assertion of that claim, strongest grade first."""
        out: dict[tuple, list[dict]] = {}
        for assertion in self.assertions.values():
            out.setdefault(claim_key(assertion), []).append(assertion)
        return {k: sorted(v, key=lambda a: (-a["grade_rank"], a["id"])) for k, v in out.items()}

    def contested(self, assertion: dict) -> bool:
        """True when the sources of this claim disagree (one supports, another refutes or only partly supports)."""
        return len({a["support"] for a in self.claims[claim_key(assertion)]}) > 1

    # ------------------------------------------------------------ mechanism paths

    def paths(self, drug: str) -> list:
        """Every evidenced mechanism path from `drug` (computed once per drug)."""
        if drug not in self._paths:
            self._paths[drug] = find_paths(self.network, drug) if drug in self.network else []
        return self._paths[drug]

    def paths_to(self, drug: str, outcome: str) -> list:
        return [p for p in self.paths(drug) if p.nodes[-1] == outcome]

    def outcomes_reached(self, drug: str) -> list[dict]:
        """Outcome, label, number of paths, best grade and the signs, for every outcome a drug reaches."""
        found: dict[str, list] = {}
        for path in self.paths(drug):
            found.setdefault(path.nodes[-1], []).append(path)
        rows = [
            {
                "outcome": o,
                "label": self.label(o),
                "paths": len(ps),
                "grade": max((p.grade for p in ps), key=lambda g: GRADE_RANK.get(g, 0)),
                "signs": sorted({p.sign for p in ps}),
            }
            for o, ps in found.items()
        ]
        return sorted(rows, key=lambda r: r["label"].lower())

    @cached_property
    def drugs_with_paths(self) -> list[str]:
        """Chemicals with at least one evidenced mechanism path, focal drugs first."""
        chemicals = [n for n, role in self.network.nodes(data="role") if role == "chemical"]
        found = [c for c in chemicals if self.paths(c)]
        return sorted(found, key=lambda c: (not self.entities.get(c, {}).get("focus"), self.label(c).lower()))

    @cached_property
    def focal_drugs(self) -> list[str]:
        return sorted(c for c, e in self.entities.items() if e["focus"])


def claim_key(assertion: dict) -> tuple[str, str, str]:
    return assertion["subject"], assertion["predicate"], assertion["object"]


def _entity(row: dict, roles: dict) -> dict:
    curie = row["identifier"]
    return {
        **row,
        "id": curie,
        "label": row["display_label"] or row["label"],
        "ontology_label": row["label"],
        "category": compact(row["category"]) if row["category"] else "",
        "focus": bool(row["focus"]),
        "role": roles.get(curie, "other"),
    }


def _assertion(row: dict) -> dict:
    return {**row, "grade_rank": row["grade_rank"] or 0, "species": row["species"] or ""}


def read_site_data(store, network: nx.MultiDiGraph | None = None) -> SiteData:
    """Read everything the pages show from a kg.store back end (one pass of the site queries); `network`: the
    store's networkx view when the caller already has it."""
    rdf = store.rdflib_graph()
    network = network if network is not None else to_networkx(rdf)
    roles = dict(network.nodes(data="role"))
    return SiteData(
        entities={e["id"]: e for e in (_entity(r, roles) for r in run("site-entities", store))},
        assertions={a["id"]: a for a in (_assertion(r) for r in run("site-assertions", store))},
        studies=by_key(run("site-studies", store), "id"),
        references=by_key(run("site-references", store), "id"),
        pharmacokinetics=grouped(run("site-pharmacokinetics", store), "substance"),
        dosing=grouped(run("site-dosing", store), "drug"),
        labels=context_labels(rdf),
        network=network,
        prefixes=project_prefixes(),
        comparisons=[comparison_model(network, rdf, group) for group in comparisons(rdf)],
    )


def comparison_model(network: nx.MultiDiGraph, rdf, group: dict) -> dict:
    """One curated comparison as its page shows it: the shared-target table (kg.compare's rows) and the adverse
    effects of the member drugs side by side, each claim with its support and grade."""
    effects: dict[str, list[dict]] = {}
    for drug in group["drugs"]:
        if drug not in network:
            continue
        for _, effect, a in network.out_edges(drug, data=True):
            if a["predicate"] == "causes_adverse_effect":
                effects.setdefault(effect, []).append({**a, "drug": drug})
    return {
        **group,
        "targets": compare_rows(network, rdf, group["drugs"]),
        "adverse_effects": {e: sorted(rows, key=lambda r: (r["drug"], r["assertion"])) for e, rows in sorted(effects.items())},
    }


def project_prefixes() -> dict[str, str]:
    """The W3C vocabularies every query uses (rdf, rdfs, xsd, owl, skos, dcterms) and the project prefix map
    (prefix -> namespace IRI): for CURIEs in pages, the editor's PREFIX lines and Turtle output."""
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

    standard = {"rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS}
    return {**{prefix: str(namespace) for prefix, namespace in standard.items()}, **converter().prefix_map}
