"""The KGX export is conformant with the current Biolink Model (the one the `biolink-model` package ships).

Every node category, edge predicate and qualifier / enum value of a real build is checked with bmt,
offline: the Toolkit is given the packaged model YAML instead of its default GitHub URL. The same
checker functions reject deliberately wrong rows, so a non-conformant export cannot pass unseen.
The schema's Biolink and RO mappings (data/schema/painkg.ttl) are checked against the model too.
"""

from __future__ import annotations

import csv
import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from bmt import Toolkit
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS

from support.kgx_offline import biolink_context, kgx_errors, local_biolink_toolkit, no_network
from support.project import DATA, curated_rows, run_kg

BIOLINK_YAML = files("biolink_model") / "schema" / "biolink_model.yaml"
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
PAINKG = Namespace("https://w3id.org/painkg/")
OBO_RELATION = re.compile(r"^http://purl\.obolibrary\.org/obo/(RO|BFO)_(\d{7})$")
ENUM_QUALIFIERS = {
    "object_aspect_qualifier": "GeneOrGeneProductOrChemicalEntityAspectEnum",
    "object_direction_qualifier": "DirectionQualifierEnum",
    "causal_mechanism_qualifier": "CausalMechanismQualifierEnum",
    "knowledge_level": "KnowledgeLevelEnum",
    "agent_type": "AgentTypeEnum",
}
SCHEMA_QUALIFIERS = {  # painkg.ttl annotation -> KGX column
    PAINKG.causalMechanism: "causal_mechanism_qualifier",
    PAINKG.objectAspect: "object_aspect_qualifier",
    PAINKG.objectDirection: "object_direction_qualifier",
}
# the project's own namespaces: PAINKG for concepts without a standard id, PAINKG.PK for its PK observations
PROJECT_PREFIXES = ("PAINKG", "PAINKG.PK")
PUBLICATION = re.compile(r"^(PMID:\d+|DOI:10\.\S+)$")


@pytest.fixture(scope="module")
def toolkit() -> Toolkit:
    """bmt on the packaged Biolink Model: no network access needed."""
    return Toolkit(schema=str(BIOLINK_YAML), predicate_map={"predicate mappings": []})


def read_kgx(path: Path) -> list[dict[str, str]]:
    """Read a KGX TSV the plain way (tab-split lines), as downstream merges do."""
    header, *lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    columns = header.split("\t")
    rows = [dict(zip(columns, line.split("\t"), strict=True)) for line in lines]
    assert all(len(r) == len(columns) for r in rows), f"{path}: a row has the wrong number of fields"
    return rows


def values(field: str) -> list[str]:
    """KGX multivalued fields are `|`-joined."""
    return [v for v in field.split("|") if v]


# ------------------------------------------------------------------ the checker (used on real and on broken rows)
def category_problems(toolkit: Toolkit, category: str) -> list[str]:
    """A node category must be a concrete (non-mixin) class in the NamedThing hierarchy."""
    element = toolkit.get_element(category)
    if element is None or not category.startswith("biolink:"):
        return [f"category {category!r} is not a Biolink class"]
    if toolkit.is_mixin(category) or not toolkit.is_category(category, mixin=False):
        return [f"category {category!r} is a mixin or not under biolink:NamedThing"]
    if element.deprecated:
        return [f"category {category!r} is deprecated"]
    return []


def node_problems(toolkit: Toolkit, node: dict[str, str]) -> list[str]:
    problems = [p for c in values(node["category"]) or [""] for p in category_problems(toolkit, c)]
    if not node["name"]:
        problems.append(f"node {node['id']}: name is empty")
    if not all(s.startswith("infores:") for s in values(node["provided_by"]) or [""]):
        problems.append(f"node {node['id']}: provided_by {node['provided_by']!r} is not an infores id")
    return problems


def _names_with_ancestors(toolkit: Toolkit, category: str) -> set[str]:
    return {toolkit.get_element(a).name for a in toolkit.get_ancestors(category, mixin=True)}


def _domain_range_problems(toolkit: Toolkit, edge: dict[str, str], categories: dict[str, str]) -> list[str]:
    """Cheap sanity: where the predicate declares a domain or range, the node categories must fit it."""
    problems = []
    for end, allowed in (
        ("subject", toolkit.get_slot_domain(edge["predicate"])),
        ("object", toolkit.get_slot_range(edge["predicate"])),
    ):
        category = categories.get(edge[end], "")
        if allowed and category and not _names_with_ancestors(toolkit, category) & set(allowed):
            problems.append(
                f"{end} {edge[end]} ({category}) is outside the {edge['predicate']} "
                f"{'domain' if end == 'subject' else 'range'} {sorted(allowed)[:3]}..."
            )
    return problems


