"""Store events in the inbox first, then process them into journey changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Text, and_, cast, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from journeys.commands import (
    Cancel,
    Enroll,
    Erase,
    Reassign,
    RecordApplication,
    RecordEmployment,
    RecordVacancy,
    Reschedule,
    TriggerCandidateSteps,
)
from journeys.events import Event
from journeys.lifecycle import KnownState, decide
from models.chat import forget_chat_identities
from models.delivery import forget_addresses
from models.employment import Employment
from models.enrollment import Enrollment
from models.inbox import InboxEvent, dedupe_key_of
from models.people import Person
from models.planning import PlanningRules, enroll_employment, trigger_candidate_steps
from models.records import (
    find_employment,
    find_person,
    upsert_application,
    upsert_employment,
    upsert_person,
    upsert_vacancy,
)
from models.replanning import (
    cancel_enrollments,
    enrollments_of_person,
    reassign_leader,
    reschedule_employment,
)
from models.step_history import caused_by


def store_event(*, session: Session, event: Event, now: datetime) -> tuple[int, bool]:
    """Store a canonical event once; return (inbox id, whether it was a duplicate)."""
    key = dedupe_key_of(event.id)
    existing = session.exec(select(InboxEvent).where(InboxEvent.dedupe_key == key)).first()
    if existing is not None:
        return int(existing.id or 0), True
    row = InboxEvent(
        dedupe_key=key,
        source=event.source,
        event_type=event.type,
        payload=event.model_dump_json(),
        received_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        again = session.exec(select(InboxEvent).where(InboxEvent.dedupe_key == key)).one()
        return int(again.id or 0), True
    return int(row.id or 0), False


@dataclass
class Outcome:
    """What processing one event did, by command name."""

    status: str
    commands: list[str] = field(default_factory=list)
    enrolled: int = 0
    moved: int = 0
    invites_updated: int = 0
    cancelled: int = 0
    planned: int = 0


def known_state(*, session: Session, person: Person | None) -> KnownState:
    """Load what is known about a person's employment and journeys."""
    if person is None:
        return KnownState()
    employment = find_employment(session=session, person=person)
    if employment is None:
        return KnownState()
    journeys = session.exec(
        select(Enrollment.journey_key).where(
            Enrollment.employment_id == employment.id, Enrollment.status == "active"
        )
    ).all()
    manager = session.get(Person, employment.manager_id) if employment.manager_id else None
    manager_key = None
    if manager is not None:
        manager_key = manager.external_id or (manager.email.lower() if manager.email else None)
    return KnownState(
        facts_as_of=employment.facts_as_of,
        employment_start=employment.start_date,
        employment_status=employment.status,
        enrolled_journeys=frozenset(journeys),
        manager_key=manager_key,
    )


