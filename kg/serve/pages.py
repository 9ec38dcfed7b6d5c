"""The HTML pages of the site, one function per kind of page, each filling a Jinja template (autoescaped: a label
with markup shows as text) from SiteData. The same functions serve `kg serve` and write the static site; only the
Links differ."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kg.model.network import TARGET
from kg.serve.engagement import clinical_concentration, engagement_rows
from kg.serve.explore import explorer, explorer_choices, script_data
from kg.serve.links import Links, http_url
from kg.serve.search import claim_text, script_json
from kg.serve.sitedata import SiteData, claim_key
from kg.views.data import identifier_links, quantity
from kg.views.style import SYSTEM_NAMES

PACKAGE = Path(__file__).resolve().parent
GRADE_MEANING = {
    "A": "consistent evidence from meta-analyses, several RCTs or replicated human pharmacology",
    "B": "one RCT, or consistent animal / in-vitro work not yet replicated in patients",
    "C": "a single preclinical or observational study, or conflicting findings",
    "D": "review statement, hypothesis, case reports or expert opinion",
}
ROLE_TITLES = {
    "chemical": "Drugs and metabolites",
    "target": "Targets",
    "process": "Processes",
    "outcome": "Outcomes",
    "other": "Other entities",
}


class NotFound(LookupError):
    """No such thing in the graph: the page says what was looked for."""


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(PACKAGE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        http_url=http_url,
        quantity=quantity,
        number=_number,
        words=_words,
        identifier_links=identifier_links,
        system_name=lambda s: SYSTEM_NAMES.get(s, s),
    )
    env.globals.update(GRADE_MEANING=GRADE_MEANING)
    return env


def _number(value) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _words(text) -> str:
    return str(text or "").replace("_", " ")


def render(template: str, data: SiteData, links: Links, **context) -> str:
    """One page: the template with the site's common context (links, focal drugs, labels)."""
    return environment().get_template(template).render(links=links, data=data, label=data.label, **context)


# ---------------------------------------------------------------- things


def entity_page(data: SiteData, links: Links, curie: str) -> str:
    entity = data.entities.get(curie)
    if entity is None:
        raise NotFound(f"no entity {curie} in the graph")
    assertions = data.assertions_by_entity.get(curie, [])
    return render(
        "entity.html",
        data,
        links,
        title=entity["label"],
        entity=entity,
        outgoing=_claims(data, [a for a in assertions if a["subject"] == curie]),
        incoming=_claims(data, [a for a in assertions if a["subject"] != curie]),
        outcomes=data.outcomes_reached(curie) if entity["role"] == "chemical" else [],
        engagement=_engagement_table(data, curie, assertions),
        studies=data.studies_by_intervention.get(curie, []),
        pharmacokinetics=data.pharmacokinetics.get(curie, []),
        dosing=data.dosing.get(curie, []),
        rdf_page=links.entity(curie),
    )


def _claims(data: SiteData, assertions: list[dict]) -> list[dict]:
    """Assertions grouped by claim (subject, predicate, object): contested claims keep every side together."""
    seen, claims = set(), []
    for assertion in sorted(assertions, key=lambda a: (claim_text(data, a).lower(), a["id"])):
        key = claim_key(assertion)
        if key in seen:
            continue
        seen.add(key)
        rows = [a for a in data.claims[key] if a in assertions]
        claims.append(
            {
                "subject": key[0],
                "predicate": key[1],
                "object": key[2],
                "assertions": rows,
                "predicate_label": rows[0]["predicate_label"] or key[1].replace("_", " "),
                "contested": len({a["support"] for a in rows}) > 1,
            }
        )
    return claims


def _engagement_table(data: SiteData, drug: str, assertions: list[dict]) -> dict:
    own = [a for a in assertions if a["subject"] == drug]
    targets = {n for n, role in data.network.nodes(data="role") if role == TARGET}
    concentration = clinical_concentration(own, data.pharmacokinetics.get(drug, []))
    weight = data.entities[drug]["molecular_weight"]
    return {"rows": engagement_rows(own, targets, concentration, weight), "concentration": concentration}


