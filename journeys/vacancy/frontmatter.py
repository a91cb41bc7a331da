"""Split a vacancy file into its YAML front matter and the vacancy text below it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.errors import DefinitionError, DefinitionErrors

_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


@dataclass(frozen=True)
class SplitFile:
    """The front matter text (None without one) and the body, with where each starts."""

    front_matter: str | None
    body: str
    front_matter_line: int  # 1-based line of the first front matter line
    body_offset: int  # character offset of the body in the file


def split_front_matter(text: str, *, file: str) -> SplitFile:
    """Separate a `---` … `---` block at the very top from the text below it.

    Raises:
        DefinitionErrors: the block is opened but never closed.
    """
    opening = _OPEN.match(text)
    if not opening:
        start = 1 if text.startswith("\ufeff") else 0
        return SplitFile(
            front_matter=None, body=text[start:], front_matter_line=0, body_offset=start
        )
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        error = DefinitionError(
            file=file,
            line=1,
            field="(front matter)",
            message="the front matter opened with '---' is never closed; add a '---' line",
        )
        raise DefinitionErrors([error])
    return SplitFile(
        front_matter=text[opening.end() : closing.start()],
        body=text[closing.end() :],
        front_matter_line=2,
        body_offset=closing.end(),
    )
