"""Deliver one batch of claimed steps: load, compose, send, record. Plain Python, no Prefect.

Big batches for an SMTP server go through a sender process (flows/sender_batches.py); the rest
are sent here. What both share (load, compose, record) is in flows/batch_parts.py.
"""

from __future__ import annotations

import inspect
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flows.batch_parts import (
    Record,
    load_claimed,
    outcome_of,
    prepare,
    record_extra,
    recorder,
    release_unsent,
    retry_after,
)
from flows.bootstrap import App, Mailer
from flows.sender_batches import (
    drop_heads,
    new_flight,
    send_in_process,
    sender_for_batch,
    sends_in_process,
    take_head,
)
from integrations.mail.message import DeliveryResult, OnResult, OutgoingMessage
from models.claims import claim_due_steps
from models.db import session_scope
from models.outbound import StepBundle, addressed

__all__ = [
    "deliver_due_batch", "drop_heads", "reports_each", "retry_after", "send_each",
    "sends_in_process", "worker_name",
]  # fmt: skip


def worker_name() -> str:
    """A name for this dispatcher process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class _OutOfTime(Exception):
    """The batch used half its lease: stop sending before another worker may claim its steps."""


def deliver_due_batch(
    *,
    app: App,
    now: datetime,
    worker: str,
    limit: int,
    clock: Callable[[], float] = time.monotonic,
    prefetch: bool = False,
) -> dict[str, int]:
    """Claim up to `limit` due steps, deliver them and record the outcome; returns counts.

    Each sent message is recorded in the ledger (its own short transaction) before the next one
    goes out, so a dispatcher killed mid-batch leaves at most the message in flight unrecorded;
    the next claim re-sends only that one, under the same Message-ID. A batch that has used half
    its lease (a slow or refusing server, retried with backoff) stops sending and gives its
    unsent steps back (`released`), so no other worker can claim a step it is still sending.

    With a sender process and `prefetch` (for a caller that goes on until a batch is not full,
    as the dispatch flow does), a full batch claims the next one and hands that one's first
    chunk to the sender process before its own last messages are out: the next call with the
    same app, worker, moment and limit goes on from there, and `drop_heads` gives back what no
    call took up.
    """
    lease = timedelta(seconds=app.settings.lease_seconds)
    budget = lease.total_seconds() / 2
    head = take_head(app, worker, now, limit)
    if head is not None:
        ids, started = head.ids, head.claimed_at
    else:
        started = clock()
        with session_scope(app.engine) as session:
            ids = claim_due_steps(session=session, now=now, worker=worker, limit=limit, lease=lease)
    if not ids:
        return {"claimed": 0}
    sender = head.flight.sender if head is not None else sender_for_batch(app, len(ids), clock)
    with app.composer.renderer.steady():  # templates looked up once a batch
        if sender is None:
            counts: dict[str, int] = {}
            bundles = load_claimed(app, ids)
            out_of_time = lambda: clock() - started >= budget  # noqa: E731
            record = recorder(app, worker, now, counts)
            _send_here(app, bundles, now, worker, record, counts, out_of_time)
        else:
            deadline = time.time() + budget - (clock() - started)
            flight = head.flight if head is not None else new_flight(
                app, sender, worker, now, deadline
            )  # fmt: skip
            counts = flight.counts
            with sender.lock:
                send_in_process(app, ids, flight, head=head, next_limit=limit if prefetch else None)
    counts["claimed"] = len(ids)
    return counts


def _send_here(
    app: App,
    bundles: list[StepBundle],
    now: datetime,
    worker: str,
    record: Record,
    counts: dict[str, int],
    out_of_time: Callable[[], bool],
) -> None:
    """Compose the whole batch, then send it with the app's mailer in this process."""
    prepared = prepare(app, bundles, now)
    record(prepared.outcomes)
    if not prepared.fresh:
        return
    extras = prepared.extras
    pending = {c.message.message_id: (sid, c) for sid, c in prepared.fresh if c.message}

    def on_result(result: DeliveryResult) -> None:
        if result.message_id in extras:
            record_extra(app, *extras.pop(result.message_id), result, now)
            return
        sid, composed = pending.pop(result.message_id)
        record([addressed(outcome_of(app, bundles, sid, composed, result), composed.address)])
        if pending and streaming and out_of_time():
            raise _OutOfTime

    streaming = reports_each(app.mailer)
    try:
        send_each(app.mailer, [m for _, _, m, _ in prepared.messages()], on_result)
    except _OutOfTime:
        release_unsent(app, [sid for sid, _ in pending.values()], worker, now, counts)


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
