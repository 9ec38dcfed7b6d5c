"""Where a page links to: the same pages served by `kg serve` (/entity/PREFIX:local) or written as a static site
(entity/PREFIX_local.html), always as relative links so a site works behind a proxy prefix and from file://.

Pages live at the root (index, search, query, explore, graph) or one folder down (entity/, assertion/, study/,
reference/, explore/ in the static site); `root` is the way back to the top from the page being written.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

KINDS = ("entity", "assertion", "study", "reference")
UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def file_stem(identifier: str) -> str:
    """The static file name of a thing: ':' -> '_' (PREFIX:local -> PREFIX_local); other unsafe characters as ~XX."""
    return UNSAFE_IN_FILE_NAME.sub(
        lambda m: "".join(f"~{b:02X}" for b in m.group().encode("utf-8")), identifier.replace(":", "_", 1)
    )


def curie_from_path(text: str, prefixes) -> str:
    """A CURIE from a path segment in either form: PREFIX:local stays, PREFIX_local becomes PREFIX:local when PREFIX
    is a known prefix (the longest known prefix wins: a prefix may itself hold '_' or '.')."""
    if ":" in text:
        return text
    cuts = [i for i, c in enumerate(text) if c == "_" and text[:i] in prefixes]
    return f"{text[: cuts[-1]]}:{text[cuts[-1] + 1 :]}" if cuts else text


def http_url(url) -> str | None:
    """The URL when it is http(s), else None: data never puts a javascript: or data: link on a page."""
    text = str(url or "")
    return text if re.match(r"^https?://[^\s<>\"]+$", text) else None


@dataclass(frozen=True)
class Links:
    """Relative links from one page: `static` picks file names (.html, ':' -> '_') over server paths."""

    static: bool = False
    root: str = ""

    def below(self, depth: int) -> Links:
        """The same links for a page `depth` folders below the top."""
        return Links(self.static, "../" * depth)

    def home(self) -> str:
        return self.root + "index.html" if self.static else (self.root or "./")

    def page(self, name: str) -> str:
        """A top-level page: search, query, explore, graph."""
        return f"{self.root}{name}.html" if self.static else self.root + name

    def thing(self, kind: str, identifier: str) -> str:
        """The page of an entity, assertion, study or reference."""
        if self.static:
            return f"{self.root}{kind}/{file_stem(identifier)}.html"
        return f"{self.root}{kind}/{urllib.parse.quote(identifier, safe=':')}"

    def entity(self, curie: str) -> str:
        return self.thing("entity", curie)

    def assertion(self, identifier: str) -> str:
        return self.thing("assertion", identifier)

    def study(self, curie: str) -> str:
        return self.thing("study", curie)

    def reference(self, curie: str) -> str:
        return self.thing("reference", curie)

    def explore(self, drug: str, outcome: str) -> str:
        """The mechanism explorer for one drug and outcome (a file per pair in the static site)."""
        if self.static:
            return f"{self.root}explore/{file_stem(drug)}--{file_stem(outcome)}.html"
        return f"{self.root}explore?{urllib.parse.urlencode({'drug': drug, 'outcome': outcome})}"

    def compare(self, identifier: str) -> str:
        """The page of one curated drug comparison."""
        return f"{self.root}compare/{identifier}.html" if self.static else f"{self.root}compare/{identifier}"

    def asset(self, name: str) -> str:
        return f"{self.root}static/{name}"

    def rdf(self, page_url: str, format_name: str) -> str | None:
        """The same thing as RDF (server only: a static host cannot negotiate)."""
        if self.static:
            return None
        return page_url + ("&" if "?" in page_url else "?") + "format=" + format_name
