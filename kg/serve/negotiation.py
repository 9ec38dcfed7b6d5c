"""Which representation a request gets: the Accept header's preferred offered media type (q-values honoured).

Linked-data paths (/entity/..., /assertion/..., /graph) offer HTML, the default for browsers and for clients
that accept anything, and the RDF formats of the SPARQL endpoint; `?format=turtle` etc. overrides the header.
"""

from __future__ import annotations

HTML = "text/html"
RDF_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")
PAGE_TYPES = {HTML: "html", "application/xhtml+xml": "html", **{media: "rdf" for media in RDF_TYPES}}
FORMAT_NAMES = {
    "html": HTML,
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "xml": "application/rdf+xml",
}


def negotiate(accept: str, offered: dict, default: str) -> str:
    """The offered media type the Accept header prefers (q-values honoured), else the default."""
    best, best_q = default, 0.0
    for part in (accept or "").split(","):
        media, *options = [p.strip() for p in part.split(";")]
        q = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    q = float(option[2:])
                except ValueError:
                    q = 0.0
        if media in offered and q > best_q:
            best, best_q = media, q
    return best


def page_media(accept: str, format_name: str = "") -> str:
    """The media type for a linked-data path: `?format=` when given and known, else the Accept header, else HTML."""
    if format_name:
        return FORMAT_NAMES.get(format_name.lower(), HTML)
    media = negotiate(accept, PAGE_TYPES, HTML)
    return HTML if PAGE_TYPES[media] == "html" else media
