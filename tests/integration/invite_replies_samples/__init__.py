"""Invite replies written the way Google Calendar, Outlook/Exchange and Apple Calendar write them
(RFC 5546 §3.2.3 REPLY), with the UID, SEQUENCE and attendee address filled in per test."""

from __future__ import annotations

import base64
import re
from pathlib import Path

HERE = Path(__file__).parent
STYLES = ("google", "outlook", "apple")
_CALENDAR = re.compile(r"BEGIN:VCALENDAR.*?END:VCALENDAR\n", re.DOTALL)


def _fill(text: str, *, uid: str, address: str, sequence: int) -> str:
    return (
        text.replace("@@UID@@", uid)
        .replace("@@ADDRESS@@", address)
        .replace("@@SEQUENCE@@", str(sequence))
    )


def reply(style: str, *, uid: str, address: str, sequence: int = 0) -> bytes:
    """The raw reply mail of one client style (CRLF line ends, as it travels)."""
    text = _fill((HERE / f"{style}.eml").read_text(), uid=uid, address=address, sequence=sequence)
    if style == "google":  # the same calendar again, as a base64 invite.ics attachment
        ics = _CALENDAR.search(text).group(0).replace("\n", "\r\n")  # type: ignore[union-attr]
        attachment = base64.encodebytes(ics.encode()).decode()
    else:
        attachment = base64.encodebytes(ics_reply(uid=uid, address=address, sequence=sequence))
        attachment = attachment.decode()
    return text.replace("@@BASE64@@\n", attachment).replace("\n", "\r\n").encode()


def ics_reply(*, uid: str, address: str, sequence: int = 0) -> bytes:
    """Apple Calendar's bare REPLY .ics (what an Apple Mail attachment holds)."""
    text = _fill((HERE / "apple.ics").read_text(), uid=uid, address=address, sequence=sequence)
    return text.replace("\n", "\r\n").encode()
