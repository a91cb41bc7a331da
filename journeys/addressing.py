"""Which address a message goes to: a hire's personal one before the first working day, then work.

A new hire has no work mailbox before they start, so preboarding goes to their personal address;
from the start of their first working day (midnight in their own zone) on, to the work address.
The switch is computed at send time from the current start date, so a moved start date moves it.
When only one address is known, that one is used whatever the moment.

Addresses a source did not type (`Person.email`, what an ATS calls the candidate's address)
count as personal unless they equal the work address: HR systems that know a work address name
it as such (the CSV import, BambooHR, HiBob, Personio, Greenhouse Onboarding, Workable), while
recruiting systems know the address a candidate applied with. Leaders, coaches and buddies are
colleagues: their work address first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from journeys.workcalendar import WorkCalendar

AddressKind = Literal["personal", "work"]
HIRE_ROLES = frozenset({"new_hire", "candidate"})


@dataclass(frozen=True)
class ChosenAddress:
    """The address a message uses and what kind of address it is."""

    email: str
    kind: AddressKind


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def switch_moment(
    start_date: date, *, zone: ZoneInfo, calendar: WorkCalendar | None = None
) -> datetime:
    """When work mail starts: local midnight of the first working day on or after the start."""
    day = calendar.next_working_day(start_date, include=True) if calendar else start_date
    return datetime.combine(day, time(0), tzinfo=zone)


def hire_address(
    *,
    personal: str | None,
    work: str | None,
    legacy: str | None,
    start_date: date | None,
    zone: ZoneInfo,
    at: datetime,
    calendar: WorkCalendar | None = None,
) -> ChosenAddress | None:
    """Choose a candidate's or new hire's address for a message sent at `at`.

    Before the first working day (or with no start date known) the personal address, from then
    on the work address; when only one is known, that one. None when no address is known.
    """
    work = _clean(work)
    legacy = _clean(legacy)
    personal = _clean(personal) or (legacy if not _same(legacy, work) else None)
    if at.tzinfo is None:
        raise ValueError("the send moment must be timezone-aware")
    started = start_date is not None and at >= switch_moment(
        start_date, zone=zone, calendar=calendar
    )
    if work and (started or not personal):
        return ChosenAddress(work, "work")
    if personal:
        return ChosenAddress(personal, "personal")
    return None


def colleague_address(
    *, personal: str | None, work: str | None, legacy: str | None
) -> ChosenAddress | None:
    """Choose a leader's, coach's or buddy's address: work first, personal only as a last resort."""
    work, legacy, personal = _clean(work), _clean(legacy), _clean(personal)
    if work:
        return ChosenAddress(work, "work")
    if legacy:
        return ChosenAddress(legacy, "personal" if _same(legacy, personal) else "work")
    if personal:
        return ChosenAddress(personal, "personal")
    return None
