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
from icalendar.parser.parameter import rfc_6868_escape
from icalendar.parser.string import _escape_char
from icalendar.timezone.tzid import tzid_from_tzinfo

from integrations.mail.message import Address, clean_text

PRODID = "-//Leerpad//Leerpad//EN"
_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# What the fast serialiser knows how to write exactly as icalendar does; anything else goes the
# reference way (Event/Calendar + to_ical).
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\Z")
_PLAIN_TZID = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*\Z")
_CN_QUOTED = re.compile("[ ',;:\u2019]")  # icalendar quotes CN for " '" and for ",;:’"


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
    """The invite's bytes: the VCALENDAR and VEVENT written directly with icalendar's escaping
    (byte for byte what ``_build_reference`` writes), or through icalendar when unusual."""
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be timezone-aware")
    lines = _event_lines(meeting, method, dtstamp)
    if lines is None:
        return _build_reference(meeting, method, dtstamp)
    zone = _vtimezone_ical(meeting.tzid, meeting.start.year, meeting.last_end.year + 1)
    return b"\r\n".join(map(_fold, lines)) + b"\r\n" + zone + b"END:VCALENDAR\r\n"


@lru_cache(maxsize=64)
def _ical_tzid(tzid: str) -> str | None:
    """The TZID icalendar writes for a datetime in this zone ("UTC" means none, a Z instead)."""
    return tzid_from_tzinfo(ZoneInfo(tzid))


def _utc(value: datetime) -> str:
    value = value.astimezone(UTC)
    return (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}Z"
    )


def _local(value: datetime) -> str:
    return (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}"
    )


def _address(name: str, address: Address, extra: str) -> str | None:
    if not _PLAIN_EMAIL.match(address.email):
        return None
    cn = _cn(address)
    params = ""
    if cn is not None:
        escaped = rfc_6868_escape(cn)
        params = f';CN="{escaped}"' if _CN_QUOTED.search(escaped) else f";CN={escaped}"
    return f"{name}{params}{extra}:mailto:{address.email}"


def _event_lines(
    meeting: Meeting, method: Literal["REQUEST", "CANCEL"], dtstamp: datetime
) -> list[str] | None:
    """The unfolded lines up to END:VEVENT as icalendar writes them, or None if unusual.

    Property order is icalendar's: the component's canonical order, then alphabetical.
    """
    tzid = meeting.tzid
    start, end = meeting.start, meeting.end
    if _ical_tzid(tzid) != tzid or tzid == "UTC" or not _PLAIN_TZID.match(tzid):
        return None  # UTC (no TZID parameter) or an alias icalendar names otherwise
    summary = clean_text(meeting.summary)
    description = _text(meeting.description)
    location = clean_text(meeting.location or "")
    organizer = _address("ORGANIZER", meeting.organizer, "")
    attendees = [
        _address("ATTENDEE", a, ";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE")
        for a in meeting.attendees
    ]
    if organizer is None or None in attendees:
        return None
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"SUMMARY:{_escape_char(summary)}",  # written even when empty, as icalendar does
        f"DTSTART;TZID={tzid}:{_local(start)}",
        f"DTEND;TZID={tzid}:{_local(end)}",
        f"DTSTAMP:{_utc(dtstamp)}",
        f"UID:{_escape_char(meeting.uid)}",
        f"SEQUENCE:{meeting.sequence}",
    ]
    if meeting.repeat_every_weeks and meeting.repeat_count:
        lines.append(
            f"RRULE:FREQ=WEEKLY;COUNT={meeting.repeat_count};INTERVAL={meeting.repeat_every_weeks}"
        )
    lines += attendees  # type: ignore[arg-type]  # None ruled out above
    lines.append(f"CREATED:{_utc(meeting.created)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape_char(description)}")
    if location:
        lines.append(f"LOCATION:{_escape_char(location)}")
    lines += [
        organizer,
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        "END:VEVENT",
    ]
    return lines


def _fold(line: str) -> bytes:
    """Fold a content line exactly as icalendar's ``_foldline`` does.

    Pieces hold at most 74 octets, never split a UTF-8 sequence, and a piece never ends in a
    backslash or caret (that one character moves to the next piece); CRLF + space between.
    """
    data = line.encode("utf-8")
    if len(data) < 75:
        return data
    pieces = []
    begin, size = 0, len(data)
    while size - begin > 74:
        cut = begin + 74
        while data[cut] & 0xC0 == 0x80:  # inside a UTF-8 sequence: back to its first byte
            cut -= 1
        if cut - begin > 1 and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[begin:cut])
        begin = cut
    pieces.append(data[begin:])
    return b"\r\n ".join(pieces)


def _build_reference(
    meeting: Meeting, method: Literal["REQUEST", "CANCEL"], dtstamp: datetime
) -> bytes:
    """The same bytes as ``_build``, entirely through icalendar's model and serialiser."""
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
