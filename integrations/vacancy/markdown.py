"""Vacancy text to HTML and Markdown: CommonMark with raw HTML disabled, headings one level down."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

from journeys.vacancy.segments import is_heading

_MARKDOWN = MarkdownIt("commonmark", {"html": False})
_ATX = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)


def as_markdown(text: str) -> str:
    """Return the text as Markdown: a plain-text file's heading lines become `##` headings."""
    lines = text.splitlines()
    if any(line.lstrip().startswith("#") for line in lines):
        return text
    out = []
    for index, line in enumerate(lines):
        following = next((nxt for nxt in lines[index + 1 :] if nxt.strip()), "")
        plain = line.strip().strip("*_").strip()
        if line.strip() and is_heading(line, following) and not line.lstrip().startswith("-"):
            out.append(f"## {plain.rstrip(':')}")
        else:
            out.append(line)
    return "\n".join(out)


def to_html(text: str) -> Markup:
    """Render vacancy text to safe HTML: raw HTML is shown as text, unsafe links stay text."""
    tokens = _MARKDOWN.parse(as_markdown(text))
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"  # the page title is the only h1
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def to_markdown(text: str) -> str:
    """Return vacancy text as Markdown whose headings sit below the page's `#` title."""
    return _ATX.sub(lambda m: m.group(1) + "#", as_markdown(text)).strip()
