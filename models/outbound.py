"""Load claimed steps with everything needed to compose them, and record how delivery went."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    String,
    TextClause,
    bindparam,
    case,
    insert,
    text,
    update,
)
from sqlmodel import Session, col, select

from integrations.postgres_ahead import PreparedAhead, StatementRefused
from journeys.addressing import ChosenAddress
from models.db import UTCDateTime
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.in_list import one_of
from models.learning_plans import NewPlans, PlaylistSources, default_sources
from models.learning_snapshot import (
    LearningSnapshot,
    learning_snapshots,
    missing_plans,
    steps_without_plan,
)
from models.people import Person
from models.planning import role_people
from models.recruitment import Application, Vacancy
from models.step_history import log_change
from models.vacancy_promises import VacancyPromise
from models.vacancy_store import promises_by_vacancy


@dataclass(frozen=True)
class StepBundle:
    """A claimed step and the rows it is about, detached from the session."""

    step: ScheduledStep
    enrollment: Enrollment
    people: dict[str, Person | None]
    employment: Employment | None
    application: Application | None
    vacancy: Vacancy | None
    calendar_event: CalendarEvent | None
    recipient_override: Person | None = None
    history: tuple[HistoryItem, ...] = ()
    learning: LearningSnapshot | None = None
    promises: tuple[VacancyPromise, ...] = ()  # the vacancy's learning promises, in page order
    invite_sent_to: tuple[str, str | None] | None = None  # (address, kind) of its last request


@dataclass(frozen=True)
class HistoryItem:
    """One step of an employment's journeys, for a handover brief."""

    journey_key: str
    step_key: str
    status: str
    due_at: datetime
    sent_at: datetime | None


def _load_all(session: Session, model: type, ids: set[int | None]) -> list:  # type: ignore[type-arg]
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return []
    return list(session.exec(select(model).where(one_of(session, model.id, wanted))).all())  # type: ignore[attr-defined]


def prefetch_related(*, session: Session, steps: list[ScheduledStep]) -> list[object]:
    """Load a batch's enrollments, employments, applications, vacancies and people in a few
    queries, so the per-step lookups that follow are answered from the identity map.

    The session's identity map holds rows weakly: keep the returned list alive while you work.
    """
    enrollments = _load_all(session, Enrollment, {s.enrollment_id for s in steps})
    employments = _load_all(session, Employment, {e.employment_id for e in enrollments})
    applications = _load_all(
        session,
        Application,
        {e.application_id for e in enrollments} | {e.application_id for e in employments},
    )
    vacancies = _load_all(session, Vacancy, {a.vacancy_id for a in applications})
    people = {e.person_id for e in enrollments} | {s.recipient_person_id for s in steps}
    for employment in employments:
        people |= {employment.manager_id, employment.coach_id, employment.buddy_id}
    persons = _load_all(session, Person, people)
    return [*enrollments, *employments, *applications, *vacancies, *persons]


def plans_to_make(
    *, session: Session, step_ids: list[int], learning: PlaylistSources | None = None
) -> NewPlans | None:
    """The writes `load_bundles` would do first for a hire's first step (the learning plan and
    its playlist), for many claimed steps at once, worked out by reading only (None: nothing to
    make, as for most batches); `insert_plans` makes them, and loading the steps in parts then
    only reads. Only the steps of employments without a plan are loaded (one query finds them)."""
    needing = steps_without_plan(session=session, step_ids=step_ids)
    if not needing:
        return None
    steps = session.exec(
        select(ScheduledStep).where(one_of(session, ScheduledStep.id, needing))
    ).all()
    loaded = prefetch_related(session=session, steps=steps)  # keeps rows in the identity map
    new = missing_plans(session=session, steps=steps, sources=learning or default_sources())
    del loaded
    return new if new.plans else None


