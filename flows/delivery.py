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
from flows.send_pipeline import SendPipeline, quick_switching
from integrations.compose import Composed
from integrations.mail.message import DeliveryResult, OnResult, OutgoingMessage
from models.claims import claim_due_steps, release_claims
from models.db import session_scope
from models.delivery import Delivery
from models.outbound import (
    StepBundle,
    StepOutcome,
    addressed,
    load_bundles,
    record_extra_delivery,
    record_outcomes,
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

    With a mailer that reports each result, sending (and recording) runs on a thread of its own
    while the next messages are composed, a chunk of steps at a time (see `SendPipeline`).
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
        with session_scope(app.engine) as session:
            done = record_outcomes(
                session=session, worker=worker, outcomes=outcomes, now=now, retry_after=retry_after
            )
        for key, value in done.items():
            counts[key] = counts.get(key, 0) + value

    pending: dict[str, tuple[int, Composed]] = {}  # Message-ID -> (step id, composed), unsent
    extras: dict[str, tuple[int, Composed]] = {}  # a cancel sent besides a step's own message
    streaming = reports_each(app.mailer)

    def on_result(result: DeliveryResult) -> None:
        if result.message_id in extras:
            record_extra(app, *extras.pop(result.message_id), result, now)
            return
        sid, composed = pending.pop(result.message_id)
        record([addressed(_outcome(app, bundles, sid, composed, result), composed.address)])
        if streaming and clock() - started >= budget:
            raise _OutOfTime

    try:
        if streaming:
            _pipelined(app, bundles, now, pending, extras, record, on_result)
        else:
            outcomes, messages = _prepare(app, bundles, now, pending, extras)
            record(outcomes)
            send_each(app.mailer, messages, on_result)
    except _OutOfTime:
        with session_scope(app.engine) as session:
            released = release_claims(session=session, step_ids=ids, worker=worker, now=now)
        if released:
            counts["released"] = released
            log.warning("batch stopped at half its lease; %s unsent steps released", released)
    counts["claimed"] = len(ids)
    return counts


CHUNK = 8  # steps composed before their messages are handed to the sender


def _pipelined(app, bundles, now, pending, extras, record, on_result) -> None:  # type: ignore[no-untyped-def]
    """Compose a chunk of steps, hand its outcomes and messages to the sender thread, compose
    the next chunk while those go out; raises what stopped the sender (e.g. `_OutOfTime`)."""
    with quick_switching():
        pipe = SendPipeline(
            lambda messages, tell: app.mailer.send_batch(messages, on_result=tell), on_result
        )
        prebuild = getattr(app.mailer, "prebuild", None)  # MIME made here, not on the sender
        try:
            for first in range(0, len(bundles), CHUNK):
                outcomes, messages = _prepare(
                    app, bundles[first : first + CHUNK], now, pending, extras
                )
                if outcomes and not pipe.put(lambda outcomes=outcomes: record(outcomes)):
                    break
                for message in messages:
                    if prebuild is not None:
                        prebuild(message)
                    if not pipe.put(message):
                        return
        finally:
            pipe.close()


def _prepare(
    app: App,
    bundles: list[StepBundle],
    now: datetime,
    pending: dict[str, tuple[int, Composed]],
    extras: dict[str, tuple[int, Composed]],
) -> tuple[list[StepOutcome], list[OutgoingMessage]]:
    """Compose steps and send their chat; returns the outcomes to record (skipped, failed,
    chat-only, already sent) and the email messages to send, each step's cancel for a former
    calendar before its own message. Fills `pending` and `extras` with what is to be sent."""
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
    messages: list[OutgoingMessage] = []
    for sid, c in to_send:
        if c.message is None:
            continue
        if c.message.message_id in already:
            outcomes.append(StepOutcome(sid, "sent", None, c.sequence, "already in the ledger"))
            continue
        for extra in c.also:
            if extra.message_id not in already:
                extras[extra.message_id] = (sid, c)
                messages.append(extra)
        pending[c.message.message_id] = (sid, c)
        messages.append(c.message)
    return outcomes, messages


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
