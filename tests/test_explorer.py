"""The linked-data site read in-process: what the entity, assertion, study, publication and explorer pages say
(checked against the curated TSV rows, and the explorer against the path engine kg.mechanisms.engine), the static
site (a page per thing, every link resolving to a file, so it works from file://) and escaping of curated text."""

from __future__ import annotations

import itertools
import re
import urllib.parse
from pathlib import Path

import pytest

from support.pages import Page
from support.project import curated_rows, shown_label
from support.viewer import IMAGE, SCRIPT, inject_label, inject_note

KETAMINE = "CHEBI:6121"


@pytest.fixture(scope="module")
def site(graph):
    from kg.serve.site import Site
    from kg.store import load

    return Site(load(graph))


@pytest.fixture(scope="module")
def static_site(site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    site.write(folder)
    return folder


@pytest.fixture(scope="module")
def network(graph):
    from kg.store import to_networkx

    return to_networkx(graph)


def page(site, path: str) -> Page:
    """A page as `kg serve` answers `path`."""
    from kg.serve.links import Links

    target = site.resolve(urllib.parse.urlsplit(path).path)
    assert target is not None, path
    return Page(site.html(target, Links().below(path.count("/") - 1), _fields(path)))


def _fields(path: str) -> dict:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)


def linked_assertions(document: Page) -> set[str]:
    return {urllib.parse.unquote(h.rsplit("/", 1)[1]) for h, _ in document.links() if "/assertion/" in h}


def with_attribute(document: Page, name: str, tag: str | None = None) -> list:
    return [e for e in document.elements if name in e.attributes and (tag is None or e.tag == tag)]


def entities(snapshot) -> dict[str, dict]:
    return {row["id"]: row for row in curated_rows("entities", snapshot)}


# ---------------------------------------------------------------- the static site


def test_every_curated_entity_assertion_and_study_has_its_static_page(static_site, snapshot):
    for row in curated_rows("entities", snapshot):
        assert (static_site / "entity" / f"{row['id'].replace(':', '_')}.html").is_file(), row["id"]
    for row in curated_rows("assertions", snapshot):
        assert (static_site / "assertion" / f"{row['id']}.html").is_file(), row["id"]
    for row in curated_rows("studies", snapshot):
        assert (static_site / "study" / f"{row['id'].replace(':', '_')}.html").is_file(), row["id"]
    for name in ("index", "search", "query", "explore", "graph"):
        assert (static_site / f"{name}.html").is_file(), name


def test_every_link_and_file_of_the_static_site_resolves_without_a_server(static_site):
    """Relative links only, each to a file that exists: the site works from file:// or any static host."""
    pages = sorted(static_site.rglob("*.html"))
    checked = 0
    for path in pages:
        document = Page(path.read_text(encoding="utf-8"))
        for url in [h for h, _ in document.links()] + document.loads():
            if re.match(r"^https?://", url) or url.startswith("#"):
                continue
            assert not url.startswith(("/", "file:")), (path.name, url)
            target = (path.parent / urllib.parse.unquote(url.split("#")[0].split("?")[0])).resolve()
            assert target.is_file(), (str(path.relative_to(static_site)), url)
            checked += 1
    assert checked > 10 * len(pages) / 2


# ---------------------------------------------------------------- entity pages


def test_ketamine_page_lists_every_curated_assertion_about_it(site, snapshot):
    rows = [r for r in curated_rows("assertions", snapshot) if KETAMINE in (r["subject"], r["object"])]
    document = page(site, f"/entity/{KETAMINE}")
    assert linked_assertions(document) == {r["id"] for r in rows}
    assert document.all("h1")[0].content == shown_label(entities(snapshot)[KETAMINE])