def _qualifier_problems(toolkit: Toolkit, edge: dict[str, str]) -> list[str]:
    problems = []
    for column, enum in ENUM_QUALIFIERS.items():
        value = edge.get(column, "")
        if column in ("knowledge_level", "agent_type") and not value:
            problems.append(f"{column} is required on every edge")
        elif value and not toolkit.is_permissible_value_of_enum(enum, value):
            problems.append(f"{column} {value!r} is not a value of {enum}")
    qualified = edge.get("qualified_predicate", "")
    if qualified and not (
        toolkit.is_predicate(qualified) and toolkit.is_subproperty_of("biolink:causes", qualified, formatted=True)
    ):
        problems.append(f"qualified_predicate {qualified!r} is not biolink:causes or below it")
    has_effect_qualifier = edge.get("object_aspect_qualifier") or edge.get("object_direction_qualifier")
    if has_effect_qualifier and edge["predicate"] != "biolink:affects":
        problems.append(f"aspect/direction qualifiers on {edge['predicate']} (Biolink puts them on biolink:affects)")
    if has_effect_qualifier and not qualified:
        problems.append("aspect/direction qualifiers need qualified_predicate biolink:causes")
    species = edge.get("species_context_qualifier", "")
    if species and not species.startswith("NCBITaxon:"):
        problems.append(f"species_context_qualifier {species!r} is not an NCBITaxon id")
    return problems


def edge_problems(toolkit: Toolkit, edge: dict[str, str], categories: dict[str, str]) -> list[str]:
    """Everything that would make one KGX edge non-conformant, as readable lines."""
    problems = []
    predicate = edge["predicate"]
    element = toolkit.get_element(predicate) if predicate.startswith("biolink:") else None
    # no mixin test here: Biolink 4 declares biolink:treats a mixin, yet it is the canonical edge predicate
    if element is None or not toolkit.is_predicate(predicate):
        return [f"predicate {predicate!r} is not a Biolink predicate"]
    if element.deprecated:
        problems.append(f"predicate {predicate!r} is deprecated")
    for end in ("subject", "object"):
        if edge[end] not in categories:
            problems.append(f"{end} {edge[end]} is not a node")
    problems += _domain_range_problems(toolkit, edge, categories)
    problems += _qualifier_problems(toolkit, edge)
    sources = values(edge["primary_knowledge_source"])
    if len(sources) != 1 or not sources[0].startswith("infores:"):
        problems.append(f"primary_knowledge_source {edge['primary_knowledge_source']!r} must be one infores id")
    publications = values(edge["publications"])
    if not publications or not all(PUBLICATION.match(p) for p in publications):
        problems.append(f"publications {edge['publications']!r} must be |-joined PMID:/DOI: ids")
    return problems


# ------------------------------------------------------------------ the real build
@pytest.fixture(scope="module")
def kgx_files(built) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    return read_kgx(built / "kgx" / "nodes.tsv"), read_kgx(built / "kgx" / "edges.tsv")


def test_every_node_category_is_a_biolink_class(toolkit, kgx_files):
    nodes, _ = kgx_files
    assert nodes
    problems = {n["id"]: node_problems(toolkit, n) for n in nodes}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_edge_predicate_and_qualifier_conforms(toolkit, kgx_files):
    nodes, edges = kgx_files
    assert edges
    categories = {n["id"]: n["category"] for n in nodes}
    problems = {e["id"]: edge_problems(toolkit, e, categories) for e in edges}
    assert {k: v for k, v in problems.items() if v} == {}


def _number(text: str) -> float | None:
    return float(text) if text else None


def test_every_pharmacokinetic_record_is_a_measurement_node_linked_to_its_substance(kgx_files):
    """Issue 13: the PK records reach KGX: one biolink:ClinicalMeasurement node per curated row with its parameter,
    numbers, unit, route and publications, and one edge to the substance it measured (expected from the TSVs)."""
    nodes, edges = kgx_files
    measurements = {n["id"].split(":", 1)[-1]: n for n in nodes if n["category"] == "biolink:ClinicalMeasurement"}
    links = {e["id"]: e for e in edges if e["painkg_predicate"] == "painkg:substance"}
    rows = curated_rows("pharmacokinetics")
    assert rows and set(measurements) == set(links) == {r["id"] for r in rows}
    for row in rows:
        node, edge = measurements[row["id"]], links[row["id"]]
        assert node["has_attribute_type"] == f"painkg:pk-{row['parameter']}", row["_where"]
        for column in ("value", "value_low", "value_high"):
            assert _number(node[column]) == _number(row[column]) == _number(edge[column]), (row["_where"], column)
        assert (node["unit"], node["route"], node["publications"]) == (
            row["unit"],
            row["route"],
            "|".join(sorted(row["publications"].split("|"))),
        ), row["_where"]
        assert (edge["subject"], edge["object"], edge["knowledge_level"]) == (node["id"], row["substance"], "observation")


