"""The step-change log: every time a step is planned, moved, cancelled or reassigned, and why.

Planning code calls `log_change`; the event being processed is put on the session with
`caused_by`, so each change names the canonical event id and the inbox event that caused it
(changes made outside event processing, such as a retry after a failed send, name none).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Field, Session, SQLModel

from models.base import utc_field
from models.enrollment import ScheduledStep

CHANGES = ("planned", "rescheduled", "cancelled", "reassigned", "retried")
_CAUSE_KEY = "leerpad.step_change_cause"


# One change to one scheduled step; removed with the step (ON DELETE CASCADE) by retention.
class StepChange(SQLModel, table=True):
    __tablename__ = "step_change"

    id: int | None = Field(default=None, primary_key=True)
    step_id: int = Field(foreign_key="scheduled_step.id", ondelete="CASCADE", index=True)
    at: datetime = utc_field(nullable=False)
    change: str = Field(max_length=20)  # planned|rescheduled|cancelled|reassigned|retried
    old_due_at: datetime | None = utc_field()
    new_due_at: datetime | None = utc_field()
    action: str = Field(default="send", max_length=10)  # the step's action after the change
    detail: str | None = Field(default=None, max_length=200)  # never personal data
    event_id: str | None = Field(default=None, max_length=300)  # canonical event id (dedupe key)
    inbox_event_id: int | None = None  # no foreign key: the inbox has its own retention


@dataclass(frozen=True)
class Cause:
    """The event behind the changes made while it is processed."""

    event_id: str | None
    inbox_event_id: int | None = None


@contextmanager
def caused_by(
    session: Session, *, event_id: str | None, inbox_event_id: int | None = None
) -> Iterator[Cause]:
    """Attribute every step change logged on this session, inside the block, to one event."""
    cause = Cause(event_id=event_id, inbox_event_id=inbox_event_id)
    previous = session.info.get(_CAUSE_KEY)
    session.info[_CAUSE_KEY] = cause
    try:
        yield cause
    finally:
        if previous is None:
            session.info.pop(_CAUSE_KEY, None)
        else:
            session.info[_CAUSE_KEY] = previous


def log_change(
    *,
    session: Session,
    step: ScheduledStep,
    change: str,
    now: datetime,
    old_due_at: datetime | None = None,
    detail: str | None = None,
    still_due: bool = True,
) -> StepChange:
    """Record one change of a step: its due time (unless no longer `still_due`) and action after."""
    if change not in CHANGES:
        raise ValueError(f"unknown step change {change!r}; one of {', '.join(CHANGES)}")
    if step.id is None:
        session.add(step)
        session.flush()
    cause = session.info.get(_CAUSE_KEY) or Cause(event_id=None)
    row = StepChange(
        step_id=int(step.id or 0),
        at=now,
        change=change,
        old_due_at=old_due_at,
        new_due_at=step.due_at if still_due else None,
        action=step.action,
        detail=detail[:200] if detail else None,
        event_id=cause.event_id,
        inbox_event_id=cause.inbox_event_id,
    )
    session.add(row)
    return row


def log_planned(*, session: Session, steps: list[tuple[int, datetime, str]], now: datetime) -> int:
    """Record "planned" for many new steps, given as (id, due_at, action), in one insert.

    The rows are the ones `log_change` would write, without an ORM object and flush each.
    """
    if not steps:
        return 0
    cause = session.info.get(_CAUSE_KEY) or Cause(event_id=None)
    session.connection().execute(
        insert(StepChange.__table__),  # type: ignore[arg-type]
        [
            {
                "step_id": step_id,
                "at": now,
                "change": "planned",
                "old_due_at": None,
                "new_due_at": due_at,
                "action": action,
                "detail": None,
                "event_id": cause.event_id,
                "inbox_event_id": cause.inbox_event_id,
            }
            for step_id, due_at, action in steps
        ],
    )
    return len(steps)
