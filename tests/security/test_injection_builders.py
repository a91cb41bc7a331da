"""Any text in a name, subject, summary or description: the MIME and iCalendar builders keep it in
its field. Output is parsed back with the stdlib email parser and two iCalendar parsers."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime, timedelta
from email import policy

import icalendar
import vobject
from hypothesis import given
from hypothesis import strategies as st

from integrations.calendar.invite import Meeting, _text, build_cancel, build_request
from integrations.mail.message import Address, CalendarPart, OutgoingMessage, clean_text
from integrations.mail.mime import build_mime
from tests.security.conftest import fuzz, hostile_text

START = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)
SENDER = Address(email="onboarding@example.org", name="Leerpad")


def meeting(*, summary: str, description: str, names: list[str], location: str) -> Meeting:
    """A meeting whose every free-text field comes from the test."""
    return Meeting(
        uid="step-1@example.org", sequence=1, summary=summary, description=description,
        start=START, end=START + timedelta(hours=1), tzid="Europe/Amsterdam", location=location,
        organizer=Address(email="onboarding@example.org", name=names[0]),
        attendees=tuple(Address(email=f"p{i}@example.org", name=n) for i, n in enumerate(names)),
        repeat_every_weeks=None, repeat_count=None, created=START - timedelta(days=3),
    )  # fmt: skip


def shown(name: str) -> str:
    """What a CN may hold of a name: one line, no DQUOTE, no backslash (see invite._cn)."""
    return clean_text(name).replace('"', "'").replace("\\", "\uff3c")


def rfc6868(value: str) -> str:
    """Decode RFC 6868 parameter escapes, which vobject leaves as they are."""
    return re.sub(r"\^(\^|n|')", lambda m: {"^": "^", "n": "\n", "'": '"'}[m.group(1)], value)


@fuzz(60)
@given(
    summary=hostile_text,
    description=hostile_text,
    names=st.lists(hostile_text, min_size=1, max_size=3),
    location=hostile_text,
    cancel=st.booleans(),
)
def test_an_invite_keeps_every_value_in_its_property(summary, description, names, location, cancel):
    built = meeting(summary=summary, description=description, names=names, location=location)
    ics = (build_cancel if cancel else build_request)(built, dtstamp=START)

    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == clean_text(summary)
    if _text(description):
        assert str(event["DESCRIPTION"]) == _text(description)
    attendees = event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
    assert [str(a) for a in attendees] == [f"mailto:p{i}@example.org" for i in range(len(names))]
    for attendee, name in zip(attendees, names, strict=True):
        assert attendee.params.get("CN") == (shown(name) or None)
    assert {c.name for c in calendar.subcomponents} == {"VEVENT", "VTIMEZONE"}

    parsed = vobject.readOne(ics.decode("utf-8"))
    assert len(parsed.contents["vevent"]) == 1
    vevent = parsed.vevent
    assert vevent.summary.value == clean_text(summary)
    assert len(vevent.contents["attendee"]) == len(names)
    for attendee, name in zip(vevent.contents["attendee"], names, strict=True):
        assert rfc6868(attendee.params.get("CN", [""])[0]) == shown(name)


@fuzz(30)
@given(subject=hostile_text, to_name=hostile_text, sender_name=hostile_text, body=hostile_text)
def test_a_message_keeps_every_name_and_subject_in_its_header(subject, to_name, sender_name, body):
    message = OutgoingMessage(
        message_id="<abc@example.org>",
        sender=Address(email="onboarding@example.org", name=sender_name),
        to=(Address(email="hire@example.org", name=to_name),),
        subject=subject, text=body + " text", html=f"<p>{body}</p>", locale="en", date=START,
        calendar=CalendarPart(ics=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", method="REQUEST"),
        headers=(("X-Leerpad-Step", "step-1"),),
    )  # fmt: skip
    raw = build_mime(message)
    parsed = email.message_from_bytes(raw, policy=policy.default)
    names = sorted(name.lower() for name in parsed.keys())
    assert names == sorted(
        ["subject", "from", "to", "date", "message-id", "mime-version", "content-type",
         "content-language", "x-leerpad-step"]
    )  # fmt: skip
    # strip(): a word longer than a line is folded onto the next line, after a blank first one
    assert str(parsed["Subject"]).strip() == clean_text(subject)
    (to,) = parsed["To"].addresses
    assert to.addr_spec == "hire@example.org"
    # the stdlib address parser keeps the space between two adjacent encoded words
    assert "".join(to.display_name.split()) == "".join(clean_text(to_name).split())
    (sender,) = parsed["From"].addresses
    assert sender.addr_spec == "onboarding@example.org"
