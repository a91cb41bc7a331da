"""Attendees' answers to invites (iTIP REPLY): matched to our calendar events, stored by id.

No address and no comment is stored: the row says which calendar event, which person, what they
answered (ACCEPTED, DECLINED, TENTATIVE, DELEGATED), to which version (SEQUENCE), and whether the
answer came for an older version (stale) or after the meeting was cancelled (late).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Field, Session, SQLModel, col, select

from journeys.addressing import HIRE_ROLES, colleague_address
from models.base import utc_field
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.people import Person

COLLEAGUE_ROLES = {"leader": "manager_id", "coach": "coach_id", "buddy": "buddy_id"}


# One attendee's answer to one calendar event (or one occurrence of its series).
class InviteResponse(SQLModel, table=True):
    __tablename__ = "invite_response"

    id: int | None = Field(default=None, primary_key=True)
    calendar_event_id: int = Field(foreign_key="calendar_event.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=20)  # new_hire|candidate|leader|coach|buddy
    partstat: str = Field(max_length=12)  # ACCEPTED|DECLINED|TENTATIVE|DELEGATED
    sequence: int = 0
    state: str = Field(max_length=10)  # current|stale|late
    occurrence_at: datetime | None = utc_field()  # RECURRENCE-ID: one occurrence of a series
    replied_at: datetime = utc_field(nullable=False)  # the reply's DTSTAMP (else when received)
    received_at: datetime = utc_field(nullable=False)


@dataclass(frozen=True)
class Invitee:
    """Who an invite went to at an address: a person in a role."""

    person_id: int
    role: str


@dataclass(frozen=True)
class Matched:
    """A reply that belongs to one of our invites."""

    calendar_event_id: int
    invitee: Invitee
    state: str  # current|stale|late


@dataclass(frozen=True)
class Refused:
    """A reply that matches nothing: a short code and the reason in words (no address)."""

    code: str  # unknown_uid|not_invited
    reason: str


def _invitees(session: Session, event: CalendarEvent) -> dict[str, Invitee]:
    """The addresses this event's invites went to, lower case, with who was there.

    The step's own recipient: every address a request, update or cancel of the event was sent to
    (the delivery ledger keeps it: personal before the first working day, then work). Colleagues
    among the attendees (leader, coach, buddy): the address colleagues are always invited at.
    """
    steps = session.exec(
        select(ScheduledStep).where(
            (col(ScheduledStep.id) == event.step_id)
            | (col(ScheduledStep.calendar_step_id) == event.step_id)
        )
    ).all()
    base = next((s for s in steps if s.id == event.step_id), None)
    if base is None:
        return {}
    enrollment = session.get(Enrollment, base.enrollment_id)
    employment = (
        session.get(Employment, enrollment.employment_id)
        if enrollment is not None and enrollment.employment_id is not None
        else None
    )
    found: dict[str, Invitee] = {}
    for role, column in COLLEAGUE_ROLES.items():
        person_id = getattr(employment, column) if employment is not None else None
        person = session.get(Person, person_id) if person_id else None
        chosen = (
            colleague_address(
                personal=person.personal_email, work=person.work_email, legacy=person.email
            )
            if person is not None and person.erased_at is None
            else None
        )
        if chosen is not None:
            found[chosen.email.lower()] = Invitee(int(person_id or 0), role)
    recipient = base.recipient_person_id
    if recipient is None and base.recipient_role in HIRE_ROLES and enrollment is not None:
        recipient = enrollment.person_id
    if recipient is None and employment is not None and base.recipient_role in COLLEAGUE_ROLES:
        recipient = getattr(employment, COLLEAGUE_ROLES[base.recipient_role])
    if recipient is not None:
        for address in session.exec(
            select(Delivery.address).where(
                col(Delivery.step_id).in_([s.id for s in steps]),
                Delivery.status == "sent",
                col(Delivery.address).is_not(None),
            )
        ).all():
            found[str(address).lower()] = Invitee(int(recipient), base.recipient_role)
    return found


def match_reply(*, session: Session, uid: str, attendee: str, sequence: int) -> Matched | Refused:
    """Match a reply to our calendar event and to the person it was sent to.

    The UID must be one of our events, and the attendee an address an invite of it went to. An
    answer to an older SEQUENCE than the one last sent is stale; any answer once the event was
    cancelled is late. Both are kept (HR sees them marked).
    """
    event = session.exec(select(CalendarEvent).where(CalendarEvent.uid == uid)).first()
    if event is None:
        return Refused("unknown_uid", "the UID is not one of Leerpad's calendar events")
    invitee = _invitees(session, event).get(attendee.strip().lower())
    if invitee is None:
        return Refused(
            "not_invited", f"the attendee is not an address calendar event {event.id} was sent to"
        )
    current = event.sent_sequence if event.sent_sequence is not None else event.sequence
    if event.status == "cancelled":
        state = "late"
    elif sequence < current:
        state = "stale"
    else:
        state = "current"
    return Matched(int(event.id or 0), invitee, state)


def record_response(
    *,
    session: Session,
    matched: Matched,
    partstat: str,
    sequence: int,
    replied_at: datetime,
    occurrence_at: datetime | None,
    now: datetime,
) -> tuple[int, bool]:
    """Store one matched answer once; returns (response id, duplicate)."""
    existing = session.exec(
        select(InviteResponse.id).where(
            InviteResponse.calendar_event_id == matched.calendar_event_id,
            InviteResponse.person_id == matched.invitee.person_id,
            InviteResponse.partstat == partstat,
            InviteResponse.sequence == sequence,
            InviteResponse.replied_at == replied_at,
            (col(InviteResponse.occurrence_at) == occurrence_at)
            if occurrence_at is not None
            else col(InviteResponse.occurrence_at).is_(None),
        )
    ).first()
    if existing is not None:
        return int(existing), True
    row = InviteResponse(
        calendar_event_id=matched.calendar_event_id, person_id=matched.invitee.person_id,
        role=matched.invitee.role, partstat=partstat, sequence=sequence, state=matched.state,
        occurrence_at=occurrence_at, replied_at=replied_at, received_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return int(row.id or 0), False


def latest_responses(
    *, session: Session, calendar_event_ids: list[int]
) -> dict[int, list[InviteResponse]]:
    """Each event's latest answer per person, by event id: the answer to the newest version,
    of those the last one written (an answer to an older version never hides a newer one)."""
    if not calendar_event_ids:
        return {}
    rows = session.exec(
        select(InviteResponse)
        .where(col(InviteResponse.calendar_event_id).in_(calendar_event_ids))
        .order_by(
            col(InviteResponse.sequence).desc(),
            col(InviteResponse.replied_at).desc(),
            col(InviteResponse.id).desc(),
        )
    ).all()
    latest: dict[int, dict[int, InviteResponse]] = {}
    for row in rows:
        latest.setdefault(row.calendar_event_id, {}).setdefault(row.person_id, row)
    return {event: list(people.values()) for event, people in latest.items()}
