"""Batches sent through a sender process (flows/sender_process.py). Plain Python, no Prefect.

The dispatcher loads and composes a chunk of steps at a time and hands each message over; the
sender process sends and records it while the next chunk is composed. A full batch claims the
next one before its own last messages are out, composes that batch's first chunk and hands it
over too (`_Head`), so the sender process goes on sending while this batch's task ends and the
next one starts: the next call with the same app, worker, moment and limit takes it up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flows.batch_parts import (
    Record,
    load_claimed,
    outcome_of,
    prepare,
    record_extra,
    recorder,
    release_unsent,
)
from flows.bootstrap import App
from flows.sender_process import SenderFailed, SenderProcess, SendJob, SendReport, sender_for
from integrations.compose import Composed
from integrations.mail.message import OutgoingMessage
from integrations.mail.mime import build_mime
from integrations.mail.smtp import SmtpMailer, frame_data
from models.claims import claim_due_steps, release_claims
from models.db import read_scope, session_scope
from models.learning_plans import insert_plans
from models.outbound import (
    StepBundle,
    StepOutcome,
    addressed,
    encoded_record_params,
    plans_to_make,
)
from models.statistics import refresh_statistics

SENDER_FROM = 50  # emails in a batch from which a sender process pays for its start-up (0.3-0.8 s)
CHUNK = 100  # steps composed at a time while the sender process sends the ones before
AHEAD = 100  # messages the dispatcher may be ahead of the sender process
# With this many messages or more waiting for the sender process, the dispatcher has time to
# build the next one into MIME itself; with fewer, the sender process builds it while the server
# takes the one before in (whichever process has the time does it).
BUILD_HERE_FROM = 20


def sends_in_process(app: App) -> bool:
    """Whether big batches go to a sender process: LEERPAD_DISPATCH_SENDER is not "inline" and
    the mailer is SMTP that another process can rebuild from its settings."""
    mailer = app.mailer
    if app.settings.dispatch_sender == "inline" or not isinstance(mailer, SmtpMailer):
        return False
    return mailer.rebuildable


def sender_for_batch(app: App, emails: int, clock: Callable[[], float]) -> SenderProcess | None:
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


@dataclass
class _Flight:
    """A batch's messages handed to a sender process, and what handling their reports needs:
    the steps they are about, the steps left unsent (past the deadline) and errors."""

    app: App
    sender: SenderProcess
    worker: str
    now: datetime
    deadline: float  # time.time() after which nothing more of the batch is sent
    counts: dict[str, int] = field(default_factory=dict)  # the batch's, as they come
    jobs: dict[str, tuple[int, Composed, bool]] = field(default_factory=dict)
    bundles: list[StepBundle] = field(default_factory=list)
    unsent: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.record: Record = recorder(self.app, self.worker, self.now, self.counts)

    def hand_over(self, messages: Iterable[tuple[int, Composed, OutgoingMessage, bool]]) -> None:
        """Hand messages to the sender process (past the deadline: note their steps unsent)."""
        for sid, composed, message, main in messages:
            if time.time() >= self.deadline:
                self.unsent.extend([sid] if main else [])
                continue
            self.jobs[message.message_id] = (sid, composed, main)
            self.sender.submit(_job(self, sid, composed, message, main))

    def handle(self, report: SendReport) -> None:
        """Take one report: count what the sender process recorded, record the rest here."""
        record, counts = self.record, self.counts
        sid, composed, main = self.jobs.pop(report.message_id)
        if report.status == "error":
            self.errors.append(report.detail)
        elif report.status == "unsent":
            if main:
                self.unsent.append(sid)
        elif not main:
            assert report.result is not None
            record_extra(self.app, sid, composed, report.result, self.now)
        elif report.recorded is not None:
            key = "sent" if report.recorded else "lost_lease"
            counts[key] = counts.get(key, 0) + 1
        else:
            assert report.result is not None
            outcome = outcome_of(self.app, self.bundles, sid, composed, report.result)
            record([addressed(outcome, composed.address)])


def send_in_process(
    app: App,
    ids: list[int],
    flight: _Flight,
    *,
    head: _Head | None = None,
    next_limit: int | None = None,
) -> None:
    """Load and compose CHUNK steps at a time and hand their messages to the sender process,
    which sends and records each while the next chunk is composed; handle its reports as they
    come (failures, retries, cancels to former calendars are recorded here); counts go to
    `flight.counts`. Messages past the deadline are released. `head`: the batch's first chunk,
    handed over already (its flight is `flight`); with `next_limit`, a full batch hands the
    next batch's first chunk over before it waits for its own last reports."""
    sender, record = flight.sender, flight.record
    ahead: _Head | None = None
    if head is None:
        _prepare_writes(app, ids)
    try:
        for start in range(head.taken if head else 0, len(ids), CHUNK):
            chunk = load_claimed(app, ids[start : start + CHUNK])  # reads only, as a rule
            flight.bundles += chunk
            prepared = prepare(app, chunk, flight.now)
            record(prepared.outcomes)
            for message in prepared.messages():
                flight.hand_over([message])
                for report in sender.reports(keep_at_most=AHEAD):
                    flight.handle(report)
        if next_limit == len(ids) and not flight.unsent and not flight.errors:
            ahead = _claim_next(app, flight, next_limit)
    finally:
        if ahead is not None:  # the next batch's messages follow this one's: wait for these
            while flight.jobs:
                _route(sender.next_report(), flight)
        else:
            for report in sender.end_batch():
                _route(report, flight)
    if flight.errors:
        _add(flight.counts, drop_heads(app))
        raise SenderFailed(flight.errors[0])
    if flight.unsent:
        release_unsent(app, flight.unsent, flight.worker, flight.now, flight.counts)


