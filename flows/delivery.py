"""Deliver one batch of claimed steps: load, compose, send, record. Plain Python, no Prefect."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlmodel import col, select

from flows.bootstrap import App
from models.claims import claim_due_steps
from models.db import session_scope
from models.delivery import Delivery
from models.outbound import StepOutcome, load_bundles, record_outcomes

log = logging.getLogger("leerpad.dispatch")
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5


def worker_name() -> str:
    """A name for this dispatcher process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def retry_after(attempts: int) -> timedelta:
    """How long to wait before the next try of a temporarily failed step."""
    return RETRY_DELAYS[min(max(attempts - 1, 0), len(RETRY_DELAYS) - 1)]


def deliver_due_batch(*, app: App, now: datetime, worker: str, limit: int) -> dict[str, int]:
    """Claim up to `limit` due steps, deliver them and record the outcome; returns counts."""
    lease = timedelta(seconds=app.settings.lease_seconds)
    with session_scope(app.engine) as session:
        ids = claim_due_steps(session=session, now=now, worker=worker, limit=limit, lease=lease)
    if not ids:
        return {"claimed": 0}
    with session_scope(app.engine) as session:
        bundles = load_bundles(session=session, step_ids=ids, learning=app.learning)
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
    already = _already_sent(app, [c.message.message_id for _, c in to_send if c.message])
    fresh = [(sid, c) for sid, c in to_send if c.message and c.message.message_id not in already]
    for sid, c in to_send:
        if c.message and c.message.message_id in already:
            outcomes.append(StepOutcome(sid, "sent", None, c.sequence, "already in the ledger"))
    results = app.mailer.send_batch([c.message for _, c in fresh if c.message]) if fresh else []
    for (sid, composed), result in zip(fresh, results, strict=True):
        outcomes.append(_outcome(app, bundles, sid, composed, result))
    with session_scope(app.engine) as session:
        counts = record_outcomes(
            session=session, worker=worker, outcomes=outcomes, now=now, retry_after=retry_after
        )
    counts["claimed"] = len(ids)
    return counts


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
