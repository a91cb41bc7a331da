"""The parts of delivering a batch that sending here and sending in a sender process share:
load claimed steps, compose them, record outcomes, give unsent steps back. Plain Python."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import select

from flows.bootstrap import App
from flows.chat_delivery import deliver_chat
from integrations.compose import Composed
from integrations.mail.message import DeliveryResult, OutgoingMessage
from models.claims import release_claims
from models.db import NeedsWriter, one_writer, read_scope, session_scope
from models.delivery import Delivery
from models.in_list import one_of
from models.outbound import (
    StepBundle,
    StepOutcome,
    load_bundles,
    record_extra_delivery,
    record_outcomes,
    record_sent,
    recording_connection,
)

log = logging.getLogger("leerpad.dispatch")
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = 5

Record = Callable[[list[StepOutcome]], None]


def retry_after(attempts: int) -> timedelta:
    """How long to wait before the next try of a temporarily failed step."""
    return RETRY_DELAYS[min(max(attempts - 1, 0), len(RETRY_DELAYS) - 1)]


def load_claimed(app: App, ids: list[int]) -> list[StepBundle]:
    """Load claimed steps: as a read (on SQLite without the write lock, so a sender process
    records meanwhile), or, when loading writes (a hire's first plan, say), as a unit of work."""
    try:
        with read_scope(app.engine) as session:
            return load_bundles(session=session, step_ids=ids, learning=app.learning)
    except NeedsWriter:
        pass
    with session_scope(app.engine) as session:
        return load_bundles(session=session, step_ids=ids, learning=app.learning)


def recorder(app: App, worker: str, now: datetime, counts: dict[str, int]) -> Record:
    """Record outcomes and add them to `counts`: a single sent message in three statements on a
    plain connection, anything else through the ORM (`record_outcomes`)."""

    def record(outcomes: list[StepOutcome]) -> None:
        if not outcomes:
            return
        if len(outcomes) == 1 and outcomes[0].status == "sent" and outcomes[0].message_id:
            with one_writer(app.engine), recording_connection(app.engine) as connection:
                with connection.begin():  # no ORM session
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

    return record


@dataclass
class Prepared:
    """Composed steps of a batch (or part of one): outcomes to record now (skipped, failed,
    sent by chat alone, already in the ledger) and the emails to send."""

    outcomes: list[StepOutcome]
    fresh: list[tuple[int, Composed]]  # steps whose main message goes out now
    extras: dict[str, tuple[int, Composed]]  # cancels to a former calendar, by Message-ID

    def messages(self) -> list[tuple[int, Composed, OutgoingMessage, bool]]:
        """(step id, composition, message, is the step's main message) in sending order: the
        cancels to former calendars first, as before."""
        extra = [(sid, c, m, False) for sid, c in self.fresh for m in c.also
                 if m.message_id in self.extras]  # fmt: skip
        return extra + [(sid, c, c.message, True) for sid, c in self.fresh if c.message]


def prepare(app: App, bundles: list[StepBundle], now: datetime) -> Prepared:
    """Compose each step, let chat take what it fully takes care of, and leave out messages
    the ledger already holds as sent."""
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
    return Prepared(outcomes, fresh, extras)


def release_unsent(
    app: App, unsent: list[int], worker: str, now: datetime, counts: dict[str, int]
) -> None:
    """Give back the steps a batch did not send before half its lease (counted as released)."""
    with session_scope(app.engine) as session:
        released = release_claims(session=session, step_ids=unsent, worker=worker, now=now)
    counts["released"] = counts.get("released", 0) + released
    log.warning("batch stopped at half its lease; %s unsent steps released", released)


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
    with app.engine.connect() as connection:  # a read: no writer lock, no ORM session
        query = select(Delivery.message_id).where(
            one_of(connection, Delivery.message_id, message_ids), Delivery.status == "sent"
        )
        return set(connection.execute(query).scalars())


def outcome_of(
    app: App, bundles: list[StepBundle], step_id: int, composed: Composed, result: DeliveryResult
) -> StepOutcome:
    """The outcome of a step's main message: sent, failed for good (a permanent refusal or the
    last attempt) or to retry later."""
    message_id = composed.message.message_id if composed.message else None
    if result.ok:
        return StepOutcome(step_id, "sent", message_id, composed.sequence, "", app.transport)
    attempts = next((b.step.attempts for b in bundles if b.step.id == step_id), MAX_ATTEMPTS)
    if result.permanent or attempts >= MAX_ATTEMPTS:
        return StepOutcome(
            step_id, "failed", message_id, composed.sequence, result.detail, app.transport
        )
    return StepOutcome(step_id, "retry", None, composed.sequence, result.detail, app.transport)
