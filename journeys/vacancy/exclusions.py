"""Sentence contexts in which a learning word is not on offer to the person hired.

The phrase rules find course, budget and coaching words; these patterns say when a sentence
speaks of something else: an offer the text denies, a course a leader took, a training the hire
gives to others, a course that is only what a learning budget may be spent on.
"""

from __future__ import annotations

import re

from journeys.vacancy.rules import cue

# A clause ends at a dash, a semicolon, a colon, "but"/"maar", or a comma not joining a list.
_CLAUSE_END = re.compile(
    r"[;:–—()]|\s-\s|\b(?:but|maar|though|however|wel)\b|,(?!\s*(?:or|nor|of|noch)\b)",
    re.IGNORECASE,
)
# A negated offer verb: its scope runs to the end of the clause ("we can't offer a training
# budget or paid courses", "we don't run courses or pay for qualifications").
_DENYING = re.compile(
    r"(?<![\w-])(?:(?:don|doesn|can|couldn|won|wouldn|isn|aren|haven|hasn)['’]t|cannot|can not"
    r"|(?:do|does|will) not|there(?:['’]s| is| are) no|we have no|not much in the way of"
    r"|no formal|kunnen (?:we|wij) (?:je |jou )?(?:helaas )?niet|hebben (?:we|wij) (?:helaas )?"
    r"geen|is er geen|zijn er geen|bieden (?:we|wij) (?:helaas )?geen)(?![\w-])",
    re.IGNORECASE,
)
# A denial right after the cue: "een opleidingsbudget hebben we niet", "a training budget is
# something we don't have", "cursussen zitten er niet in".
DENIED_AFTER = re.compile(
    r"^[^.;:–—]{0,40}?\b(?:(?:hebben|heeft|hebt|heb|bieden|biedt|geven|geeft|kennen|kent|is"
    r"|zijn|zit|zitten|kunnen|kan) (?:we|wij|je|jij|er|het)? ?(?:[\w'-]+ ){0,4}niet\b"
    r"(?! (?:alleen|enkel|zomaar|meer dan|nodig))"
    r"|(?:we|you|they) (?:(?:don|can|couldn|won)['’]t|do not|cannot|can not|will not)"
    r" (?:have|offer|provide|fund|pay))",
    re.IGNORECASE,
)
# The next sentence denies a question: "Een opleidingsbudget? Dat hebben we niet."
_DENIAL_SENTENCE = re.compile(
    r"^(?:(?:nee|no|not|helaas niet|sadly not)\b|(?:dat|die|daar|that|those|sadly|helaas)\b"
    r"[^.?!]{0,60}\b(?:niet|geen|nee|not|n['’]t|none)\b)",
    re.IGNORECASE,
)
_LEADERS = (
    r"leidinggevende|manager|directeur|directie|teamleider|teamleid(?:st)?er|eigenaar|oprichter"
    r"|hoofdredacteur|chef|bestuurder|schoolleider|leader|director|head\w*|chief \w+|CEO|CTO|COO"
    r"|VP(?: of [\w ]+?)?|founder|owner|partner|principal|boss|supervisor|\w*manager"
)
# A leader is the subject: "Our Chief Pharmacist completed a leadership course last year".
_LEADER_SUBJECT = re.compile(
    rf"^(?:[\w'’-]+ ){{0,4}}?(?:our|onze|ons|the|de|my|mijn|his|her)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?:{_LEADERS})s?\b(?:\s+[A-Z]\w+)?,?\s+(?:[\w'’-]+\s+){{0,2}}?"
    r"(?:completed|took|did|finished|attended|followed|studied|graduated|earned|gained|obtained"
    r"|recently|still|books|booked|is (?:herself|himself|themselves|now|currently)"
    r"|rondde|volgde|deed|haalde|behaalde|studeerde|zit|volgt|doet|heeft)\b",
    re.IGNORECASE,
)
# ...and learns now, or again: then it is the leader's example.
_LEARNS_NOW = cue(
    r"still|now (?:doing|taking|studying|following)|currently|this year|every year|each year"
    r"|(?:herself|himself|themselves) (?:on|onto|in|into)|books (?:herself|himself|themselves)",
    r"zelf ook|nog elk jaar|nog ieder jaar|dit jaar|volgt (?:zij|hij|ze) zelf|schoolbanken",
)
# The hire, or the employer, gives the training to others: "you run workshops for PhD students",
# "je geeft een workshop aan onze accountmanagers", "workshops voor leden".
_GIVING_BEFORE = re.compile(
    r"(?<![\w-])(?:run|runs|running|deliver|delivers|delivering|give|gives|giving|teach"
    r"|teaches|teaching|host|hosts|lead|leads|present|presents|geeft|geef|geven|verzorg|verzorgt"
    r"|houdt|houd|organiseer|organiseert|je geeft zelf|markets?|sell|sells|verkoop|verkoopt)"
    r"(?:\s+[\w'’-]+){0,6}\s*$",
    re.IGNORECASE,
)
_RECIPIENTS = (
    r"students|pupils|customers|clients|members|volunteers|children|kids|young \w+|youth|parents"
    r"|patients|residents|users|schools|players|teaching assistants|others|the public|leden"
    r"|klanten|cli[eë]nten|leerlingen|studenten|vrijwilligers|kinderen|jongeren|jeugd\w*"
    r"|ouders|patiënten|bewoners|gebruikers|scholen|spelers|deelnemers|anderen"
    r"|nieuwe collega's|new (?:staff|starters|colleagues)"
)
_FOR_OTHERS_AFTER = re.compile(
    rf"^(?:\s*[\w'’-]+){{0,5}}?\s+(?:for|to|aan|voor)\s+(?:[\w'’-]+\s+){{0,3}}?(?:{_RECIPIENTS})\b",
    re.IGNORECASE,
)
_OUTSIDERS = (
    r"members|leden|customers|klanten|clients|cli[eë]nten|children|kinderen|kids|youth|jeugd\w*"
    r"|young \w+|pupils|leerlingen|parents|ouders|patients|patiënten|residents|bewoners"
    r"|volunteers|vrijwilligers|the public"
)
_FOR_OUTSIDERS_AFTER = re.compile(
    rf"^(?:\s*[\w'’-]+){{0,5}}?\s+(?:for|to|aan|voor)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_OUTSIDERS})\b",
    re.IGNORECASE,
)
_GIVEN_AWAY = re.compile(
    r"\b(?:je|jij|you|you'll|you will)\b[^.;]{0,40}?\b(?:geeft|geef|verzorgt|run|deliver|give"
    r"|teach|host|present)\b",
    re.IGNORECASE,
)
# An academy that is not for staff: a youth or customers' academy, a school called academy.
ACADEMY_ELSEWHERE = (
    r"children|kids|young|youth|junior|players|football|FC|club|trust|schools?|pupils|members"
    r"|customers|clients|jeugd\w*|kinderen|spelers|voetbal\w*|leden|klanten|scholen|leerlingen"
)


