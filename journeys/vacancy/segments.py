"""Cut a vacancy text into sentences that know their section (requirements, offer, duties)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from journeys.vacancy.rules import cue

Section = Literal["intro", "requirements", "offer", "duties", "mandatory"]

_BULLET = re.compile(r"^\s*(?:[-*•·+]|\d+[.)])\s+")
_MARKUP = re.compile(r"^\s*#{1,6}\s*|[*_]{2}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # a ";" joins clauses that refer to each other
_HEADINGS: dict[Section, re.Pattern[str]] = {
    "requirements": cue(
        r"wat (?:vragen|verwachten) (?:wij|we)(?: van (?:je|jou))?",
        r"wat (?:wij|we) (?:van (?:je|jou) )?(?:vragen|verwachten)",
        r"wat (?:breng|neem) (?:je|jij) mee|wat (?:je|jij) (?:meebrengt|meeneemt)|dit breng je mee",
        r"(?:jouw |je |het )?profiel|functie-?eisen|eisen|wie (?:ben|zoeken) (?:jij|wij|we)",
        r"wat heb je nodig|jij|requirements|(?:what )?you (?:bring|need|have|are)",
        r"dit (?:vragen|verwachten) (?:wij|we)|essential(?: criteria)?|you'll need",
        r"what we(?:'re| are)? (?:looking for|expect|ask)|who (?:we're|we are) looking for",
        r"who you are|about you|your profile|the person|qualifications|you will need|you",
    ),
    "offer": cue(
        r"wat (?:bieden|geven) (?:wij|we)(?: (?:je|jou))?|(?:wij|we) bieden|ons aanbod",
        r"wat (?:wij|we) (?:je |jou )?(?:bieden|geven)|dit (?:bieden|geven) (?:wij|we)",
        r"wat (?:krijg|ontvang) (?:je|jij)|wat (?:je|jij) (?:van ons )?krijgt|dit krijg je|wij",
        r"arbeidsvoorwaarden|leren bij ons|what we offer|we offer|our offer|benefits|perks|us",
        r"what you(?:'ll| will)? get|you get|we will give you|why join us|how we work and learn",
        r"how you learn here|what's in it for you|what we can offer(?: you)?",
        r"the good stuff|the deal|what we bring(?: to the table)?|why you'll (?:like|love) it here"
        r"|in return|the perks|once on board|what you get(?: from us| in return)?",
        r"(?:training|learning|development|growth|career)(?: (?:and|&) \w+)?|(?:your )?growth",
        r"dit zit erin(?: voor (?:jou|je))?|waar je op kunt rekenen",
        r"wat (?:wij|we) (?:jou|je) bieden|wat krijg je (?:ervoor )?terug",
        r"(?:opleiding|ontwikkeling|leren|groei)(?: (?:en|&) \w+)?",
    ),
    "mandatory": cue(
        r"(?:mandatory|compulsory|required|statutory) (?:training|learning|certifications?"
        r"|qualifications?)|(?:training|certification) requirements|mandatory|compulsory",
        r"verplicht\w*(?: \w+){0,4}|(?:wettelijke )?(?:opleidings|scholings)eisen",
        r"(?:requirements|must-haves|musts) (?:after|once) you(?:'re| are)?"
        r" (?:join|start|on board)\w*",
        r"(?:training|courses|certifications?) you (?:must|need to|will) (?:complete|hold|pass)",
        r"(?:required|compulsory) (?:training|courses)",
        r"verplichte (?:opleiding|training|scholing)\w*",
    ),
    "duties": cue(
        r"wat (?:ga je|je gaat) doen|wat (?:je|jij) doet|(?:jouw |je )?taken|(?:over )?de functie"
        r"|de baan",
        r"(?:the |your |about the )?(?:role|job)|(?:key |main |your )?(?:responsibilities|duties)",
        r"what you(?:'ll| will)? (?:be )?do(?:ing)?|your day|a day in the life|(?:jouw|je) rol",
    ),
}


@dataclass(frozen=True)
class Sentence:
    """A sentence or bullet of the text: its offsets, its words, and the section it is in."""

    start: int
    end: int
    text: str
    section: Section
    heading: bool = False  # the heading line itself: it names a section, it promises nothing


def sentences(text: str) -> list[Sentence]:
    """Split a text into sentences with character offsets and their section."""
    found: list[Sentence] = []
    section: Section = "intro"
    lines = list(_lines(text))
    for index, (start, line) in enumerate(lines):
        if not line.strip():
            continue
        following = next((nxt for _, nxt in lines[index + 1 :] if nxt.strip()), "")
        heading = is_heading(line, following)
        if heading:
            section = _section_of(line) or "intro"
        for offset, part in _parts(line):
            found.append(
                Sentence(start + offset, start + offset + len(part), part, section, heading)
            )
    return found


def _lines(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, line.rstrip("\r\n")
        start += len(line)


def _parts(line: str) -> Iterator[tuple[int, str]]:
    start = 0
    for gap in _SENTENCE_END.finditer(line):
        yield from _trimmed(line, start, gap.start())
        start = gap.end()
    yield from _trimmed(line, start, len(line))


def _trimmed(line: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    piece = line[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        yield start + lead, piece


def is_heading(line: str, following: str) -> bool:
    """Tell whether a line is a heading (Markdown, bold, or a short line that introduces a list)."""
    stripped = line.strip()
    if stripped.startswith("#") or re.fullmatch(r"(\*\*|__).+(\*\*|__):?", stripped):
        return True
    if _BULLET.match(line):
        return False
    words = len(stripped.split())
    if stripped.endswith((":", "?")):
        return words <= 7
    return words <= 6 and not stripped.endswith((".", "!", ";", ",")) and bool(following)


def _section_of(line: str) -> Section | None:
    label = _MARKUP.sub("", line).strip().rstrip(":?").strip()
    for section, heading in _HEADINGS.items():
        match = heading.match(label)
        if match and match.end() >= len(label) - 1:
            return section
    return None