def test_entity_card_shows_synonyms_and_links_out_for_every_identifier(site, snapshot):
    row = next(r for r in curated_rows("entities", snapshot) if r["synonyms"] and r["xrefs"])
    document = page(site, f"/entity/{row['id']}")
    card = document.all("dl", css_class="card")[0].content
    for synonym in row["synonyms"].split("|"):
        assert synonym in card
    hrefs = {h for h, _ in document.links()}
    for curie in [row["id"], *row["xrefs"].split("|")]:
        assert f"https://identifiers.org/{curie}" in hrefs, curie


def test_underscore_form_of_a_curie_names_the_same_entity(site):
    assert site.resolve("/entity/CHEBI_6121") == site.resolve("/entity/CHEBI:6121")
    assert site.resolve("/entity/NCBITaxon_9606") == site.resolve("/entity/NCBITaxon:9606")


def test_contested_claims_are_marked_with_every_side_shown(site, snapshot):
    rows = curated_rows("assertions", snapshot)
    claims: dict[tuple, list[dict]] = {}
    for row in rows:
        claims.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row)
    contested = {k: v for k, v in claims.items() if len({r["support"] for r in v}) > 1}
    assert contested, "the curated data keeps conflicting findings side by side"
    for (subject, _, _), sides in contested.items():
        blocks = page(site, f"/entity/{subject}").all("div", css_class="is-contested")
        block = next(b for b in blocks if sides[0]["id"] in b.content)
        assert all(r["id"] in block.content for r in sides) and "contested" in block.content


def test_drug_page_links_each_outcome_it_reaches_to_the_explorer(site, network):
    from kg.mechanisms.engine import find_paths

    outcomes = {p.nodes[-1] for p in find_paths(network, KETAMINE)}
    document = page(site, f"/entity/{KETAMINE}")
    explored = {
        urllib.parse.parse_qs(urllib.parse.urlsplit(h).query)["outcome"][0] for h, _ in document.links() if "explore?" in h
    }
    assert explored == outcomes


# ---------------------------------------------------------------- assertion, study and publication pages


def test_assertion_page_shows_the_evidence_of_its_curated_row(site, snapshot):
    row = next(r for r in curated_rows("assertions", snapshot) if r["value"] and r["species"] and r["model"])
    document = page(site, f"/assertion/{row['id']}")
    text = document.text
    assert row["support"].replace("_", " ") in text and f"grade {row['grade']}" in text
    assert row["model"] in text and f"{float(row['value']):g}" in text and row["unit"] in text
    assert f"data/assertions/{row['_where']}" in text  # where a reviewer finds the row
    hrefs = {h for h, _ in document.links()}
    for publication in row["publications"].split("|"):
        assert any(urllib.parse.unquote(h).endswith(f"reference/{publication}") for h in hrefs), publication
        if publication.startswith("PMID:"):
            assert f"https://pubmed.ncbi.nlm.nih.gov/{publication[5:]}/" in hrefs


def test_study_page_shows_design_size_intervention_and_sources(site, snapshot):
    row = next(r for r in curated_rows("studies", snapshot) if r["n"] and r["intervention"] and r["design"])
    document = page(site, f"/study/{row['id']}")
    assert document.all("h1")[0].content == row["label"]
    assert row["design"] in document.text and row["n"] in document.text
    hrefs = {h for h, _ in document.links()}
    assert any(h.endswith(f"entity/{row['intervention']}") for h in hrefs)
    assert all(any(urllib.parse.unquote(h).endswith(f"reference/{p}") for h in hrefs) for p in row["publications"].split("|"))


def test_publication_page_lists_the_assertions_citing_it(site, snapshot):
    rows = curated_rows("assertions", snapshot)
    reference = next(
        r for r in curated_rows("references", snapshot) if sum(r["id"] in a["publications"].split("|") for a in rows) > 1
    )
    citing = {a["id"] for a in rows if reference["id"] in a["publications"].split("|")}
    document = page(site, f"/reference/{reference['id']}")
    assert linked_assertions(document) == citing
    assert reference["title"] in document.text


# ---------------------------------------------------------------- the mechanism explorer


