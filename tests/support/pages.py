"""Read the site's HTML pages the way a person or a crawler does: links with their text, elements by id or class,
the visible text. Standard library only (html.parser), shared by the site and explorer tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attributes: dict
    text: list[str] = field(default_factory=list)
    ancestors: tuple = ()

    @property
    def content(self) -> str:
        return " ".join("".join(self.text).split())

    def has_class(self, name: str) -> bool:
        return name in (self.attributes.get("class") or "").split()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.body_text: list[str] = []
        self.in_script = 0

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, ancestors=tuple(self.open))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)
        if tag in ("script", "style"):
            self.in_script += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_script = max(0, self.in_script - 1)
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text.append(data)
        if not self.in_script:
            self.body_text.append(data)


class Page:
    """One HTML document, parsed."""

    def __init__(self, html: str):
        reader = _Reader()
        reader.feed(html)
        reader.close()
        self.elements = reader.elements
        self.text = " ".join("".join(reader.body_text).split())

    def all(self, tag: str | None = None, css_class: str | None = None, **attributes) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and (css_class is None or e.has_class(css_class))
            and all(e.attributes.get(k.rstrip("_").replace("_", "-")) == v for k, v in attributes.items())
        ]

    def inside(self, container: Element, tag: str) -> list[Element]:
        """The `tag` elements within `container`."""
        return [e for e in self.elements if e.tag == tag and any(a is container for a in e.ancestors)]

    def by_id(self, identifier: str) -> Element | None:
        return next((e for e in self.elements if e.attributes.get("id") == identifier), None)

    def links(self) -> list[tuple[str, str]]:
        """(href, text) of every link."""
        return [(e.attributes.get("href", ""), e.content) for e in self.all("a") if "href" in e.attributes]

    def loads(self) -> list[str]:
        """Every URL the page itself loads: script / img / iframe / source src and stylesheet or icon links (not
        rel=alternate, which only names another representation)."""
        found = [e.attributes["src"] for e in self.elements if "src" in e.attributes]
        return found + [
            e.attributes["href"] for e in self.all("link") if "href" in e.attributes and e.attributes.get("rel") != "alternate"
        ]
