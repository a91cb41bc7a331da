"""Outgoing mail as plain data: addresses, messages, calendar parts and delivery results."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from integrations.errors import IntegrationError

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators that str.splitlines() and
# some mail parsers treat as line breaks.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_BAD_IN_EMAIL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029<>,;\"()]")
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext
_LOCALE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_MESSAGE_ID = re.compile(r"<[^\s<>@]+@[^\s<>@]+>")
_DOMAIN = re.compile(r"[A-Za-z0-9.-]+")
_RESERVED_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version",
     "content-type", "content-transfer-encoding", "content-language", "sender", "reply-to"}
)  # fmt: skip


class DeliveryError(IntegrationError):
    """A mail adapter failed in a way the caller must handle (bad configuration, I/O)."""


def clean_text(value: str) -> str:
    """Return value on one line: control characters become spaces, runs of spaces collapse."""
    return " ".join(_CONTROL.sub(" ", value).split())


@dataclass(frozen=True)
class Address:
    """A mailbox; construction strips control characters and rejects unusable addresses."""

    email: str
    name: str | None = None

    def __post_init__(self) -> None:
        email = self.email.strip()
        local, at, domain = email.rpartition("@")
        if _BAD_IN_EMAIL.search(email) or not at or not local or not domain:
            raise ValueError(f"not a usable email address: {self.email!r}")
        object.__setattr__(self, "email", email)
        object.__setattr__(self, "name", clean_text(self.name or "") or None)


@dataclass(frozen=True)
class CalendarPart:
    """An iCalendar object (bytes, CRLF lines) and its iTIP method."""

    ics: bytes
    method: Literal["REQUEST", "CANCEL"]

    def __post_init__(self) -> None:
        if self.method not in ("REQUEST", "CANCEL"):
            raise ValueError(f"unsupported iTIP method: {self.method!r}")


@dataclass(frozen=True)
class OutgoingMessage:
    """One rendered message ready to be built into MIME and delivered."""

    message_id: str
    sender: Address
    to: tuple[Address, ...]
    subject: str
    text: str
    html: str
    locale: str
    date: datetime
    calendar: CalendarPart | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "to", tuple(self.to))
        object.__setattr__(self, "headers", tuple((n, v) for n, v in self.headers))
        object.__setattr__(self, "subject", clean_text(self.subject))
        if not _MESSAGE_ID.fullmatch(self.message_id):
            raise ValueError(f"Message-ID must look like <id@domain>: {self.message_id!r}")
        if not self.to:
            raise ValueError("a message needs at least one recipient")
        if self.date.tzinfo is None or self.date.utcoffset() is None:
            raise ValueError("the message date must be timezone-aware")
        if not _LOCALE.fullmatch(self.locale):
            raise ValueError(f"not a language tag: {self.locale!r}")
        if not self.text.strip() or not self.html.strip():
            raise ValueError("a message needs both a text and an HTML body")
        for name, value in self.headers:
            if not _HEADER_NAME.fullmatch(name) or name.lower() in _RESERVED_HEADERS:
                raise ValueError(f"header name not allowed: {name!r}")
            if _CONTROL.search(value):
                raise ValueError(f"header {name} contains control characters")


@dataclass(frozen=True)
class DeliveryResult:
    """Outcome of delivering one message; permanent failures must not be retried."""

    message_id: str
    ok: bool
    permanent: bool = False
    detail: str = ""
    smtp_code: int | None = None


OnResult = Callable[[DeliveryResult], None]  # told each result as soon as it is known


def make_message_id(*, key: str, domain: str) -> str:
    """Return a deterministic Message-ID `<hex24@domain>` for an idempotency key."""
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"not a domain name: {domain!r}")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
    return f"<{digest}@{domain.lower()}>"