def _outcome_with_paths(network) -> tuple[str, list]:
    from kg.mechanisms.engine import find_paths

    found = find_paths(network, KETAMINE)
    assert found, "ketamine reaches at least one outcome through an evidenced path"
    outcome = min({p.nodes[-1] for p in found}, key=lambda o: (len([p for p in found if p.nodes[-1] == o]), o))
    return outcome, [p for p in found if p.nodes[-1] == outcome]


def test_explorer_draws_every_path_the_engine_finds_and_each_hop_once(site, network):
    outcome, paths = _outcome_with_paths(network)
    document = page(site, f"/explore?drug={KETAMINE}&outcome={outcome}")
    assert len(with_attribute(document, "data-path", "tr")) == len(paths)
    assert {e.attributes["data-node"] for e in with_attribute(document, "data-node")} == {n for p in paths for n in p.nodes}
    hops = {(p.nodes[i], p.nodes[i + 1]) for p in paths for i in range(len(p.hops))}
    drawn = [e.attributes["data-hop"].split(" ") for e in with_attribute(document, "data-hop", "g")]
    assert {(subject, obj) for subject, _, obj in drawn} == hops


def test_explorer_reads_left_to_right_drug_forms_targets_processes_outcome(site, network):
    outcome, paths = _outcome_with_paths(network)
    document = page(site, f"/explore?drug={KETAMINE}&outcome={outcome}")
    x = {}
    for box in with_attribute(document, "data-node", "a"):
        rect = next(e for e in document.elements[document.elements.index(box) :] if e.tag == "rect")
        x[box.attributes["data-node"]] = float(rect.attributes["x"])
    layer = {"chemical": 1, "target": 2, "process": 3, "outcome": 4}  # the drug itself is 0
    for path in paths:
        layers = [0] + [layer[network.nodes[n]["role"]] for n in path.nodes[1:]]
        for (a, layer_a), (b, layer_b) in itertools.pairwise(zip(path.nodes, layers, strict=True)):
            assert x[a] < x[b] if layer_a < layer_b else x[a] == x[b], (a, b)


def test_explorer_lists_each_hops_evidence_refutations_included(site, network, snapshot):
    outcome, paths = _outcome_with_paths(network)
    document = page(site, f"/explore?drug={KETAMINE}&outcome={outcome}")
    listed = {e.attributes["data-assertion"] for e in with_attribute(document, "data-assertion", "tr")}
    rows = curated_rows("assertions", snapshot)
    for path in paths:
        for index, hop in enumerate(path.hops):
            claim = (path.nodes[index], hop.evidence[0]["predicate"], path.nodes[index + 1])
            assert {r["id"] for r in rows if (r["subject"], r["predicate"], r["object"]) == claim} <= listed, claim


def test_explorer_says_when_no_mechanism_is_evidenced(site, network, snapshot):
    from kg.mechanisms.engine import find_paths

    reached = {p.nodes[-1] for p in find_paths(network, KETAMINE)}
    outcome = next(
        r["object"]
        for r in curated_rows("assertions", snapshot)
        if r["subject"] == KETAMINE and r["predicate"] in ("treats", "ameliorates") and r["object"] not in reached
    )
    document = page(site, f"/explore?drug={KETAMINE}&outcome={outcome}")
    assert "No evidenced mechanism path" in document.text and not document.by_id("diagram")


# ---------------------------------------------------------------- escaping


