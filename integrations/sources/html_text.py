"""Turn the HTML job ad an ATS sends into plain text with its lists and paragraphs kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "br", "ul", "ol", "section", "article", "table", "tr"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIPPED = frozenset({"script", "style", "template"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _HEADINGS:
            self.parts.append("\n\n## ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HEADINGS or tag in {"p", "ul", "ol", "div"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str | None) -> str | None:
    """Plain text of an HTML fragment: paragraphs on lines, list items as `- `, headings as
    `## `; scripts and styles dropped. None for no text."""
    if not html or not html.strip():
        return None
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = [" ".join(line.split()) for line in "".join(collector.parts).splitlines()]
    text, blank = [], False
    for line in lines:
        if line in ("", "-", "##"):
            blank = bool(text)
            continue
        if blank and not line.startswith("- "):
            text.append("")
        text.append(line)
        blank = False
    return "\n".join(text) or None
