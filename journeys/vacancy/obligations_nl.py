"""Dutch rules for obligations: training or certification the role requires after hiring."""

from __future__ import annotations

from journeys.vacancy.rules import Rule, rule

# Things you do after hiring: a training, a course, an exam.
ACTIVITY_NL = (
    r"(?:[\w-]+-)?(?:training|trainingen|cursus|cursussen|scholing|scholingen|bijscholing"
    r"|nascholing|opleiding|opleidingen|e-learning|modules?|examens?|toets|toetsen)"
    r"|\w+(?:opleiding|opleidingen|training|trainingen|cursus|toets|toetsen)"
    r"|permanente educatie|toolboxmeetings?"
)
# Things you hold: mandatory after hiring only with a deadline, a cycle or an offer to obtain them.
CREDENTIAL_NL = (
    r"(?:[\w-]+-)?(?:certificaat|certificaten|certificering|diploma|diploma's|registratie"
    r"|herregistratie|keuring)|\w+(?:certificaat|diploma|register|registratie)"
    r"|(?-i:VCA|BHV|EHBO|HACCP|SVH|ADR|Wft|PE)|code 95|NEN ?\d+"
)
TRAINING_NL = f"{ACTIVITY_NL}|{CREDENTIAL_NL}"
_DEADLINE = (
    r"(?:voor(?:dat)? (?:je|jij) zelfstandig"
    r"|binnen <3>(?:dagen|weken|maanden|maand|jaar|jaren|halfjaar|proeftijd|\w*periode|stagejaren)"
    r"|tijdens (?:je|jouw|de) proeftijd"
    r"|in (?:je|jouw|de) eerste <1>(?:dagen|weken|maanden|maand|jaar|halfjaar))"
)
_ACQUIRE = (
    r"(?:behaal|behaalt|behalen|haal|haalt|halen|afronden|afleggen|legt|leg|volgen|volg|volgt"
    r"|doen|doet|rond (?:je|jij)|rondt)"
)
STATUTORY_NL = (
    r"(?-i:VCA|BHV|EHBO|HACCP|SVH|ADR|BOA|Wft|BLS)(?:-\w+)?|code 95|NEN ?\d+(?:-\w+)?"
    r"|heftruck\w*|sociale hygiëne"
)
_DEGREE_ONLY = r"hbo|mbo|wo|bachelor\w*|master\w*|pabo|afgeronde|vooropleiding|rijbewijs"

OBLIGATIONS_NL: tuple[Rule, ...] = (
    rule(
        "obligations",
        rf"verplicht\w* <4>(?:{ACTIVITY_NL})",
        rf"(?:{ACTIVITY_NL}) <6>(?:is |zijn )?verplicht\w*",
        rf"(?:{TRAINING_NL}) <8>voor (?:je|jouw|de|deze) (?:functie|rol|werk) (?:nodig|vereist)",
        unless=_DEGREE_ONLY,
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"verplicht\w* <4>(?:{CREDENTIAL_NL})",
        rf"(?:{CREDENTIAL_NL}) <6>(?:is |zijn )?verplicht\w*",
        unless=_DEGREE_ONLY,
        requires=r"bij ons|voor (?:alle|iedere|elke)|jaarlijks\w*|elk jaar|bijhouden|behouden"
        r"|binnen|eerste|bereid",
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"(?:je )?{_ACQUIRE} <4>{_DEADLINE}(?: <3>(?:{TRAINING_NL}))?",
        rf"{_DEADLINE} <4>(?:te )?{_ACQUIRE}",
        rf"(?:moet|moeten|dient|dienen|verplicht) <4>{_ACQUIRE}",
        unless=r"had moeten|hadden moeten|zou moeten",
        prerequisites="always",
    ),
    rule(
        "obligations",
        rf"{_ACQUIRE} <4>(?:{STATUTORY_NL})",
        r"(?:alle|iedere|elke) (?:nieuwe )?<2>(?:medewerkers?|collega's|werknemers?|\w+ers)"
        r" (?:volgen|volgt|doen|doet|doorlopen|doorloopt|halen|behalen)",
        r"(?:verplicht voor|voor) (?:alle|iedere|elke) (?:nieuwe )?(?!module|training|cursus"
        r"|opleiding|les)\w+(?: verplicht)?",
        r"(?:je )?(?:start|begint) (?:met|bij) <3>(?:\w*opleiding|\w*training|\w*cursus)",
        requires=TRAINING_NL,
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"bereid <5>(?:te )?{_ACQUIRE}",
        requires=TRAINING_NL + r"|taalniveau|\d?F\b|bevoegdheid",
        prerequisites="always",
    ),
    rule(
        "obligations",
        rf"(?:{TRAINING_NL}) <3>(?:bij ?houden|bijhouden|behouden|actueel (?:te )?houden)",
        rf"(?:houd|houdt|houden) <4>(?:{TRAINING_NL}) <3>bij(?! op)",
        r"(?:[\w-]+-)?herregistratie\w*|permanente educatie|PE-(?:punten|uren|examens?"
        r"|verplichting\w*)",
        r"(?:[\w-]+-)?punten <4>(?:halen|behalen|nodig|bijhouden)|accreditatiepunten"
        r"|(?:nascholing|bijscholing) (?:voor |van )?(?:je |de )?code 95"
        r"|code 95-?nascholing",
        r"(?:opleidings|scholings|nascholings|PE-|bijscholings)verplichting(?:en)?",
        r"(?:zoals|net als) (?:elke|iedere|alle) <2>\S+ (?:volg|behaal|haal|doorloop|doe) je",
        prerequisites="always",
    ),
    rule(
        "obligations",
        r"(?:elk|ieder) (?:\w+ )?jaar opnieuw|jaarlijks opnieuw",
        r"opnieuw <3>(?:elk|ieder) (?:\w+ )?jaar",
        requires=TRAINING_NL + r"|\w*toets\w*",
        prerequisites="always",
    ),
)
