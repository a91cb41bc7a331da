"""The delivery ledger and the calendar events behind invites."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


# Every message that left (or failed to leave): what, when, with which Message-ID.
class Delivery(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="scheduled_step.id", index=True)
    action: str = Field(max_length=10)  # send|update|cancel
    sequence: int = 0
    message_id: str = Field(unique=True, max_length=200)
    channel: str = Field(max_length=20)
    transport: str = Field(max_length=20)  # outbox|smtp
    status: str = Field(max_length=10)  # sent|failed
    detail: str | None = Field(default=None, max_length=500)
    at: datetime = utc_field(nullable=False)


# The meeting an invite step books: its UID lives for ever, SEQUENCE rises on every change.
class CalendarEvent(SQLModel, table=True):
    __tablename__ = "calendar_event"

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="scheduled_step.id", unique=True)
    uid: str = Field(unique=True, max_length=200)
    sequence: int = 0
    start_at: datetime = utc_field(nullable=False)
    end_at: datetime = utc_field(nullable=False)
    tzid: str = Field(max_length=64)
    repeat_every_weeks: int | None = None
    repeat_count: int | None = None
    status: str = Field(default="tentative", max_length=12)  # tentative|confirmed|cancelled
    sent_sequence: int | None = None
    updated_at: datetime = utc_field(nullable=False)