def _route(report: SendReport, flight: _Flight) -> None:
    """Handle a report of this batch, or of a next batch handed over already (its messages
    follow this batch's; its counts are its own)."""
    if report.message_id in flight.jobs:
        flight.handle(report)
        return
    for head in _HEADS.values():
        if report.message_id in head.flight.jobs:
            head.flight.handle(report)
            return


def _add(counts: dict[str, int], more: dict[str, int]) -> None:
    for key, value in more.items():
        counts[key] = counts.get(key, 0) + value


@dataclass
class _Head:
    """The next batch of a worker, claimed while the one before was being sent: its step ids,
    when they were claimed (time.monotonic), how many of them (the first chunk) are composed
    and handed over or recorded (`flight`, which counts them)."""

    ids: list[int]
    claimed_at: float
    taken: int
    flight: _Flight


_HEADS: dict[tuple[int, str, datetime, int], _Head] = {}


def _head_key(app: App, worker: str, now: datetime, limit: int) -> tuple[int, str, datetime, int]:
    return (id(app), worker, now, limit)


def take_head(app: App, worker: str, now: datetime, limit: int) -> _Head | None:
    """The next batch claimed ahead for this app, worker, moment and limit (taken out)."""
    return _HEADS.pop(_head_key(app, worker, now, limit), None)


def new_flight(
    app: App, sender: SenderProcess, worker: str, now: datetime, deadline: float
) -> _Flight:
    """A batch's flight of messages to `sender`, sent until `deadline` (time.time())."""
    return _Flight(app, sender, worker, now, deadline)


def _prepare_writes(app: App, ids: list[int]) -> None:
    """Make the plans the batch's steps need, all at once: worked out in a read (on SQLite
    without the write lock, which the sender process needs for every message), then written in
    a short unit of work (most batches: nothing to make)."""
    with read_scope(app.engine) as session:
        new = plans_to_make(session=session, step_ids=ids, learning=app.learning)
    if new is not None:
        with session_scope(app.engine) as session:
            insert_plans(session=session, new=new)
        written = {"learning_plan": len(new.plans), "playlist_item": sum(map(len, new.playlists))}
        refresh_statistics(app.engine, written, written=written)  # the batch's loads use them


def _claim_next(app: App, flight: _Flight, limit: int) -> _Head | None:
    """Claim the next batch, compose its first chunk and hand it to the sender process behind
    this batch's messages (`_Head`, for the next call); reports that come in meanwhile go to
    the batch they are of."""
    lease = timedelta(seconds=app.settings.lease_seconds)
    claimed_at = time.monotonic()
    worker, now, sender = flight.worker, flight.now, flight.sender
    with session_scope(app.engine) as session:
        ids = claim_due_steps(session=session, now=now, worker=worker, limit=limit, lease=lease)
    if not ids:
        return None
    deadline = time.time() + lease.total_seconds() / 2
    head = _Head(
        ids, claimed_at, min(CHUNK, len(ids)), new_flight(app, sender, worker, now, deadline)
    )
    _HEADS[_head_key(app, worker, now, limit)] = head  # given back by drop_heads if not taken
    _prepare_writes(app, ids)
    chunk = load_claimed(app, ids[: head.taken])
    head.flight.bundles += chunk
    prepared = prepare(app, chunk, now)
    head.flight.record(prepared.outcomes)
    sender.next_batch()
    for message in prepared.messages():
        head.flight.hand_over([message])
        for report in sender.reports(keep_at_most=AHEAD + CHUNK):
            _route(report, flight)
    return head


def drop_heads(app: App) -> dict[str, int]:
    """Give back the next batches claimed ahead for this app but not taken up (a run that
    ended, failed or goes on in several processes): wait for the messages handed over already
    and record them, then release the rest (composed but not handed over: composed again by
    whoever claims them). Returns the counts (`released`, `sent`, …)."""
    counts: dict[str, int] = {}
    for key in [k for k in _HEADS if k[0] == id(app)]:
        head = _HEADS.pop(key)
        flight = head.flight
        if flight.jobs:
            try:
                for report in flight.sender.end_batch():
                    if report.message_id in flight.jobs:
                        flight.handle(report)
            except SenderFailed:
                continue  # the sender process died: the claims lapse with their lease
        _add(counts, flight.counts)
        with session_scope(app.engine) as session:
            released = release_claims(
                session=session, step_ids=head.ids, worker=flight.worker, now=flight.now
            )
        counts["released"] = counts.get("released", 0) + released
    return counts


def _job(
    flight: _Flight, step_id: int, composed: Composed, message: OutgoingMessage, main: bool
) -> SendJob:
    sent = StepOutcome(
        step_id, "sent", message.message_id, composed.sequence, "", flight.app.transport
    )
    build_here = flight.sender.in_flight >= BUILD_HERE_FROM
    record = addressed(sent, composed.address) if main else None
    params = None
    if record is not None and flight.sender.encodes_records:  # PostgreSQL: encoded here
        params = tuple(encoded_record_params(flight.worker, record, flight.now))
        record = None
    return SendJob(
        message_id=message.message_id,
        sender=message.sender.email,
        recipients=tuple(a.email for a in message.to),
        data=frame_data(build_mime(message)) if build_here else None,
        message=None if build_here else message,
        worker=flight.worker,
        now=flight.now,
        deadline=flight.deadline,
        record=record,
        record_params=params,
    )
