"""iTIP invites (RFC 5546) as iCalendar bytes: REQUEST for new or changed meetings, CANCEL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, Timezone, vCalAddress, vRecur
from icalendar.enums import PARTSTAT, ROLE, STATUS

from integrations.mail.message import Address, clean_text

PRODID = "-//Leerpad//Leerpad//EN"
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Meeting:
    """One meeting or bounded weekly series; uid is stable for life, sequence rises on change."""

    uid: str
    sequence: int
    summary: str
    description: str
    start: datetime
    end: datetime
    tzid: str
    location: str | None
    organizer: Address
    attendees: tuple[Address, ...]
    repeat_every_weeks: int | None
    repeat_count: int | None
    created: datetime

    def __post_init__(self) -> None:
        object.__setattr__(self, "attendees", tuple(self.attendees))
        try:
            zone = ZoneInfo(self.tzid)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {self.tzid!r}") from exc
        for name in ("start", "end", "created"):
            value: datetime = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"meeting {name} must be timezone-aware")
        object.__setattr__(self, "start", self.start.astimezone(zone))
        object.__setattr__(self, "end", self.end.astimezone(zone))
        if self.end <= self.start:
            raise ValueError("a meeting must end after it starts")
        if self.sequence < 0 or not clean_text(self.uid) == self.uid or not self.uid:
            raise ValueError("uid must be non-empty printable text and sequence >= 0")
        series = (self.repeat_every_weeks, self.repeat_count)
        if series.count(None) == 1 or any(n is not None and n < 1 for n in series):
            raise ValueError("repeat_every_weeks and repeat_count go together and must be >= 1")

    @property
    def last_end(self) -> datetime:
        """Return the end of the last occurrence (local wall time stays the same each week)."""
        weeks = (self.repeat_every_weeks or 0) * ((self.repeat_count or 1) - 1)
        return self.end + timedelta(weeks=weeks)


def _text(value: str) -> str:
    lines = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_BUT_NEWLINE.sub("", lines)


def _cn(address: Address) -> str | None:
    # A DQUOTE would need RFC 6868 ^' escaping, which Outlook and others show literally. A
    # backslash has no escape in a parameter value, yet parsers (icalendar among them) read it as
    # one, so "Ann\\" would swallow the next parameter: it becomes a fullwidth reverse solidus.
    return address.name.replace('"', "'").replace("\\", "\uff3c") if address.name else None


def _build(meeting: Meeting, method: Literal["REQUEST", "CANCEL"], dtstamp: datetime) -> bytes:
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be timezone-aware")
    organizer = vCalAddress.new(meeting.organizer.email, cn=_cn(meeting.organizer))
    attendees = [
        vCalAddress.new(a.email, cn=_cn(a), role=ROLE.REQ_PARTICIPANT,
                        partstat=PARTSTAT.NEEDS_ACTION, rsvp=True)
        for a in meeting.attendees
    ]  # fmt: skip
    event = Event.new(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=dtstamp.astimezone(UTC),
        created=meeting.created.astimezone(UTC),
        start=meeting.start,
        end=meeting.end,
        summary=clean_text(meeting.summary),
        description=_text(meeting.description) or None,
        location=clean_text(meeting.location or "") or None,
        organizer=organizer,
        attendees=attendees,
        status=STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED,
    )
    if meeting.repeat_every_weeks and meeting.repeat_count:
        rule = vRecur(
            freq="WEEKLY", interval=meeting.repeat_every_weeks, count=meeting.repeat_count
        )
        event.add("rrule", rule)
    calendar = Calendar.new(method=method, prodid=PRODID, subcomponents=[event])
    calendar.pop("UID", None)  # Calendar.new adds a random RFC 7986 UID: keep output deterministic
    # The VTIMEZONE comes last, after the event: its serialised form is built once per zone and
    # years and spliced in (the same bytes add_component + to_ical would write each time).
    head, end = calendar.to_ical(), b"END:VCALENDAR\r\n"
    if not head.endswith(end):
        raise ValueError("unexpected iCalendar serialisation")
    zone = _vtimezone_ical(meeting.tzid, meeting.start.year, meeting.last_end.year + 1)
    return head[: -len(end)] + zone + end


@lru_cache(maxsize=64)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of a zone for whole years, built once (read-only once added)."""
    return Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )


@lru_cache(maxsize=64)
def _vtimezone_ical(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of a zone for whole years as iCalendar bytes, serialised once."""
    return _vtimezone(tzid, first_year, last_year).to_ical()


def build_request(meeting: Meeting, *, dtstamp: datetime) -> bytes:
    """Return a METHOD:REQUEST calendar inviting the attendees (new meeting or an update)."""
    return _build(meeting, "REQUEST", dtstamp)


def build_cancel(meeting: Meeting, *, dtstamp: datetime) -> bytes:
    """Return a METHOD:CANCEL calendar withdrawing the meeting (pass a raised sequence)."""
    return _build(meeting, "CANCEL", dtstamp)
