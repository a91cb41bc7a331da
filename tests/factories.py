"""Canonical events for tests: a candidate who applies, is hired, and whose start date moves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from journeys.events import Event

_counter = iter(range(1, 10**9))


def person(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A candidate's person block."""
    return {
        "external_id": f"cand-{n}",
        "email": f"hire{n}@example.org",
        "first_name": "Sanne",
        "last_name": f"Tester{n}",
        "locale": "nl",
        "timezone": "Europe/Amsterdam",
    } | overrides


def manager(n: int = 1) -> dict[str, Any]:
    """A manager block."""
    return {
        "external_id": f"mgr-{n}",
        "email": f"manager{n}@example.org",
        "first_name": "Daan",
        "last_name": f"Leider{n}",
    }


def make_event(
    kind: str,
    *,
    at: datetime,
    n: int = 1,
    start: date | None = None,
    manager_n: int | None = 1,
    stage: str | None = None,
    person_overrides: dict[str, Any] | None = None,
    event_id: str | None = None,
) -> Event:
    """A canonical event of the given type for candidate/hire number n."""
    employment = None
    if start is not None:
        employment = {
            "start_date": start.isoformat(),
            "title": "Data Engineer",
            "department": "Data",
            "manager": manager(manager_n) if manager_n else None,
        }
    return Event.model_validate(
        {
            "id": event_id or f"generic:test-{next(_counter)}",
            "source": "generic",
            "type": kind,
            "occurred_at": at.isoformat(),
            "person": person(n, **(person_overrides or {})),
            "vacancy": {"external_id": "job-1", "title": "Data Engineer", "department": "Data"},
            "application": {"external_id": f"app-{n}", "stage": stage},
            "employment": employment,
        }
    )
