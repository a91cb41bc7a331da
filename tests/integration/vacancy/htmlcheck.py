"""A small strict reader of rendered HTML pages: structure, headings, scripts and links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclass
class Page:
    """What a test needs to know about a page."""

    doctype: str | None = None
    lang: str | None = None
    title: str = ""
    headings: list[tuple[str, str]] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    learning_items: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.page.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.page.tags.append(tag)
        if tag == "html":
            self.page.lang = attributes.get("lang")
        if tag == "a" and attributes.get("href"):
            self.page.hrefs.append(attributes["href"] or "")
        if attributes.get("id"):
            self.page.ids.append(attributes["id"] or "")
        if tag not in VOID:
            self.stack.append((tag, attributes))
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tags = [t for t, _ in self.stack]
            raise AssertionError(f"</{tag}> does not close the open element; open: {open_tags}")
        _, attributes = self.stack.pop()
        text = " ".join("".join(self.text).split())
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.page.headings.append((tag, text))
        elif tag == "title":
            self.page.title = text
        elif tag == "script":
            self.page.scripts.append((attributes, "".join(self.text)))
        elif tag == "li" and any(a.get("id") == "learning" for _, a in self.stack):
            self.page.learning_items.append(text)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_page(html: str) -> Page:
    """Parse a page, failing on a mis-nested or unclosed element."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert not reader.stack, f"unclosed elements: {[t for t, _ in reader.stack]}"
    return reader.page
