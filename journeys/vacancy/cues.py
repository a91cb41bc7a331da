"""Sentence cues shared by the lexicons: prerequisites, offers, deadlines, training nouns."""

from __future__ import annotations

from journeys.vacancy.rules import cue
from journeys.vacancy.segments import Sentence

# What the candidate must already have or be: never a learning promise.
PREREQUISITE = cue(
    r"vereist|is een pr[eé]|een pluspunt|noodzakelijk|ervaring (?:met|als|in)|in (?:het )?bezit",
    r"beschik(?:t)? over|je hebt|heb je|required|desirable|essential|is a plus|preferred",
    r"experience (?:with|in|of|as)|you hold|hold an? (?:valid|current|full|relevant|recogni[sz]ed)"
    r"|must have|you have (?:a|an)|experience \w+ing|(?:comfortable|confident) \w+ing",
)
# What the employer gives: turns a sentence in a requirements list into an offer.
OFFER = cue(
    r"bij ons|(?:wij|we) (?:bieden|betalen|vergoeden|regelen|zorgen)|je krijgt|krijg je",
    r"op onze kosten|vergoed|we (?:offer|provide|pay|fund|arrange|support you)|you(?:'ll)? get",
    r"you will get|paid by|funded|we cover",
)
# After hiring: a deadline, a cycle, or willingness to obtain something.
FUTURE = cue(
    r"binnen <2>(?:dagen|weken|maanden|maand|jaar|jaren|proeftijd)",
    r"in (?:je|jouw|de) eerste <1>(?:dagen|weken|maanden|maand|jaar|halfjaar)",
    r"bereid <5>(?:te )?(?:behalen|halen|volgen)|jaarlijks\w*|elk jaar|ieder jaar|periodiek\w*",
    r"within <3>(?:days|weeks|months|month|year|years|probation|period)",
    r"(?:in|during) (?:your|the) first <2>(?:days|weeks|months|month|year)",
    r"willing(?:ness)? to (?:obtain|gain|achieve|complete)|annual(?:ly)?|yearly|every year",
    r"before you (?:start|qualify)|once (?:hired|employed)|after (?:hiring|you start)",
)
# A degree or school level: what "a degree required to apply" looks like.
DEGREE = cue(
    r"hbo|mbo|wo|bachelor\w*|master\w*|pabo|universit\w*|afgeronde|vooropleiding|rijbewijs",
    r"degree|GCSEs?|A-levels?|QTS|graduate|university|licen[cs]e required",
)


def is_prerequisite(sentence: Sentence) -> bool:
    """Tell whether a sentence states what a candidate must already have or be."""
    if OFFER.search(sentence.text):
        return False
    if sentence.section == "requirements":
        return True
    return sentence.section != "offer" and bool(PREREQUISITE.search(sentence.text))


def is_offer(sentence: Sentence) -> bool:
    """Tell whether a sentence is part of what the employer offers."""
    return sentence.section == "offer" or bool(OFFER.search(sentence.text))


def is_future(sentence: Sentence) -> bool:
    """Tell whether a sentence speaks of something to do after hiring."""
    return bool(FUTURE.search(sentence.text))
