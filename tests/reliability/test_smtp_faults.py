"""SMTP faults at the dispatcher level, against a real aiosmtpd: server down, 421/451 (retried
with backoff, sent later), 550 (failed for good, not retried, shown by `leerpad deliveries`),
and the connection dropped mid-batch. Each ends with the receiving server's Message-IDs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from flows.bootstrap import bootstrap, reset
from flows.delivery import deliver_due_batch
from integrations.mail.smtp import SmtpMailer, SmtpSettings
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.enrollment import ScheduledStep
from tests.integration.conftest import free_port
from tests.reliability.conftest import ROOT, SinkHandler, worker_env
from tests.reliability.seed import JOURNEYS_DIR, seed_due_steps
from tests.reliability.test_crash_safety import FIRST_RUN, ledger


@pytest.fixture
def dispatcher(database, tmp_path):
    """An app on this test's database that sends to a given port; returns (app, backoff sleeps)."""
    sleeps: list[float] = []

    def make(port: int):
        url = f"smtp://127.0.0.1:{port}?timeout=5"
        settings = LeerpadSettings(
            database_url=database.url, smtp_url=url, journeys_dir=JOURNEYS_DIR, outbox_dir=tmp_path
        )
        mailer = SmtpMailer(SmtpSettings.from_url(url), retry_delays=(0.5, 2), sleep=sleeps.append)
        return bootstrap(settings=settings, engine=database.engine, mailer=mailer), sleeps

    yield make
    reset()


def dispatch(app, now=FIRST_RUN) -> dict[str, int]:
    return deliver_due_batch(app=app, now=now, worker="w", limit=100)


def steps(database) -> list[ScheduledStep]:
    with session_scope(database.engine) as session:
        return list(session.exec(select(ScheduledStep).order_by(ScheduledStep.id)).all())


def test_server_down_puts_every_step_back_and_a_later_run_sends_each_once(database, dispatcher):
    port = free_port()  # nothing listens here yet
    total = seed_due_steps(database.engine, hires=4)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"retry": total, "claimed": total}
    assert sleeps == [0.5, 2]  # backoff on the first message only: the server is down
    later = steps(database)
    assert {s.status for s in later} == {"pending"}
    assert all("cannot connect" in (s.last_error or "") for s in later)
    assert {s.due_at for s in later} == {FIRST_RUN + timedelta(minutes=5)}
    assert ledger(database) == (0, {"pending": total})

    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert dispatch(app) == {"claimed": 0}  # not before their next try
        assert dispatch(app, FIRST_RUN + timedelta(minutes=5)) == {"sent": total, "claimed": total}
    finally:
        controller.stop()
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})


@pytest.mark.parametrize("reply", ["421 4.3.2 service shutting down", "451 4.3.0 try later"])
def test_a_passing_4xx_is_retried_with_backoff_in_the_same_batch(database, dispatcher, sink, reply):
    handler, port = sink(SinkHandler(replies=[reply]))
    total = seed_due_steps(database.engine, hires=2)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"sent": total, "claimed": total}
    assert sleeps == [0.5] and handler.data_attempts == total + 1
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})


@pytest.mark.parametrize("code", ["421 4.3.2 closing", "451 4.3.0 try later"])
def test_a_lasting_4xx_sends_the_step_later_not_never(database, dispatcher, sink, code):
    handler, port = sink(SinkHandler(replies=[code] * 3))  # every try of the first message
    total = seed_due_steps(database.engine, hires=1)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"retry": 1, "sent": total - 1, "claimed": total}
    first = steps(database)[0]
    assert first.status == "pending" and code[:3] in first.last_error
    assert sleeps == [0.5, 2]
    assert dispatch(app, first.due_at) == {"sent": 1, "claimed": 1}
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})


