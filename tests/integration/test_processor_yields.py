"""The deferred processor waits while webhooks arrive, so a burst is answered first: on SQLite
always (one writer), on PostgreSQL unless LEERPAD_PROCESSOR_YIELDS=false. An event that waited
too long is processed even while the webhooks go on."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from sqlmodel import select

from flows.processing import process_received_events
from integrations.intake import take_in
from models.db import is_sqlite, session_scope
from models.inbox import InboxEvent
from tests.integration.test_webhooks_http import HIRED, SECRET, signed


def store(app, number: int) -> None:
    body = json.dumps(HIRED | {"id": f"generic:yield-{number}"}).encode()
    intake = take_in(engine=app.engine, source="generic", raw=body, headers=signed(body),
                     secret=SECRET, now=app.clock.now())  # fmt: skip
    assert intake.status == 202


def statuses(app) -> list[str]:
    with session_scope(app.engine) as session:
        return [row.status for row in session.exec(select(InboxEvent).order_by(InboxEvent.id))]


def run_a_few_rounds(app, rounds: int = 3) -> dict[str, int]:
    left = iter(range(rounds))
    return process_received_events(
        app=app, stop=lambda: next(left, None) is None, interval=0.01, quiet=0.01, max_wait=10.0
    )


def test_a_webhook_stored_just_now_makes_the_processor_wait(app):
    store(app, 1)  # the simulated clock stands still: this webhook arrived "just now"
    assert run_a_few_rounds(app) == {}
    assert statuses(app) == ["received"]

    app.clock.advance(timedelta(seconds=1))  # the webhooks stopped: the burst is processed
    assert run_a_few_rounds(app) == {"processed": 1}
    assert statuses(app) == ["processed"]


def test_an_event_that_waited_too_long_is_processed_while_webhooks_go_on(app):
    store(app, 1)
    app.clock.advance(timedelta(seconds=11))
    store(app, 2)  # still arriving, but the first event has waited over max_wait
    assert run_a_few_rounds(app, rounds=1) == {"processed": 2}


def test_with_yielding_off_postgres_processes_alongside_the_webhooks_and_sqlite_still_waits(app):
    eager = dataclasses.replace(
        app, settings=app.settings.model_copy(update={"processor_yields": False})
    )
    store(eager, 1)
    totals = run_a_few_rounds(eager)
    if is_sqlite(app.engine):
        assert totals == {} and statuses(app) == ["received"]
    else:
        assert totals == {"processed": 1} and statuses(app) == ["processed"]
