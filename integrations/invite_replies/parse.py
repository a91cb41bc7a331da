"""Find iTIP REPLYs in a raw email, a bare .ics or an mbox: pure parsing, no I/O.

Calendar clients answer an invite with a mail that carries a METHOD:REPLY calendar: Google
Calendar as a `text/calendar; method=REPLY` part plus an `invite.ics` attachment (base64), Outlook
and Exchange as `text/calendar; method=REPLY` (base64 or quoted-printable), Apple Calendar as an
`application/ics` or `text/calendar` attachment. The VEVENT repeats the invite's UID and SEQUENCE
and has the replying ATTENDEE with its PARTSTAT (ACCEPTED, DECLINED, TENTATIVE or DELEGATED).
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import Message
from email.utils import getaddresses

from icalendar import Calendar

ANSWERS = frozenset({"ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"})
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})
MAX_UID = 200
_MBOX_FROM = re.compile(rb"^From [^\r\n]*\r?\n", re.MULTILINE)


class NoReply(ValueError):  # noqa: N818  (a reason, not a crash: "this holds no reply")
    """The input holds no usable invite reply; the message says why, in one line."""


@dataclass(frozen=True)
class Reply:
    """One attendee's answer to one invite (or one occurrence of a series)."""

    uid: str
    sequence: int
    attendee: str  # the address, lower case, without "mailto:"
    partstat: str  # ACCEPTED|DECLINED|TENTATIVE|DELEGATED
    dtstamp: datetime | None  # when the client wrote the reply (UTC)
    occurrence: datetime | None = None  # RECURRENCE-ID: the reply is about one occurrence only


def _address(value: object) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _utc(value: object) -> datetime | None:
    moment = getattr(value, "dt", value)
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if isinstance(moment, date):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return None


def _text(payload: bytes, charset: str | None) -> str:
    try:
        return payload.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return payload.decode("utf-8", "replace")


def replies_in_calendar(ics: bytes | str, *, sender: str | None = None) -> list[Reply]:
    """The replies in one iCalendar object; NoReply when it is not a usable METHOD:REPLY.

    A REPLY names only the answering attendee; should a client list more, the one that matches
    the mail's sender is kept when there is one.
    """
    try:
        calendar = Calendar.from_ical(ics)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError on junk
        raise NoReply(f"the calendar could not be read ({type(exc).__name__})") from None
    method = str(calendar.get("METHOD", "")).strip().upper()
    if method != "REPLY":
        raise NoReply(f"the calendar is METHOD:{method or '(none)'}, not a REPLY")
    replies: list[Reply] = []
    for event in calendar.walk("VEVENT"):
        replies += _event_replies(event, sender=sender)
    if not replies:
        raise NoReply("the REPLY has no event with a UID and an answering ATTENDEE")
    return list(dict.fromkeys(replies))


def _event_replies(event: object, *, sender: str | None) -> list[Reply]:
    uid = str(event.get("UID", "")).strip()  # type: ignore[attr-defined]
    if not uid or len(uid) > MAX_UID or not uid.isprintable():
        return []
    try:
        sequence = int(event.get("SEQUENCE", 0))  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        return []
    attendees = event.get("ATTENDEE", [])  # type: ignore[attr-defined]
    if not isinstance(attendees, list):
        attendees = [attendees]
    answered = [
        (a, str(a.params.get("PARTSTAT", "")).upper())
        for a in attendees
        if str(getattr(a, "params", {}).get("PARTSTAT", "")).upper() in ANSWERS and _address(a)
    ]
    if len(answered) > 1 and sender:
        answered = [pair for pair in answered if _address(pair[0]) == sender] or answered
    stamp = _utc(event.get("DTSTAMP"))  # type: ignore[attr-defined]
    occurrence = _utc(event.get("RECURRENCE-ID"))  # type: ignore[attr-defined]
    return [
        Reply(uid=uid, sequence=max(sequence, 0), attendee=_address(a), partstat=state,
              dtstamp=stamp, occurrence=occurrence)
        for a, state in answered
    ]  # fmt: skip


def _calendar_parts(message: Message) -> list[Message]:
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        name = (part.get_filename() or "").lower()
        if kind in CALENDAR_TYPES or name.endswith((".ics", ".vcs")):
            parts.append(part)
    return parts


def replies_in_message(raw: bytes) -> list[Reply]:
    """The invite replies in one raw RFC 822 message (or a bare .ics); NoReply when none.

    Every calendar part is read (Google sends the same REPLY inline and as an attachment; the
    duplicates collapse). Base64 and quoted-printable are decoded.
    """
    if raw.lstrip()[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return replies_in_calendar(raw)
    try:
        message = email.message_from_bytes(raw, policy=policy.compat32)
    except Exception as exc:  # the stdlib parser is lenient; this is belt and braces
        raise NoReply(f"the message could not be read ({type(exc).__name__})") from None
    senders = getaddresses([str(message.get("From", ""))])
    sender = senders[0][1].lower() if senders and senders[0][1] else None
    parts = _calendar_parts(message)
    if not parts:
        raise NoReply("the message has no calendar part (text/calendar or an .ics attachment)")
    replies: list[Reply] = []
    reasons: list[str] = []
    for part in parts:
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            reasons.append("an empty calendar part")
            continue
        try:
            replies += replies_in_calendar(
                _text(payload, part.get_content_charset()), sender=sender
            )
        except NoReply as exc:
            reasons.append(str(exc))
    if not replies:
        raise NoReply(reasons[0] if reasons else "no calendar part could be read")
    return list(dict.fromkeys(replies))


def split_messages(raw: bytes) -> list[bytes]:
    """One input as messages: an mbox (lines starting "From ") is split, anything else is one.

    `>From ` quoting (mboxrd) is undone for lines inside messages.
    """
    if not raw.startswith(b"From "):
        return [raw]
    starts = [m.start() for m in _MBOX_FROM.finditer(raw)]
    messages = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(raw)
        chunk = raw[start:end]
        body = chunk[chunk.index(b"\n") + 1 :]
        body = re.sub(rb"^>(>*From )", rb"\1", body, flags=re.MULTILINE)
        if body.strip():
            messages.append(body)
    return messages
