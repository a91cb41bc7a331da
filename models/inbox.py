"""The event inbox: every incoming event is stored before it is acknowledged or processed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from models.base import utc_field


# One received event, deduplicated on its key, kept with its outcome for inspection and replay.
class InboxEvent(SQLModel, table=True):
    __tablename__ = "inbox_event"

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(unique=True, max_length=300)
    source: str = Field(max_length=40)
    event_type: str | None = Field(default=None, max_length=60)
    status: str = Field(default="received", max_length=12)  # received|processed|ignored|failed
    error: str | None = Field(default=None, max_length=1000)
    payload: str = Field(sa_type=Text)
    attempts: int = 0
    received_at: datetime = utc_field(nullable=False)
    processed_at: datetime | None = utc_field()
