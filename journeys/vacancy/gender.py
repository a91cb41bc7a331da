"""Gender-coded wording: which masculine- and feminine-coded words a vacancy uses, and advice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from journeys.vacancy.gender_terms import FEMININE_EN, FEMININE_NL, MASCULINE_EN, MASCULINE_NL
from journeys.vacancy.language import Language

_LISTS = {
    "en": (MASCULINE_EN, FEMININE_EN),
    "nl": (MASCULINE_NL, FEMININE_NL),
}
_SOURCE = {
    "en": "Gaucher, Friesen & Kay (2011)",
    "nl": "veelgebruikte lijsten voor inclusieve vacatureteksten",
}
_ADVICE: dict[str, dict[str, str]] = {
    "masculine": {
        "nl": "De tekst gebruikt vooral mannelijk gecodeerde woorden ({words}). Zulke woorden "
        "spreken vrouwen aantoonbaar minder aan; beschrijf liever wat iemand doet dan wie hij is.",
        "en": "The text leans on masculine-coded words ({words}). Research shows they make a job "
        "less appealing to women; describe what the person will do rather than who they must be.",
    },
    "feminine": {
        "nl": "De tekst gebruikt vooral vrouwelijk gecodeerde woorden ({words}). Dat schrikt "
        "mannen nauwelijks af, maar een balans met concrete taken maakt de tekst sterker.",
        "en": "The text leans on feminine-coded words ({words}). That hardly deters men, but "
        "balancing them with concrete tasks makes the text stronger.",
    },
    "neutral": {
        "nl": "De tekst is in evenwicht: evenveel mannelijk als vrouwelijk gecodeerde woorden.",
        "en": "The text is balanced: as many masculine- as feminine-coded words.",
    },
}


@dataclass(frozen=True)
class CodedWord:
    """One gender-coded word in the text: the word, the list entry it matched, where it is."""

    word: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True)
class GenderCoding:
    """The coded words found, which way the text leans, and advice in the text's language."""

    masculine: tuple[CodedWord, ...]
    feminine: tuple[CodedWord, ...]
    leaning: str  # masculine | feminine | neutral
    advice: str
    source: str

    def as_dict(self) -> dict[str, Any]:
        """The `gender_coded` JSON section."""
        words = lambda ws: [vars(w) for w in ws]  # noqa: E731
        return {
            "leaning": self.leaning,
            "masculine": words(self.masculine),
            "feminine": words(self.feminine),
            "advice": self.advice,
            "source": self.source,
        }


def _compile(terms: dict[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (stem, re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.IGNORECASE))
        for stem, rx in terms.items()
    ]


_COMPILED = {lang: tuple(_compile(t) for t in lists) for lang, lists in _LISTS.items()}


def _find(text: str, terms: list[tuple[str, re.Pattern[str]]]) -> tuple[CodedWord, ...]:
    found = [
        CodedWord(m.group(0), stem, m.start(), m.end())
        for stem, rx in terms
        for m in rx.finditer(text)
    ]
    return tuple(sorted(found, key=lambda w: w.start))


def gender_coding(text: str, *, language: Language) -> GenderCoding:
    """Find gender-coded words in a text and advise in its language."""
    masculine_terms, feminine_terms = _COMPILED[language]
    masculine, feminine = _find(text, masculine_terms), _find(text, feminine_terms)
    if len(masculine) == len(feminine):
        leaning, words = "neutral", ()
    else:
        leaning = "masculine" if len(masculine) > len(feminine) else "feminine"
        words = masculine if leaning == "masculine" else feminine
    unique = list(dict.fromkeys(w.word.lower() for w in words))[:5]
    advice = _ADVICE[leaning][language].format(words=", ".join(unique))
    return GenderCoding(masculine, feminine, leaning, advice, _SOURCE[language])