def apply_event(*, session: Session, rules: PlanningRules, event: Event, now: datetime) -> Outcome:
    """Decide what an event means and apply it to people, applications and journeys."""
    ref = event.person
    person = find_person(
        session=session,
        source=event.source,
        external_id=ref.external_id,
        email=ref.email or ref.work_email or ref.personal_email,
    )
    known = known_state(session=session, person=person)
    commands = decide(event, known=known, today=now.date())
    outcome = Outcome(status="processed", commands=[type(c).__name__ for c in commands])
    application = None
    employment: Employment | None = None
    old_manager_id: int | None = None
    for command in commands:
        if isinstance(command, RecordVacancy):
            upsert_vacancy(session=session, event=event, status=command.status)
            continue
        if person is None or person.erased_at is None:
            person = upsert_person(session=session, source=event.source, ref=ref) or person
        if person is None:
            outcome.status = "ignored"
            return outcome
        if isinstance(command, RecordApplication):
            application = upsert_application(
                session=session, event=event, person=person, status=command.status, now=now
            )
        elif (
            isinstance(command, TriggerCandidateSteps)
            and application is not None
            and application.facts_as_of == event.occurred_at
        ):
            outcome.planned += trigger_candidate_steps(
                session=session,
                rules=rules,
                application=application,
                event_type=command.event_type,
                stage=command.stage,
                event_at=event.occurred_at,
                now=now,
            )
        elif isinstance(command, RecordEmployment):
            before = find_employment(session=session, person=person)
            old_manager_id = before.manager_id if before is not None else None
            employment = upsert_employment(session=session, event=event, person=person, now=now)
        elif isinstance(command, Enroll) and employment is not None:
            if employment.status == "cancelled":
                employment.status = "planned"
            if not known.enrolled_journeys:
                employment.start_date = command.start_date
            if enroll_employment(
                session=session,
                rules=rules,
                journey_key=command.journey_key,
                employment=employment,
                now=now,
            ):
                outcome.enrolled += 1
        elif isinstance(command, Reschedule) and employment is not None:
            summary = reschedule_employment(
                session=session,
                rules=rules,
                employment=employment,
                start_date=command.start_date,
                now=now,
            )
            outcome.moved += summary.moved
            outcome.invites_updated += summary.invites_updated
        elif isinstance(command, Reassign) and employment is not None:
            moved = reassign_leader(
                session=session,
                rules=rules,
                employment=employment,
                old_manager_id=old_manager_id,
                now=now,
            )
            outcome.invites_updated += moved.invites_moved
        elif isinstance(command, Cancel):
            outcome.cancelled += cancel_enrollments(
                session=session,
                enrollments=enrollments_of_person(session=session, person_id=int(person.id or 0)),
                now=now,
            )
            current = employment or find_employment(session=session, person=person)
            if current is not None:
                is_termination = event.type == "employee.terminated"
                current.status = "terminated" if is_termination else "cancelled"
        elif isinstance(command, Erase):
            erase_person(session=session, person=person, now=now)
        if ref.retention_consent is not None and person.erased_at is None:
            from models.consent import record_consent

            record_consent(
                session=session, person_id=int(person.id or 0), given=ref.retention_consent,
                source=event.source, at=event.occurred_at,
            )  # fmt: skip
    return outcome


def _raw_body_holds(session: Session, needle: str) -> ColumnElement[bool]:
    """The stored raw body holds `needle` in any capitals (vendors and mail clients keep an
    address as it was typed: Sanne.DeVries@Example.org). The bytes are read as text first (SQLite:
    CAST AS TEXT; PostgreSQL: encode(…, 'escape'))."""
    column = col(InboxEvent.raw_body)
    if session.get_bind().dialect.name == "postgresql":
        return func.encode(column, "escape").icontains(needle, autoescape=True)
    return cast(column, Text).icontains(needle, autoescape=True)


def erase_person(
    *, session: Session, person: Person, now: datetime, path: str = "vendor", files: int = 0
) -> int:
    """Remove a person's personal data everywhere, the stored events that carry it included.

    Inbox events are scrubbed (payload and raw body emptied, the fact that they existed kept);
    their applications, employments, journeys, deliveries and learning rows are deleted
    (models/erasure.py). The person row stays, anonymous, so counts stay right. The erasure log
    records when, by which `path` (cli|purge|vendor) and how many rows; returns that count.
    """
    identifiers = {
        value
        for value in (person.email, person.personal_email, person.work_email, person.external_id)
        if value and len(value) >= 3
    }
    scrubbed = 0
    for identifier in identifiers:
        rows = session.exec(
            select(InboxEvent).where(
                col(InboxEvent.payload).icontains(identifier, autoescape=True)
                | _raw_body_holds(session, identifier)
            )
        ).all()
        for row in rows:
            if row.error == "erased":
                continue
            row.payload, row.raw_body, row.headers, row.error = "{}", None, None, "erased"
            scrubbed += 1
    from models.erasure import erase_rows_of
    from models.erasure_log import record_erasure
    from models.learning_records import erase_learning

    touched = scrubbed + erase_learning(session=session, person_id=int(person.id or 0))
    touched += erase_rows_of(session=session, person=person) + 1  # + the person row
    addresses = {a for a in (person.email, person.personal_email, person.work_email) if a}
    touched += forget_addresses(session=session, person_id=int(person.id or 0), addresses=addresses)
    touched += forget_chat_identities(session=session, person_id=int(person.id or 0))
    for name in ("email", "personal_email", "work_email", "first_name", "last_name", "external_id",
                 "locale", "timezone"):  # fmt: skip
        setattr(person, name, None)
    person.erased_at = now
    record_erasure(
        session=session, person_uid=person.uid, path=path, rows=touched, at=now, files=files
    )
    return touched


