"""Recording a sent message (`record_sent`) on SQLite and PostgreSQL: the step, the ledger row
and the invite's event in one atomic write, only for the worker that holds the step."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.claims import claim_due_steps
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.enrollment import ScheduledStep
from models.outbound import (
    RecordFailed,
    StepOutcome,
    record_sent,
    recording_connection,
    start_record_sent,
)
from tests.integration.test_claims import seed_steps

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)


def _seed(engine) -> tuple[int, int, int]:
    """An email step, an invite step (tentative event) and a cancel step (cancelled event),
    all claimed by worker w1."""
    email, invite, cancel = seed_steps(engine, 3)
    with session_scope(engine) as session:
        session.get(ScheduledStep, invite).channel = "invite"
        step = session.get(ScheduledStep, cancel)
        step.channel, step.action = "invite", "cancel"
        for step_id, status in ((invite, "tentative"), (cancel, "cancelled")):
            session.add(
                CalendarEvent(
                    step_id=step_id, uid=f"uid-{step_id}", sequence=2, start_at=NOW,
                    end_at=NOW + timedelta(hours=1), tzid="Europe/Amsterdam", status=status,
                    updated_at=NOW,
                )
            )  # fmt: skip
    with session_scope(engine) as session:
        assert len(claim_due_steps(session=session, now=NOW, worker="w1")) == 3
    return email, invite, cancel


@pytest.fixture(params=["at once", "sent ahead"])
def way(request, monkeypatch) -> str:
    """Record with `record_sent`, or with `start_record_sent` and its waiter (the sender
    process: on PostgreSQL the statement goes out ahead and its answer is read later)."""
    return request.param


def _record(engine, outcome: StepOutcome, worker: str = "w1", way: str = "at once") -> bool:
    with recording_connection(engine) as connection, connection.begin():
        if way == "at once":
            return record_sent(connection=connection, worker=worker, outcome=outcome, now=LATER)
        waiter = start_record_sent(connection=connection, worker=worker, outcome=outcome, now=LATER)
        return waiter()


def test_records_the_step_the_ledger_and_the_event(engine, way):
    email, invite, cancel = _seed(engine)
    email_sent = StepOutcome(email, "sent", "<e@x>", None, "", "smtp", "a@x.nl", "work")
    assert _record(engine, email_sent, way=way)
    assert _record(engine, StepOutcome(invite, "sent", "<i@x>", 2, "", "smtp"), way=way)
    assert _record(engine, StepOutcome(cancel, "sent", "<c@x>", 3, "", "smtp"), way=way)
    with session_scope(engine) as session:
        steps = {s.id: s for s in session.exec(select(ScheduledStep)).all()}
        ledger = {d.message_id: d for d in session.exec(select(Delivery)).all()}
        events = {e.step_id: e for e in session.exec(select(CalendarEvent)).all()}
    assert [steps[i].status for i in (email, invite, cancel)] == ["sent", "sent", "cancelled"]
    assert {steps[i].claimed_by for i in steps} == {None}
    assert steps[email].sent_at == LATER and steps[email].lease_expires_at is None
    row = ledger["<e@x>"]
    assert (row.step_id, row.action, row.channel, row.status, row.sequence) == (
        email, "send", "email", "sent", 0,
    )  # fmt: skip
    assert (row.transport, row.address, row.address_kind) == ("smtp", "a@x.nl", "work")
    assert row.at == LATER
    assert (ledger["<i@x>"].channel, ledger["<c@x>"].action) == ("invite", "cancel")
    assert (events[invite].status, events[invite].sent_sequence) == ("confirmed", 2)
    assert (events[cancel].status, events[cancel].sent_sequence) == ("cancelled", 3)
    assert events[invite].updated_at == LATER


def test_writes_nothing_for_a_worker_that_lost_the_step(engine, way):
    email, invite, _ = _seed(engine)
    assert not _record(engine, StepOutcome(invite, "sent", "<i@x>", 2), worker="w2", way=way)
    with session_scope(engine) as session:
        assert session.exec(select(Delivery)).all() == []
        assert session.get(ScheduledStep, invite).status == "claimed"
        assert session.exec(select(CalendarEvent.sent_sequence)).all() == [None, None]


def test_a_failed_ledger_write_leaves_the_step_claimed(engine, way):
    email, invite, _ = _seed(engine)
    assert _record(engine, StepOutcome(email, "sent", "<same@x>", None), way=way)
    refused = (IntegrityError, RecordFailed) if way == "sent ahead" else IntegrityError
    with pytest.raises(refused) as caught:  # a Message-ID the ledger holds already
        _record(engine, StepOutcome(invite, "sent", "<same@x>", 2), way=way)
    if isinstance(caught.value, RecordFailed):  # the SQLSTATE, never the values
        assert "23505" in str(caught.value) and "same@x" not in str(caught.value)
    with session_scope(engine) as session:
        assert session.get(ScheduledStep, invite).status == "claimed"
        assert len(session.exec(select(Delivery)).all()) == 1
        event = session.exec(select(CalendarEvent).where(CalendarEvent.step_id == invite)).one()
        assert (event.status, event.sent_sequence) == ("tentative", None)


def test_sent_ahead_the_record_is_only_read_when_asked_for_on_postgresql(engine):
    """The sender process sends the record, talks to the SMTP server, then reads the answer:
    on PostgreSQL the statement is on its way (and committed) before the waiter is called;
    on SQLite it is written at once, in the caller's transaction."""
    email, _, _ = _seed(engine)
    outcome = StepOutcome(email, "sent", "<e@x>", None)
    postgresql = engine.dialect.name == "postgresql"
    with recording_connection(engine) as connection, connection.begin():
        waiter = start_record_sent(connection=connection, worker="w1", outcome=outcome, now=LATER)
        deadline = time.monotonic() + 10
        while postgresql and time.monotonic() < deadline and _status(engine, email) != "sent":
            time.sleep(0.01)  # another connection sees it committed, the answer still unread
        seen_before_waiting = _status(engine, email) if postgresql else "sent"
        assert waiter() is True
    assert _status(engine, email) == "sent" and seen_before_waiting == "sent"


