"""The delivery ledger and the calendar events behind invites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Field, Session, SQLModel, col, select

from models.base import utc_field
from models.enrollment import Enrollment, ScheduledStep


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
    # the step recipient's address this message used (personal data: erased with the person)
    address: str | None = Field(default=None, max_length=320)
    address_kind: str | None = Field(default=None, max_length=10)  # personal|work


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


def forget_addresses(*, session: Session, person_id: int, addresses: set[str]) -> int:
    """Clear the recorded address of every message about a person or sent to their addresses.

    Part of erasing a person: messages of their own journeys (whoever received them) and messages
    that went to any of their addresses; the kind of address stays. Returns how many were cleared.
    """
    about = (
        select(ScheduledStep.id)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(
            (col(Enrollment.person_id) == person_id)
            | (col(ScheduledStep.recipient_person_id) == person_id)
        )
    )
    wanted = col(Delivery.step_id).in_(about)
    lowered = sorted({a.lower() for a in addresses if a})
    if lowered:
        wanted = wanted | func.lower(col(Delivery.address)).in_(lowered)
    result = session.exec(  # type: ignore[call-overload]
        update(Delivery).where(wanted, col(Delivery.address).is_not(None)).values(address=None)
    )
    return int(result.rowcount or 0)
