"""The event inbox: every incoming event is stored before it is acknowledged or processed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from models.base import utc_field


# One received event, deduplicated on its key, kept with its outcome for inspection and replay.
class InboxEvent(SQLModel, table=True):
    __tablename__ = "inbox_event"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=300)
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