def assertion_page(data: SiteData, links: Links, identifier: str) -> str:
    assertion = data.assertions.get(identifier)
    if assertion is None:
        raise NotFound(f"no assertion {identifier} in the graph")
    claim = data.claims[claim_key(assertion)]
    return render(
        "assertion.html",
        data,
        links,
        title=f"{identifier}: {claim_text(data, assertion)}",
        a=assertion,
        claim=claim,
        contested=data.contested(assertion),
        rdf_page=links.assertion(identifier),
    )


def study_page(data: SiteData, links: Links, identifier: str) -> str:
    study = data.studies.get(identifier)
    if study is None:
        raise NotFound(f"no study {identifier} in the graph")
    return render(
        "study.html",
        data,
        links,
        title=study["label"],
        study=study,
        assertions=data.assertions_by_study.get(identifier, []),
        rdf_page=links.study(identifier),
    )


def reference_page(data: SiteData, links: Links, identifier: str) -> str:
    reference = data.references.get(identifier)
    if reference is None:
        raise NotFound(f"no publication {identifier} in the graph")
    return render(
        "reference.html",
        data,
        links,
        title=reference["citation"] or identifier,
        ref=reference,
        assertions=data.assertions_by_reference.get(identifier, []),
        studies=data.studies_by_reference.get(identifier, []),
        rdf_page=links.reference(identifier),
    )


def resource_page(data: SiteData, links: Links, iri: str, curie: str, triples: list[dict]) -> str:
    """Any other resource of the painkg namespace (a predicate, grade, system ...): its own triples."""
    if not triples:
        raise NotFound(f"nothing is said about {iri} in the graph")
    return render("resource.html", data, links, title=data.label(curie), iri=iri, curie=curie, triples=triples, rdf_page=None)


# ---------------------------------------------------------------- top-level pages


def home_page(data: SiteData, links: Links) -> str:
    by_role: dict[str, list[dict]] = {}
    for entity in sorted(data.entities.values(), key=lambda e: e["label"].lower()):
        by_role.setdefault(entity["role"], []).append(entity)
    sections = [{"title": ROLE_TITLES[r], "entities": by_role[r]} for r in ROLE_TITLES if r in by_role]
    return render("index.html", data, links, title="painkg", sections=sections, choices=explorer_choices(data), rdf_page=None)


def search_page(data: SiteData, links: Links) -> str:
    return render("search.html", data, links, title="Search", rdf_page=None)


def query_page(data: SiteData, links: Links, library: list[dict]) -> str:
    """The SPARQL editor; the static site has no endpoint to run queries on, so it shows the library only."""
    endpoint = None if links.static else {"sparql": links.page("sparql"), "library": links.root + "library/"}
    page_data = {"library": library, "prefixes": data.prefixes, "endpoint": endpoint}
    return render("query.html", data, links, title="SPARQL", page_data=script_json(page_data), rdf_page=None)


def explore_page(data: SiteData, links: Links, drug: str, outcome: str, preset: dict | None = None) -> str:
    if drug not in data.entities or outcome not in data.entities:
        raise NotFound(f"no entity {drug if drug not in data.entities else outcome} in the graph")
    model = explorer(data, drug, outcome)
    return render(
        "explore.html",
        data,
        links,
        title=f"{data.label(drug)} → {data.label(outcome)}",
        model=model,
        page_data=script_json({**script_data(model), "preset": preset or {}}),
        rdf_page=None,
    )


def explore_index(data: SiteData, links: Links) -> str:
    return render("explore-index.html", data, links, title="Mechanism explorer", choices=explorer_choices(data), rdf_page=None)


def not_found_page(data: SiteData, links: Links, message: str) -> str:
    return render("not-found.html", data, links, title="Not found", message=message, rdf_page=None)


def compare_page(data: SiteData, links: Links, identifier: str) -> str:
    """One curated comparison: the drugs, every shared target with each drug's action, potency and engagement,
    and the adverse effects side by side."""
    group = next((c for c in data.comparisons if c["id"] == identifier), None)
    if group is None:
        raise NotFound(f"no comparison {identifier} in the graph")
    return render("compare.html", data, links, title=group["label"], group=group, rdf_page=None)
