"""Write the MIME bytes of a common message directly, in the structure `mime` builds with `emails`.

Building a message through `emails` and the stdlib generator costs milliseconds, mostly in
header folding and encoding machinery that plain headers do not need. When every header is
short printable ASCII (names from a narrow, never-quoted-wrongly alphabet, no '=?'), this
module writes the same headers in the same order, the same parts and the same base64 bodies
itself; anything else (non-ASCII or long names, odd characters, long extra headers) returns
None and goes through `emails`. A non-ASCII subject is encoded here with `email.header.Header`,
as the stdlib does. tests/integration/test_mime_wire.py checks both give the same message.
"""

from __future__ import annotations

import base64
import re
import secrets
from email.header import Header
from email.utils import format_datetime, formataddr

from integrations.mail.message import Address, CalendarPart, OutgoingMessage

_CRLF = "\r\n"
_MAX_LINE = 78  # RFC 5322: lines SHOULD be at most 78 characters
_PLAIN = re.compile(r"[ -~]*")  # printable ASCII
# Names written as they are (quoted by formataddr when they hold '.', '(' or ')').
_SIMPLE_NAME = re.compile(r"[A-Za-z0-9 .'()&/+_-]*")
_PREAMBLE = "This is a multi-part message in MIME format."


def _boundary() -> str:
    return f"==============={secrets.randbelow(10**19):019d}=="


def _base64(data: bytes) -> str:
    """Base64 in lines of 76 characters, each ended by CRLF (what the stdlib writes)."""
    return base64.encodebytes(data).decode("ascii").replace("\n", _CRLF)


def _fits(name: str, value: str) -> bool:
    return len(name) + 2 + len(value) <= _MAX_LINE


def _address(address: Address) -> str | None:
    name = address.name
    if not address.email.isascii() or not _PLAIN.fullmatch(address.email):
        return None
    if name is not None and (not _SIMPLE_NAME.fullmatch(name) or "=?" in name):
        return None
    return formataddr((name, address.email))


def _subject(subject: str) -> str | None:
    if "=?" in subject:
        return None  # mime._literal encodes it as literal text
    if _PLAIN.fullmatch(subject):
        return subject if _fits("Subject", subject) else None
    return Header(subject, "utf-8", header_name="Subject").encode(linesep=_CRLF)


def _headers(message: OutgoingMessage) -> list[str] | None:
    """The top-level headers after Content-Type and MIME-Version, or None to use `emails`."""
    subject = _subject(message.subject)
    sender = _address(message.sender)
    to = [_address(a) for a in message.to]
    if subject is None or sender is None or None in to or not _fits("From", sender):
        return None
    if not all(_fits("To", a) for a in to):  # type: ignore[arg-type]
        return None
    lines = [
        f"Date: {format_datetime(message.date)}",
        f"Message-ID: {message.message_id}",
        f"Content-Language: {message.locale}",
    ]
    for name, value in message.headers:
        if not _PLAIN.fullmatch(value) or not _fits(name, value):
            return None
        lines.append(f"{name}: {value}")
    lines += [f"Subject: {subject}", f"From: {sender}", "To: " + f",{_CRLF} ".join(to)]  # type: ignore[arg-type]
    return lines


def _text_part(subtype: str, body: bytes, params: str = "") -> str:
    return (
        f'Content-Type: text/{subtype};{params} charset="utf-8"{_CRLF}'
        f"Content-Transfer-Encoding: base64{_CRLF}{_CRLF}{_base64(body)}"
    )


def _multipart(boundary: str, parts: list[str]) -> str:
    body = "".join(f"{_CRLF}--{boundary}{_CRLF}{part}" for part in parts)
    return f"{body}{_CRLF}--{boundary}--{_CRLF}"


def _bodies(message: OutgoingMessage, html: str) -> list[str]:
    return [
        _text_part("plain", message.text.encode("utf-8")),
        _text_part("html", html.encode("utf-8")),
    ]


def _attachment(calendar: CalendarPart) -> str:
    return (
        f"Content-Transfer-Encoding: base64{_CRLF}"
        f'Content-Disposition: attachment; filename="invite.ics"{_CRLF}'
        f'Content-Type: application/ics; name="invite.ics"; method="{calendar.method}"'
        f"{_CRLF}{_CRLF}{_base64(calendar.ics)}"
    )


def wire_bytes(message: OutgoingMessage, html: str) -> bytes | None:
    """Return the message's MIME bytes (CRLF lines) with `html` as its HTML body, or None when a
    header needs the full encoder of `emails`."""
    headers = _headers(message)
    if headers is None:
        return None
    outer = _boundary()
    if message.calendar is None:
        head = [
            *headers,
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative;{_CRLF} boundary="{outer}"',
        ]
        body = _multipart(outer, _bodies(message, html))
    else:
        inner = _boundary()
        head = [
            f'Content-Type: multipart/mixed; boundary="{outer}"',
            "MIME-Version: 1.0",
            *headers,
        ]
        calendar = message.calendar
        ics = _text_part("calendar", calendar.ics, f" method={calendar.method};")
        alternative = (
            f'Content-Type: multipart/alternative;{_CRLF} boundary="{inner}"{_CRLF}'
            + _multipart(inner, [*_bodies(message, html), ics])
        )
        body = _multipart(outer, [alternative, _attachment(calendar)])
    text = _CRLF.join(head) + _CRLF + _CRLF + _PREAMBLE + _CRLF + body
    return text.encode("ascii")
