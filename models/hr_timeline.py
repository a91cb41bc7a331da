"""One person's timeline for HR: their journey history (models/journey_history) with each step's
status in words, its moves (old → new date), its retries, the state of its invite and the
attendees' latest answers to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from models.delivery import CalendarEvent
from models.enrollment import Enrollment, ScheduledStep
from models.invite_responses import latest_responses
from models.journey_history import DeliveryView, StepView, journey_history
from models.people import Person

ADDRESS = re.compile(r"[^\s<>@]+@[^\s<>@]+")  # addresses in SMTP replies: shown as <address>
STATUS_OF_STEP = {
    "pending": "planned",
    "claimed": "planned",
    "sent": "sent",
    "failed": "failed",
    "cancelled": "cancelled",
    "skipped": "skipped",
}


@dataclass(frozen=True)
class Move:
    """A step moved from one date to another (a reschedule or a retry)."""

    at: datetime
    kind: str  # rescheduled|retried|reassigned
    old: datetime | None
    new: datetime | None
    cause: str | None  # the event type that caused it, if any


@dataclass(frozen=True)
class Answer:
    """An attendee's latest answer to an invite (iTIP REPLY), by role, never by address."""

    role: str  # new_hire|candidate|leader|coach|buddy
    partstat: str  # accepted|declined|tentative|delegated
    replied_at: datetime
    sequence: int
    state: str  # current|stale (answered an older version)|late (after the cancellation)
    occurrence_at: datetime | None  # the one session of a series it is about, if any


@dataclass(frozen=True)
class Invite:
    """The calendar event behind an invite step: its time, state as last sent, and answers."""

    start_at: datetime
    end_at: datetime
    status: str  # tentative|confirmed|cancelled
    sequence: int
    sent_sequence: int | None
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One step on the timeline."""

    uid: str
    journey: str
    step: str
    channel: str
    to: str
    action: str  # send|update|cancel
    status: str  # planned|sent|failed|cancelled|skipped
    when: datetime
    past: bool
    detail: str | None
    address_kind: str | None
    moves: list[Move] = field(default_factory=list)
    deliveries: list[DeliveryView] = field(default_factory=list)
    invite: Invite | None = None

    @property
    def retried(self) -> int:
        """How many times sending was tried again later."""
        return sum(1 for m in self.moves if m.kind == "retried")

    @property
    def rescheduled(self) -> list[Move]:
        """The moves an event caused (a new start date, a new leader)."""
        return [m for m in self.moves if m.kind in ("rescheduled", "reassigned")]


@dataclass(frozen=True)
class Timeline:
    """A person's steps in time order and where today falls among them."""

    person_id: int
    name: str
    kind: str  # hire|candidate
    journeys: list[tuple[str, str]]
    entries: list[Entry]
    today: datetime

    @property
    def today_index(self) -> int:
        """The index of the first entry not in the past (where the today marker goes)."""
        return next((n for n, e in enumerate(self.entries) if not e.past), len(self.entries))


def _entry(view: StepView, invite: Invite | None, now: datetime) -> Entry:
    status = STATUS_OF_STEP.get(view.status, view.status)
    used = view.used
    moves = [
        Move(c.at, c.change, c.old_due_at, c.new_due_at, c.event_type)
        for c in view.changes
        if c.change in ("rescheduled", "retried", "reassigned")
    ]
    when = view.when
    detail = ADDRESS.sub("address", view.detail) if view.detail else None
    return Entry(
        uid=view.uid, journey=view.journey, step=view.step, channel=view.channel, to=view.to,
        action=view.action, status=status, when=when, past=when <= now, detail=detail,
        address_kind=used.address_kind if used else None, moves=moves,
        deliveries=list(view.deliveries), invite=invite,
    )  # fmt: skip


def person_timeline(*, session: Session, person_id: int, now: datetime) -> Timeline | None:
    """The timeline of a hire or candidate; None for an unknown or erased person."""
    person = session.get(Person, person_id)
    if person is None or person.erased_at is not None:
        return None
    enrollments = session.exec(
        select(Enrollment).where(Enrollment.person_id == person_id).order_by(col(Enrollment.id))
    ).all()
    if not enrollments:
        return None
    views = journey_history(session=session, person_id=person_id)
    events = session.exec(
        select(CalendarEvent, ScheduledStep.uid)
        .join(ScheduledStep, col(ScheduledStep.id) == col(CalendarEvent.step_id))
        .where(col(ScheduledStep.uid).in_([v.uid for v in views]))
    ).all()
    answers = latest_responses(
        session=session, calendar_event_ids=[int(c.id or 0) for c, _ in events]
    )
    invites = {
        uid: Invite(
            c.start_at,
            c.end_at,
            c.status,
            c.sequence,
            c.sent_sequence,
            answers=tuple(
                Answer(
                    a.role, a.partstat.lower(), a.replied_at, a.sequence, a.state, a.occurrence_at
                )
                for a in answers.get(int(c.id or 0), [])
            ),
        )  # fmt: skip
        for c, uid in events
    }
    entries = [_entry(v, invites.get(v.uid), now) for v in views]
    name = " ".join(p for p in (person.first_name, person.last_name) if p) or "—"
    kind = "hire" if any(e.employment_id is not None for e in enrollments) else "candidate"
    return Timeline(
        person_id=person_id, name=name, kind=kind,
        journeys=[(e.journey_key, e.status) for e in enrollments], entries=entries, today=now,
    )  # fmt: skip
