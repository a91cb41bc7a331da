"""The rule notation of the vacancy matcher: whole-word regular expressions with context vetoes.

A rule source is a regular expression with three conveniences: a space stands for any run of
whitespace, ` ?` for optional whitespace, and `<N>` for a gap of at most N words. Every rule is
anchored on word boundaries at both ends (a hyphen counts as part of the word before it), so a
stem never matches the start of an unrelated word: write the inflections out, e.g.
`coach(?:es|ing)?`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Prerequisites = Literal["never", "future", "always"]
_GAP = re.compile(r"<(\d+)>")


def pattern(*sources: str) -> re.Pattern[str]:
    """Compile rule sources into one case-insensitive whole-word pattern."""
    body = "|".join(_expand(source) for source in sources)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.IGNORECASE)


def cue(*sources: str) -> re.Pattern[str]:
    """Compile context cues: like `pattern`, but a cue may also be the last part of a hyphenated
    compound ("PDG-traject" has the cue "traject")."""
    body = "|".join(_expand(source) for source in sources)
    return re.compile(rf"(?<!\w)(?:{body})(?![\w])", re.IGNORECASE)


def _expand(source: str) -> str:
    gapped = _GAP.sub(lambda m: f"(?:\\S+ ){{0,{m.group(1)}}}?", source)
    return gapped.replace(" ?", "\0").replace(" ", r"\s+").replace("\0", r"\s*")


@dataclass(frozen=True)
class Rule:
    """One way a category shows in a text, with the contexts that veto it."""

    category: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None  # anywhere in the sentence
    before: re.Pattern[str] | None = None  # right before the match (searched up to it)
    after: re.Pattern[str] | None = None  # right after the match
    requires: re.Pattern[str] | None = None  # somewhere in the sentence
    prerequisites: Prerequisites = "never"  # counts in a prerequisite sentence?
    duties: bool = False  # counts in a duties section?
    offer_only: bool = False  # counts only in what the employer offers?


def rule(
    category: str,
    *sources: str,
    unless: str | None = None,
    before: str | None = None,
    after: str | None = None,
    requires: str | None = None,
    prerequisites: Prerequisites = "never",
    duties: bool = False,
    offer_only: bool = False,
) -> Rule:
    """Build a rule; `before` and `after` are regexes tried on the text around a match."""
    return Rule(
        category=category,
        pattern=pattern(*sources),
        unless=cue(unless) if unless else None,
        before=re.compile(rf"(?<![\w-])(?:{_expand(before)})\s*$", re.IGNORECASE)
        if before
        else None,
        after=re.compile(rf"^\s*(?:{_expand(after)})(?![\w])", re.IGNORECASE) if after else None,
        requires=cue(requires) if requires else None,
        prerequisites=prerequisites,
        duties=duties,
        offer_only=offer_only,
    )
