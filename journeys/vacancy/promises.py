"""Learning promises: what the employer's profile and the vacancy itself promise a new hire.

They make the "Leren bij ons" / "How you learn here" section, the JobPosting `jobBenefits`, and
can be stored with the vacancy to seed the hire's playlist and first coaching agenda.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from journeys.profile import EmployerProfile
from journeys.vacancy.check import VacancyCheck
from journeys.vacancy.labels import category_label
from journeys.vacancy.language import Language
from journeys.vacancy.segments import sentences
from journeys.vacancy.wording import money

_MARKUP = re.compile(r"^(?:[-*•+]|\d+[.)]|#{1,6})\s+|\*\*|__")


@dataclass(frozen=True)
class LearningPromise:
    """One promise: a sentence to show, its categories (the first named), and its source."""

    category: str
    label: str
    text: str
    source: Literal["employer", "vacancy"]
    categories: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The promise as JSON-ready data (for storage or the candidate journey)."""
        return asdict(self)


def learning_promises(
    *, check: VacancyCheck, text: str, profile: EmployerProfile | None, language: Language
) -> list[LearningPromise]:
    """Return the employer's standing offer, then what this vacancy promises in its own words."""
    out = _from_profile(profile, language) if profile else []
    by_line: dict[str, list[str]] = {}
    for finding in check.found:
        if finding.category == "obligations":
            continue
        sentence = next(s for s in sentences(text) if s.start <= finding.start < s.end)
        categories = by_line.setdefault(_MARKUP.sub("", sentence.text).strip(), [])
        categories += [finding.category] if finding.category not in categories else []
    for line, categories in by_line.items():
        label = category_label(categories[0], language)
        out.append(LearningPromise(categories[0], label, line, "vacancy", tuple(categories)))
    return out


def learning_obligations(*, check: VacancyCheck, text: str) -> list[str]:
    """Return the sentences that state mandatory training, in the vacancy's own words."""
    lines: list[str] = []
    for finding in check.found:
        if finding.category == "obligations":
            sentence = next(s for s in sentences(text) if s.start <= finding.start < s.end)
            line = _MARKUP.sub("", sentence.text).strip()
            lines += [line] if line not in lines else []
    return lines


def _from_profile(profile: EmployerProfile, language: Language) -> list[LearningPromise]:
    offer, nl = profile.learning, language == "nl"
    items: list[tuple[str, str]] = []
    if offer.budget_per_year:
        amount = money(offer.budget_per_year, offer.currency, language)
        text = (
            f"Leerbudget van {amount} per jaar" if nl else f"A learning budget of {amount} a year"
        )
        items.append(("budget_time", text))
    if hours := offer.study_hours_per_month:
        text = f"{hours} uur per maand om te studeren" if nl else f"{hours} study hours a month"
        items.append(("budget_time", text))
    if days := offer.training_days_per_year:
        text = f"{days} opleidingsdagen per jaar" if nl else f"{days} training days a year"
        items.append(("budget_time", text))
    if offer.academy:
        name = offer.academy.name
        items.append(
            ("learning_environment", f"Trainingen bij {name}" if nl else f"Courses at {name}")
        )
    c = offer.coaching
    minutes, weeks = c.duration_minutes, c.every_weeks
    if nl:
        text = f"{c.sessions} coachgesprekken van {minutes} minuten, om de {weeks} weken"
    else:
        text = f"{c.sessions} coaching sessions of {minutes} minutes, every {weeks} weeks"
    items.append(("coaching", text))
    if sharing := offer.knowledge_sharing_text(language):
        items.append(("knowledge_sharing", sharing))
    return [
        LearningPromise(category, category_label(category, language), text, "employer", (category,))
        for category, text in items
    ]
