"""A strict reader of an HTML page for the tests: balanced tags, their attributes, the text."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta source track wbr line rect".split())


class Outline(HTMLParser):
    """Collects the tags, their attributes and the text; fails on a tag closed out of order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        """The attributes of every `tag`, in page order."""
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        """The page's text, whitespace collapsed."""
        return " ".join(" ".join(self.text).split())


def outline(html: str) -> Outline:
    """Read a page; fails when a tag stays open."""
    parsed = Outline()
    parsed.feed(html)
    parsed.close()
    assert parsed.stack == [], f"unclosed: {parsed.stack}"
    return parsed