def test_markup_in_curated_text_is_escaped_on_every_page_that_shows_it(data_copy, tmp_path):
    from kg.serve.site import Site
    from kg.store import load
    from kg.validate import checked_graph

    row = next(r for r in curated_rows("assertions", data_copy) if r["species"])  # its note is not needed by a rule
    curie, touching = row["object"], row["id"]
    label = f"{row['object_label']} {SCRIPT} {IMAGE}"
    inject_label(data_copy, curie, label)
    inject_note(data_copy, touching, f"note {IMAGE}")
    folder = tmp_path / "site"
    Site(load(checked_graph(data_copy)[1])).write(folder)
    entity = (folder / "entity" / f"{curie.replace(':', '_')}.html").read_text(encoding="utf-8")
    assertion = (folder / "assertion" / f"{touching}.html").read_text(encoding="utf-8")
    for html in (entity, assertion):
        assert SCRIPT not in html and IMAGE not in html
        assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert Page(entity).all("h1")[0].content == label
    assert f"note {IMAGE}" in Page(assertion).text
    index = (folder / "static" / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index and index.isascii()


# ---------------------------------------------------------------- pharmacokinetics and target engagement


def test_drug_page_shows_its_curated_pharmacokinetics(site, snapshot):
    rows = [r for r in curated_rows("pharmacokinetics", snapshot) if r["substance"] == KETAMINE]
    assert rows, "ketamine has curated pharmacokinetic rows"
    table = page(site, f"/entity/{KETAMINE}").by_id("pharmacokinetics").content
    for row in rows:
        assert row["id"] in table and row["route"] in table and row["unit"] in table, row["id"]
        if row["value"]:
            assert f"{float(row['value']):g} {row['unit']}" in table, row["id"]


def _with_concentration(graph, drug: str, ng_per_ml: str, molecular_weight: str):
    """The graph plus a plasma concentration record of `drug` in the agreed shape and its molecular weight."""
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, XSD

    from kg.vocab import PAINKG, project_converter

    node, iri = PAINKG["pk/PK-test-0001"], URIRef(project_converter().expand(drug, strict=True))
    extended = Graph()
    extended += graph
    extended.remove((iri, PAINKG.molecularWeight, None))
    for record in list(extended.subjects(PAINKG.substance, iri)):  # the fixture's record is the drug's only one
        if extended.value(record, PAINKG.parameter) in (PAINKG["pk-plasma_concentration"], PAINKG["pk-cmax"]):
            extended.remove((record, None, None))
    for triple in [
        (node, RDF.type, PAINKG.PharmacokineticObservation),
        (node, DCTERMS.identifier, Literal("PK-test-0001")),
        (node, PAINKG.substance, iri),
        (node, PAINKG.parameter, PAINKG["pk-plasma_concentration"]),
        (node, PAINKG.value, Literal(ng_per_ml, datatype=XSD.decimal)),
        (node, PAINKG.unit, Literal("ng/mL")),
        (iri, PAINKG.molecularWeight, Literal(molecular_weight, datatype=XSD.decimal)),
    ]:
        extended.add(triple)
    return extended


def test_engagement_ratio_is_the_clinical_concentration_over_the_potency(graph, snapshot):
    """500 ng/mL of a drug of 250 g/mol is 2 µM; at each target the ratio is 2 µM over the cited potency in µM."""
    from kg.serve.engagement import concentration_in_micromolar, potency_in_micromolar, ratio
    from kg.serve.site import Site
    from kg.store import load

    assert concentration_in_micromolar({"value": 500.0, "unit": "ng/mL"}, 250.0) == 2.0
    assert potency_in_micromolar({"value": 500.0, "unit": "nM"}) == 0.5
    assert ratio(2.0, 0.5) == 4.0
    site = Site(load(_with_concentration(graph, KETAMINE, "500.0", "250.0")))
    rows = {r["id"]: r for r in curated_rows("assertions", snapshot)}
    document = page(site, f"/entity/{KETAMINE}")
    shown = [e for e in document.inside(document.by_id("engagement"), "tr") if any(i in rows for i in e.content.split())]
    molar = [e for e in shown if rows[next(i for i in e.content.split() if i in rows)]["unit"] in ("nM", "µM")]
    assert molar, "ketamine has curated molar potencies at its targets"
    for row in molar:
        potency = rows[next(i for i in row.content.split() if i in rows)]  # the assertion the row cites
        expected = 2.0 / (float(potency["value"]) * {"nM": 1e-3, "µM": 1.0}[potency["unit"]])
        assert abs(float(row.content.split()[-1]) - expected) <= 0.01 * expected, (row.content, expected)
