"""English context rules: a category's cue word counts when it stands in what the employer offers.

The phrase rules (lexicon_en) need the words a vacancy usually uses; these catch the rest by
co-occurrence inside one offer sentence, e.g. a money amount or free time next to a course word.
"""

from __future__ import annotations

from journeys.vacancy.rules import Rule, rule

_COURSE = (
    r"learn\w*|courses?|training|conferences?|books|certif\w*|qualif\w*|degrees?|tuition|exams?"
    r"|develop\w*|grow\w*|studying|workshops?|tutorials?"
)
_LEADERS = r"leaders?|leadership|managers?|CEO|CTO|VP|heads? of \w+|directors?|founders?|partners?"

CONTEXT_EN: tuple[Rule, ...] = (
    rule(
        "coaching",
        r"coach\w*|mentor\w*|buddy|buddies|supervision|preceptor\w*|tutors?|sparring",
        r"(?:pairs?|paired|pairing|work\w*|learn\w*) (?:with|alongside|from) (?:an? |our |the )?"
        r"(?:experienced|senior|seasoned|head|lead|qualified|expert)\w*",
        r"check-ins?|one-to-ones?|1:1s?|1-on-1s?|guides? you",
        r"(?:pairs?|paired) with (?:every|each|you|new|all)",
        after=r"(?:them|clients|customers|pupils|students|residents|patients|skills|techniques"
        r"|members)",
        offer_only=True,
    ),
    rule(
        "knowledge_sharing",
        r"each other|one another",
        requires=r"learn\w*|shar\w*|teach\w*|feedback|discuss\w*|solv\w*|improv\w*|critiqu\w*",
        offer_only=True,
    ),
    rule(
        "knowledge_sharing",
        r"(?:reading|paper|book|journal|study) (?:groups?|clubs?)|talks?|sessions?|presentations?"
        r"|demos?|meetups?|circles?|critiques?|retrospectives?",
        requires=r"learn\w*|shar\w*|teach\w*|knowledge|peers?|each other|reflect\w*|discuss\w*"
        r"|senior \w+|colleagues",
        offer_only=True,
    ),
    rule(
        "budget_time",
        r"[€£$] ?[\d.,]+|\d+ (?:days?|hours?)|(?:days?|time|hours?) (?:to|for)|free|costs?"
        r"|reimburse\w*|sponsor\w*|funding|funded|fund|pay|pays|paid|cover\w*",
        requires=_COURSE,
        before=r"(?:first|within|after|every|in|next|last)(?: your| the)?(?: first)?",
        after=r"(?:bands?|grades?|scales?|rises?|increases?|steps?)",
        offer_only=True,
    ),
    rule(
        "learning_value",
        r"(?:promotion|progression|career|growth|development|advancement) <2>(?:opportunit\w*"
        r"|paths?|prospects?)|(?:grow|progress|develop|move up) (?:into|to|towards)",
        r"(?:ongoing|continuous|continued|further) (?:development|growth|learning)",
        offer_only=True,
    ),
    rule(
        "learning_value",
        r"(?:started|began|walked in|came in|joined) (?:out )?(?:as|on)",
        requires=r"managers?|directors?|leads?|producers?|pursers?|supervisors?|partners?|heads?",
        offer_only=True,
    ),
    rule(
        "personal_plan",
        r"(?:career|growth|development|learning|progression|competency) (?:frameworks?|matrix"
        r"|plans?|goals?|objectives?|reviews?)",
        before=r"early",
        offer_only=True,
    ),
    rule(
        "recognition",
        r"(?:pay|salary|wage|hourly rate|rate) (?:goes up|rises?|increases?)|pay rise|bonus"
        r"|raise|(?:salary|pay) step",
        requires=r"pass\w*|complet\w*|qualif\w*|certif\w*|exams?|diploma|achiev\w*",
        unless=r"must|mandatory|compulsory|required",
        offer_only=True,
    ),
    rule(
        "leader_example",
        rf"{_LEADERS}",
        requires=r"mistakes?|wrong|fail\w*|feedback|themselves|herself|himself|own learning",
        offer_only=True,
    ),
    rule(
        "learning_environment",
        r"courses?|training|tutorials?|classes|workshops?|seminars?|webinars?|e-learning"
        r"|preceptorship|apprenticeship|academy",
        before=r"(?:alongside|around|with) (?:your|their)|of",
        after=r"(?:data|sets?|models?|pipelines?|awards?|nominations?|grounds?|pitch\w*|fees"
        r"|instructors?|managers?|coordinators?|officers?|leads?|trusts?)",
        offer_only=True,
    ),
)