def denied_in_clause(before: str) -> bool:
    """Tell whether a negated offer verb earlier in the same clause denies what follows."""
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_DENYING.search(clause))


def denied_by_next(sentence: str, following: str | None) -> bool:
    """Tell whether a question is answered with a denial in the next sentence."""
    return (
        sentence.rstrip().endswith("?")
        and following is not None
        and bool(_DENIAL_SENTENCE.match(following.strip()))
    )


def leader_learning(sentence: str) -> str | None:
    """'now' when a leader learns in the sentence now or again, 'past' when a leader took a
    course before; None when no leader is the subject of learning."""
    if not _LEADER_SUBJECT.search(sentence):
        return None
    return "now" if _LEARNS_NOW.search(sentence) else "past"


def leader_span(sentence: str) -> tuple[int, int] | None:
    """Where the leader stands in a sentence about a leader's learning."""
    match = re.search(rf"\b(?:{_LEADERS})s?\b", sentence, re.IGNORECASE)
    return (match.start(), match.end()) if match else None


def given_to_others(sentence: str, start: int, end: int) -> bool:
    """Tell whether the training at sentence[start:end] is one given to others."""
    before, after = sentence[max(0, start - 160) : start], sentence[end : end + 160]
    if _FOR_OTHERS_AFTER.match(after) and (
        _GIVING_BEFORE.search(before) or _FOR_OUTSIDERS_AFTER.match(after)
    ):
        return True
    return bool(_GIVING_BEFORE.search(before)) and bool(_GIVEN_AWAY.search(before))