def test_species_context_is_an_organism_taxon_node(kgx_files):
    nodes, edges = kgx_files
    categories = {n["id"]: n["category"] for n in nodes}
    stated = [e for e in edges if e["species_context_qualifier"]]
    assert stated, "some edges should name their species"
    for edge in stated:
        assert categories[edge["species_context_qualifier"]] == "biolink:OrganismTaxon", edge["id"]


def schema_graph() -> Graph:
    return Graph().parse(DATA / "schema" / "painkg.ttl", format="turtle")


def test_edge_qualifiers_say_what_the_schema_says(kgx_files):
    """RDF and KGX agree: each edge carries exactly its painkg predicate's Biolink mapping."""
    _, edges = kgx_files
    schema = schema_graph()
    for edge in edges:
        iri = PAINKG[edge["painkg_predicate"].removeprefix("painkg:")]
        # assertion predicates carry painkg:kgxPredicate; a record's link (painkg:substance) its skos:broadMatch
        mapped = schema.value(iri, PAINKG.kgxPredicate) or schema.value(iri, SKOS.broadMatch)
        assert edge["predicate"] == "biolink:" + str(mapped).removeprefix(str(BIOLINK)), edge["id"]
        for annotation, column in SCHEMA_QUALIFIERS.items():
            assert edge[column] == str(schema.value(iri, annotation) or ""), (edge["id"], column)


# ------------------------------------------------------------------ the checker can fail
GOOD_EDGE = {
    "id": "E1",
    "subject": "CHEBI:6121",
    "predicate": "biolink:affects",
    "object": "GO:0017146",
    "qualified_predicate": "biolink:causes",
    "object_aspect_qualifier": "activity",
    "object_direction_qualifier": "decreased",
    "causal_mechanism_qualifier": "molecular_channel_blockage",
    "species_context_qualifier": "NCBITaxon:9606",
    "publications": "PMID:37622028|PMID:1",
    "primary_knowledge_source": "infores:painkg",
    "knowledge_level": "knowledge_assertion",
    "agent_type": "manual_agent",
}
GOOD_CATEGORIES = {
    "CHEBI:6121": "biolink:SmallMolecule",
    "GO:0017146": "biolink:MacromolecularComplex",
    "MONDO:1": "biolink:Disease",
    "HP:1": "biolink:PhenotypicFeature",
}
BROKEN_EDGES = [
    # (changed fields, words the problem must contain)
    ({"predicate": "biolink:cures"}, "not a Biolink predicate"),
    ({"predicate": "biolink:SmallMolecule"}, "not a Biolink predicate"),
    ({"predicate": "painkg:channel_blocker_of"}, "not a Biolink predicate"),
    ({"object_direction_qualifier": "lowered"}, "object_direction_qualifier 'lowered'"),
    ({"object_aspect_qualifier": "function"}, "object_aspect_qualifier 'function'"),
    ({"causal_mechanism_qualifier": "channel_block"}, "causal_mechanism_qualifier 'channel_block'"),
    ({"knowledge_level": "curated"}, "knowledge_level 'curated'"),
    ({"agent_type": ""}, "agent_type is required"),
    ({"qualified_predicate": "biolink:treats"}, "qualified_predicate"),
    ({"qualified_predicate": ""}, "need qualified_predicate"),
    ({"predicate": "biolink:has_metabolite"}, "Biolink puts them on biolink:affects"),
    ({"primary_knowledge_source": "painkg"}, "infores"),
    ({"publications": "PMID:1;PMID:2"}, "PMID:/DOI:"),
    ({"species_context_qualifier": "HUMAN"}, "NCBITaxon"),
    ({"object": "CHEBI:0"}, "is not a node"),
    (
        {
            "predicate": "biolink:treats",
            "subject": "MONDO:1",
            "object": "HP:1",
            "qualified_predicate": "",
            "object_aspect_qualifier": "",
            "object_direction_qualifier": "",
        },
        "outside the biolink:treats domain",
    ),
    (
        {
            "predicate": "biolink:has_adverse_event",
            "object": "CHEBI:6121",
            "qualified_predicate": "",
            "object_aspect_qualifier": "",
            "object_direction_qualifier": "",
        },
        "outside the biolink:has_adverse_event range",
    ),
]


