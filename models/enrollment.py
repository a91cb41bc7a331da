"""Enrollments in journeys and their scheduled steps: the durable plan the dispatcher works off."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import new_uid, utc_field

STEP_STATUSES = ("pending", "claimed", "sent", "failed", "cancelled", "skipped")
STEP_ACTIONS = ("send", "update", "cancel")


# One person (or employment) following one journey from one anchor.
class Enrollment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("journey_key", "subject_key", name="uq_enrollment_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_key: str = Field(max_length=60)
    subject_key: str = Field(max_length=80)  # "employment:12" or "application:7"
    person_id: int = Field(foreign_key="person.id", index=True)
    employment_id: int | None = Field(default=None, foreign_key="employment.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    anchor_date: date | None = None
    status: str = Field(default="active", max_length=20)  # active|cancelled|completed
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)


# One planned touchpoint; moves pending → claimed → sent | failed | cancelled | skipped.
class ScheduledStep(SQLModel, table=True):
    __tablename__ = "scheduled_step"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "step_key", "occurrence", name="uq_step_occurrence"),
        Index("ix_step_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=32)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    step_key: str = Field(max_length=60)
    occurrence: int = 0
    channel: str = Field(max_length=20)
    recipient_role: str = Field(max_length=20)
    template: str = Field(max_length=120)
    action: str = Field(default="send", max_length=10)  # send|update|cancel
    # set for messages to one person outside the step's role, e.g. the CANCEL of an invite sent
    # to a manager who was replaced; the calendar event then belongs to `calendar_step_id`
    recipient_person_id: int | None = Field(default=None, foreign_key="person.id")
    calendar_step_id: int | None = Field(default=None, foreign_key="scheduled_step.id")
    status: str = Field(default="pending", max_length=10)
    due_at: datetime = utc_field(nullable=False)
    claimed_by: str | None = Field(default=None, max_length=80)
    lease_expires_at: datetime | None = utc_field()
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = utc_field()
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