def _status(engine, step_id: int) -> str:
    with engine.connect() as connection:
        return connection.execute(
            select(ScheduledStep.status).where(ScheduledStep.id == step_id)
        ).scalar_one()


on_postgresql = pytest.mark.parametrize("engine", ["postgres"], indirect=True)


@on_postgresql  # elsewhere the record is written at once (no prepared statement)
def test_sent_ahead_the_statement_is_prepared_once_per_connection(engine):
    """Parsing and planning cost PostgreSQL more than running the record: one prepared
    statement on the connection, run for every record."""
    ids = _seed(engine)
    with recording_connection(engine) as connection:
        for n, step_id in enumerate(ids):
            outcome = StepOutcome(step_id, "sent", f"<{n}@x>", n + 1)
            with connection.begin():
                waiter = start_record_sent(
                    connection=connection, worker="w1", outcome=outcome, now=LATER
                )
                assert waiter() is True
        with connection.begin():
            prepared = connection.exec_driver_sql(
                "SELECT name, generic_plans + custom_plans FROM pg_prepared_statements"
            ).all()
    assert [tuple(row) for row in prepared] == [("leerpad_record_sent", 3)]
    assert [_status(engine, i) for i in ids] == ["sent", "sent", "cancelled"]


@on_postgresql
def test_sent_ahead_a_deallocated_statement_is_prepared_again(engine):
    """A pooler's DISCARD ALL (or anyone's DEALLOCATE) drops the statement: the record is
    prepared again and written once, not refused (that would leave a sent message
    unrecorded)."""
    email, invite, _ = _seed(engine)
    with recording_connection(engine) as connection:
        for step_id, deallocate in ((email, False), (invite, True)):
            if deallocate:
                with connection.begin():
                    connection.exec_driver_sql("DEALLOCATE ALL")
            outcome = StepOutcome(step_id, "sent", f"<{step_id}@x>", None)
            with connection.begin():
                waiter = start_record_sent(
                    connection=connection, worker="w1", outcome=outcome, now=LATER
                )
                assert waiter() is True
    with session_scope(engine) as session:
        ledger = sorted(d.step_id for d in session.exec(select(Delivery)).all())
    assert ledger == sorted([email, invite])
    assert _status(engine, invite) == "sent"
