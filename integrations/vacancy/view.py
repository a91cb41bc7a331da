"""What a vacancy template may show: facts about the job written for people, in nl or en."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from journeys.vacancy import Vacancy
from journeys.vacancy.document import Salary
from journeys.vacancy.wording import money

_MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
_UNITS = {
    "nl": {
        "HOUR": "per uur",
        "DAY": "per dag",
        "WEEK": "per week",
        "MONTH": "per maand",
        "YEAR": "per jaar",
    },
    "en": {
        "HOUR": "an hour",
        "DAY": "a day",
        "WEEK": "a week",
        "MONTH": "a month",
        "YEAR": "a year",
    },
}
_KINDS = {
    "nl": {
        "FULL_TIME": "Voltijd",
        "PART_TIME": "Deeltijd",
        "CONTRACTOR": "Freelance",
        "TEMPORARY": "Tijdelijk",
        "INTERN": "Stage",
        "VOLUNTEER": "Vrijwilligerswerk",
        "PER_DIEM": "Oproepbasis",
        "OTHER": "Overig",
    },
    "en": {
        "FULL_TIME": "Full-time",
        "PART_TIME": "Part-time",
        "CONTRACTOR": "Contractor",
        "TEMPORARY": "Temporary",
        "INTERN": "Internship",
        "VOLUNTEER": "Volunteer",
        "PER_DIEM": "Per diem",
        "OTHER": "Other",
    },
}
_REMOTE = {
    "nl": {True: "Volledig op afstand", "hybrid": "Hybride (deels thuis)"},
    "en": {True: "Fully remote", "hybrid": "Hybrid"},
}


def date_text(day: date | datetime, lang: str) -> str:
    """Write a date as people read it: '2 maart 2026' / '2 March 2026'."""
    month = _MONTHS[lang].split()[day.month - 1]
    return f"{day.day} {month} {day.year}"


def salary_text(salary: Salary, lang: str) -> str:
    """Write a pay range: '€ 3.400 – € 4.900 per maand' / '€3,400–€4,900 a month'."""
    low, high = (
        money(v, salary.currency, lang) if v is not None else None for v in (salary.min, salary.max)
    )
    unit = _UNITS[lang][salary.unit]
    if low and high:
        dash = " – " if lang == "nl" else "–"
        return f"{low}{dash}{high} {unit}"
    if low:
        return f"{'vanaf' if lang == 'nl' else 'from'} {low} {unit}"
    return f"{'tot' if lang == 'nl' else 'up to'} {high} {unit}"


def vacancy_view(vacancy: Vacancy, lang: str) -> dict[str, Any]:
    """The vacancy's front matter as display text (None where the file says nothing)."""
    meta = vacancy.meta
    place = None
    if meta.location:
        place = ", ".join(p for p in (meta.location.city, meta.location.region) if p) or None
    kinds = meta.employment_type
    kinds = (kinds,) if isinstance(kinds, str) else kinds or ()
    hours = None
    if meta.hours_per_week:
        number = f"{meta.hours_per_week:g}".replace(".", "," if lang == "nl" else ".")
        hours = f"{number} uur per week" if lang == "nl" else f"{number} hours a week"
    return {
        "title": meta.title,
        "department": meta.department,
        "place": place,
        "remote": _REMOTE[lang].get(meta.remote) if meta.remote else None,
        "employment": ", ".join(_KINDS[lang][k] for k in kinds) or None,
        "hours": hours,
        "salary": salary_text(meta.salary, lang) if meta.salary else None,
        "date_posted": date_text(meta.date_posted, lang) if meta.date_posted else None,
        "valid_through": date_text(meta.valid_through, lang) if meta.valid_through else None,
        "external_id": meta.external_id,
    }
