"""Deliver one batch of claimed steps: load, compose, send, record. Plain Python, no Prefect."""

from __future__ import annotations

import inspect
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import col, select

from flows.bootstrap import App, Mailer
from flows.chat_delivery import deliver_chat
from integrations.compose import Composed
from integrations.mail.message import DeliveryResult, OnResult, OutgoingMessage
from models.claims import claim_due_steps, release_claims
from models.db import one_writer, session_scope
from models.delivery import Delivery
from models.outbound import (
    StepOutcome,
    addressed,
    load_bundles,
    record_extra_delivery,
    record_outcomes,
    record_sent,
)

log = logging.getLogger("leerpad.dispatch")
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5


def worker_name() -> str:
    """A name for this dispatcher process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def retry_after(attempts: int) -> timedelta:
    """How long to wait before the next try of a temporarily failed step."""
    return RETRY_DELAYS[min(max(attempts - 1, 0), len(RETRY_DELAYS) - 1)]


class _OutOfTime(Exception):
    """The batch used half its lease: stop sending before another worker may claim its steps."""


def deliver_due_batch(
    *,
    app: App,
    now: datetime,
    worker: str,
    limit: int,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, int]:
    """Claim up to `limit` due steps, deliver them and record the outcome; returns counts.

    Each sent message is recorded in the ledger (its own short transaction) before the next one
    goes out, so a dispatcher killed mid-batch leaves at most the message in flight unrecorded;
    the next claim re-sends only that one, under the same Message-ID. A batch that has used half
    its lease (a slow or refusing server, retried with backoff) stops sending and gives its
    unsent steps back (`released`), so no other worker can claim a step it is still sending.
    """
    lease = timedelta(seconds=app.settings.lease_seconds)
    started, budget = clock(), lease.total_seconds() / 2
    with session_scope(app.engine) as session:
        ids = claim_due_steps(session=session, now=now, worker=worker, limit=limit, lease=lease)
    if not ids:
        return {"claimed": 0}
    with session_scope(app.engine) as session:
        bundles = load_bundles(session=session, step_ids=ids, learning=app.learning)
    counts: dict[str, int] = {}

    def record(outcomes: list[StepOutcome]) -> None:
        if not outcomes:
            return
        if len(outcomes) == 1 and outcomes[0].status == "sent" and outcomes[0].message_id:
            with one_writer(app.engine), app.engine.begin() as connection:  # no ORM session
                held = record_sent(
                    connection=connection, worker=worker, outcome=outcomes[0], now=now
                )
            key = "sent" if held else "lost_lease"
            counts[key] = counts.get(key, 0) + 1
            return
        with session_scope(app.engine) as session:
            done = record_outcomes(
                session=session, worker=worker, outcomes=outcomes, now=now, retry_after=retry_after
            )
        for key, value in done.items():
            counts[key] = counts.get(key, 0) + value

    outcomes: list[StepOutcome] = []
    to_send = []
    for bundle in bundles:
        step_id = int(bundle.step.id or 0)
        try:
            composed = app.composer.compose(bundle, now=now)
        except Exception as exc:  # a broken template must not block the batch
            log.warning("step %s could not be composed: %s", step_id, type(exc).__name__)
            outcomes.append(StepOutcome(step_id, "failed", detail=f"compose: {exc}"[:500]))
            continue
        if composed.message is None:
            outcomes.append(StepOutcome(step_id, "skipped", detail=composed.skip_reason))
            continue
        to_send.append((step_id, composed))
    to_send, chat_outcomes = deliver_chat(app=app, bundles=bundles, composed=to_send, now=now)
    outcomes += chat_outcomes  # steps that chat alone took care of; the rest go by email
    message_ids = [
        m.message_id for _, c in to_send for m in ((c.message,) if c.message else ()) + c.also
    ]
    already = _already_sent(app, message_ids)
    fresh = [(sid, c) for sid, c in to_send if c.message and c.message.message_id not in already]
    extras = {
        m.message_id: (sid, c)
        for sid, c in to_send
        for m in c.also
        if m.message_id not in already and (sid, c) in fresh
    }
    for sid, c in to_send:
        if c.message and c.message.message_id in already:
            outcomes.append(StepOutcome(sid, "sent", None, c.sequence, "already in the ledger"))
    record(outcomes)
    if fresh:
        pending = {c.message.message_id: (sid, c) for sid, c in fresh if c.message}

        def on_result(result: DeliveryResult) -> None:
            if result.message_id in extras:
                record_extra(app, *extras.pop(result.message_id), result, now)
                return
            sid, composed = pending.pop(result.message_id)
            record([addressed(_outcome(app, bundles, sid, composed, result), composed.address)])
            if pending and streaming and clock() - started >= budget:
                raise _OutOfTime

        streaming = reports_each(app.mailer)
        try:
            messages = [m for _, c in fresh for m in c.also if m.message_id in extras]
            messages += [c.message for _, c in fresh if c.message]
            send_each(app.mailer, messages, on_result)
        except _OutOfTime:
            unsent = [sid for sid, _ in pending.values()]
            with session_scope(app.engine) as session:
                released = release_claims(session=session, step_ids=unsent, worker=worker, now=now)
            counts["released"] = released
            log.warning("batch stopped at half its lease; %s unsent steps released", released)
    counts["claimed"] = len(ids)
    return counts


def reports_each(mailer: Mailer) -> bool:
    """Tell whether a mailer reports each result as it goes (its send_batch takes on_result)."""
    return "on_result" in inspect.signature(mailer.send_batch).parameters


def send_each(mailer: Mailer, messages: list[OutgoingMessage], on_result: OnResult) -> None:
    """Send a batch, telling `on_result` each outcome as soon as the mailer knows it.

    Mailers that take no `on_result` (the plain Mailer protocol) report when the batch is done.
    """
    if reports_each(mailer):
        mailer.send_batch(messages, on_result=on_result)  # type: ignore[call-arg]
        return
    for result in mailer.send_batch(messages):
        on_result(result)


def record_extra(
    app: App, step_id: int, composed: Composed, result: DeliveryResult, now: datetime
) -> None:
    """Record a cancel that took an invite out of the hire's former calendar (its own row in the
    ledger; the step's status is its main message's)."""
    address, kind = composed.also_sent_to or (None, None)
    outcome = StepOutcome(
        step_id, "sent" if result.ok else "failed", result.message_id, composed.sequence,
        "" if result.ok else result.detail, app.transport, address=address, address_kind=kind,
    )  # fmt: skip
    with session_scope(app.engine) as session:
        record_extra_delivery(
            session=session, step_id=step_id, outcome=outcome, action="cancel", now=now
        )
    if not result.ok:
        log.warning("step %s: the cancel for a former calendar failed", step_id)


def _already_sent(app: App, message_ids: list[str]) -> set[str]:
    if not message_ids:
        return set()
    with session_scope(app.engine) as session:
        rows = session.exec(
            select(Delivery.message_id).where(
                col(Delivery.message_id).in_(message_ids), Delivery.status == "sent"
            )
        ).all()
    return set(rows)


def _outcome(app, bundles, step_id, composed, result) -> StepOutcome:  # type: ignore[no-untyped-def]
    message_id = composed.message.message_id
    if result.ok:
        return StepOutcome(step_id, "sent", message_id, composed.sequence, "", app.transport)
    attempts = next((b.step.attempts for b in bundles if b.step.id == step_id), MAX_ATTEMPTS)
    if result.permanent or attempts >= MAX_ATTEMPTS:
        return StepOutcome(
            step_id, "failed", message_id, composed.sequence, result.detail, app.transport
        )
    return StepOutcome(step_id, "retry", None, composed.sequence, result.detail, app.transport)