def deliveries_cli(database, *args: str) -> subprocess.CompletedProcess[str]:
    leerpad = str(Path(sys.executable).parent / "leerpad")
    return subprocess.run(
        [leerpad, "deliveries", "list", *args], cwd=ROOT, env=worker_env(database, None),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_a_550_fails_for_good_is_not_retried_and_hr_sees_it_without_the_address(
    database, dispatcher, sink
):
    refused = "hire2@example.org"
    handler, port = sink(
        SinkHandler(
            rcpt_reply=lambda a: (
                f"550 5.1.1 <{a}>: Recipient address rejected" if a == refused else None
            )
        )
    )
    total = seed_due_steps(database.engine, hires=4)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"failed": 5, "sent": total - 5, "claimed": total}
    assert sleeps == [] and handler.rcpt_attempts == total
    attempts = handler.rcpt_attempts
    assert dispatch(app, FIRST_RUN + timedelta(days=7)) == {"claimed": 0}
    assert handler.rcpt_attempts == attempts  # never tried again

    shown = deliveries_cli(database, "--failed", "--json")
    assert shown.returncode == 0, shown.stderr
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    assert len(rows) == 5 and {r["status"] for r in rows} == {"failed"}
    assert {r["step"] for r in rows} == {
        "welcome", "learning-offer", "first-day", "checkin-30", "checkin-60"
    }  # fmt: skip
    assert all(r["error"].startswith("550 5.1.1 <address>") for r in rows)
    assert "@" not in shown.stdout + shown.stderr
    table = deliveries_cli(database, "--failed")
    assert table.returncode == 0 and "550" in table.stdout and "@" not in table.stdout
    everything = deliveries_cli(database, "--json", "--limit", "1000")
    assert len(everything.stdout.splitlines()) == total
    assert deliveries_cli(database, "--limit", "0").returncode == 2


def test_a_connection_dropped_every_few_messages_loses_nothing_and_repeats_nothing(
    database, dispatcher, sink
):
    handler, port = sink(SinkHandler(close_every=3))
    total = seed_due_steps(database.engine, hires=4)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"sent": total, "claimed": total}
    assert len(handler.peers) >= total // 3  # a new connection after each drop
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})


def test_a_drop_after_the_server_took_the_message_repeats_that_one_message_only(
    database, dispatcher, sink
):
    """The one window no client can close: the server took message 4 in but the connection
    dropped before its 250 reached us. It is sent again, with the same Message-ID, once."""
    handler, port = sink(SinkHandler(drop_at=4))
    total = seed_due_steps(database.engine, hires=2)
    app, sleeps = dispatcher(port)
    assert dispatch(app) == {"sent": total, "claimed": total}
    assert len(handler.ids) == total and handler.duplicates == 1
    assert sorted(handler.ids.values())[-1] == 2 and sleeps == [0.5]
    assert ledger(database) == (total, {"sent": total})


class SteppedClock:
    """A monotonic clock that moves only when the mailer sleeps (its backoff)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_refusing_server_cannot_keep_a_batch_sending_past_its_lease(database, sink, tmp_path):
    """Backoff on a 4xx takes time; once a batch has used half its 10 s lease it stops and gives
    its unsent steps back, so no other dispatcher claims a step this one might still send."""
    handler, port = sink(SinkHandler(replies=["451 4.3.0 try later"] * 3))
    total = seed_due_steps(database.engine, hires=2)
    clock = SteppedClock()
    url = f"smtp://127.0.0.1:{port}?timeout=5"
    settings = LeerpadSettings(
        database_url=database.url, smtp_url=url, journeys_dir=JOURNEYS_DIR,
        outbox_dir=tmp_path, lease_seconds=10,
    )  # fmt: skip
    mailer = SmtpMailer(SmtpSettings.from_url(url), retry_delays=(3, 3), sleep=clock.sleep)
    app = bootstrap(settings=settings, engine=database.engine, mailer=mailer)
    try:
        counts = deliver_due_batch(app=app, now=FIRST_RUN, worker="a", limit=100, clock=clock)
        assert counts == {"retry": 1, "released": total - 1, "claimed": total}
        assert clock.now == 6 and handler.accepted == 0
        first, *rest = steps(database)
        assert first.status == "pending" and "451" in first.last_error
        assert {(s.status, s.attempts, s.claimed_by, s.last_error) for s in rest} == {
            ("pending", 0, None, None)
        }
        counts = deliver_due_batch(app=app, now=FIRST_RUN, worker="b", limit=100, clock=clock)
        assert counts == {"sent": total - 1, "claimed": total - 1}  # at once: no lease to wait
        later = FIRST_RUN + timedelta(minutes=5)
        assert deliver_due_batch(app=app, now=later, worker="b", limit=100, clock=clock) == {
            "sent": 1, "claimed": 1
        }  # fmt: skip
    finally:
        reset()
    assert len(handler.ids) == total and handler.duplicates == 0
    assert ledger(database) == (total, {"sent": total})
