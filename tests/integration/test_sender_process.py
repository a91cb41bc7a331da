"""Sending in a sender process (flows/sender_process.py): a real aiosmtpd, SQLite and
PostgreSQL. The dispatcher composes; the child sends and records each message before the next."""

from __future__ import annotations

import email
import os
import time
from collections import Counter
from datetime import date, datetime
from email import policy

import pytest
from sqlalchemy import text
from sqlmodel import select

import flows.sender_batches as batches_module
import flows.sender_process as sender_module
from flows.bootstrap import bootstrap, reset
from flows.delivery import deliver_due_batch, drop_heads
from flows.processing import process_stored_event, store
from flows.sender_process import SenderFailed
from integrations.mail.smtp import SmtpMailer, SmtpSettings
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.enrollment import ScheduledStep
from tests.conftest import AMS
from tests.factories import make_event
from tests.integration.conftest import RecordingHandler

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


@pytest.fixture
def sending_app(engine, tmp_path, start_clock, smtp_server):
    """make(sender, handler, **settings) -> (app, handler): an app on a loopback aiosmtpd whose
    dispatcher sends in a sender process ("process") or in its own process ("inline")."""
    sender_module.close_senders()  # those an earlier test's dispatches left running

    def make(sender: str, handler: RecordingHandler | None = None, **extra):
        handler, port = smtp_server(handler)
        url = f"smtp://127.0.0.1:{port}"
        settings = LeerpadSettings(
            database_url=engine.url.render_as_string(hide_password=False), smtp_url=url,
            outbox_dir=tmp_path, dispatch_sender=sender, **extra,
        )  # fmt: skip
        mailer = SmtpMailer(SmtpSettings.from_url(url), retry_delays=(0.01, 0.01))
        app = bootstrap(settings=settings, clock=start_clock, engine=engine, mailer=mailer)
        return app, handler

    yield make
    sender_module.close_senders()
    reset()


def hire(app, n: int) -> None:
    event = make_event("candidate.hired", at=HIRED_AT, n=n, start=date(2027, 3, 1))
    inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
    process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT)


def deliver_all(app, worker: str = "w", limit: int = 500, prefetch: bool = False) -> dict[str, int]:
    """Batch after batch, as the dispatch flow does (`prefetch`: the next batch goes ahead)."""
    totals: Counter[str] = Counter()
    while True:
        counts = deliver_due_batch(
            app=app, now=DAY_90, worker=worker, limit=limit, prefetch=prefetch
        )
        assert counts["claimed"] <= limit
        if not counts["claimed"]:
            return dict(totals)
        totals.update(counts)


def statuses(app) -> Counter[str]:
    with session_scope(app.engine) as session:
        return Counter(s.status for s in session.exec(select(ScheduledStep)).all())


