"""English rules for obligations: training or certification the role requires after hiring."""

from __future__ import annotations

from journeys.vacancy.rules import Rule, rule

# Things you do after hiring: a training, a course, an exam.
ACTIVITY_EN = (
    r"trainings?|courses?|modules?|e-learning|programmes?|programs?|exams?|assessments?"
    r"|refreshers?|revalidation|(?-i:CPD)|drills?|renewals?"
)
# Things you hold: mandatory after hiring only with a deadline, a cycle or an offer to obtain them.
CREDENTIAL_EN = (
    r"certifications?|certificates?|qualifications?|licen[cs]es?|registrations?|awards?"
    r"|(?-i:CPC|CSCS|SIA|ECS|SVQ|NVQ|HACCP|VCA)"
)
TRAINING_EN = f"{ACTIVITY_EN}|{CREDENTIAL_EN}"
_DEADLINE = (
    r"(?:within <3>(?:days|weeks|months|month|year|years|probation|period)"
    r"|(?:in|during) (?:your|the|their) first <2>(?:days|weeks|months|month|year|term)"
    r"|before (?:you )?(?:start\w*|qualify\w*|tak\w+ on"
    r"|(?:work|operat)\w* (?:on|alone|independently))"
    r"|by the end of (?:your )?(?:probation|first \w+))"
)
_ACQUIRE = r"(?:obtain|gain|achieve|complete|pass|get(?! back)|earn|take|hold|sit(?! down))"
STATUTORY_EN = (
    r"(?-i:CSCS|SIA|CPC|ECS|HACCP|VCA|IOSH|SMSTS|CPCS|PTS)(?: \w+)?|food (?:hygiene|safety)"
    r"|first aid|forklift \w+|manual handling|safeguarding"
)
_DEGREE_ONLY = r"degree|bachelor\w*|master's|GCSEs?|A-levels?|QTS|university|diploma"

OBLIGATIONS_EN: tuple[Rule, ...] = (
    rule(
        "obligations",
        rf"(?:mandatory|compulsory|obligatory) <4>(?:{CREDENTIAL_EN})",
        rf"(?:{CREDENTIAL_EN}) <6>(?:is |are )?(?:mandatory|compulsory|obligatory)",
        unless=_DEGREE_ONLY,
        requires=r"for (?:all|every|each)|annual(?:ly)?|yearly|every year|maintain|renew|within"
        r"|first|willing|we (?:pay|fund|arrange|provide)",
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"(?:mandatory|compulsory|obligatory) <4>(?:{ACTIVITY_EN})",
        rf"(?:{ACTIVITY_EN}) <6>(?:is |are )?(?:mandatory|compulsory|obligatory)",
        rf"(?:is |are )?required to (?:complete|attend|pass|obtain|take|maintain|renew) <4>"
        rf"(?:{TRAINING_EN})",
        rf"(?:{TRAINING_EN}) <4>(?:is )?a requirement (?:of|for) (?:the|this|your) (?:role|job)",
        rf"(?:{TRAINING_EN}) <4>(?:is )?a condition of (?:the role|progressing|employment"
        r"|your \w+)",
        unless=_DEGREE_ONLY,
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"{_ACQUIRE} <16>{_DEADLINE}",
        rf"{_DEADLINE} <4>(?:to )?{_ACQUIRE}",
        rf"(?:{ACTIVITY_EN}) <4>before (?:you )?(?:start\w*|tak\w+ on|work\w* (?:on|alone))",
        prerequisites="always",
    ),
    rule(
        "obligations",
        rf"{_ACQUIRE} <4>(?:{STATUTORY_EN})",
        r"(?:all|every|each) (?:new )?<2>(?:staff|employees?|colleagues?|starters?|joiners?|hires?"
        r"|nurses?|drivers?|engineers?|managers?|\w+ers?) (?:\w+ )?(?:take|takes|complete|completes"
        r"|attend|attends|follow|follows|undergo|undergoes|do|does)",
        requires=TRAINING_EN,
        prerequisites="future",
    ),
    rule(
        "obligations",
        r"willing(?:ness)? to (?:obtain|gain|achieve|complete|undertake|take|pass|get)",
        requires=TRAINING_EN,
        prerequisites="always",
    ),
    rule(
        "obligations",
        rf"(?:must|need to|needs to|have to|has to) <1>(?:{_ACQUIRE}|attend|maintain|renew|keep)",
        requires=TRAINING_EN + r"|which",
        prerequisites="future",
    ),
    rule(
        "obligations",
        rf"(?:keep|keeps|maintain|maintaining|renew|renewing|refresh\w*) <3>(?:{TRAINING_EN})"
        r"(?: up to date| current| valid)?",
        r"(?:periodic|annual|yearly) <2>(?:training|refresher|recertification)",
        rf"(?:{TRAINING_EN}) <3>every (?:two|three|four|five|\d+) years",
        prerequisites="future",
    ),
)
