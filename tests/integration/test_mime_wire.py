"""The direct MIME writer gives the same message as `emails`, and leaves hard headers to it."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from integrations.mail.message import Address, CalendarPart
from integrations.mail.mime import build_mime, build_mime_tree, inline_css
from integrations.mail.wire import wire_bytes

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "SUMMARY:Loopbaancoaching · Voorbeeld BV\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()
PLAIN = {
    "sender": Address("onboarding@voorbeeld.example", "Voorbeeld BV"),
    "to": (Address("hire7@example.org", "Bench Hire 7"),),
    "subject": "Welkom bij Voorbeeld BV! Zo leren we hier",
    "text": "Hoi Bench,\n\nWelkom bij Voorbeeld BV! Zoë heet je welkom. " + "lang " * 40 + "\n",
    "headers": (("Auto-Submitted", "auto-generated"), ("X-Leerpad-Step", "0f3a")),
}
SIMPLE = [
    {},
    {"subject": "Één ding nog 🎉: je eerste dag " + "lang " * 15},
    {"to": (Address("a@example.org", "Ann O'Neil"), Address("c@example.org", "Fatima (coach)"))},
    {"sender": Address("onboarding@voorbeeld.example")},
    {"text": "line one\r\nline two\n\n", "html": "<p>é</p>\n" * 300},
]


def parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def shape(raw: bytes) -> list[tuple[object, ...]]:
    """Everything a reader sees: each part's headers (decoded, boundaries left out) and body."""
    parts = []
    for part in parse(raw).walk():
        headers = [
            (name.lower(), str(value))
            for name, value in part.items()
            if name.lower() != "content-type"
        ]
        params = sorted((k, v) for k, v in part.get_params() or [] if k != "boundary")
        body = None if part.is_multipart() else part.get_payload(decode=True)
        parts.append((part.get_content_type(), params, headers, body))
    return parts


@pytest.mark.parametrize("method", [None, "REQUEST", "CANCEL"])
@pytest.mark.parametrize("fields", SIMPLE)
def test_writes_the_same_message_as_emails(make_message, fields, method):
    calendar = CalendarPart(ICS.replace(b"REQUEST", method.encode()), method) if method else None
    message = make_message(calendar=calendar, **(PLAIN | fields))
    fast = wire_bytes(message, inline_css(message.html))
    assert fast is not None
    assert shape(fast) == shape(build_mime_tree(message).as_bytes(linesep="\r\n"))
    assert b"\n" not in fast.replace(b"\r\n", b"")
    head = fast.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and max(len(line) for line in head.split(b"\r\n")) <= 78


@pytest.mark.parametrize(
    "fields",
    [
        {"sender": Address("hr@example.org", "Zoë Çelik")},
        {"to": (Address("a@example.org", 'Eve "the" Admin'),)},
        {"to": (Address("a@example.org", "Back\\slash"),)},
        {"to": (Address("a@example.org", "=?utf-8?q?hidden?="),)},
        {"subject": "=?utf-8?b?SGk=?="},
        {"subject": "A plain subject that is far too long to fit on one header line " * 2},
        {"to": (Address("a@example.org", "A Very Long Display Name " * 3),)},
        {"headers": (("X-Leerpad-Step", "é"),)},
        {"to": (Address("jürgen@bücher.example", "J"),)},
    ],
)
def test_leaves_hard_headers_to_emails(make_message, fields):
    message = make_message(**(PLAIN | fields))
    assert wire_bytes(message, message.html) is None
    assert shape(build_mime(message))[0][0] == "multipart/alternative"


def test_a_retry_has_the_same_message_id_and_date(make_message):
    message = make_message(**PLAIN, date=dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC))
    first, again = parse(build_mime(message)), parse(build_mime(message))
    assert first["Message-ID"] == again["Message-ID"] == message.message_id
    assert first["Date"] == again["Date"] == "Mon, 01 Mar 2027 08:30:00 +0000"
