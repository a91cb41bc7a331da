"""Plan journey steps into moments: offsets → local working-day times → UTC.

Planning happens in the recipient's IANA zone; rows store the UTC instant. Local wall times are
made DST-safe by `localize`: a time in the spring-forward gap moves forward by the gap (02:30 on
28 March 2027 in Europe/Amsterdam becomes 03:30 CEST, as RFC 5545 reads such times), an
ambiguous fall-back time takes its first occurrence (fold=0, summer time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journeys.dsl import InviteSpec, Journey, Offset, Step
from journeys.profile import SendWindow
from journeys.workcalendar import WorkCalendar


@dataclass(frozen=True)
class PlannedStep:
    """When one step occurrence is due, in the recipient's zone and in UTC."""

    step_key: str
    occurrence: int
    due_local: datetime
    due_utc: datetime


@dataclass(frozen=True)
class PlannedMeeting:
    """A booked meeting: local start and end in its zone, and the same instants in UTC."""

    start_local: datetime
    end_local: datetime
    tzid: str
    start_utc: datetime
    end_utc: datetime

    def occurrences_local(self, count: int, every_weeks: int) -> list[datetime]:
        """Return the local starts of a weekly series; the wall time holds across DST changes."""
        zone = ZoneInfo(self.tzid)
        first = self.start_local.date()
        return [
            localize(first + timedelta(weeks=every_weeks * i), self.start_local.time(), zone)
            for i in range(count)
        ]


def localize(day: date, at: time, zone: ZoneInfo) -> datetime:
    """Attach a zone to a local wall time: gap times move forward, ambiguous ones take fold=0."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def day_for_offset(offset: Offset, *, anchor: date, calendar: WorkCalendar) -> date:
    """Return the working day an offset lands on, moving off days away from the anchor's side."""
    if offset.unit == "working_days":
        return calendar.add_working_days(anchor, offset.amount)
    days = offset.amount * 7 if offset.unit == "weeks" else offset.amount
    day = anchor + timedelta(days=days)
    if days < 0:
        return calendar.previous_working_day(day)
    return calendar.next_working_day(day)


def place_in_window(
    day: date, *, preferred: time | None, zone: ZoneInfo, calendar: WorkCalendar, window: SendWindow
) -> datetime:
    """Return the aware local moment on day: preferred time clamped into the send window."""
    at = preferred or window.start
    if at < window.start:
        at = window.start
    elif at >= window.end:
        return localize(calendar.next_working_day(day, include=False), window.start, zone)
    return localize(day, at, zone)


def next_allowed(
    moment: datetime, *, zone: ZoneInfo, calendar: WorkCalendar, window: SendWindow
) -> datetime:
    """Return moment if it is in the window on a working day, else the next window start."""
    local = moment.astimezone(zone)
    day, at = local.date(), local.time()
    if calendar.is_working_day(day):
        if window.start <= at < window.end:
            return local
        if at < window.start:
            return localize(day, window.start, zone)
    return localize(calendar.next_working_day(day, include=False), window.start, zone)


def _utc(moment: datetime) -> datetime:
    """Return the UTC instant; same-zone comparisons would otherwise ignore fold."""
    return moment.astimezone(UTC)


def _planned(step: Step, due_local: datetime) -> PlannedStep:
    """Wrap a local due moment as the step's first (and only) occurrence."""
    return PlannedStep(step.key, 0, due_local, due_local.astimezone(UTC))


def plan_anchor_step(
    step: Step, *, anchor: date, zone: ZoneInfo, calendar: WorkCalendar, window: SendWindow
) -> PlannedStep:
    """Plan a step of a start-date journey: offset day, at its time, inside the window."""
    day = day_for_offset(step.offset, anchor=anchor, calendar=calendar)
    due = place_in_window(day, preferred=step.time, zone=zone, calendar=calendar, window=window)
    return _planned(step, due)


def plan_event_step(
    step: Step, *, event_at: datetime, zone: ZoneInfo, calendar: WorkCalendar, window: SendWindow
) -> PlannedStep:
    """Plan a step answering an event: at event + offset when allowed, never before the event.

    Raises:
        ValueError: event_at has no time zone.
    """
    if event_at.tzinfo is None:
        raise ValueError("event_at must be timezone-aware")
    event_local = event_at.astimezone(zone)
    if step.time is not None:
        day = day_for_offset(step.offset, anchor=event_local.date(), calendar=calendar)
        due = place_in_window(day, preferred=step.time, zone=zone, calendar=calendar, window=window)
    else:
        due = _shift(event_local, step.offset, zone=zone, calendar=calendar)
    due = max(due, event_local, key=_utc)
    return _planned(step, next_allowed(due, zone=zone, calendar=calendar, window=window))


def _shift(local: datetime, offset: Offset, *, zone: ZoneInfo, calendar: WorkCalendar) -> datetime:
    """Move a local moment by an offset, keeping its wall time."""
    if offset.unit == "working_days":
        if offset.amount == 0:
            return local
        day = calendar.add_working_days(local.date(), offset.amount)
    else:
        day = local.date() + timedelta(days=offset.amount * (7 if offset.unit == "weeks" else 1))
    return localize(day, local.time(), zone)


def plan_meeting(
    invite: InviteSpec, *, anchor: date, zone: ZoneInfo, calendar: WorkCalendar
) -> PlannedMeeting:
    """Plan the meeting an invite books: its offset day at its local time, for its duration."""
    day = day_for_offset(invite.meeting_offset, anchor=anchor, calendar=calendar)
    start = localize(day, invite.meeting_time, zone)
    end_utc = start.astimezone(UTC) + timedelta(minutes=invite.duration_minutes)
    return PlannedMeeting(
        start_local=start,
        end_local=end_utc.astimezone(zone),
        tzid=zone.key,
        start_utc=start.astimezone(UTC),
        end_utc=end_utc,
    )


def plan_journey(
    journey: Journey,
    *,
    anchor: date,
    zones: Mapping[str, ZoneInfo],
    default_zone: ZoneInfo,
    calendar: WorkCalendar,
    window: SendWindow,
) -> list[PlannedStep]:
    """Plan every step of a start-date journey in its recipient's zone, in time order.

    Raises:
        ValueError: the journey is anchored on events, not on a start date.
    """
    if journey.anchor != "start_date":
        raise ValueError(f"journey {journey.key!r} is anchored on events; plan its steps per event")
    planned = [
        (
            plan_anchor_step(
                step,
                anchor=anchor,
                zone=zones.get(step.to, default_zone),
                calendar=calendar,
                window=window,
            ),
            order,
        )
        for order, step in enumerate(journey.steps)
    ]
    planned.sort(key=lambda pair: (pair[0].due_utc, pair[1]))
    return [step for step, _ in planned]


def not_before(
    planned: datetime, *, now: datetime, zone: ZoneInfo, calendar: WorkCalendar, window: SendWindow
) -> datetime:
    """Return planned if it is not in the past, else the next allowed moment from now (in zone)."""
    if _utc(planned) >= _utc(now):
        return planned
    return next_allowed(now, zone=zone, calendar=calendar, window=window)