def load_bundles(
    *, session: Session, step_ids: list[int], learning: PlaylistSources | None = None
) -> list[StepBundle]:
    """Load claimed steps with their enrollment, people, vacancy, calendar event and learning.

    Learning is loaded for every step about an employment: the plan and its playlist are created
    on first need, a playlist slot takes its item, a badge step its award (all idempotent, in
    employment order so that concurrent dispatchers never deadlock).
    """
    sources = learning or default_sources()
    steps = session.exec(
        select(ScheduledStep).where(one_of(session, ScheduledStep.id, step_ids))
    ).all()
    calendar_ids = [s.calendar_step_id or s.id for s in steps]
    events = {
        e.step_id: e
        for e in session.exec(
            select(CalendarEvent).where(one_of(session, CalendarEvent.step_id, calendar_ids))
        ).all()
    }
    sent_to = invite_addresses(session=session, step_ids=list(events))
    loaded = prefetch_related(session=session, steps=steps)  # keeps rows in the identity map
    learning_of = learning_snapshots(session=session, steps=steps, sources=sources)
    vacancy_ids = {v.id for v in loaded if isinstance(v, Vacancy)}
    promises_of = promises_by_vacancy(session=session, vacancy_ids=vacancy_ids)
    bundles = []
    for step in sorted(steps, key=lambda s: (s.due_at, s.id or 0)):
        enrollment = session.get(Enrollment, step.enrollment_id)
        if enrollment is None:
            continue
        employment = (
            session.get(Employment, enrollment.employment_id) if enrollment.employment_id else None
        )
        application = None
        if enrollment.application_id:
            application = session.get(Application, enrollment.application_id)
        elif employment is not None and employment.application_id:
            application = session.get(Application, employment.application_id)
        vacancy = (
            session.get(Vacancy, application.vacancy_id)
            if application and application.vacancy_id
            else None
        )
        if employment is not None:
            people = role_people(session=session, employment=employment)
        else:
            people = {"candidate": session.get(Person, enrollment.person_id)}
        bundles.append(
            StepBundle(
                step=step,
                enrollment=enrollment,
                people=people,
                employment=employment,
                application=application,
                vacancy=vacancy,
                calendar_event=events.get(step.calendar_step_id or step.id or 0),
                recipient_override=(
                    session.get(Person, step.recipient_person_id)
                    if step.recipient_person_id
                    else None
                ),
                history=(
                    employment_history(session=session, employment_id=employment.id)
                    if employment is not None and step.template.startswith("_handover/")
                    else ()
                ),
                learning=learning_of.get(step.id or 0),
                promises=tuple(promises_of.get(vacancy.id or 0, ())) if vacancy else (),
                invite_sent_to=sent_to.get(step.calendar_step_id or step.id or 0),
            )
        )
    return bundles