# Money or time for learning, and the words that say what it may be spent on: "€2,500 a year
# and five days for conferences, courses and books", "een eigen bedrag om te besteden aan een
# cursus naar keuze". A course in that list is what the budget buys, not a course on offer.
_BUDGET = (
    r"budget\w*|allowance|stipend|fund(?:s|ing)?\b|pot(?:je)?\b|bedrag|vergoeding|euro\b"
    r"|pounds\b|[£€$] ?\d[\d.,]*|\d[\d.,]* ?(?:euro|pounds)|(?:leer|studie|scholings)dag\w*"
    r"|\b(?:learning|study|training|development|paid) days?\b|\d+ days?\b|\w+ (?:day|days)\b"
    r"|(?:a|an|\d+%?) (?:\w+ ){0,2}of (?:your|their|the) (?:working )?time|time\b|tijd\b"
)
_SPEND_ON = (
    r"(?:to )?(?:spend|use)(?: it)? on|om (?:uit )?te (?:besteden|geven) aan|(?:kunt |mag )?"
    r"besteden aan|uit te geven aan|towards|for|on(?! top\b)|voor"
)
_SPENT_FROM_BUDGET = re.compile(
    rf"(?:{_BUDGET})[^.;?!]{{0,90}}?\b(?:{_SPEND_ON})\s+(?:[\w'’&-]+[,:]?\s+|[–—-]\s+){{0,9}}$",
    re.IGNORECASE,
)
# What the organisation itself provides, runs or arranges stays on offer.
_OWN_OFFER = re.compile(
    r"\b(?:our(?! (?:cost|expense))|onze(?! kosten)|ons|in-house|intern\w*|academ\w*|platform\w*"
    r"|portal|leeromgeving|learning hub|library|catalogue|access to|toegang tot|we run"
    r"|we organi[sz]e|organiseren|via (?:het|de|ons|onze))\b",
    re.IGNORECASE,
)
# A free choice left to the hire: "een training naar keuze", "courses of your own choosing".
_CHOICE_AFTER = re.compile(
    r"^[^.;?!]{0,30}?\b(?:naar keuze|of (?:your|their|his|her) (?:own )?choic\w+"
    r"|(?:you|they) choose|(?:you|they) plan|it's up to you|kies je zelf|je zelf kiest)\b",
    re.IGNORECASE,
)
_PAID_BY_US = re.compile(
    r"\b(?:op (?:onze|kosten van)|betalen (?:wij|we)|vergoeden (?:wij|we)|we(?:'ll| will)? (?:pay"
    r"|fund|cover)|at our (?:cost|expense))\b",
    re.IGNORECASE,
)


# One named course the budget is for is a funded course, not a list: "funding for your Level 5
# Early Years qualification".
_NAMED_ONE = re.compile(
    rf"(?:{_BUDGET})[^.;?!]{{0,90}}?\b(?:{_SPEND_ON})\s+(?:your|je|jouw|the|de|het)\s+"
    r"(?:(?!and\b|or\b|en\b|of\b)[\w'’-]+\s+){0,5}$",
    re.IGNORECASE,
)
# A course the hire may want, paid for: "wil je een cursus klauwverzorging doen, dan betalen wij
# die", "heb je de ambitie om door te groeien, dan betalen wij de opleiding".
_IF_WANTED = re.compile(
    r"\b(?:wil je|wil jij|heb je de ambitie|if you(?:'d| would)? (?:want|like)|fancy)\b"
    r"[^.;?!]{0,80}$",
    re.IGNORECASE,
)


def spent_from_budget(sentence: str, start: int, end: int) -> bool:
    """Tell whether the course at sentence[start:end] is only what money or time for learning
    may be spent on (a list after the budget, or a course of the hire's own choice paid for),
    with nothing the organisation itself provides in the sentence."""
    if _OWN_OFFER.search(sentence):
        return False
    before = sentence[max(0, start - 160) : start]
    listed = _SPENT_FROM_BUDGET.search(before)
    if listed and not _NAMED_ONE.match(before[listed.start() :]):
        return True
    if _IF_WANTED.search(before) and _PAID_BY_US.search(sentence):
        return True
    return bool(_CHOICE_AFTER.match(sentence[end:])) and bool(
        _PAID_BY_US.search(sentence) or re.search(_BUDGET, sentence, re.IGNORECASE)
    )
