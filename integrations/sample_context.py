"""Realistic template contexts for previews and tests: full, or sparse (optional values None)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from integrations.context import date_text, datetime_text, org_view, series_text
from integrations.learning.samples import sample_learning
from journeys.catalog import DEFAULTS_DIR, load_employer_profile
from journeys.dsl import Journey, Offset, Step, load_journey
from journeys.profile import EmployerProfile

SAMPLE_START = date(2026, 3, 2)  # a Monday
SAMPLE_EVENT = datetime(2026, 1, 12, 10, 30)
INVITE_TEMPLATES = "_invite"
_PEOPLE = {
    "nl": {
        "new_hire": ("Sanne", "de Vries"),
        "leader": ("Mark", "Jansen"),
        "coach": ("Eva", "Bakker"),
        "buddy": ("Daan", "Visser"),
    },
    "en": {
        "new_hire": ("Priya", "Sharma"),
        "leader": ("Mark", "Jansen"),
        "coach": ("Eva", "Bakker"),
        "buddy": ("Tom", "de Wit"),
    },
}
_ROLE = {
    "nl": ("Data-analist", "Klantinzicht", "Onvoldoende ervaring met SQL"),
    "en": ("Data Analyst", "Customer Insights", "Not enough SQL experience"),
}
_PROMISES = {
    "nl": (
        ("Budget en tijd", "Een persoonlijk opleidingsbudget van € 1.200 per jaar"),
        ("Van en met collega's leren", "Elke maand intervisie met collega's"),
        ("Begeleiding", "Een vaste buddy in je eerste maanden"),
    ),
    "en": (
        ("Budget and time", "A yearly learning budget of €1,000"),
        ("Guidance", "A mentor from the engineering team"),
    ),
}
_PREVIEW = (
    {"title": "Eduardo Briceño: How to get better at the things you care about", "minutes": 11,
     "platform": "TED", "kind": "video", "reason": "basics"},
    {"title": "SQL voor analisten", "minutes": 240, "platform": "GoodHabitz", "kind": "course",
     "reason": "role"},
    {"title": "Leg een collega iets uit wat je deze week leerde", "minutes": 30,
     "platform": "Leerpad", "kind": "practice", "reason": "promise"},
)  # fmt: skip
_STAGES = {"applied": "Application Review", "interview": "Interview", "offer": "Offer"}


def person(first: str | None, last: str | None, *, locale: str = "nl") -> dict[str, Any]:
    """Build a person view as the composer does: display_name is never empty."""
    full = " ".join(p for p in (first, last) if p)
    return {
        "first_name": first,
        "last_name": last,
        "display_name": full or ("collega" if locale == "nl" else "colleague"),
    }


@lru_cache(maxsize=8)
def _default_journey(key: str) -> Journey | None:
    path = DEFAULTS_DIR / f"{key}.yaml"
    return load_journey(path) if path.is_file() else None


@lru_cache(maxsize=1)
def _default_profile() -> EmployerProfile:
    return load_employer_profile(None)


def _find_step(journey: str, step_key: str) -> Step | None:
    if journey == INVITE_TEMPLATES:
        journey, step_key = "new-hire", "manager-1on1"
    found = _default_journey(journey)
    if found is None:
        return None
    try:
        return found.step(step_key)
    except KeyError:
        return None


def _day(anchor: date, offset: Offset) -> date:
    """Place an offset on weekdays only: close enough for a sample."""
    if offset.unit != "working_days":
        day = anchor + timedelta(days=offset.amount * (7 if offset.unit == "weeks" else 1))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
    day, left, sign = anchor, abs(offset.amount), 1 if offset.amount >= 0 else -1
    while left:
        day += timedelta(days=sign)
        if day.weekday() < 5:
            left -= 1
    return day


def _recipient_role(journey: str, step: Step | None, to: str | None) -> str:
    if to:
        return to
    if step is not None and journey != INVITE_TEMPLATES:
        return step.to
    return {"candidate": "candidate", "leader": "leader", "_handover": "leader"}.get(
        journey, "new_hire"
    )


LEARNING_TEMPLATES = "_learning"
LEARNING_RECIPIENTS = {"shout-out": "leader", "playlist-badge": "new_hire"}


def _invite(step: Step | None, *, locale: str, sparse: bool, action: str | None) -> dict[str, Any]:
    spec = step.invite if step is not None else None
    title = step.title.get(locale) if step is not None else "1:1"
    start = datetime.combine(
        _day(SAMPLE_START, spec.meeting_offset) if spec else SAMPLE_START,
        spec.meeting_time if spec else time(10, 0),
    )
    minutes = spec.duration_minutes if spec else 30
    repeat = spec.repeat if spec else None
    location = spec.location.get(locale) if spec and spec.location else None
    if location is None and not sparse:
        location = "Kamer 2.14, Utrecht" if locale == "nl" else "Room 2.14, Utrecht"
    return {
        "summary": title,
        "start_text": datetime_text(start, locale),
        "end_text": f"{start + timedelta(minutes=minutes):%H:%M}",
        "duration_minutes": minutes,
        "location": location,
        "series_text": None
        if sparse or repeat is None
        else series_text(repeat.every_weeks, repeat.count, locale),
        "sequence": 0 if action is None else 1,
        "is_update": action == "update",
        "removed": False,
        "moved": False,
    }


def _handover(locale: str, *, sparse: bool) -> dict[str, Any]:
    """A handover brief's journey so far: two steps done, two to come."""
    if sparse:
        return {"done": [], "upcoming": []}
    nl = locale == "nl"
    start = datetime.combine(SAMPLE_START, time(9, 0))

    def item(title: tuple[str, str], days: int, status: str, to: str) -> dict[str, Any]:
        when = datetime_text(start + timedelta(days=days), locale)
        return {
            "title": title[0] if nl else title[1],
            "to": to,
            "when_text": when,
            "status": status,
        }

    return {
        "done": [
            item(("Welkom!", "Welcome!"), -28, "sent", "new_hire"),
            item(("Eerste 1-op-1", "First 1:1"), -7, "sent", "new_hire"),
        ],
        "upcoming": [
            item(
                ("Reflectie: eigen leerdoelen", "Reflection: own learning goals"),
                7,
                "pending",
                "leader",
            ),
            item(("Check-in na 30 dagen", "30-day check-in"), 30, "pending", "new_hire"),
        ],
    }


