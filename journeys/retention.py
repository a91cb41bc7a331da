"""Retention rules: when a person's data must go, after their procedure or employment ended."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

CLOSED_APPLICATIONS: tuple[str, ...] = ("rejected", "unhired")
ENDED_EMPLOYMENTS: tuple[str, ...] = ("cancelled", "terminated")


@dataclass(frozen=True)
class RetentionPolicy:
    """How long data is kept: weeks after a procedure, months with consent or after employment."""

    candidate_weeks: int = 4
    consent_months: int = 12
    employee_months: int = 6


@dataclass(frozen=True)
class ApplicationFacts:
    """One application: its status and when the procedure ended (None while it runs)."""

    status: str
    closed_at: datetime | None


@dataclass(frozen=True)
class EmploymentFacts:
    """One employment: its status, its end date, and when Leerpad last changed it."""

    status: str
    end_date: date | None
    updated_at: datetime


@dataclass(frozen=True)
class PersonFacts:
    """What the retention rule needs to know about one person."""

    applications: tuple[ApplicationFacts, ...] = ()
    employments: tuple[EmploymentFacts, ...] = ()
    consent: bool = False


def add_months(moment: datetime, months: int) -> datetime:
    """Add calendar months; the day is clamped to the month's last (31 Jan + 1 = 28/29 Feb)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def candidate_purge_after(
    *, procedure_end: datetime, consent: bool, policy: RetentionPolicy
) -> datetime:
    """When a rejected candidate's data goes: 4 weeks after the procedure, 1 year with consent."""
    if consent:
        return add_months(procedure_end, policy.consent_months)
    return procedure_end + timedelta(weeks=policy.candidate_weeks)


def employee_purge_after(*, ended_on: date, policy: RetentionPolicy) -> datetime:
    """When a former hire's journey data goes: N months after the employment's end date."""
    start_of_day = datetime.combine(ended_on, time(0, 0), tzinfo=UTC)
    return add_months(start_of_day, policy.employee_months)


def purge_after(facts: PersonFacts, *, policy: RetentionPolicy) -> datetime | None:
    """The moment a person's data is due for purging, or None while there is reason to keep it.

    A person is kept while any application is open, while any employment runs, and when Leerpad
    only knows them in another role (a leader, coach or buddy): they have no procedure that ends.
    """
    if not facts.applications and not facts.employments:
        return None
    moments: list[datetime] = []
    for application in facts.applications:
        if application.status == "hired":
            continue  # their employment decides
        if application.status not in CLOSED_APPLICATIONS or application.closed_at is None:
            return None
        moments.append(
            candidate_purge_after(
                procedure_end=application.closed_at, consent=facts.consent, policy=policy
            )
        )
    for employment in facts.employments:
        if employment.status not in ENDED_EMPLOYMENTS:
            return None
        if employment.status == "cancelled":  # the hire was withdrawn: a procedure that ended
            moments.append(
                candidate_purge_after(
                    procedure_end=employment.updated_at, consent=facts.consent, policy=policy
                )
            )
            continue
        ended_on = employment.end_date or employment.updated_at.astimezone(UTC).date()
        moments.append(employee_purge_after(ended_on=ended_on, policy=policy))
    return max(moments) if moments else None


def is_due(facts: PersonFacts, *, policy: RetentionPolicy, now: datetime) -> bool:
    """Tell whether a person's data is due for purging at `now`."""
    due = purge_after(facts, policy=policy)
    return due is not None and due <= now
