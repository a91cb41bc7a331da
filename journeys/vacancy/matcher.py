"""Find what a vacancy text offers and obliges for learning, with evidence and offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from journeys.vacancy.context_en import CONTEXT_EN
from journeys.vacancy.context_nl import CONTEXT_NL
from journeys.vacancy.cues import is_future, is_offer, is_prerequisite
from journeys.vacancy.exclusions import (
    DENIED_AFTER,
    denied_by_next,
    denied_in_clause,
    given_to_others,
    leader_learning,
    leader_span,
    spent_from_budget,
)
from journeys.vacancy.language import Language
from journeys.vacancy.lexicon_en import RULES_EN
from journeys.vacancy.lexicon_nl import RULES_NL
from journeys.vacancy.obligations_en import OBLIGATIONS_EN, TRAINING_EN
from journeys.vacancy.obligations_nl import OBLIGATIONS_NL, TRAINING_NL
from journeys.vacancy.rules import Rule, pattern
from journeys.vacancy.segments import Sentence, sentences

CATEGORIES: tuple[str, ...] = (
    "learning_value",
    "personal_plan",
    "coaching",
    "leader_example",
    "recognition",
    "budget_time",
    "learning_environment",
    "knowledge_sharing",
    "obligations",
)
RULES: dict[Language, tuple[Rule, ...]] = {
    "nl": OBLIGATIONS_NL + RULES_NL + CONTEXT_NL,
    "en": OBLIGATIONS_EN + RULES_EN + CONTEXT_EN,
}
# Dutch vacancies borrow English phrases ("lunch & learn", "career coaching", "learning
# platform"): Dutch texts also get the English phrase rules, but only their multi-word matches
# count (a single word such as "mentor" or "training" is Dutch too, and the Dutch rules judge it).
BORROWED: dict[Language, tuple[Rule, ...]] = {"nl": RULES_EN, "en": ()}
_TRAINING: dict[Language, re.Pattern[str]] = {
    "nl": pattern(TRAINING_NL),
    "en": pattern(TRAINING_EN),
}
# How far back `before` vetoes and negations look: a few words, so long texts stay linear.
_LOOK_BACK = 160
# A cue right after a negation is not on offer: "no training budget", "geen opleidingsbudget".
_NEGATED = re.compile(
    r"(?<![\w-])(?:no|not|without|never|geen|zonder|niet|nooit)(?:\s+[\w'-]+){0,2}"
    r"(?:\s+(?:or|nor|of|noch)(?:\s+[\w'-]+)?)?\s*$",
    re.IGNORECASE,
)
# The employer gives the training itself: then a mandatory training is also one on offer.
_PROVIDED = re.compile(
    r"\b(?:regel\w*|organise\w*|verzorg\w*|in (?:eigen )?huis|in-?company|platform\w*"
    r"|\w*platform|on the job|we (?:provide|arrange|run|organi[sz]e|deliver|train)|full training"
    r"|in-house|via ons|bij ons|beyond|on top of|besides|in addition|naast|daarnaast|portal"
    r"|library)\b",
    re.IGNORECASE,
)
# A Dutch offer denied after the fact: "een vast opleidingsbudget hebben we niet".
_DENIED_AFTER = re.compile(
    r"\b(?:hebben|heeft|hebt|heb|bieden|biedt|geven|geeft|kennen|kent|is|zijn) (?:we|wij|je|jij"
    r"|er|het)? ?(?:[\w'-]+ ){0,4}niet\b(?! (?:alleen|enkel|zomaar|meer dan|nodig))",
    re.IGNORECASE,
)
_NOT_A_NEGATION = re.compile(r"(?:not|niet) (?:only|just|alleen|enkel)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One matched piece of text: its category, the text itself and where it is.

    `source` says who found it: the rules (a matched phrase) or the sentence model (a whole
    segment, with the model's `confidence`).
    """

    category: str
    evidence: str
    start: int
    end: int
    source: str = "rules"
    confidence: float | None = None

    def as_dict(self) -> dict[str, object]:
        """The finding as CONTRACTS §6 JSON; a model finding adds `source` and `confidence`."""
        out: dict[str, object] = {
            "category": self.category,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }
        if self.source != "rules":
            out |= {"source": self.source, "confidence": self.confidence}
        return out


def find_learning(text: str, *, language: Language) -> list[Finding]:
    """Return every finding in a text, in text order; overlapping matches keep the strongest."""
    found: list[Finding] = []
    parts = sentences(text)
    for index, sentence in enumerate(parts):
        if sentence.heading:
            continue
        following = parts[index + 1].text if index + 1 < len(parts) else None
        prerequisite, future = is_prerequisite(sentence), is_future(sentence)
        offer = is_offer(sentence)
        in_sentence: list[Finding] = []
        for rule in RULES[language]:
            if rule.offer_only and not offer:
                continue
            if _applies(rule, sentence, prerequisite=prerequisite, future=future):
                in_sentence += _matches(rule, sentence)
        for rule in BORROWED[language]:
            if _applies(rule, sentence, prerequisite=prerequisite, future=future):
                in_sentence += [f for f in _matches(rule, sentence) if " " in f.evidence.strip()]
        if sentence.section == "mandatory" and not prerequisite:
            in_sentence += _named_mandatory(sentence, language)
        in_sentence = _not_on_offer(in_sentence, sentence, following)
        found += _mandatory_only(in_sentence, sentence)
    return sorted(_without_overlaps(_merged(found, text)), key=lambda f: (f.start, f.end))