def process_inbox_event(
    *, session: Session, rules: PlanningRules, inbox_id: int, now: datetime
) -> Outcome:
    """Process one stored event; failures are kept on the row with their error."""
    row = session.get(InboxEvent, inbox_id)
    if row is None:
        raise LookupError(f"no inbox event {inbox_id}")
    if row.status in ("processed", "ignored"):
        return Outcome(status=row.status)
    row.attempts += 1
    event = Event.model_validate_json(row.payload)
    with caused_by(session, event_id=event.id, inbox_event_id=inbox_id):  # for step histories
        outcome = apply_event(session=session, rules=rules, event=event, now=now)
    row.status, row.processed_at, row.error = outcome.status, now, None
    return outcome


def unprocessed_ids(*, session: Session) -> list[int]:
    """Return ids of stored events that still wait for processing, oldest first."""
    return [
        int(i)
        for i in session.exec(
            select(InboxEvent.id)
            .where(col(InboxEvent.status).in_(["received", "failed"]))
            .order_by(col(InboxEvent.id))
        ).all()
    ]


def _stale(received_before: datetime, taken_before: datetime | None = None):  # type: ignore[no-untyped-def]
    # a received row's processed_at, while it is still received, is when a sweeper last took it
    taken_at = col(InboxEvent.processed_at)
    taken_before = taken_before or received_before
    return and_(
        col(InboxEvent.status) == "received",
        col(InboxEvent.received_at) <= received_before,
        or_(taken_at.is_(None), taken_at < taken_before),
    )


def stale_received_ids(
    *,
    session: Session,
    received_before: datetime,
    limit: int = 500,
    taken_before: datetime | None = None,
) -> list[int]:
    """Return ids of events stored before a moment and not processed, oldest first.

    An event taken by a processor counts again once its take is older than `taken_before`
    (default: `received_before`): that processor died.
    """
    statement = (
        select(InboxEvent.id)
        .where(_stale(received_before, taken_before))
        .order_by(col(InboxEvent.id))
        .limit(limit)
    )
    return [int(i) for i in session.exec(statement).all() if i is not None]


def take_for_processing(
    *,
    session: Session,
    inbox_id: int,
    received_before: datetime,
    now: datetime,
    taken_before: datetime | None = None,
) -> bool:
    """Mark a waiting event as taken now; False when another processor took it first."""
    taken = session.exec(  # type: ignore[call-overload]
        update(InboxEvent)
        .where(col(InboxEvent.id) == inbox_id, _stale(received_before, taken_before))
        .values(processed_at=now)
    )
    return bool(taken.rowcount)


def newest_and_oldest_waiting(*, session: Session) -> tuple[datetime | None, datetime | None]:
    """When the newest event was stored, and when the oldest still waiting (received) was; both
    found through indexes (the id, and the status)."""
    newest = session.exec(
        select(InboxEvent.received_at).order_by(col(InboxEvent.id).desc()).limit(1)
    ).first()
    oldest = session.exec(
        select(InboxEvent.received_at)
        .where(col(InboxEvent.status) == "received")
        .order_by(col(InboxEvent.id))
        .limit(1)
    ).first()
    return newest, oldest