def wait_for(condition, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


def received_ids(handler: RecordingHandler) -> list[str]:
    return [
        email.message_from_bytes(r.content, policy=policy.default)["Message-ID"]
        for r in handler.received
    ]


def ledger_by_hire(app) -> dict[str, list[tuple]]:
    """Per hire's person external id: each ledger row's columns but ids, addresses and times."""
    with session_scope(app.engine) as session:
        rows = session.exec(
            text(
                "select p.external_id, s.step_key, s.occurrence, d.action, d.sequence, d.channel,"
                " d.transport, d.status, d.address_kind, d.address is not null, s.status"
                " from delivery d join scheduled_step s on s.id = d.step_id"
                " join enrollment e on e.id = s.enrollment_id"
                " join employment m on m.id = e.employment_id"
                " join person p on p.id = m.person_id order by s.step_key, s.occurrence, d.action"
            )
        ).all()
    by_hire: dict[str, list[tuple]] = {}
    for external_id, *columns in rows:
        by_hire.setdefault(external_id, []).append(tuple(columns))
    return by_hire


def running_senders() -> list[sender_module.SenderProcess]:
    return [s for s in sender_module._SENDERS.values() if s.alive()]


def _shape(raw: bytes) -> tuple:
    """What a message is made of: its headers' names and its parts' types and charsets."""
    message = email.message_from_bytes(raw, policy=policy.default)
    parts = [(p.get_content_type(), p.get_content_charset()) for p in message.walk()]
    return tuple(sorted(message.keys())), tuple(parts)


@pytest.mark.parametrize("built_by", ["dispatcher", "sender process"])
def test_a_batch_sent_by_the_sender_process_is_recorded_as_one_sent_here(
    sending_app, monkeypatch, built_by
):
    """Hires 1–3 go inline, 4–6 through the sender process: each message reaches the server
    once, and the ledger, steps and invites look the same, hire for hire. The dispatcher builds
    MIME while it is ahead of the sender process, the sender process otherwise (while the server
    takes the message before in): either way the messages are made the same."""
    monkeypatch.setattr(
        batches_module, "BUILD_HERE_FROM", 10**6 if built_by == "sender process" else 0
    )
    inline, handler = sending_app("inline")
    for n in (1, 2, 3):
        hire(inline, n)
    first = deliver_all(inline)
    assert not running_senders()

    process, _ = sending_app("process", handler)
    for n in (4, 5, 6):
        hire(process, n)
    second = deliver_all(process)
    senders = running_senders()
    assert len(senders) == 1 and senders[0]._process.pid != os.getpid()

    assert first["sent"] == second["sent"] > 0 and second["claimed"] == first["claimed"]
    ids = received_ids(handler)
    assert len(ids) == len(set(ids)) == first["sent"] + second["sent"]
    by_hire = ledger_by_hire(process)
    assert len(by_hire) == 6 and all(rows == by_hire["cand-1"] for rows in by_hire.values())
    with session_scope(process.engine) as session:
        statuses = {s.status for s in session.exec(select(ScheduledStep)).all()}
        invites = session.exec(select(CalendarEvent)).all()
        ledger = session.exec(select(Delivery)).all()
    assert statuses == {"sent"}
    assert invites and all(e.sent_sequence is not None for e in invites)
    assert {d.message_id for d in ledger} == set(ids)
    half = len(handler.received) // 2
    shapes = [_shape(r.content) for r in handler.received]
    assert sorted(shapes[:half]) == sorted(shapes[half:])
    assert any("text/calendar" in str(shape) for shape in shapes)


def test_a_refused_address_comes_back_from_the_sender_process_as_failed(sending_app):
    handler = RecordingHandler(
        rcpt_reply=lambda address: "550 5.1.1 no such user" if "hire2@" in address else None
    )
    app, handler = sending_app("process", handler)
    hire(app, 1)
    hire(app, 2)
    counts = deliver_all(app)
    assert counts["failed"] > 0 and counts["sent"] == len(handler.received)
    with session_scope(app.engine) as session:
        failed = session.exec(select(ScheduledStep).where(ScheduledStep.status == "failed")).all()
        rows = session.exec(select(Delivery).where(Delivery.status == "failed")).all()
    assert len(failed) == counts["failed"] == len(rows)
    assert all("550" in (s.last_error or "") for s in failed)
    assert running_senders()


REFUSE_FOURTH = {  # a ledger that refuses its fourth row
    "sqlite": [
        "create trigger refuse_fourth before insert on delivery"
        " when (select count(*) from delivery) >= 3"
        " begin select raise(abort, 'ledger full'); end"
    ],
    "postgresql": [
        "create function refuse_fourth() returns trigger language plpgsql as $$ begin"
        " if (select count(*) from delivery) >= 3 then raise exception 'ledger full'; end if;"
        " return new; end $$",
        "create trigger refuse_fourth before insert on delivery for each row"
        " execute function refuse_fourth()",
    ],
}


def test_a_ledger_that_refuses_a_row_fails_the_batch_and_nothing_more_is_sent(sending_app, engine):
    """The fourth ledger row fails: the child stops before the fifth message's data, the batch
    fails (its steps come back after the lease), and the child is fine for the next batch."""
    app, handler = sending_app("process")
    for n in range(1, 5):
        hire(app, n)
    with app.engine.begin() as connection:
        for statement in REFUSE_FOURTH[engine.dialect.name]:
            connection.exec_driver_sql(statement)
    with pytest.raises(SenderFailed, match="recording a sent message failed"):
        deliver_due_batch(app=app, now=DAY_90, worker="w", limit=500)
    assert len(handler.received) == 4  # the fourth was sent; its row failed before the fifth
    with session_scope(app.engine) as session:
        assert len(session.exec(select(Delivery)).all()) == 3
    sender = running_senders()[0]

    with app.engine.begin() as connection:
        connection.exec_driver_sql(
            "drop trigger refuse_fourth"
            + (" on delivery" if app.engine.dialect.name != "sqlite" else "")
        )
    later = datetime(2027, 7, 1, 18, 0, tzinfo=AMS)  # past the lease of the failed batch
    counts = deliver_due_batch(app=app, now=later, worker="w2", limit=500)
    assert counts["sent"] > 0 and running_senders() == [sender]
    ids = Counter(received_ids(handler))
    assert sum(n - 1 for n in ids.values()) <= 1  # at most the one sent but unrecorded


def test_messages_past_half_the_lease_are_released_not_sent(sending_app):
    """A slow server: what the child has not started by the deadline is released, and a later
    run sends it once."""

    class Slow(RecordingHandler):
        async def handle_DATA(self, server, session, envelope) -> str:
            time.sleep(0.4)  # blocks aiosmtpd's loop: one slow message at a time
            return await super().handle_DATA(server, session, envelope)

    app, handler = sending_app("process", Slow(), lease_seconds=10)
    for n in range(1, 6):
        hire(app, n)
    counts = deliver_due_batch(app=app, now=DAY_90, worker="w", limit=500)
    assert counts["released"] > 0
    assert counts["sent"] + counts["released"] == counts["claimed"] - counts.get("skipped", 0)
    assert len(handler.received) == counts["sent"]
    rest = deliver_all(app, worker="w2")
    ids = received_ids(handler)
    assert rest["sent"] == counts["released"] and len(ids) == len(set(ids))


def test_a_small_batch_in_auto_mode_stays_in_the_dispatcher(sending_app):
    app, handler = sending_app("auto")
    hire(app, 1)
    counts = deliver_all(app)
    assert counts["sent"] == len(handler.received) > 0 and counts["claimed"] < 50
    assert not running_senders()


def test_with_prefetch_the_next_batch_goes_out_before_it_is_asked_for_and_each_step_once(
    sending_app,
):
    """Batches of 4 with prefetch: a full batch hands the next one's messages to the sender
    process before it returns (the server gets them before the next call), and the run as a
    whole sends and records each step once, as batches sent inline do."""
    inline, handler = sending_app("inline")
    for n in (1, 2, 3):
        hire(inline, n)
    expected = deliver_all(inline, limit=4)
    app, _ = sending_app("process", handler)
    for n in (4, 5, 6):
        hire(app, n)
    before = len(handler.received)

    first = deliver_due_batch(app=app, now=DAY_90, worker="w", limit=4, prefetch=True)
    assert first["claimed"] == 4 and first.get("sent", 0) == 4
    assert wait_for(lambda: len(handler.received) - before > 4)  # the next batch, unasked
    # recorded by the sender process already, counted by the call that takes that batch up
    assert wait_for(lambda: statuses(app)["sent"] > 4)
    rest = deliver_all(app, limit=4, prefetch=True)

    assert first["sent"] + rest["sent"] == expected["sent"]
    assert first["claimed"] + rest["claimed"] == expected["claimed"]
    ids = received_ids(handler)
    assert len(ids) == len(set(ids)) == 2 * expected["sent"]
    by_hire = ledger_by_hire(app)
    assert len(by_hire) == 6 and all(rows == by_hire["cand-1"] for rows in by_hire.values())
    assert set(statuses(app)) == {"sent"}


def test_a_next_batch_not_taken_up_is_recorded_as_far_as_it_went_out_and_the_rest_given_back(
    sending_app, monkeypatch
):
    """drop_heads (a run that fails or ends early): the messages handed over already are sent
    and recorded, the rest of that batch is pending again, and a later run sends it once."""
    monkeypatch.setattr(batches_module, "CHUNK", 2)  # the next batch hands 2 of its 4 over
    app, handler = sending_app("process")
    for n in (1, 2, 3):
        hire(app, n)
    first = deliver_due_batch(app=app, now=DAY_90, worker="w", limit=4, prefetch=True)
    dropped = drop_heads(app)
    assert drop_heads(app) == {}  # nothing left to give back

    assert dropped["sent"] == 2 and dropped["released"] == 2
    assert len(handler.received) == first["sent"] + 2
    assert statuses(app)["claimed"] == 0
    rest = deliver_all(app, worker="w2")
    ids = received_ids(handler)
    assert len(ids) == len(set(ids)) == first["sent"] + dropped["sent"] + rest["sent"]
    assert set(statuses(app)) == {"sent"}
