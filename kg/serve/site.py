"""The site: one page per entity, assertion, study and publication, the mechanism explorer, search, the SPARQL
editor and the whole-graph view; which page a request path names (for `kg serve`), and the same pages written as
a static site (build/site/) that works from file:// or any static host.

Paths follow the painkg namespace, so https://w3id.org/painkg/assertion/A-nmda-0005 redirected to a server lands
on that assertion's page: /assertion/{id}, /id/{local} (painkg's own identifiers), /entity/{CURIE or CURIE_}
/study/..., /reference/..., /graph, and any other painkg IRI as a page of its own triples.
"""

from __future__ import annotations

import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kg.serve import pages
from kg.serve.links import Links, curie_from_path
from kg.serve.search import search_script
from kg.serve.sitedata import QUERIES, SiteData, read_site_data
from kg.sparql import query
from kg.vocab import ASSERTION, PAINKG

STATIC = Path(__file__).resolve().parent / "static"
TOP_PAGES = ("search", "query", "explore", "graph")
THINGS = ("entity", "assertion", "study", "reference")
LOCAL_PREFIX = "PAINKG"  # painkg's own identifiers: PAINKG:wind-up is https://w3id.org/painkg/id/wind-up
RESERVED = frozenset({*TOP_PAGES, *THINGS, "id", "sparql", "library", "static", "compare"})
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Target:
    """What a path names: a kind of page, the thing's key (CURIE or id) and its IRI when it has RDF of its own."""

    kind: str
    key: str = ""
    iri: str | None = None


def library_listing() -> list[dict]:
    """Library queries for the editor: name, question, parameters with defaults and notes, text."""
    from kg.sparql.library import library

    return [
        {
            "name": q.name,
            "question": q.question,
            "text": q.text,
            "params": [{"name": p.name, "default": p.default, "type": p.type, "note": p.note} for p in q.params],
        }
        for q in library().values()
    ]


