"""Deliver one batch of claimed steps: load, compose, send, record. Plain Python, no Prefect."""

from __future__ import annotations

import inspect
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from flows.bootstrap import App, Mailer
from flows.chat_delivery import deliver_chat
from flows.sender_process import SenderFailed, SenderProcess, SendJob, SendReport, sender_for
from integrations.compose import Composed
from integrations.mail.message import DeliveryResult, OnResult, OutgoingMessage
from integrations.mail.mime import build_mime
from integrations.mail.smtp import SmtpMailer, frame_data
from models.claims import claim_due_steps, release_claims
from models.db import NeedsWriter, one_writer, read_scope, session_scope
from models.delivery import Delivery
from models.outbound import (
    StepBundle,
    StepOutcome,
    addressed,
    load_bundles,
    prepare_bundles,
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
    prefetch: bool = True,
) -> dict[str, int]:
    """Claim up to `limit` due steps, deliver them and record the outcome; returns counts.

    Each sent message is recorded in the ledger (its own short transaction) before the next one
    goes out, so a dispatcher killed mid-batch leaves at most the message in flight unrecorded;
    the next claim re-sends only that one, under the same Message-ID. A batch that has used half
    its lease (a slow or refusing server, retried with backoff) stops sending and gives its
    unsent steps back (`released`), so no other worker can claim a step it is still sending.

    With a sender process and `prefetch`, a full batch claims the next one and loads its first
    part while the sender process finishes the last messages (`_Head`); the next call with the
    same app, worker, moment and limit goes on from there.
    """
    lease = timedelta(seconds=app.settings.lease_seconds)
    budget = lease.total_seconds() / 2
    head = _HEADS.pop(_head_key(app, worker, now, limit), None)
    if head is not None:
        ids, started = head.ids, head.claimed_at
    else:
        started = clock()
        with session_scope(app.engine) as session:
            ids = claim_due_steps(
                session=session, now=now, worker=worker, limit=limit, lease=lease
            )
    if not ids:
        return {"claimed": 0}
    counts: dict[str, int] = {}
    record = _recorder(app, worker, now, counts)
    sender = _sender(app, len(ids), clock)
    with app.composer.renderer.steady():  # templates looked up once a batch
        if sender is None:
            bundles = _load(app, ids)
            out_of_time = lambda: clock() - started >= budget  # noqa: E731
            _send_here(app, bundles, now, worker, record, counts, out_of_time)
        else:
            deadline = time.time() + budget - (clock() - started)
            with sender.lock:
                _send_in_process(
                    app, sender, ids, now, worker, record, counts, deadline,
                    first=head.first if head is not None else None,
                    next_limit=limit if prefetch else None,
                )  # fmt: skip
    counts["claimed"] = len(ids)
    return counts


def _load(app: App, ids: list[int]) -> list[StepBundle]:
    """Load claimed steps: as a read (on SQLite without the write lock, so the sender process
    records meanwhile), or, when loading writes (a hire's first plan, say), as a unit of work."""
    try:
        with read_scope(app.engine) as session:
            return load_bundles(session=session, step_ids=ids, learning=app.learning)
    except NeedsWriter:
        pass
    with session_scope(app.engine) as session:
        return load_bundles(session=session, step_ids=ids, learning=app.learning)


Record = Callable[[list[StepOutcome]], None]


def _recorder(app: App, worker: str, now: datetime, counts: dict[str, int]) -> Record:
    """Record outcomes and add them to `counts`: a single sent message in three statements on a
    plain connection, anything else through the ORM (`record_outcomes`)."""

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

    return record


@dataclass
class _Prepared:
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


def _prepare(app: App, bundles: list[StepBundle], now: datetime) -> _Prepared:
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
    return _Prepared(outcomes, fresh, extras)


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
    prepared = _prepare(app, bundles, now)
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
        record([addressed(_outcome(app, bundles, sid, composed, result), composed.address)])
        if pending and streaming and out_of_time():
            raise _OutOfTime

    streaming = reports_each(app.mailer)
    try:
        send_each(app.mailer, [m for _, _, m, _ in prepared.messages()], on_result)
    except _OutOfTime:
        _release(app, [sid for sid, _ in pending.values()], worker, now, counts)


def _release(
    app: App, unsent: list[int], worker: str, now: datetime, counts: dict[str, int]
) -> None:
    with session_scope(app.engine) as session:
        released = release_claims(session=session, step_ids=unsent, worker=worker, now=now)
    counts["released"] = released
    log.warning("batch stopped at half its lease; %s unsent steps released", released)


SENDER_FROM = 50  # emails in a batch from which a sender process pays for its start-up (~0.7 s)
CHUNK = 50  # steps composed at a time while the sender process sends the ones before
AHEAD = 100  # messages the dispatcher may be ahead of the sender process


def sends_in_process(app: App) -> bool:
    """Whether big batches go to a sender process: LEERPAD_DISPATCH_SENDER is not "inline" and
    the mailer is SMTP that another process can rebuild from its settings."""
    mailer = app.mailer
    if app.settings.dispatch_sender == "inline" or not isinstance(mailer, SmtpMailer):
        return False
    return mailer.rebuildable


def _sender(app: App, emails: int, clock: Callable[[], float]) -> SenderProcess | None:
    """The sender process to use for a batch, or None to send in this process: by
    LEERPAD_DISPATCH_SENDER (auto: for batches of SENDER_FROM steps or more), only for an SMTP
    mailer another process can rebuild, and only on the real clock."""
    if clock is not time.monotonic or not sends_in_process(app):
        return None
    if app.settings.dispatch_sender == "auto" and emails < SENDER_FROM:
        return None
    mailer = app.mailer
    assert isinstance(mailer, SmtpMailer)
    url = app.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None  # a database only this process can see
    sender = sender_for(mailer, url.render_as_string(hide_password=False))
    return None if sender.lock.locked() else sender  # another batch of this process uses it