def test_checker_accepts_the_reference_edge(toolkit):
    assert edge_problems(toolkit, GOOD_EDGE, GOOD_CATEGORIES) == []


@pytest.mark.parametrize("change,words", BROKEN_EDGES, ids=[str(c) for c, _ in BROKEN_EDGES])
def test_checker_rejects_a_non_conformant_edge(toolkit, change, words):
    problems = edge_problems(toolkit, {**GOOD_EDGE, **change}, GOOD_CATEGORIES)
    assert any(words in p for p in problems), problems


@pytest.mark.parametrize(
    "category", ["biolink:Drugz", "biolink:GeneOrGeneProduct", "biolink:affects", "SmallMolecule", "biolink:Association", ""]
)
def test_checker_rejects_a_wrong_category(toolkit, category):
    node = {"id": "X:1", "category": category, "name": "x", "provided_by": "infores:painkg"}
    assert node_problems(toolkit, node)


# ------------------------------------------------------------------ the schema's mappings
def curated_predicates(schema: Graph) -> list[URIRef]:
    return sorted(schema.subjects(PAINKG.kgxPredicate, None))


def biolink_curie(iri) -> str:
    return "biolink:" + str(iri).removeprefix(str(BIOLINK))


def test_each_predicate_maps_to_one_valid_biolink_predicate(toolkit):
    schema = schema_graph()
    predicates = curated_predicates(schema)
    assert len(predicates) >= 20
    for iri in predicates:
        kgx_predicate = schema.value(iri, PAINKG.kgxPredicate)
        supers = {o for o in schema.objects(iri, RDFS.subPropertyOf) if str(o).startswith(str(BIOLINK))}
        assert supers == {kgx_predicate}, f"{iri}: rdfs:subPropertyOf {supers} vs painkg:kgxPredicate {kgx_predicate}"
        curie = biolink_curie(kgx_predicate)
        assert toolkit.is_predicate(curie) and not toolkit.get_element(curie).deprecated, curie


def test_schema_qualifier_values_are_biolink_enum_values(toolkit):
    schema = schema_graph()
    for annotation, column in SCHEMA_QUALIFIERS.items():
        for iri, value in schema.subject_objects(annotation):
            assert toolkit.is_permissible_value_of_enum(ENUM_QUALIFIERS[column], str(value)), (iri, value)


def test_ro_mappings_are_well_formed_and_agree_with_biolink(toolkit):
    """skos:closeMatch targets are RO/BFO relation IRIs; where Biolink itself maps the term, it maps it to the
    painkg predicate's Biolink predicate (or one of its ancestors or descendants)."""
    schema = schema_graph()
    checked = 0
    for iri in curated_predicates(schema):
        curie = biolink_curie(schema.value(iri, PAINKG.kgxPredicate))
        related = set(toolkit.get_ancestors(curie, formatted=True)) | set(toolkit.get_descendants(curie, formatted=True))
        for match in schema.objects(iri, SKOS.closeMatch):
            found = OBO_RELATION.match(str(match))
            assert found, f"{iri}: skos:closeMatch {match} is not an obo RO_/BFO_ relation IRI"
            mapped = set(toolkit.get_all_elements_by_mapping(f"{found[1]}:{found[2]}", formatted=True))
            assert not mapped or mapped & related, f"{iri} -> {match}: Biolink maps that term to {mapped}, not near {curie}"
            checked += 1
    assert checked >= 10


def test_allowed_categories_are_concrete_biolink_classes(toolkit):
    schema = schema_graph()
    allowed = [biolink_curie(c) for c in schema.subjects(PAINKG.allowedCategory, None)]
    assert "biolink:SmallMolecule" in allowed
    assert {c: category_problems(toolkit, c) for c in allowed if category_problems(toolkit, c)} == {}


# ------------------------------------------------------------------ the file itself
def test_kgx_values_are_written_verbatim(data_copy, tmp_path):
    """Quotes and backslashes in a curator's note reach edges.tsv unchanged (no CSV escaping)."""
    path = data_copy / "assertions" / "seed-review.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    fields = lines[1].split("\t")
    note = fields[header.index("note")] + ' The review calls it "the main basis" of analgesia; see C:\\notes'
    fields[header.index("note")] = note
    lines[1] = "\t".join(fields)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_kg("build", "--data", str(data_copy), "--out", str(out), "--no-views")
    assert result.returncode == 0, result.stderr
    edges = {e["id"]: e for e in read_kgx(out / "kgx" / "edges.tsv")}
    assert edges[fields[0]]["note"] == note


