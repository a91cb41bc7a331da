"""The event inbox: every incoming event is stored before it is acknowledged or processed."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from models.base import utc_field

DEDUPE_KEY_LENGTH = 300


def dedupe_key_of(key: str) -> str:
    """The key as stored: a key longer than the column keeps its start plus a hash of the whole;
    a NUL character (which PostgreSQL text cannot hold) is written as the four characters \\x00."""
    key = key.replace("\x00", "\\x00")
    if len(key) <= DEDUPE_KEY_LENGTH:
        return key
    return f"{key[:200]}:sha256:{hashlib.sha256(key.encode('utf-8', 'replace')).hexdigest()}"


# One received event, deduplicated on its key, kept with its outcome for inspection and replay.
class InboxEvent(SQLModel, table=True):
    __tablename__ = "inbox_event"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=DEDUPE_KEY_LENGTH)
    source: str = Field(max_length=40)
    event_type: str | None = Field(default=None, max_length=60)
    # received|processed|ignored|failed|rejected (a body that could not be parsed, kept as it came)
    status: str = Field(default="received", max_length=12, index=True)
    error: str | None = Field(default=None, max_length=1000)
    payload: str = Field(sa_type=Text)  # the canonical event, or {"fetch": …} for id-only webhooks
    raw_body: bytes | None = Field(default=None, sa_type=LargeBinary)  # webhooks: bytes as received
    headers: str | None = Field(default=None, sa_type=Text)  # webhooks: JSON, secrets left out
    attempts: int = 0
    received_at: datetime = utc_field(nullable=False)
    processed_at: datetime | None = utc_field()
