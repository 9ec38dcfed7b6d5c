"""The search index every page carries: labels, synonyms and CURIEs of entities; labels and ids of studies,
publications and assertions. Written once as static/search-index.js (a plain script, so it loads from file://
where a fetch of JSON would be refused); site.js matches typed text against it and lists links."""

from __future__ import annotations

import json

from kg.serve.links import Links
from kg.serve.sitedata import SiteData

KIND_ORDER = ("entity", "study", "reference", "assertion")


def _entry(kind: str, identifier: str, label: str, names, detail: str, url: str, by_id_only: bool = False) -> dict:
    """k: kind, i: id, l: label shown, n: other names shown, d: detail, u: link from the site root,
    s: the lower-case text matched (the label, the other names and the id; only the id for assertions, whose
    labels repeat entity names)."""
    names = [n for n in dict.fromkeys(names) if n and n != label]
    matched = [identifier] if by_id_only else [label, *names, identifier]
    return {"k": kind, "i": identifier, "l": label, "n": names, "d": detail, "u": url, "s": " | ".join(matched).lower()}


def search_entries(data: SiteData, links: Links) -> list[dict]:
    """Entities first (with synonyms, ontology label and cross-reference CURIEs), then studies, publications, assertions."""
    entries = [
        _entry(
            "entity",
            e["id"],
            e["label"],
            [e["ontology_label"], *e["synonyms"], *e["xrefs"]],
            e["category"].removeprefix("biolink:"),
            links.entity(e["id"]),
        )
        for e in data.entities.values()
    ]
    entries += [_entry("study", s["id"], s["label"], [], s["design"] or "", links.study(s["id"])) for s in data.studies.values()]
    entries += [
        _entry("reference", r["id"], r["citation"] or r["id"], [r["title"]], r["study_type"] or "", links.reference(r["id"]))
        for r in data.references.values()
    ]
    entries += [
        _entry(
            "assertion",
            a["id"],
            claim_text(data, a),
            [],
            f"grade {a['grade']}, {a['support']}",
            links.assertion(a["id"]),
            by_id_only=True,
        )
        for a in data.assertions.values()
    ]
    return entries


def claim_text(data: SiteData, assertion: dict) -> str:
    predicate = assertion["predicate_label"] or assertion["predicate"].replace("_", " ")
    return f"{data.label(assertion['subject'])} {predicate} {data.label(assertion['object'])}"


def script_json(value) -> str:
    """JSON to put inside a script: ASCII only, and <, > and & escaped, so no text can end the script element."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def search_script(data: SiteData, static: bool) -> str:
    """static/search-index.js: the entries as a JSON literal assigned to window.PAINKG_INDEX."""
    return "window.PAINKG_INDEX = " + script_json(search_entries(data, Links(static=static))) + ";\n"