def test_every_schema_predicate_is_exported_as_a_conformant_edge(toolkit):
    """Also the predicates no curated row uses yet: one assertion of each, in a graph holding the schema as every
    build does, is exported as an edge that passes the same checker."""
    from rdflib import RDF, Literal
    from rdflib.namespace import DCTERMS

    from kg.export.kgx import edge_rows
    from kg.sources.schema import load_schema
    from kg.vocab import ASSERTION, grade_iri, project_converter

    schema = load_schema(DATA / "schema" / "painkg.ttl")
    iri = lambda curie: URIRef(project_converter(DATA).expand(curie, strict=True))  # noqa: E731
    graph = Graph()
    graph += schema.graph
    for name, predicate in schema.predicates.items():
        node = ASSERTION[f"A-{name}"]
        for prop, value in (
            (RDF.type, PAINKG.Assertion),
            (DCTERMS.identifier, Literal(f"A-{name}")),
            (RDF.subject, iri("CHEBI:6121")),
            (RDF.predicate, predicate.iri),
            (RDF.object, iri("PAINKG:object")),
            (PAINKG.species, iri("NCBITaxon:9606")),
            (PAINKG.publication, iri("PMID:37622028")),
            (PAINKG.evidenceType, iri("ECO:0000033")),
            (PAINKG.support, PAINKG.supports),
            (PAINKG.grade, grade_iri("D")),
        ):
            graph.add((node, prop, value))
    edges = {edge["id"]: edge for edge in edge_rows(graph)}
    assert set(edges) == {f"A-{name}" for name in schema.predicates}
    for name, predicate in schema.predicates.items():
        allowed_objects = toolkit.get_slot_range(predicate.kgx_predicate)
        object_category = "biolink:Disease" if "disease" in allowed_objects else "biolink:SmallMolecule"
        categories = {
            "CHEBI:6121": "biolink:SmallMolecule",
            "PAINKG:object": object_category,
            "NCBITaxon:9606": "biolink:OrganismTaxon",
        }
        assert edge_problems(toolkit, edges[f"A-{name}"], categories) == [], name


# ------------------------------------------------------------------ KGX's own validator, offline
def project_prefixes() -> dict[str, str]:
    with open(DATA / "schema" / "prefixes.tsv", encoding="utf-8") as handle:
        return {row["prefix"]: row["uri_prefix"] for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture(scope="module")
def kgx_validation(built, artefacts) -> dict:
    """KGX's Validator on the build's KGX files, without network: once against Biolink's prefixes alone, once with
    the project's own prefix (PAINKG, for concepts without a standard identifier) declared to KGX."""
    with no_network(), local_biolink_toolkit():
        biolink = biolink_context()
        declared = {**biolink, **{p: {"@id": project_prefixes()[p], "@prefix": True} for p in PROJECT_PREFIXES}}
        found = {
            "biolink_prefixes_only": kgx_errors(built / "kgx", biolink),
            "painkg_declared": kgx_errors(built / "kgx", declared),
            "biolink_prefixes": set(biolink),
        }
    counts = {name: len(errors) for name, errors in found.items() if name != "biolink_prefixes"}
    (artefacts / "kgx-validation.json").write_text(json.dumps(counts, indent=1) + "\n", encoding="utf-8")
    return found


def painkg_ids(kgx_files) -> set[str]:
    nodes, edges = kgx_files
    ids = {n["id"] for n in nodes} | {e[end] for e in edges for end in ("subject", "object")}
    return {i for i in ids if i.split(":", 1)[0] in PROJECT_PREFIXES}


def test_kgx_validator_finds_no_error_once_the_painkg_prefix_is_declared(kgx_validation):
    assert kgx_validation["painkg_declared"] == set()


def test_without_the_declaration_kgx_flags_exactly_the_local_ids(kgx_validation, kgx_files):
    """The validator really runs: every PAINKG id of the export is reported, and nothing else is."""
    errors = kgx_validation["biolink_prefixes_only"]
    flagged = {re.search(r"'((?:PAINKG|PAINKG\.PK):[^']+)'", message).group(1) for _, _, message, _ in errors}
    assert flagged == painkg_ids(kgx_files) != set()
    assert {kind for _, kind, _, _ in errors} <= {"INVALID_NODE_PROPERTY_VALUE", "INVALID_EDGE_PROPERTY_VALUE"}


def test_painkg_is_the_only_prefix_of_the_export_biolink_does_not_know(kgx_validation, kgx_files):
    nodes, edges = kgx_files
    curies = {n["id"] for n in nodes} | {e[end] for e in edges for end in ("subject", "object")}
    assert {c.split(":", 1)[0] for c in curies} - kgx_validation["biolink_prefixes"] == set(PROJECT_PREFIXES)
