"""The eight practices of a learning culture and the measures and rates that feed each one.

Data, not logic: `journeys.culture` folds the counts. A measure's key names a query in
`models.culture_queries`; a rate divides two measures of the same month and team.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Practice:
    """One of the eight practices of a learning culture, named in Dutch and English."""

    key: str
    nl: str
    en: str
    about_nl: str
    about_en: str


@dataclass(frozen=True)
class Measure:
    """A count that feeds a practice; `people` is False for counts about vacancies, not hires."""

    key: str
    practice: str
    nl: str
    en: str
    people: bool = True
    chart: bool = True  # False: only the numerator of a rate


@dataclass(frozen=True)
class Rate:
    """numerator / denominator, both measures of the same month (cohort) and team."""

    key: str
    practice: str
    numerator: str
    denominator: str
    nl: str
    en: str


PRACTICES: tuple[Practice, ...] = (
    Practice("learning_value", "Leren als kernwaarde", "Learning as a core value",
             "Leren staat in de vacatures en in wat nieuwe collega's van ons horen.",
             "Learning is in the vacancies and in what new colleagues hear from us."),
    Practice("personal_plan", "Persoonlijke plannen", "Personal plans",
             "Iedere nieuwe collega heeft een leerplan met eigen doelen en een playlist.",
             "Every new colleague has a learning plan with their own goals and a playlist."),
    Practice("coaching", "Coaching", "Coaching",
             "Loopbaancoaching in de eerste maanden.", "Career coaching in the first months."),
    Practice("leader_example", "Leiders geven het voorbeeld", "Leaders setting the example",
             "Leidinggevenden reflecteren op hun eigen leren.",
             "Leaders reflect on their own learning."),
    Practice("recognition", "Belonen", "Rewards",
             "Leren wordt gezien en beloond met badges.",
             "Learning is noticed and rewarded with badges."),
    Practice("learning_environment", "De leeromgeving", "The learning environment",
             "Cursussen, trainingen en leesstof worden echt gebruikt.",
             "Courses, trainings and reading are actually used."),
    Practice("knowledge_sharing", "Kennis delen", "Knowledge sharing",
             "Collega's delen wat ze leerden.", "Colleagues share what they learned."),
    Practice("recruitment", "Werving", "Recruitment",
             "Vacatures beloven concreet leren.", "Vacancies make concrete learning promises."),
)  # fmt: skip

MEASURES: tuple[Measure, ...] = (
    Measure("vacancies_value", "learning_value", "Vacatures die leren als kernwaarde noemen",
            "Vacancies that name learning as a core value", people=False),
    Measure("messages_sent", "learning_value", "Leerberichten verstuurd",
            "Learning-journey messages delivered"),
    Measure("plans_created", "personal_plan", "Leerplannen gemaakt", "Learning plans made"),
    Measure("goals_set", "personal_plan", "Leerdoelen vastgelegd", "Learning goals set"),
    Measure("playlists_started", "personal_plan", "Playlists begonnen", "Playlists started"),
    Measure("playlists_started_done", "personal_plan", "Begonnen playlists die af zijn",
            "Started playlists since completed", chart=False),
    Measure("playlists_completed", "personal_plan", "Playlists afgerond", "Playlists completed"),
    Measure("coaching_sessions", "coaching", "Coachgesprekken gehouden", "Coaching sessions held"),
    Measure("prompts_sent", "leader_example", "Reflectievragen aan leidinggevenden",
            "Reflection prompts sent to leaders"),
    Measure("prompts_answered", "leader_example", "Reflectievragen beantwoord",
            "Reflection prompts answered", chart=False),
    Measure("badges_issued", "recognition", "Badges uitgereikt", "Badges issued"),
    Measure("items_completed", "learning_environment", "Leeronderdelen afgerond",
            "Learning items completed"),
    Measure("sharing_nudges", "knowledge_sharing", "Uitnodigingen om kennis te delen",
            "Nudges to share knowledge sent"),
    Measure("shares", "knowledge_sharing", "Keren kennis gedeeld", "Knowledge shares"),
    Measure("vacancies_published", "recruitment", "Vacatures gepubliceerd", "Vacancies published",
            people=False),
    Measure("vacancies_with_offer", "recruitment", "Vacatures met een leeraanbod",
            "Vacancies that state learning offers", people=False, chart=False),
)  # fmt: skip

RATES: tuple[Rate, ...] = (
    Rate("playlist_completion", "personal_plan", "playlists_started_done", "playlists_started",
         "Begonnen playlists die af zijn", "Started playlists completed"),
    Rate("reflection_response", "leader_example", "prompts_answered", "prompts_sent",
         "Reflectievragen beantwoord", "Leaders' reflection response rate"),
    Rate("vacancies_offering", "recruitment", "vacancies_with_offer", "vacancies_published",
         "Vacatures met een leeraanbod", "Vacancies that state learning offers"),
)  # fmt: skip
