"""Delivery through a real SMTP server: concurrent dispatchers, temporary and permanent failures."""

from __future__ import annotations

import email
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from email import policy

import pytest
from sqlmodel import select

from flows.bootstrap import bootstrap, reset
from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from integrations.mail.smtp import SmtpMailer, SmtpSettings
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import ScheduledStep
from tests.conftest import AMS
from tests.factories import make_event
from tests.integration.conftest import RecordingHandler

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


@pytest.fixture
def smtp_app(engine, tmp_path, start_clock, smtp_server):
    """An app that delivers to a loopback aiosmtpd; returns (app, handler, start_handler)."""

    def make(handler: RecordingHandler | None = None):
        handler, port = smtp_server(handler)
        url = f"smtp://127.0.0.1:{port}"
        settings = LeerpadSettings(database_url=str(engine.url), smtp_url=url, outbox_dir=tmp_path)
        mailer = SmtpMailer(SmtpSettings.from_url(url), retry_delays=(0.01, 0.01))
        return bootstrap(
            settings=settings, clock=start_clock, engine=engine, mailer=mailer
        ), handler

    yield make
    reset()


def hire(app, n: int) -> None:
    event = make_event("candidate.hired", at=HIRED_AT, n=n, start=date(2027, 3, 1))
    inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
    process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT)


def message_ids(handler: RecordingHandler) -> list[str]:
    return [
        email.message_from_bytes(r.content, policy=policy.default)["Message-ID"]
        for r in handler.received
    ]


def test_two_concurrent_dispatchers_send_each_step_exactly_once(smtp_app):
    app, handler = smtp_app()
    for n in range(1, 9):
        hire(app, n)
    with session_scope(app.engine) as session:
        total = len(session.exec(select(ScheduledStep)).all())
    barrier = threading.Barrier(2)
    claimed = {"a": 0, "b": 0}

    def work(name: str) -> None:
        own = replace(app, mailer=SmtpMailer(app.mailer.settings, retry_delays=(0.01,)))
        barrier.wait()
        while True:
            counts = deliver_due_batch(app=own, now=DAY_90, worker=name, limit=10)
            if counts["claimed"] == 0:
                return
            claimed[name] += counts["claimed"]

    threads = [threading.Thread(target=work, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    ids = message_ids(handler)
    assert len(ids) == total == claimed["a"] + claimed["b"]
    assert len(set(ids)) == total
    assert claimed["a"] > 0 and claimed["b"] > 0
    with session_scope(app.engine) as session:
        statuses = {s.status for s in session.exec(select(ScheduledStep)).all()}
        ledger = session.exec(select(Delivery)).all()
    assert statuses == {"sent"}
    assert len(ledger) == total and {d.transport for d in ledger} == {"smtp"}


def test_a_refused_address_is_recorded_as_failed_and_not_retried(smtp_app):
    handler = RecordingHandler(
        rcpt_reply=lambda address: "550 5.1.1 no such user" if "hire2@" in address else None
    )
    app, handler = smtp_app(handler)
    hire(app, 1)
    hire(app, 2)
    deliver_due_batch(app=app, now=DAY_90, worker="w", limit=500)
    with session_scope(app.engine) as session:
        rows = session.exec(select(ScheduledStep)).all()
        failed = [r for r in rows if r.status == "failed"]
        ledger = {d.status for d in session.exec(select(Delivery)).all()}
    assert failed and all("550" in (r.last_error or "") for r in failed)
    assert ledger == {"sent", "failed"}
    attempts = handler.rcpt_attempts
    assert deliver_due_batch(app=app, now=DAY_90 + timedelta(days=1), worker="w", limit=500) == {
        "claimed": 0
    }
    assert handler.rcpt_attempts == attempts


def test_a_temporary_refusal_puts_the_step_back_for_later(smtp_app):
    handler = RecordingHandler(data_replies=["451 4.3.0 try later"] * 3)
    app, handler = smtp_app(handler)
    hire(app, 1)
    first_due = datetime(2027, 2, 1, 9, 0, tzinfo=AMS)
    counts = deliver_due_batch(app=app, now=first_due, worker="w", limit=1)
    assert counts == {"retry": 1, "claimed": 1}
    with session_scope(app.engine) as session:
        step = session.exec(select(ScheduledStep).where(ScheduledStep.step_key == "welcome")).one()
    assert step.status == "pending" and "451" in step.last_error
    assert step.due_at == first_due + timedelta(minutes=5)
    assert handler.received == []
    counts = deliver_due_batch(app=app, now=step.due_at, worker="w", limit=1)
    assert counts == {"sent": 1, "claimed": 1}
    assert len(handler.received) == 1


def test_a_batch_counts_every_claimed_step_also_the_skipped_ones(smtp_app):
    app, handler = smtp_app()
    hire(app, 1)
    with session_scope(app.engine) as session:
        steps = session.exec(select(ScheduledStep).where(ScheduledStep.due_at <= DAY_90)).all()
        due = len(steps)
        steps[0].recipient_role = "buddy"  # the hire has no buddy: nobody to send it to
        session.add(steps[0])
    counts = deliver_due_batch(app=app, now=DAY_90, worker="w", limit=500)
    assert counts["claimed"] == due and counts["skipped"] == 1
    assert counts["sent"] == due - 1 == len(handler.received)
