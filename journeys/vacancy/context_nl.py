"""Dutch context rules: a category's cue word counts when it stands in what the employer offers.

The phrase rules (lexicon_nl) need the words a vacancy usually uses; these catch the rest by
co-occurrence inside one offer sentence, e.g. a money amount or free time next to a course word.
"""

from __future__ import annotations

from journeys.vacancy.rules import Rule, rule

_COURSE = (
    r"\w*opleiding\w*|\w*cursus\w*|\w*training\w*|congres\w*|\w*certifica\w*|examens?|studeren"
    r"|leren|geleerd|ontwikkeling|boeken|masterclass\w*|workshops?|\w*diploma\w*|\w*scholing\w*"
    r"|lerarenbeurs|\w*traject\w*"
)
_LEADERS = (
    r"leidinggevende\w*|management\w*|managers?|directie|directeur\w*|teamleiders?|(?-i:MT)|CEO"
    r"|CTO|eigenaars?|leiders?|oprichters?|founders?"
)

CONTEXT_NL: tuple[Rule, ...] = (
    rule(
        "coaching",
        r"\w*coach\w*|mentor\w*|\w*buddy|\w*maatje|begeleid(?:t|en|ing)|begeleid(?! (?:je|jij)\b)"
        r"|\w*begeleider\w*",
        r"\w*opleider\w*",
        r"sparring\w*|wegwijs|meekijk\w*|meekijken|tips geeft",
        r"(?:leert|leer|leren) (?:je|jou)(?! van)|gesprek(?:ken)? (?:met|over) (?:je|jouw) \w+",
        after=r"(?:van|voor) <2>(?:cli[eë]nt\w*|bewoners|leerlingen|studenten|kinderen|klanten)",
        offer_only=True,
    ),
    rule(
        "coaching",
        r"(?:vast|vaste|eigen) aanspreekpunt",
        requires=r"ervaren|eerste|inwerk\w*|senior",
        offer_only=True,
    ),
    rule(
        "knowledge_sharing",
        r"elkaar|samen(?! met (?:je|jouw) (?:teamleider|leidinggevende|manager|coach|buddy|mentor))"
        r"|met het (?:hele )?(?:\w+ )?team|collega's|vakgenoten",
        requires=r"leren|leert|geleerd|delen|deelt|bespreken|bespreekt|kennis|uitwissel\w*"
        r"|ontwikkelen|verbeteren|feedback|presenteren|laten zien",
        unless=r"(?:leren|leert) (?:je|jou)|(?:leert|leren|leer) kennen",
        offer_only=True,
    ),
    rule(
        "knowledge_sharing",
        r"\w*sessies?|demo(?:'s)?|\w*overleg\w*|bijeenkomst\w*|presentaties?|\w*avonden?|netwerk",
        requires=r"leren|geleerd|kennis|delen|deelt|laten zien|presenteren|inzichten|uitwissel\w*",
        offer_only=True,
    ),
    rule(
        "knowledge_sharing",
        r"(?:werk|studie|vak)bezoek\w*|excursies?|mee(?:koken|lopen|kijken|draaien|werken) met",
        offer_only=True,
    ),
    rule(
        "budget_time",
        r"€ ?[\d.,]+|\d+ (?:dagen|dag|uur|uren)|(?:dagen|uren|tijd) (?:om|voor)|gratis|kosten"
        r"|vergoed\w*|beta(?:al|le)\w*|minder (?:les)?uren",
        requires=_COURSE,
        offer_only=True,
    ),
    rule(
        "learning_value",
        r"(?:door)?groei\w*|(?:je )?(?:verder )?(?:te )?ontwikkelen|specialis\w*|verdiep\w*",
        requires=r"mogelijk\w*|kans\w*|ruimte|denken (?:we )?(?:met je )?mee|perspectief|wil je"
        r"|kun je|kan je|je kunt|je kan",
        offer_only=True,
    ),
    rule(
        "learning_value",
        r"begonnen?|stonden zelf|(?:je )?kunt hier ver komen|ver komen",
        requires=r"voormannen|\w*managers?|leidinggevenden|teamleiders|shiftleiders|partners?"
        r"|directeur|ver komen",
        offer_only=True,
    ),
    rule(
        "personal_plan",
        r"ontwikkelafspraken|afspraken <4>ontwikkeling|(?:groei|ontwikkel|loopbaan)\w*(?:model"
        r"|kader|ladder|route|pad)",
        offer_only=True,
    ),
    rule(
        "recognition",
        r"\w*verhoging|trede|periodiek|bonus|beloning|\w*certifica(?:at|ten)|[\w-]*diploma",
        requires=r"behal\w*|gehaald|na (?:het|je) (?:examen|afronding|behalen|opleiding)|op zak"
        r"|geslaagd|krijg\w*|ontvang\w*",
        unless=r"moet|moeten|verplicht\w*|binnen|dient",
        offer_only=True,
    ),
    rule(
        "leader_example",
        rf"{_LEADERS}",
        requires=r"fout\w*|misging|mis ging|vergissing\w*|zelf (?:ook )?(?:leren|leert|volgen)"
        r"|feedback\w*",
        offer_only=True,
    ),
    rule(
        "leader_example",
        r"(?:wat er )?(?:misging|mis ging|fout ging|fouten)",
        requires=r"leren|leert|bespreken|bespreekt",
        offer_only=True,
    ),
    rule(
        "learning_environment",
        r"\w*opleiding(?:en)?|\w*cursus(?:sen)?|\w*training(?:en)?|\w*scholing(?:en)?|workshops?"
        r"|masterclass\w*|leeromgeving|(?:\w*academie)(?!\S* (?:voor|van) (?:leden|klanten|kinderen"
        r"|jeugd))",
        before=r"(?:naast|met|combineren met|combineert met) (?:je|jouw)",
        unless=r"afgerond|afgeronde (?:hbo|mbo|wo|opleiding|studie)",
        offer_only=True,
    ),
    rule(
        "learning_environment",
        r"\w+-(?:opleiding|cursus|training|studie)(?:en|sen)?",
        requires=r"betal\w*|vergoed\w*|volgen|studeren|kun|kan|mag|mogelijk\w*|bieden",
        unless=r"afgerond|afgeronde",
        offer_only=True,
    ),
)
