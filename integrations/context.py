"""Template contexts: what a step's email may talk about, as plain dicts (no rows, no secrets)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from journeys.dsl import Step
from journeys.profile import EmployerProfile
from models.outbound import StepBundle
from models.people import Person

_FALLBACK_NAME = {"nl": "collega", "en": "colleague"}
_MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
_DAYS = {
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
}


def date_text(day: date, locale: str) -> str:
    """Write a date the way people read it: 'maandag 2 maart 2026' / 'Monday 2 March 2026'."""
    lang = "nl" if locale == "nl" else "en"
    weekday = _DAYS[lang].split()[day.weekday()]
    month = _MONTHS[lang].split()[day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}"


def datetime_text(moment: datetime, locale: str) -> str:
    """Write a local date and time: 'maandag 2 maart 2026, 10:00'."""
    joiner = " om " if locale == "nl" else " at "
    return f"{date_text(moment.date(), locale)}{joiner}{moment:%H:%M}"


def person_view(person: Person | None, locale: str) -> dict[str, Any] | None:
    """The parts of a person a template may show."""
    if person is None or person.erased_at is not None:
        return None
    full = " ".join(p for p in (person.first_name, person.last_name) if p)
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "display_name": full or _FALLBACK_NAME.get(locale, "colleague"),
    }


def org_view(profile: EmployerProfile, locale: str = "en") -> dict[str, Any]:
    """The employer and its learning offer, for templates."""
    learning = profile.learning
    return {
        "name": profile.name,
        "website": profile.website,
        "learning": {
            "budget_per_year": learning.budget_per_year,
            "currency": learning.currency,
            "study_hours_per_month": learning.study_hours_per_month,
            "training_days_per_year": learning.training_days_per_year,
            "academy_name": learning.academy.name if learning.academy else None,
            "academy_url": learning.academy.url if learning.academy else None,
            "coaching_sessions": learning.coaching.sessions,
            "coaching_every_weeks": learning.coaching.every_weeks,
            "coaching_duration_minutes": learning.coaching.duration_minutes,
            "knowledge_sharing": learning.knowledge_sharing_text(locale),
        },
    }


def series_text(every_weeks: int | None, count: int | None, locale: str) -> str | None:
    """Describe a bounded series: '6 sessies, om de 2 weken' / '6 sessions, every 2 weeks'."""
    if not every_weeks or not count:
        return None
    if locale == "nl":
        return (
            f"{count} sessies, {'elke week' if every_weeks == 1 else f'om de {every_weeks} weken'}"
        )
    return f"{count} sessions, {'every week' if every_weeks == 1 else f'every {every_weeks} weeks'}"


def build_context(
    *,
    bundle: StepBundle,
    step: Step,
    step_title: str,
    recipient: Person,
    locale: str,
    profile: EmployerProfile,
    due_local: datetime,
    invite: dict[str, Any] | None,
    handover: dict[str, Any] | None = None,
    learning: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the full template context of one step for one recipient."""
    people = bundle.people
    employment = bundle.employment
    new_hire = None
    if employment is not None:
        new_hire = person_view(people.get("new_hire"), locale) or {
            "first_name": None,
            "last_name": None,
            "display_name": _FALLBACK_NAME.get(locale, "colleague"),
        }
        new_hire |= {
            "title": employment.title,
            "department": employment.department,
            "start_date": employment.start_date,
            "start_date_text": date_text(employment.start_date, locale),
        }
    vacancy = bundle.vacancy
    application = bundle.application
    return {
        "locale": locale,
        "recipient": person_view(recipient, locale),
        "new_hire": new_hire,
        "candidate": person_view(people.get("candidate"), locale) if employment is None else None,
        "leader": person_view(people.get("leader"), locale),
        "coach": person_view(people.get("coach"), locale),
        "buddy": person_view(people.get("buddy"), locale),
        "vacancy": (
            {
                "title": vacancy.title,
                "department": vacancy.department,
                "promises": [{"label": p.label, "text": p.text} for p in bundle.promises],
            }
            if vacancy
            else None
        ),
        "application": (
            {"stage": application.stage, "rejection_reason": application.rejection_reason}
            if application
            else None
        ),
        "org": org_view(profile, locale),
        "step": {
            "key": step.key,
            "title": step_title,
            "channel": step.channel,
            "at_text": datetime_text(due_local, locale),
        },
        "invite": invite,
        "handover": handover,
        "learning": learning,
        "retention": {
            "weeks": profile.retention.candidate_weeks,
            "consent_months": profile.retention.consent_months,
        },
    }
