"""Concrete suggestions for the missing categories, drawn from the employer's learning offer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from journeys.profile import EmployerProfile, LearningOffer
from journeys.vacancy.language import Language
from journeys.vacancy.wording import joined, money

Texts = dict[Language, str]


def _budget_time(offer: LearningOffer, language: Language) -> str | None:
    parts: dict[Language, list[str]] = {"nl": [], "en": []}
    if offer.budget_per_year:
        amount = money(offer.budget_per_year, offer.currency, language)
        parts["nl"].append(f"je leerbudget van {amount} per jaar")
        parts["en"].append(f"your learning budget of {amount} a year")
    if offer.study_hours_per_month:
        parts["nl"].append(f"{offer.study_hours_per_month} studie-uren per maand")
        parts["en"].append(f"{offer.study_hours_per_month} study hours a month")
    if offer.training_days_per_year:
        parts["nl"].append(f"{offer.training_days_per_year} opleidingsdagen per jaar")
        parts["en"].append(f"{offer.training_days_per_year} training days a year")
    if not parts[language]:
        return None
    lead = "Noem " if language == "nl" else "Mention "
    return lead + joined(parts[language], language) + "."


def _environment(offer: LearningOffer, language: Language) -> str | None:
    if offer.academy is None:
        return None
    where = f" ({offer.academy.url})" if offer.academy.url else ""
    texts: Texts = {
        "nl": f"Verwijs naar {offer.academy.name}{where} en noem een paar trainingen die bij deze "
        "functie passen.",
        "en": f"Point to {offer.academy.name}{where} and name a few courses that fit this role.",
    }
    return texts[language]


def _coaching(offer: LearningOffer, language: Language) -> str:
    c = offer.coaching
    texts: Texts = {
        "nl": f"Vertel dat elke nieuwe collega {c.sessions} coachgesprekken van "
        f"{c.duration_minutes} minuten krijgt, elke {c.every_weeks} weken één.",
        "en": f"Say that every new colleague gets {c.sessions} coaching sessions of "
        f"{c.duration_minutes} minutes, one every {c.every_weeks} weeks.",
    }
    return texts[language]


def _sharing(offer: LearningOffer, language: Language) -> str | None:
    practice = offer.knowledge_sharing_text(language)
    if not practice:
        return None
    lead = "Beschrijf hoe collega's kennis delen: " if language == "nl" else "Describe how "
    lead = lead if language == "nl" else lead + "colleagues share knowledge: "
    return lead + practice


_FROM_OFFER: dict[str, Callable[[LearningOffer, Language], str | None]] = {
    "budget_time": _budget_time,
    "learning_environment": _environment,
    "coaching": _coaching,
    "knowledge_sharing": _sharing,
}
_GENERIC: dict[str, Texts] = {
    "learning_value": {
        "nl": "Zeg in één zin dat leren bij {name} centraal staat, en waarom.",
        "en": "Say in one sentence that learning is central at {name}, and why.",
    },
    "personal_plan": {
        "nl": "Beloof een persoonlijk ontwikkelplan met leerdoelen, in de eerste weken samen met "
        "de leidinggevende opgesteld.",
        "en": "Promise a personal development plan with learning goals, drawn up with the manager "
        "in the first weeks.",
    },
    "leader_example": {
        "nl": "Laat zien dat leidinggevenden zelf leren en om feedback vragen.",
        "en": "Show that leaders learn themselves and ask for feedback.",
    },
    "recognition": {
        "nl": "Vertel hoe leren wordt erkend: een certificaat of badge na een afgeronde training.",
        "en": "Say how learning is recognised: a certificate or badge for each completed course.",
    },
    "budget_time": {
        "nl": "Noem hoeveel tijd en budget er is om te leren, bijvoorbeeld studie-uren per maand.",
        "en": "Say how much time and money there is for learning, e.g. study hours a month.",
    },
    "learning_environment": {
        "nl": "Noem waar je leert: trainingen, cursussen of een leerplatform.",
        "en": "Say where people learn: courses, trainings or a learning platform.",
    },
    "knowledge_sharing": {
        "nl": "Beschrijf hoe collega's kennis met elkaar delen.",
        "en": "Describe how colleagues share knowledge with each other.",
    },
    "obligations": {
        "nl": "Noem verplichte opleidingen of certificaten voor deze functie (en wie ze betaalt), "
        "of zeg dat er geen zijn.",
        "en": "Name any mandatory training or certification for this role (and who pays for it), "
        "or say there is none.",
    },
}


def suggestions(
    absent: Iterable[str], *, profile: EmployerProfile | None, language: Language
) -> list[str]:
    """Return one suggestion per missing category, concrete where the profile says more."""
    out = []
    name = profile.name if profile else ("ons" if language == "nl" else "our organisation")
    for category in absent:
        concrete = None
        if profile is not None and category in _FROM_OFFER:
            concrete = _FROM_OFFER[category](profile.learning, language)
        generic = _GENERIC.get(category, {}).get(language)
        text = concrete or (generic.format(name=name) if generic else None)
        if text:
            out.append(text)
    return out