def invite_addresses(*, session: Session, step_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """Where each invite step's last sent request (or update) went: (address, kind) by step id."""
    if not step_ids:
        return {}
    rows = session.exec(
        select(Delivery.step_id, Delivery.address, Delivery.address_kind)
        .where(
            one_of(session, Delivery.step_id, step_ids),
            Delivery.status == "sent",
            col(Delivery.action).in_(("send", "update")),
            col(Delivery.address).is_not(None),
        )
        .order_by(col(Delivery.id))
    ).all()
    return {step_id: (address, kind) for step_id, address, kind in rows if address}


def record_extra_delivery(
    *, session: Session, step_id: int, outcome: StepOutcome, action: str, now: datetime
) -> None:
    """Record a message a step sent besides its own (e.g. the cancel that takes an invite out of
    a hire's personal calendar); the step's own status is not touched."""
    if outcome.message_id:
        session.add(
            ledger_row(replace(outcome, step_id=step_id), action=action, channel="invite", now=now)
        )


def ledger_row(outcome: StepOutcome, *, action: str, channel: str, now: datetime) -> Delivery:
    """The delivery-ledger row of one sent (or failed) message."""
    return Delivery(**ledger_values(outcome, action=action, channel=channel, now=now))


def ledger_values(
    outcome: StepOutcome, *, action: str, channel: str, now: datetime
) -> dict[str, object]:
    """The column values of one message's delivery-ledger row (for an INSERT without a row
    object: constructing SQLModel rows is the slow part of recording a message)."""
    return {
        "step_id": outcome.step_id,
        "action": action,
        "sequence": outcome.sequence or 0,
        "message_id": outcome.message_id or "",
        "channel": channel,
        "transport": outcome.transport,
        "status": "sent" if outcome.status == "sent" else "failed",
        "detail": outcome.detail[:500] or None,
        "at": now,
        "address": outcome.address,
        "address_kind": outcome.address_kind,
    }


def employment_history(*, session: Session, employment_id: int | None) -> tuple[HistoryItem, ...]:
    """Every planned step of an employment's journeys, in time order."""
    rows = session.exec(
        select(ScheduledStep, Enrollment.journey_key)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(Enrollment.employment_id == employment_id, ScheduledStep.occurrence == 0)
        .order_by(col(ScheduledStep.due_at))
    ).all()
    return tuple(
        HistoryItem(journey, row.step_key, row.status, row.due_at, row.sent_at)
        for row, journey in rows
    )


@dataclass(frozen=True)
class StepOutcome:
    """How one claimed step ended: sent, skipped, failed (retry later) or failed for good."""

    step_id: int
    status: str  # sent|skipped|retry|failed
    message_id: str | None = None
    sequence: int | None = None
    detail: str = ""
    transport: str = "outbox"
    address: str | None = None  # the step recipient's address the message used
    address_kind: str | None = None  # personal|work


def addressed(outcome: StepOutcome, chosen: ChosenAddress | None) -> StepOutcome:
    """Return the outcome with the address (and its kind) the message used."""
    if chosen is None:
        return outcome
    return replace(outcome, address=chosen.email, address_kind=chosen.kind)


def record_outcomes(
    *, session: Session, worker: str, outcomes: list[StepOutcome], now: datetime, retry_after
) -> dict[str, int]:
    """Write outcomes to steps, the ledger and calendar events; only for steps this worker holds."""
    counts: dict[str, int] = {}
    rest = []
    for outcome in outcomes:
        if outcome.status == "sent" and outcome.message_id:
            status = "sent" if _record_sent(session, worker, outcome, now) else "lost_lease"
            counts[status] = counts.get(status, 0) + 1
        else:
            rest.append(outcome)
    if rest:
        for key, value in _record_others(session, worker, rest, now, retry_after).items():
            counts[key] = counts.get(key, 0) + value
    return counts


def _sent_statements():  # type: ignore[no-untyped-def]
    """The three statements `_record_sent` runs, built once (Core, on the tables)."""
    steps, events = ScheduledStep.__table__.c, CalendarEvent.__table__.c  # type: ignore[attr-defined]
    moment = bindparam("b_now", type_=steps.updated_at.type)
    step = (
        update(ScheduledStep.__table__)  # type: ignore[arg-type]
        .where(
            steps.id == bindparam("b_step"),
            steps.status == "claimed",
            steps.claimed_by == bindparam("b_worker"),
        )
        .values(
            status=case((steps.action == "cancel", "cancelled"), else_="sent"),
            sent_at=moment,
            last_error=None,
            updated_at=moment,
            claimed_by=None,
            lease_expires_at=None,
        )
        .returning(steps.action, steps.channel)
    )
    event = (
        update(CalendarEvent.__table__)  # type: ignore[arg-type]
        .where(events.step_id == bindparam("b_step"))
        .values(
            sent_sequence=bindparam("b_sequence"),
            updated_at=bindparam("b_now", type_=events.updated_at.type),
            status=case((bindparam("b_cancel"), events.status), else_="confirmed"),
        )
    )
    return step, insert(Delivery.__table__), event  # type: ignore[arg-type]


_SENT_STEP, _LEDGER_ROW, _SENT_EVENT = _sent_statements()


def _sent_statement_postgresql() -> TextClause:
    """`record_sent` as one statement for PostgreSQL (data-modifying WITH): one round trip, and
    atomic on its own, so it can run outside a transaction block. The same three writes."""
    return text(
        """
        WITH step AS (
            UPDATE scheduled_step
            SET status = CASE WHEN action = 'cancel' THEN 'cancelled' ELSE 'sent' END,
                sent_at = :b_now, last_error = NULL, updated_at = :b_now,
                claimed_by = NULL, lease_expires_at = NULL
            WHERE id = :b_step AND status = 'claimed' AND claimed_by = :b_worker
            RETURNING action, channel
        ), ledger AS (
            INSERT INTO delivery (step_id, action, sequence, message_id, channel, transport,
                                  status, detail, at, address, address_kind)
            SELECT :b_step, action, :sequence, :message_id, channel, :transport,
                   :status, :detail, :b_now, :address, :address_kind
            FROM step
        ), event AS (
            UPDATE calendar_event
            SET sent_sequence = :b_sequence, updated_at = :b_now,
                status = CASE WHEN step.action = 'cancel' THEN calendar_event.status
                              ELSE 'confirmed' END
            FROM step
            WHERE calendar_event.step_id = :b_step AND CAST(:b_sequence AS INTEGER) IS NOT NULL
        )
        SELECT action, channel FROM step
        """
    ).bindparams(
        bindparam("b_now", type_=UTCDateTime()),
        bindparam("b_step", type_=Integer()),
        bindparam("b_sequence", type_=Integer()),
        bindparam("sequence", type_=Integer()),
        bindparam("detail", type_=String()),
        bindparam("address", type_=String()),
        bindparam("address_kind", type_=String()),
    )


_SENT_POSTGRESQL = _sent_statement_postgresql()


def recording_connection(engine: Engine) -> Connection:
    """A connection for `record_sent`, each call in a `begin()` block of its own: on PostgreSQL
    in autocommit, as its one statement is atomic by itself (one round trip, no COMMIT)."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection


def _record_sent(session: Session, worker: str, outcome: StepOutcome, now: datetime) -> bool:
    return record_sent(connection=session.connection(), worker=worker, outcome=outcome, now=now)


def record_sent(
    *, connection: Connection, worker: str, outcome: StepOutcome, now: datetime
) -> bool:
    """Record one sent message in three statements (no ORM rows): the step is sent (a cancel
    step cancelled), the ledger gets its row, the invite's event its sent sequence (confirmed,
    unless the step cancels it). Returns False, writing nothing, when this worker no longer
    holds the step. Runs in the caller's transaction (no ORM session needed); on PostgreSQL it
    is one statement, so it is atomic in an autocommit connection too."""
    if connection.dialect.name == "postgresql":
        params = _sent_params_postgresql(worker, outcome, now)
        held = connection.execute(_SENT_POSTGRESQL, params).first()
        return held is not None
    held = connection.execute(
        _SENT_STEP, {"b_step": outcome.step_id, "b_worker": worker, "b_now": now}
    ).first()
    if held is None:
        return False
    action, channel = held
    connection.execute(_LEDGER_ROW, ledger_values(outcome, action=action, channel=channel, now=now))
    if outcome.sequence is not None:
        connection.execute(
            _SENT_EVENT,
            {"b_step": outcome.step_id, "b_sequence": outcome.sequence, "b_now": now,
             "b_cancel": action == "cancel"},
        )  # fmt: skip
    return True


class RecordFailed(StatementRefused):
    """The database refused a ledger record sent ahead (`start_record_sent`); `sqlstate` tells
    why (the code only: the values are personal data)."""


def start_record_sent(
    *, connection: Connection, worker: str, outcome: StepOutcome, now: datetime
) -> Callable[[], bool]:
    """Start `record_sent` and return a function that waits for its end and tells whether this
    worker held the step (raises `RecordFailed` if the database refused it).

    On PostgreSQL, with `connection` from `recording_connection` (autocommit), the one
    statement goes out now and its answer is read when the function is called (libpq's
    asynchronous send), so the caller does something else meanwhile, such as the next SMTP
    round trips; it must call the function before it uses the connection again. The statement
    is prepared once per database connection (parsing and planning it cost PostgreSQL more than
    running it); one that was deallocated since (a pooler's DISCARD ALL) is prepared again.
    Elsewhere the record is written now."""
    if connection.dialect.name != "postgresql":
        held = record_sent(connection=connection, worker=worker, outcome=outcome, now=now)
        return lambda: held
    record = PreparedAhead(
        connection.connection.dbapi_connection,
        RECORD_STATEMENT,
        record_sql_postgresql(),
        connection.connection.info,  # lives as long as the database connection
    )
    rows = record.start(encoded_record_params(worker, outcome, now))

    def result() -> bool:
        try:
            return rows() > 0
        except StatementRefused as exc:
            raise RecordFailed(exc.sqlstate) from None

    return result


RECORD_STATEMENT = b"leerpad_record_sent"  # the prepared statement's name on a connection


def record_sql_postgresql() -> bytes:
    """The one-statement record as libpq prepares it ($1 … $n), for `encoded_record_params`."""
    return _raw_sent_postgresql()[0]


def encoded_record_params(worker: str, outcome: StepOutcome, now: datetime) -> list[bytes | None]:
    """The one-statement record's parameters ($1 … $n) as libpq takes them: text or NULL."""
    params = _sent_params_postgresql(worker, outcome, now)
    _, names, processors = _raw_sent_postgresql()
    encoded: list[bytes | None] = []
    for name in names:
        value = params[name]
        value = processors[name](value) if name in processors else value
        encoded.append(None if value is None else str(value).encode())
    return encoded


def _sent_params_postgresql(worker: str, outcome: StepOutcome, now: datetime) -> dict[str, Any]:
    """The parameters of the one-statement record (`_SENT_POSTGRESQL`)."""
    values = ledger_values(outcome, action="", channel="", now=now)
    del values["step_id"], values["action"], values["channel"], values["at"]
    return {**values, "b_step": outcome.step_id, "b_worker": worker, "b_now": now,
            "b_sequence": outcome.sequence}  # fmt: skip


@cache
def _raw_sent_postgresql() -> tuple[bytes, tuple[str, ...], dict[str, Callable[[Any], Any]]]:
    """The one-statement record as libpq takes it ($1 … $n), the parameter names in order and
    their bind processors (UTC datetimes stored naive, as everywhere)."""
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    dialect = PGDialect_psycopg(paramstyle="numeric_dollar")
    compiled = _SENT_POSTGRESQL.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ())
    processors = {n: p for n, p in compiled._bind_processors.items() if p is not None}
    return compiled.string.encode(), names, processors  # type: ignore[return-value]


