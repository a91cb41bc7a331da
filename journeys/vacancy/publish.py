"""What a vacancy needs before it can be published."""

from __future__ import annotations

from journeys.errors import JourneyError
from journeys.vacancy.document import Vacancy


class VacancyNotPublishable(JourneyError):
    """A vacancy misses something a published job posting must have."""


def publication_problems(vacancy: Vacancy) -> list[str]:
    """Return what stops a vacancy from being published (empty when it can be)."""
    problems = []
    meta = vacancy.meta
    if not meta.title:
        problems.append(
            f"{vacancy.file}: add 'title:' to the front matter; a posting needs a title"
        )
    country = meta.location.country if meta.location else None
    if country == "NL" and meta.salary is None:
        problems.append(
            f"{vacancy.file}: a Dutch vacancy (location.country NL) must state its pay; add "
            "'salary: {min: …, max: …, currency: EUR, unit: MONTH}' to the front matter"
        )
    if meta.location is None and meta.remote is not True:
        problems.append(
            f"{vacancy.file}: say where the job is: add 'location: {{city: …, country: NL}}', "
            "or 'remote: true' for a fully remote job"
        )
    if not vacancy.text.strip():
        problems.append(f"{vacancy.file}: the vacancy has no text below the front matter")
    return problems


def ensure_publishable(vacancy: Vacancy) -> None:
    """Check a vacancy can be published.

    Raises:
        VacancyNotPublishable: with every problem, one per line.
    """
    problems = publication_problems(vacancy)
    if problems:
        raise VacancyNotPublishable("\n".join(problems))