class Site:
    """The pages of one graph (read once from a kg.store back end)."""

    def __init__(self, store, data: SiteData | None = None):
        self.store = store
        self.data = data or read_site_data(store)
        self._graph_pages: dict[bool, str] = {}
        self._scripts: dict[bool, str] = {}

    # ------------------------------------------------------------ paths -> things

    def resolve(self, path: str) -> Target | None:
        """The thing a request path names, or None (a 404)."""
        head, _, rest = urllib.parse.unquote(path).strip("/").partition("/")
        if not head:
            return Target("home")
        if head in TOP_PAGES and not rest:
            return Target(head, iri=str(PAINKG["graph"]) if head == "graph" else None)
        if head in THINGS and rest:
            return getattr(self, f"_{head}")(rest)
        if head == "compare" and rest:
            known = {c["id"] for c in self.data.comparisons}
            return Target("compare", rest, str(PAINKG[f"comparison/{rest}"])) if rest in known else None
        if head == "id" and rest:
            return self._entity(f"{LOCAL_PREFIX}:{rest}") or self._study(f"{LOCAL_PREFIX}:{rest}")
        if head not in RESERVED:
            return self._resource(urllib.parse.unquote(path).strip("/"))
        return None

    def _entity(self, text: str) -> Target | None:
        curie = curie_from_path(text, self.data.prefixes)
        return Target("entity", curie, self._expand(curie)) if curie in self.data.entities else None

    def _assertion(self, text: str) -> Target | None:
        return Target("assertion", text, str(ASSERTION[text])) if text in self.data.assertions else None

    def _study(self, text: str) -> Target | None:
        for curie in (curie_from_path(text, self.data.prefixes), f"{LOCAL_PREFIX}:{text}"):
            if curie in self.data.studies:
                return Target("study", curie, self._expand(curie))
        return None

    def _reference(self, text: str) -> Target | None:
        curie = curie_from_path(text, self.data.prefixes)
        return Target("reference", curie, self._expand(curie)) if curie in self.data.references else None

    def _resource(self, local: str) -> Target | None:
        iri = str(PAINKG) + local
        return Target("resource", local, iri) if self.triples(iri) else None

    def _expand(self, curie: str) -> str:
        namespace = self.data.prefixes[curie.split(":", 1)[0]]
        return namespace + curie.split(":", 1)[1]

    def triples(self, iri: str) -> list[dict]:
        """A resource's own triples (property, object) as CURIEs where the prefix map knows them."""
        from rdflib import URIRef

        frame = query(str(QUERIES / "resource-triples.rq"), graph=self.store, resource=URIRef(iri))
        return frame.to_dict("records")

    # ------------------------------------------------------------ pages

    def html(self, target: Target, links: Links, fields: dict | None = None) -> str:
        """The page of a target; pages.NotFound when a query names nothing in the graph."""
        fields = fields or {}
        data = self.data
        if target.kind == "home":
            return pages.home_page(data, links)
        if target.kind == "search":
            return pages.search_page(data, links)
        if target.kind == "query":
            return pages.query_page(data, links, library_listing())
        if target.kind == "graph":
            return self.graph_page(links)
        if target.kind == "explore":
            return self._explore(links, fields)
        if target.kind == "resource":
            return pages.resource_page(data, links, target.iri, target.key, self._readable(self.triples(target.iri)))
        return getattr(pages, f"{target.kind}_page")(data, links, target.key)

    def _explore(self, links: Links, fields: dict) -> str:
        drug, outcome = (fields.get(name, [""])[0] for name in ("drug", "outcome"))
        if not drug and not outcome:
            return pages.explore_index(self.data, links)
        prefixes = self.data.prefixes
        drug = curie_from_path(drug or (self.data.focal_drugs or [""])[0], prefixes)
        preset = {
            "min_grade": _grade_rank(fields.get("min_grade", [""])[0]),
            "species": fields.get("species"),
            "systems": fields.get("system"),
        }
        return pages.explore_page(
            self.data, links, drug, curie_from_path(outcome, prefixes), {k: v for k, v in preset.items() if v}
        )

    def _readable(self, triples: list[dict]) -> list[dict]:
        return [{"property": t["property"], "object": str(t["object"]), "is_iri": bool(t["is_iri"])} for t in triples]

    def graph_page(self, links: Links) -> str:
        """The whole-graph view (kg.views), linked back to the entity pages; rendered once per link style."""
        if links.static not in self._graph_pages:
            from kg.views.viewer import site_graph_page

            entities = {n: links.entity(n) for n in self.data.network if n in self.data.entities}
            self._graph_pages[links.static] = site_graph_page(
                self.data.network, self.data.labels, {"home": links.home(), "search": links.page("search"), "entities": entities}
            )
        return self._graph_pages[links.static]

    def not_found(self, links: Links, message: str) -> str:
        return pages.not_found_page(self.data, links, message)

    # ------------------------------------------------------------ static files

    def search_index(self, static: bool) -> bytes:
        """static/search-index.js for server links or static-site links (built once for each)."""
        if static not in self._scripts:
            self._scripts[static] = search_script(self.data, static)
        return self._scripts[static].encode("utf-8")

    # ------------------------------------------------------------ the static site

    def write(self, folder: Path) -> Path:
        """Every page as a file under `folder` (entity/PREFIX_local.html ...); returns the index page."""
        folder = Path(folder)
        top, below = Links(static=True), Links(static=True).below(1)
        files = {
            "index.html": pages.home_page(self.data, top),
            **{f"{name}.html": self.html(Target(name), top) for name in TOP_PAGES},
        }
        files["explore.html"] = pages.explore_index(self.data, top)
        for kind, keys in (
            ("entity", self.data.entities),
            ("assertion", self.data.assertions),
            ("study", self.data.studies),
            ("reference", self.data.references),
        ):
            for key in keys:
                files[top.thing(kind, key)] = getattr(pages, f"{kind}_page")(self.data, below, key)
        for group in self.data.comparisons:
            files[top.compare(group["id"])] = pages.compare_page(self.data, below, group["id"])
        for drug in self.data.drugs_with_paths:
            for reached in self.data.outcomes_reached(drug):
                files[top.explore(drug, reached["outcome"])] = pages.explore_page(self.data, below, drug, reached["outcome"])
        for relative, text in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self._write_assets(folder / "static")
        return folder / "index.html"

    def _write_assets(self, folder: Path) -> None:
        for name, path in asset_files().items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / name)
        (folder / "search-index.js").write_bytes(self.search_index(static=True))


def asset_files() -> dict[str, Path]:
    """Name (relative to static/) -> file, for the scripts and style sheets the pages load."""
    return {p.relative_to(STATIC).as_posix(): p for p in sorted(STATIC.rglob("*")) if p.suffix in MEDIA_TYPES}


def read_asset(name: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of one file the pages load; only names from the folder's own listing are served."""
    path = asset_files().get(name)
    return None if path is None else (MEDIA_TYPES[path.suffix], path.read_bytes())


def _grade_rank(grade: str) -> int | None:
    from kg.model.network import GRADE_RANK

    return GRADE_RANK.get(grade.upper()) if grade else None


def write_site(graph, folder: Path) -> Path:
    """The static site of a graph in `folder`; returns its index page. `graph`: the build's Validated (its networkx
    view is reused), an rdflib Graph, or anything else kg.store.load takes."""
    from kg.export import Validated
    from kg.store import load

    if isinstance(graph, Validated):
        store = load(graph.graph)
        return Site(store, read_site_data(store, graph.network)).write(folder)
    return Site(load(graph)).write(folder)
