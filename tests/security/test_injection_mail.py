"""Hostile names through the real Composer, MIME builder and invite builder, parsed back.

A hire and a manager whose names carry CR/LF, header lines, `<script>`, a right-to-left
override, emoji and thousands of characters go through the whole pipeline to day 90. Every
message is read back with the stdlib email parser (no extra header, no extra recipient), its
HTML must hold the names escaped, and every invite is read with two iCalendar parsers
(icalendar and vobject): one VEVENT, only the expected attendees, values round-trip.
"""

from __future__ import annotations

import email
import html
from datetime import date, datetime
from email import policy
from pathlib import Path

import icalendar
import pytest
import vobject

from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from integrations.mail.message import clean_text
from journeys.catalog import load_employer_profile
from journeys.events import Event
from tests.conftest import AMS, sqlite_engine

HIRE_FIRST = "Evil\r\nBcc: victim@example.org\r\nX-Injected: yes"
HIRE_LAST = "<script>alert(1)</script> \u202egnp.exe 🎉👩🏽‍💻 " + "Lang" * 800
LEADER_FIRST = "A\r\nATTENDEE:mailto:evil@example.org"
LEADER_LAST = 'Name;CN=evil:mailto:x@evil.example "q" \r\nEND:VEVENT\r\nBEGIN:VEVENT'
TITLE = "</script><script>alert(2)</script>\r\nX-Title: injected"
HIRE_EMAIL, LEADER_EMAIL = "hire@example.org", "leader@example.org"
COACH = load_employer_profile(None).learning.coaching.coach  # the profile's default coach
EXPECTED = {HIRE_EMAIL, LEADER_EMAIL} | ({COACH.email} if COACH else set())
ALLOWED_HEADERS = {
    "subject", "from", "to", "date", "message-id", "mime-version", "content-type",
    "content-language", "auto-submitted", "x-leerpad-step", "content-transfer-encoding",
}  # fmt: skip
HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


def hostile_hire() -> Event:
    """A hire whose names and job title try to break out of every field they land in."""
    return Event.model_validate(
        {
            "id": "generic:hostile-1",
            "source": "generic",
            "type": "candidate.hired",
            "occurred_at": HIRED_AT.isoformat(),
            "person": {"external_id": "c-evil", "email": HIRE_EMAIL, "first_name": HIRE_FIRST,
                       "last_name": HIRE_LAST, "locale": "en", "timezone": "Europe/Amsterdam"},
            "vacancy": {"external_id": "job-evil", "title": TITLE, "department": TITLE},
            "employment": {
                "start_date": date(2027, 3, 1).isoformat(), "title": TITLE, "department": TITLE,
                "manager": {"external_id": "m-evil", "email": LEADER_EMAIL,
                            "first_name": LEADER_FIRST, "last_name": LEADER_LAST},
            },
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def outbox(tmp_path_factory) -> list[tuple[Path, email.message.EmailMessage]]:
    """Every message the hostile hire's journeys send, up to day 90, parsed from its bytes."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings
    from journeys.clock import SimulatedClock

    folder = tmp_path_factory.mktemp("injection")
    engine = sqlite_engine(folder)
    settings = LeerpadSettings(
        database_url=str(engine.url), outbox_dir=folder / "outbox", smtp_url=None,
        signing_key="injection-test-signing-key",
    )  # fmt: skip
    app = bootstrap(settings=settings, clock=SimulatedClock(HIRED_AT), engine=engine)
    event = hostile_hire()
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    assert process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now()) == "processed"
    run_until(
        app, DAY_90, dispatch=lambda at: deliver_due_batch(app=app, now=at, worker="t", limit=50)
    )
    found = []
    for path in sorted((folder / "outbox").glob("*.eml")):
        found.append((path, email.message_from_bytes(path.read_bytes(), policy=policy.default)))
    reset()
    engine.dispose()
    assert len(found) >= 5, "the journeys sent their messages"
    return found


def _invites(message: email.message.EmailMessage) -> list[bytes]:
    return [
        part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "text/calendar"
    ]


def test_no_header_is_added_and_no_recipient_slips_in(outbox):
    for path, message in outbox:
        names = {name.lower() for name in message.keys()}
        assert names <= ALLOWED_HEADERS, (
            f"{path.name}: unexpected headers {names - ALLOWED_HEADERS}"
        )
        assert message["Bcc"] is None and message["X-Injected"] is None
        for header in ("Subject", "From", "To"):
            value = str(message[header] or "")
            assert "\r" not in value and "\n" not in value, f"{path.name}: {header}"
        addresses = {a.addr_spec for a in message["To"].addresses}
        assert addresses <= EXPECTED, f"{path.name}: {addresses}"


def test_the_raw_bytes_hold_no_injected_header_line(outbox):
    for path, _ in outbox:
        head = path.read_bytes().split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        for line in head.splitlines():
            assert not line.lower().startswith((b"bcc:", b"x-injected:", b"x-title:")), path.name


def test_names_in_subjects_are_kept_on_one_line(outbox):
    subjects = [str(m["Subject"]) for _, m in outbox]
    assert any(clean_text(HIRE_FIRST) in s for s in subjects) or any(
        clean_text(LEADER_FIRST) in s for s in subjects
    ), "a subject names a person, so the test reaches the name path"


def test_html_escapes_and_text_keeps_the_names(outbox):
    for path, message in outbox:
        body = message.get_body(("html",)).get_content()
        assert "<script>alert" not in body and "</script><script>" not in body, path.name
        text = message.get_body(("plain",)).get_content()
        assert "<script>alert(1)</script>" not in body
        if "Evil" in text:
            assert "Bcc: victim@example.org" not in text.splitlines()[0:1]
    joined = "".join(m.get_body(("html",)).get_content() for _, m in outbox)
    assert html.escape("<script>alert(1)</script>", quote=False) in joined


def test_invites_parse_with_two_parsers_and_hold_only_the_expected_attendees(outbox):
    invites = [ics for _, m in outbox for ics in _invites(m)]
    assert invites, "the journeys send at least one invite"
    assert any(b"CN=" in ics and b"Evil Bcc" in ics.replace(b"\r\n ", b"") for ics in invites)
    for ics in invites:
        calendar = icalendar.Calendar.from_ical(ics)
        events = list(calendar.walk("VEVENT"))
        assert len(events) == 1
        event = events[0]
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        emails = {str(a).lower().removeprefix("mailto:") for a in attendees if a is not None}
        assert emails <= EXPECTED, emails
        cns = {a.params.get("CN") for a in attendees if a is not None}
        expected = {clean_text(f"{HIRE_FIRST} {HIRE_LAST}").replace('"', "'"),
                    clean_text(f"{LEADER_FIRST} {LEADER_LAST}").replace('"', "'"), None,
                    COACH.name if COACH else None}  # fmt: skip
        assert cns <= expected, cns
        summary = str(event.get("SUMMARY"))
        assert "\n" not in summary and "\r" not in summary

        parsed = vobject.readOne(ics.decode("utf-8"))
        assert len(parsed.contents.get("vevent", [])) == 1
        vevent = parsed.vevent
        assert str(vevent.summary.value) == summary
        v_emails = {
            a.value.lower().removeprefix("mailto:") for a in vevent.contents.get("attendee", [])
        }
        assert v_emails == emails
        v_cns = {a.params["CN"][0] for a in vevent.contents.get("attendee", []) if "CN" in a.params}
        assert v_cns == {c for c in cns if c is not None}
        for line in ics.decode("utf-8").split("\r\n"):
            assert not line.startswith(("ATTENDEE:mailto:evil", "X-TITLE", "BEGIN:VEVENT\\"))