def _named_mandatory(sentence: Sentence, language: Language) -> list[Finding]:
    """Under a heading such as "Mandatory training" or "Verplichtingen", a training or
    certificate the sentence names is an obligation."""
    match = _TRAINING[language].search(sentence.text)
    if match is None or _negated(sentence.text[: match.start()]):
        return []
    start = sentence.start + match.start()
    return [Finding("obligations", match.group(0), start, sentence.start + match.end())]


_OTHERS_ONLY = frozenset({"learning_environment", "coaching"})
_LEADERS_OWN = frozenset({"learning_environment", "coaching", "budget_time", "recognition"})


def _not_on_offer(found: list[Finding], sentence: Sentence, following: str | None) -> list[Finding]:
    """Drop what the sentence does not offer the hire: a question the next sentence denies, a
    course a leader took (a leader learning now is the leader's example), a training the hire
    gives to others, a course that is only what a learning budget may be spent on."""
    text = sentence.text
    if denied_by_next(text, following):
        return [f for f in found if f.category == "obligations"]
    leader = leader_learning(text)
    if leader is not None:
        found = [f for f in found if f.category not in _LEADERS_OWN]
        span = leader_span(text)
        if leader == "now" and span and not any(f.category == "leader_example" for f in found):
            start, end = sentence.start + span[0], sentence.start + span[1]
            found.append(Finding("leader_example", text[span[0] : span[1]], start, end))
    found = [
        f
        for f in found
        if f.category not in _OTHERS_ONLY
        or not given_to_others(text, f.start - sentence.start, f.end - sentence.start)
    ]
    return [
        f
        for f in found
        if f.category != "learning_environment"
        or not spent_from_budget(text, f.start - sentence.start, f.end - sentence.start)
    ]


def _mandatory_only(found: list[Finding], sentence: Sentence) -> list[Finding]:
    """A sentence that makes a training mandatory, and offers nothing around it, speaks of that
    training only: its course words count as the obligation, not as an offer ("Food hygiene
    training, which all staff must complete in their first month"). Paid for, arranged or given
    in house, the training is on offer too."""
    categories = {f.category for f in found}
    if "leader_example" in categories:  # "our founder still books herself on courses"
        found = [f for f in found if f.category != "learning_environment"]
    if "obligations" not in categories or "budget_time" in categories:
        return found
    if _PROVIDED.search(sentence.text):
        return found
    return [f for f in found if f.category != "learning_environment"]


def _applies(rule: Rule, sentence: Sentence, *, prerequisite: bool, future: bool) -> bool:
    if sentence.section == "duties" and not rule.duties and rule.category != "obligations":
        return False
    if prerequisite and not (
        rule.prerequisites == "always" or (rule.prerequisites == "future" and future)
    ):
        return False
    if (
        rule.unless
        and rule.unless.search(sentence.text)
        and not (future and rule.prerequisites == "future")
    ):
        return False
    return not (rule.requires and not rule.requires.search(sentence.text))


def _matches(rule: Rule, sentence: Sentence) -> list[Finding]:
    """Every match of a rule, overlapping ones included (a match may start inside another)."""
    out, position, text = [], 0, sentence.text
    while match := rule.pattern.search(text, position):
        position = match.start() + 1
        before = text[max(0, match.start() - _LOOK_BACK) : match.start()]
        if rule.before and rule.before.search(before):
            continue
        if rule.after and rule.after.match(text[match.end() :]):
            continue
        if rule.category != "obligations" and (_negated(before) or denied_in_clause(before)):
            continue
        after_match = text[match.end() : match.end() + _LOOK_BACK]
        if rule.category != "obligations" and (
            _DENIED_AFTER.search(after_match) or DENIED_AFTER.search(after_match)
        ):
            continue
        start, end = sentence.start + match.start(), sentence.start + match.end()
        out.append(Finding(rule.category, match.group(0), start, end))
    return out


def _negated(before: str) -> bool:
    """Tell whether the words right before a match deny it."""
    negation = _NEGATED.search(before)
    return bool(negation) and not _NOT_A_NEGATION.match(negation.group(0))


def _merged(found: list[Finding], text: str) -> list[Finding]:
    """Join overlapping findings of one category into a single span of evidence."""
    out: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.category, f.start, -f.end)):
        last = out[-1] if out else None
        if last and last.category == f.category and f.start < last.end:
            end = max(last.end, f.end)
            out[-1] = Finding(f.category, text[last.start : end], last.start, end)
        else:
            out.append(f)
    return out


_SWALLOWED = frozenset({"learning_environment", "recognition"})


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """Drop a course or certificate that an obligation overlaps (mandatory training counts as an
    obligation only), and a learning value that lies inside a more specific finding ("personal
    development" inside "personal development plan"); other findings may share words ("a paid
    mandatory course" is budget and obligation, "training days" budget and environment)."""
    duties = [f for f in found if f.category == "obligations"]
    kept = list(duties)
    for f in found:
        if f.category == "obligations":
            continue
        if f.category in _SWALLOWED and any(_overlap(f, d) for d in duties):
            continue
        if f.category != "learning_value" or not any(_inside(f, g) for g in found if g != f):
            kept.append(f)
    return kept


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(a: Finding, b: Finding) -> bool:
    """Tell whether a lies within b and is shorter."""
    return b.start <= a.start and a.end <= b.end and (b.end - b.start) > (a.end - a.start)
