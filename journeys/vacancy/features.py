"""Sparse features of a vacancy's segments (sentences and bullets) for the sentence classifier.

A segment is described by its words (light-stemmed unigrams and bigrams), the letter 3–5-grams
inside its longer words (Dutch compounds: "opleidingsbudget", "ontwikkelgesprekken"), the words
of the heading it sits under, its section, the sentence cues the rules use (prerequisite, offer,
after hiring), negation, the categories the rules found in it, and the language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from journeys.vacancy.cues import is_future, is_offer, is_prerequisite
from journeys.vacancy.language import Language
from journeys.vacancy.segments import Sentence, sentences

_WORD = re.compile(r"[a-zà-ÿ0-9]+(?:'[a-z]+)?|[€£$%]")
_NEGATION = frozenset("no not without never geen zonder niet nooit don't can't won't isn't".split())
_DENIED_AFTER = re.compile(r"\b(?:hebben|bieden|geven|kennen|doen) (?:we|wij) (?:\w+ ){0,3}niet\b")
_SUFFIXES = (
    "ingen", "ings", "ing", "en", "es", "ed", "ly", "s", "e", "t",
)  # fmt: skip
_MIN_STEM = 4
_CHAR_MIN_WORD = 7  # letter n-grams only inside long words (compounds, derived words)
_NEGATION_REACH = 3
CONTEXT = True  # a sentence also sees the words of the sentence before it ("p:" features)
LETTER_GRAMS = (4, 5)  # words after "no"/"geen" that are marked negated


@dataclass(frozen=True)
class Segment:
    """One sentence or bullet of a text, with its features (strings) for the classifier."""

    sentence: Sentence
    features: tuple[str, ...]


def stem(word: str) -> str:
    """Strip one common Dutch or English ending, keeping at least four letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    """Lowercased words and currency/percent signs of a text."""
    return _WORD.findall(text.lower())


def letter_grams(word: str) -> Iterable[str]:
    """Letter 4- and 5-grams of a word, with its edges marked."""
    padded = f"<{word}>"
    for size in LETTER_GRAMS:
        for i in range(len(padded) - size + 1):
            yield padded[i : i + size]


def segment_features(
    sentence: Sentence, *, heading: str, language: Language, rule_categories: Iterable[str]
) -> tuple[str, ...]:
    """The feature names of one segment (duplicates removed, order stable)."""
    tokens = words(sentence.text)
    stems = [stem(t) for t in tokens]
    out: dict[str, None] = {"bias": None, f"lang:{language}": None, f"sec:{sentence.section}": None}
    negated_until = -1
    for i, (token, s) in enumerate(zip(tokens, stems, strict=True)):
        out[f"w:{s}"] = None
        if i + 1 < len(stems):
            out[f"b:{s}_{stems[i + 1]}"] = None
        if token in _NEGATION:
            out["neg"] = None
            negated_until = i + _NEGATION_REACH
        elif i <= negated_until:
            out[f"n:{s}"] = None
        if len(token) >= _CHAR_MIN_WORD and token.isalpha():
            for gram in letter_grams(token):
                out[f"c:{gram}"] = None
    if _DENIED_AFTER.search(sentence.text.lower()):
        out["neg"] = None
    for s in {stem(t) for t in words(heading)}:
        out[f"h:{s}"] = None
    if is_prerequisite(sentence):
        out["cue:prerequisite"] = None
    if is_offer(sentence):
        out["cue:offer"] = None
    if is_future(sentence):
        out["cue:future"] = None
    if sentence.text.lstrip().startswith(("-", "*", "•")):
        out["bullet"] = None
    for category in rule_categories:
        out[f"r:{category}"] = None
    return tuple(out)


def segments(
    text: str, *, language: Language, rule_spans: Iterable[tuple[str, int, int]] = ()
) -> list[Segment]:
    """The text's segments (headings left out) with their features.

    `rule_spans` are the rules' findings as (category, start, end): a segment's `r:` features
    name the categories found in it.
    """
    spans = list(rule_spans)
    out: list[Segment] = []
    heading, previous = "", ""
    for sentence in sentences(text):
        if sentence.heading:
            heading, previous = sentence.text, ""
            continue
        found = {c for c, start, _ in spans if sentence.start <= start < sentence.end}
        features = segment_features(
            sentence, heading=heading, language=language, rule_categories=sorted(found)
        )
        if CONTEXT and previous and not sentence.text.lstrip().startswith(("-", "*", "•")):
            features += tuple(dict.fromkeys(f"p:{stem(t)}" for t in words(previous)))
        previous = sentence.text
        out.append(Segment(sentence, features))
    return out
