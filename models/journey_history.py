"""A person's journey history, read back: every step, what changed it and why, how it went out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from models.delivery import Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent
from models.people import Person
from models.step_history import StepChange


class PersonNotFound(LookupError):
    """No person answers to the identifier, or they were erased."""


@dataclass(frozen=True)
class ChangeView:
    """One change of a step and the event behind it."""

    at: datetime
    change: str
    old_due_at: datetime | None
    new_due_at: datetime | None
    action: str
    detail: str | None
    event_id: str | None
    inbox_event_id: int | None
    event_type: str | None


@dataclass(frozen=True)
class DeliveryView:
    """One message that left (or failed to leave) for a step."""

    at: datetime
    action: str
    sequence: int
    status: str
    transport: str
    address: str | None
    address_kind: str | None


@dataclass(frozen=True)
class StepView:
    """One step of a person's journeys: plan, outcome, changes and messages."""

    uid: str
    journey: str
    step: str
    occurrence: int
    channel: str
    to: str
    action: str
    status: str
    planned_at: datetime
    sent_at: datetime | None
    detail: str | None
    changes: list[ChangeView] = field(default_factory=list)
    deliveries: list[DeliveryView] = field(default_factory=list)

    @property
    def when(self) -> datetime:
        """The moment the step belongs at in a timeline: its first message, else its due time."""
        return self.deliveries[0].at if self.deliveries else self.sent_at or self.planned_at

    @property
    def used(self) -> DeliveryView | None:
        """The message that counts: the last one sent, else the last attempt."""
        sent = [d for d in self.deliveries if d.status == "sent"]
        return (sent or self.deliveries or [None])[-1]


def find_person_by_key(*, session: Session, key: str) -> Person:
    """Find a person by uid, external id or any of their email addresses.

    Raises:
        PersonNotFound: nobody answers to `key`, several people do, or the person was erased.
    """
    key = key.strip()
    found = session.exec(select(Person).where(Person.uid == key)).all()
    found = found or session.exec(select(Person).where(Person.external_id == key)).all()
    if not found and "@" in key:
        address = key.lower()
        found = session.exec(
            select(Person).where(
                (col(Person.email) == address)
                | (col(Person.work_email) == address)
                | (col(Person.personal_email) == address)
            )
        ).all()
    if not found:
        raise PersonNotFound("unknown person")
    if len({p.id for p in found}) > 1:
        raise PersonNotFound(f"{len(found)} people answer to that; use the person's uid")
    person = found[0]
    if person.erased_at is not None:
        raise PersonNotFound(f"person {person.uid} was erased on {person.erased_at:%Y-%m-%d}")
    return person


def journey_history(*, session: Session, person_id: int) -> list[StepView]:
    """Every step of the journeys about a person, in time order, with changes and messages."""
    rows = session.exec(
        select(ScheduledStep, Enrollment.journey_key)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(Enrollment.person_id == person_id)
    ).all()
    ids = [int(step.id or 0) for step, _ in rows]
    changes = session.exec(
        select(StepChange)
        .where(col(StepChange.step_id).in_(ids))
        .order_by(col(StepChange.at), col(StepChange.id))
    ).all()
    inbox_ids = {c.inbox_event_id for c in changes if c.inbox_event_id is not None}
    types = dict(
        session.exec(
            select(InboxEvent.id, InboxEvent.event_type).where(col(InboxEvent.id).in_(inbox_ids))
        ).all()
    )
    deliveries = session.exec(
        select(Delivery)
        .where(col(Delivery.step_id).in_(ids))
        .order_by(col(Delivery.at), col(Delivery.id))
    ).all()
    views = {
        int(step.id or 0): StepView(
            uid=step.uid,
            journey=journey,
            step=step.step_key,
            occurrence=step.occurrence,
            channel=step.channel,
            to=step.recipient_role,
            action=step.action,
            status=step.status,
            planned_at=step.due_at,
            sent_at=step.sent_at,
            detail=step.last_error if step.status in ("skipped", "failed") else None,
        )
        for step, journey in rows
    }
    for c in changes:
        views[c.step_id].changes.append(
            ChangeView(
                at=c.at,
                change=c.change,
                old_due_at=c.old_due_at,
                new_due_at=c.new_due_at,
                action=c.action,
                detail=c.detail,
                event_id=c.event_id,
                inbox_event_id=c.inbox_event_id,
                event_type=types.get(c.inbox_event_id),
            )
        )
    for d in deliveries:
        views[d.step_id].deliveries.append(
            DeliveryView(
                at=d.at,
                action=d.action,
                sequence=d.sequence,
                status=d.status,
                transport=d.transport,
                address=d.address,
                address_kind=d.address_kind,
            )
        )
    return sorted(views.values(), key=lambda v: (v.when, v.journey, v.step, v.occurrence))
