"""Recording a sent message (`record_sent`) on SQLite and PostgreSQL: the step, the ledger row
and the invite's event in one atomic write, only for the worker that holds the step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models.claims import claim_due_steps
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.enrollment import ScheduledStep
from models.outbound import StepOutcome, record_sent, recording_connection
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


def _record(engine, outcome: StepOutcome, worker: str = "w1") -> bool:
    with recording_connection(engine) as connection, connection.begin():
        return record_sent(connection=connection, worker=worker, outcome=outcome, now=LATER)


def test_records_the_step_the_ledger_and_the_event(engine):
    email, invite, cancel = _seed(engine)
    assert _record(engine, StepOutcome(email, "sent", "<e@x>", None, "", "smtp", "a@x.nl", "work"))
    assert _record(engine, StepOutcome(invite, "sent", "<i@x>", 2, "", "smtp"))
    assert _record(engine, StepOutcome(cancel, "sent", "<c@x>", 3, "", "smtp"))
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


def test_writes_nothing_for_a_worker_that_lost_the_step(engine):
    email, invite, _ = _seed(engine)
    assert not _record(engine, StepOutcome(invite, "sent", "<i@x>", 2), worker="w2")
    with session_scope(engine) as session:
        assert session.exec(select(Delivery)).all() == []
        assert session.get(ScheduledStep, invite).status == "claimed"
        assert session.exec(select(CalendarEvent.sent_sequence)).all() == [None, None]


def test_a_failed_ledger_write_leaves_the_step_claimed(engine):
    email, invite, _ = _seed(engine)
    assert _record(engine, StepOutcome(email, "sent", "<same@x>", None))
    with pytest.raises(IntegrityError):  # a Message-ID the ledger holds already
        _record(engine, StepOutcome(invite, "sent", "<same@x>", 2))
    with session_scope(engine) as session:
        assert session.get(ScheduledStep, invite).status == "claimed"
        assert len(session.exec(select(Delivery)).all()) == 1
        event = session.exec(select(CalendarEvent).where(CalendarEvent.step_id == invite)).one()
        assert (event.status, event.sent_sequence) == ("tentative", None)
