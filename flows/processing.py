"""Store and process events, plain Python: the webhook app, the CLI and the flow share it."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from flows.bootstrap import App
from journeys.events import Event
from models.db import is_sqlite, session_scope
from models.inbox import InboxEvent
from models.inbox_store import process_inbox_event, store_event

log = logging.getLogger("leerpad.events")


class EventProcessingFailed(RuntimeError):
    """An inbox event could not be processed; the details stay on the inbox row, not in logs."""


def store(*, app: App, event: Event, now: datetime) -> tuple[int, bool]:
    """Store a canonical event in the inbox; returns (id, duplicate)."""
    with session_scope(app.engine) as session:
        return store_event(session=session, event=event, now=now)


def resolve_fetched(*, app: App, inbox_id: int) -> None:
    """For an id-only webhook, fetch the record from the vendor API and store the event it gives."""
    with session_scope(app.engine) as session:
        row = session.get(InboxEvent, inbox_id)
        payload = json.loads(row.payload) if row is not None else {}
    if not is_fetch(payload):
        return
    from integrations.intake import fetch_from_dict
    from integrations.sources.clients import resolve_with_settings

    event = resolve_with_settings(fetch_from_dict(payload["fetch"]))
    with session_scope(app.engine) as session:
        row = session.get(InboxEvent, inbox_id)
        if row is not None:
            row.payload, row.event_type = event.model_dump_json(), event.type


def is_fetch(payload: object) -> bool:
    """Tell whether a stored payload is an id-only notice still to be resolved."""
    return isinstance(payload, dict) and "fetch" in payload


def erase_outbox_copies(*, app: App, inbox_id: int) -> int:
    """Before an erasure at the source (`candidate.erased`) is applied, delete the person's .eml
    files from the file outbox, as `leerpad privacy erase` does; returns how many."""
    if app.transport != "outbox":
        return 0
    from flows.outbox_erasure import erase_outbox_files, outbox_needles
    from models.records import find_person

    with session_scope(app.engine) as session:
        row = session.get(InboxEvent, inbox_id)
        if row is None or row.status != "received" or row.event_type != "candidate.erased":
            return 0
        event = Event.model_validate_json(row.payload)
        ref = event.person
        email = ref.email or ref.work_email or ref.personal_email
        person = find_person(
            session=session, source=event.source, external_id=ref.external_id, email=email
        )
        if person is None or person.erased_at is not None or person.id is None:
            return 0
        person_id = person.id
    needles = outbox_needles(app, person_id)
    return erase_outbox_files(Path(app.settings.outbox_dir), needles)


def process_stored_event(*, app: App, inbox_id: int, now: datetime) -> str:
    """Process one inbox event; on failure keep the error on the row and re-raise.

    One transaction for an event that came complete; an id-only notice is first resolved
    through the vendor API, outside any transaction, then processed.
    """
    try:
        erase_outbox_copies(app=app, inbox_id=inbox_id)
        with session_scope(app.engine) as session:
            row = session.get(InboxEvent, inbox_id)
            fetch = (
                row is not None and row.status == "received" and is_fetch(json.loads(row.payload))
            )
            if not fetch:
                outcome = process_inbox_event(
                    session=session, rules=app.rules, inbox_id=inbox_id, now=now
                )
        if fetch:
            resolve_fetched(app=app, inbox_id=inbox_id)
            with session_scope(app.engine) as session:
                outcome = process_inbox_event(
                    session=session, rules=app.rules, inbox_id=inbox_id, now=now
                )
        return outcome.status
    except Exception as exc:
        with session_scope(app.engine) as session:
            row = session.get(InboxEvent, inbox_id)
            if row is not None:
                row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
                row.attempts += 1
        log.warning("inbox event %s failed: %s", inbox_id, type(exc).__name__)
        raise EventProcessingFailed(
            f"inbox event {inbox_id} failed ({type(exc).__name__}); "
            f"see `leerpad events list --failed`, then `leerpad events replay {inbox_id}`"
        ) from None


def process_pending_events(
    *,
    app: App,
    now: datetime,
    grace: timedelta,
    lease: timedelta | None = None,
    limit: int = 500,
    pause: float = 0.0,
) -> dict[str, int]:
    """Process events stored more than `grace` ago and never processed (their processor died).

    Each event is first taken (a short transaction), so concurrent sweepers do not process it
    twice; a failure stays on the row as usual. An event taken by a processor that died is taken
    again once its take is older than `lease` (default: `grace`). After each event it sleeps
    `pause` seconds, so writers in other processes (webhooks on SQLite) get their turn. Returns
    counts by status.
    """
    from models.inbox_store import stale_received_ids, take_for_processing

    before, counts = now - grace, dict[str, int]()
    taken_before = now - lease if lease is not None else None
    with session_scope(app.engine) as session:
        ids = stale_received_ids(
            session=session, received_before=before, taken_before=taken_before, limit=limit
        )
    for inbox_id in ids:
        with session_scope(app.engine) as session:
            taken = take_for_processing(
                session=session, inbox_id=inbox_id, received_before=before, now=now,
                taken_before=taken_before,
            )  # fmt: skip
        if not taken:
            continue
        try:
            status = process_stored_event(app=app, inbox_id=inbox_id, now=now)
        except EventProcessingFailed:
            status = "failed"
        counts[status] = counts.get(status, 0) + 1
        if pause:
            time.sleep(pause)
    return counts


def process_received_events(
    *, app: App, stop: Callable[[], bool], interval: float = 0.5, once: bool = False,
    quiet: float = 0.25, max_wait: float = 10.0,
) -> dict[str, int]:  # fmt: skip
    """The processor of deferred mode: process every stored event as it arrives, oldest first.

    `leerpad serve --process deferred` answers webhooks without processing them; this loop (in
    a child process of `leerpad serve`, or `leerpad events work` elsewhere) takes each waiting
    event and processes it, then looks again after `interval` seconds once the inbox is empty.
    Several processors may run: each event is taken by one. An event whose processor died is
    taken again after the lease (LEERPAD_LEASE_SECONDS). Runs until `stop()` is true, or once.

    It waits while webhooks arrive (one stored in the last `quiet` seconds); once an event has
    waited `max_wait` seconds it processes 5 events per `quiet` seconds until the webhooks stop:
    a burst is acknowledged first and processed right after. On SQLite processing holds the one
    write lock every webhook needs, so it always waits; on PostgreSQL it competes for the cores
    (LEERPAD_PROCESSOR_YIELDS=false: process alongside the webhooks, for machines with cores
    to spare).
    """
    lease = timedelta(seconds=app.settings.lease_seconds)
    totals: dict[str, int] = {}
    polite = (is_sqlite(app.engine) or app.settings.processor_yields) and not once
    while not stop():
        arriving = overdue = False
        if polite:
            arriving, overdue = ingest_state(app=app, quiet=quiet, max_wait=max_wait)
        if arriving and not overdue:
            time.sleep(quiet)
            continue
        counts = process_pending_events(
            app=app, now=app.clock.now(), grace=timedelta(0), lease=lease,
            limit=5 if arriving else 10 if polite else 100, pause=0.002 if polite else 0.0,
        )  # fmt: skip
        for status, count in counts.items():
            totals[status] = totals.get(status, 0) + count
        if once and not counts:
            break
        if arriving:  # overdue events went first; now the webhooks again
            time.sleep(quiet)
        elif not counts:
            time.sleep(interval)
    return totals


def ingest_state(*, app: App, quiet: float, max_wait: float) -> tuple[bool, bool]:
    """Whether webhooks are arriving (the newest stored less than `quiet` s ago), and whether a
    waiting event is overdue (stored more than `max_wait` s ago)."""
    from models.inbox_store import newest_and_oldest_waiting

    with session_scope(app.engine) as session:
        newest, oldest_waiting = newest_and_oldest_waiting(session=session)
    now = app.clock.now()
    if newest is None or oldest_waiting is None:
        return False, False
    arriving = (now - newest).total_seconds() < quiet
    return arriving, (now - oldest_waiting).total_seconds() >= max_wait


def store_and_process_many(
    *, app: App, events: Sequence[Event], now: datetime, on_done: Callable[[], None] | None = None
) -> list[tuple[str, str | None]]:
    """Store and process many events in one transaction, each in its own savepoint.

    The bulk path (CSV imports): one commit per call instead of three per event. An event that
    fails is rolled back to its savepoint and kept as a failed inbox row, as
    `process_stored_event` does; the others stay. Returns, per event in order, its outcome
    ("processed" | "ignored" | "duplicate" | "failed") and the error to show, if any.
    """
    results: list[tuple[str, str | None]] = []
    with session_scope(app.engine) as session:
        for event in events:
            inbox_id, duplicate = store_event(session=session, event=event, now=now)
            if duplicate:
                results.append(("duplicate", None))
            else:
                results.append(
                    _process_in_savepoint(app=app, session=session, inbox_id=inbox_id, now=now)
                )
            if on_done is not None:
                on_done()
    return results


def _process_in_savepoint(
    *, app: App, session: Session, inbox_id: int, now: datetime
) -> tuple[str, str | None]:
    try:
        with session.begin_nested():
            outcome = process_inbox_event(
                session=session, rules=app.rules, inbox_id=inbox_id, now=now
            )
        return outcome.status, None
    except Exception as exc:
        row = session.get(InboxEvent, inbox_id)
        if row is not None:
            row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
            row.attempts += 1
        log.warning("inbox event %s failed: %s", inbox_id, type(exc).__name__)
        return "failed", (
            f"inbox event {inbox_id} failed ({type(exc).__name__}); "
            f"see `leerpad events list --failed`, then `leerpad events replay {inbox_id}`"
        )