def _record_others(
    session: Session, worker: str, outcomes: list[StepOutcome], now: datetime, retry_after
) -> dict[str, int]:
    """Record skipped, failed and retried steps (and a sent outcome without a Message-ID)."""
    counts: dict[str, int] = {}
    held = _load_all(session, ScheduledStep, {o.step_id for o in outcomes})  # noqa: F841
    invites = [o.step_id for o in outcomes if o.sequence is not None]
    events = {
        e.step_id: e
        for e in session.exec(
            select(CalendarEvent).where(col(CalendarEvent.step_id).in_(invites))
        ).all()
    } if invites else {}  # fmt: skip
    for outcome in outcomes:
        step = session.get(ScheduledStep, outcome.step_id)
        if step is None or step.status != "claimed" or step.claimed_by != worker:
            counts["lost_lease"] = counts.get("lost_lease", 0) + 1
            continue
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
        step.updated_at, step.claimed_by, step.lease_expires_at = now, None, None
        if outcome.status == "retry":
            step.status, step.last_error, old_due = "pending", outcome.detail[:500], step.due_at
            step.due_at = now + retry_after(step.attempts)
            log_change(session=session, step=step, change="retried", now=now, old_due_at=old_due)
            continue
        if outcome.status == "skipped":
            step.status, step.last_error = "skipped", outcome.detail[:500]
            continue
        if outcome.message_id:
            session.add(ledger_row(outcome, action=step.action, channel=step.channel, now=now))
        if outcome.status == "failed":
            step.status, step.last_error = "failed", outcome.detail[:500]
            continue
        step.status = "cancelled" if step.action == "cancel" else "sent"
        step.sent_at, step.last_error = now, None
        event = events.get(outcome.step_id) if outcome.sequence is not None else None
        if event is not None:
            event.sent_sequence, event.updated_at = outcome.sequence, now
            if step.action != "cancel":
                event.status = "confirmed"
    return counts