def _org(profile: EmployerProfile, *, sparse: bool, locale: str = "en") -> dict[str, Any]:
    org = org_view(profile, locale)
    if sparse:
        org["website"] = None
        org["learning"] |= dict.fromkeys(
            (
                "budget_per_year",
                "study_hours_per_month",
                "training_days_per_year",
                "academy_name",
                "academy_url",
                "knowledge_sharing",
            )
        )
    return org


def sample_context(
    *,
    journey: str,
    step_key: str,
    locale: str,
    channel: str,
    to: str | None = None,
    sparse: bool = False,
    step: Step | None = None,
    profile: EmployerProfile | None = None,
    promises: bool = True,
) -> dict[str, Any]:
    """Build a full template context for one step; sparse=True sets every optional value to None.

    promises=False keeps the vacancy but gives it no learning promises (a vacancy never checked).

    The step definition is looked up in the default journeys unless given; `journey="_invite"`
    with step_key "update" or "cancel" gives the context of an invite change.
    """
    step = step or _find_step(journey, step_key)
    people = {role: person(*names, locale=locale) for role, names in _PEOPLE[locale].items()}
    title, department, reason = _ROLE[locale]
    role = _recipient_role(journey, step, to)
    if journey == LEARNING_TEMPLATES and not to:
        role = LEARNING_RECIPIENTS.get(step_key, "new_hire")
    is_candidate = journey == "candidate"
    new_hire = None
    if not is_candidate:
        new_hire = people["new_hire"] | {
            "title": None if sparse else title,
            "department": None if sparse else department,
            "start_date": SAMPLE_START,
            "start_date_text": date_text(SAMPLE_START, locale),
        }
    if step is not None and not is_candidate:
        planned = datetime.combine(_day(SAMPLE_START, step.offset), step.time or time(9, 0))
    else:
        planned = SAMPLE_EVENT
    action = step_key if journey == INVITE_TEMPLATES else None
    invite = None
    if channel == "invite" or action is not None:
        invite = _invite(step, locale=locale, sparse=sparse, action=action)
    learning = sample_learning(
        journey=journey, step_key=step_key, locale=locale, channel=channel, role=role, sparse=sparse
    )
    if invite is not None:
        invite["agenda"] = learning["agenda"] if learning and step_key == "coaching-series" else []
    recipient_key = "new_hire" if role == "candidate" else role
    return {
        "locale": locale,
        "recipient": people.get(recipient_key, people["new_hire"]),
        "new_hire": new_hire,
        "candidate": people["new_hire"] if is_candidate else None,
        "leader": None if sparse else people["leader"],
        "coach": None if sparse else people["coach"],
        "buddy": None if sparse else people["buddy"],
        "vacancy": None
        if sparse
        else {
            "title": title,
            "department": department,
            "promises": [
                {"label": label, "text": text} for label, text in _PROMISES[locale] if promises
            ],
            "plan_preview": [dict(item) for item in _PREVIEW] if is_candidate else [],
        },
        "application": {
            "stage": None if sparse else _STAGES.get(step_key),
            "rejection_reason": reason if step_key == "rejected" else None,
        }
        if is_candidate
        else None,
        "org": _org(profile or _default_profile(), sparse=sparse, locale=locale),
        "step": {
            "key": step_key,
            "title": step.title.get(locale) if step is not None else step_key,
            "channel": channel,
            "at_text": datetime_text(planned, locale),
        },
        "invite": invite,
        "handover": _handover(locale, sparse=sparse) if journey == "_handover" else None,
        "learning": learning,
        "retention": {"weeks": 4, "consent_months": 12},
    }