def _send_in_process(
    app: App,
    sender: SenderProcess,
    ids: list[int],
    now: datetime,
    worker: str,
    record: Record,
    counts: dict[str, int],
    deadline: float,
    *,
    first: list[StepBundle] | None = None,
    next_limit: int | None = None,
) -> None:
    """Load and compose CHUNK steps at a time and hand their messages to the sender process,
    which sends and records each while the next chunk is composed; handle its reports as they
    come (failures, retries, cancels to former calendars are recorded here). Messages past the
    deadline are released. `first`: the first chunk, loaded already (a `_Head`); with
    `next_limit`, a full batch claims the next one once all its messages are handed over."""
    jobs: dict[str, tuple[int, Composed, bool]] = {}
    bundles: list[StepBundle] = []
    unsent: list[int] = []
    errors: list[str] = []

    def handle(report: SendReport) -> None:
        sid, composed, main = jobs.pop(report.message_id)
        if report.status == "error":
            errors.append(report.detail)
        elif report.status == "unsent":
            if main:
                unsent.append(sid)
        elif not main:
            assert report.result is not None
            record_extra(app, sid, composed, report.result, now)
        elif report.recorded is not None:
            key = "sent" if report.recorded else "lost_lease"
            counts[key] = counts.get(key, 0) + 1
        else:
            assert report.result is not None
            outcome = _outcome(app, bundles, sid, composed, report.result)
            record([addressed(outcome, composed.address)])

    try:
        if first is None:
            _prepare_writes(app, ids)
        for start in range(0, len(ids), CHUNK):
            if start == 0 and first is not None:
                chunk = first
            else:
                chunk = _load(app, ids[start : start + CHUNK])  # reads only, as a rule
            bundles += chunk
            prepared = _prepare(app, chunk, now)
            record(prepared.outcomes)
            for sid, composed, message, main in prepared.messages():
                if time.time() >= deadline:
                    unsent.extend([sid] if main else [])
                    continue
                jobs[message.message_id] = (sid, composed, main)
                sender.submit(_job(app, sid, composed, message, main, worker, now, deadline))
                for report in sender.reports(keep_at_most=AHEAD):
                    handle(report)
        if next_limit == len(ids) and not unsent and not errors:
            _claim_next(app, worker, now, next_limit)  # while the sender process finishes
    finally:
        for report in sender.end_batch():
            handle(report)
    if errors:
        drop_heads(app)
        raise SenderFailed(errors[0])
    if unsent:
        _release(app, unsent, worker, now, counts)


@dataclass(frozen=True)
class _Head:
    """The next batch of a worker, claimed while the one before was being sent: its step ids,
    when they were claimed (time.monotonic) and its first chunk, loaded."""

    ids: list[int]
    claimed_at: float
    first: list[StepBundle]


_HEADS: dict[tuple[int, str, datetime, int], _Head] = {}


def _head_key(app: App, worker: str, now: datetime, limit: int) -> tuple[int, str, datetime, int]:
    return (id(app), worker, now, limit)


def _prepare_writes(app: App, ids: list[int]) -> None:
    """Make the plans the batch's steps need, all at once; first as a read that finds all
    there (most batches: no write lock on SQLite), else as a unit of work."""
    try:
        with read_scope(app.engine) as session:
            prepare_bundles(session=session, step_ids=ids, learning=app.learning)
            return
    except NeedsWriter:
        pass
    with session_scope(app.engine) as session:
        prepare_bundles(session=session, step_ids=ids, learning=app.learning)


def _claim_next(app: App, worker: str, now: datetime, limit: int) -> None:
    """Claim the next batch and load its first chunk (`_Head`), for the next call."""
    lease = timedelta(seconds=app.settings.lease_seconds)
    claimed_at = time.monotonic()
    with session_scope(app.engine) as session:
        ids = claim_due_steps(session=session, now=now, worker=worker, limit=limit, lease=lease)
    if ids:
        _prepare_writes(app, ids)
        first = _load(app, ids[:CHUNK])
        _HEADS[_head_key(app, worker, now, limit)] = _Head(ids, claimed_at, first)


def drop_heads(app: App) -> int:
    """Give back the steps of next batches claimed ahead for this app but not taken up (a run
    that ended or failed); returns how many."""
    released = 0
    for key in [k for k in _HEADS if k[0] == id(app)]:
        head = _HEADS.pop(key)
        with session_scope(app.engine) as session:
            released += release_claims(
                session=session, step_ids=head.ids, worker=key[1], now=key[2]
            )
    return released


def _job(
    app: App,
    step_id: int,
    composed: Composed,
    message: OutgoingMessage,
    main: bool,
    worker: str,
    now: datetime,
    deadline: float,
) -> SendJob:
    sent = StepOutcome(step_id, "sent", message.message_id, composed.sequence, "", app.transport)
    return SendJob(
        message_id=message.message_id,
        sender=message.sender.email,
        recipients=tuple(a.email for a in message.to),
        data=frame_data(build_mime(message)),
        worker=worker,
        now=now,
        deadline=deadline,
        record=addressed(sent, composed.address) if main else None,
    )


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
    query = select(Delivery.message_id).where(
        col(Delivery.message_id).in_(message_ids), Delivery.status == "sent"
    )
    with app.engine.connect() as connection:  # a read: no writer lock, no ORM session
        return set(connection.execute(query).scalars())


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
