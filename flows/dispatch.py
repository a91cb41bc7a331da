"""The `dispatch` flow: deliver every step due up to a moment, in batches, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from prefect import flow, get_run_logger, task

from flows.bootstrap import current_app
from flows.delivery import deliver_due_batch, worker_name
from flows.processing import process_pending_events
from flows.timeparse import parse_moment


class DispatchFailed(RuntimeError):
    """A batch failed; its claimed steps become claimable again when their lease expires."""


@task(name="deliver-batch", persist_result=False)
def deliver_batch(as_of: str, worker: str, limit: int) -> dict[str, int]:
    """Claim, compose, send and record one batch of due steps; returns counts only."""
    app = current_app()
    try:
        return deliver_due_batch(app=app, now=parse_moment(as_of), worker=worker, limit=limit)
    except Exception as exc:  # keep personal data out of Prefect's logs and state messages
        raise DispatchFailed(f"batch failed: {type(exc).__name__}; claimed steps retry") from None


@task(name="process-pending-events", persist_result=False)
def process_pending(as_of: str) -> int:
    """Process events stored over a lease ago but never processed; returns how many."""
    app = current_app()
    grace = timedelta(seconds=app.settings.lease_seconds)
    counts = process_pending_events(app=app, now=parse_moment(as_of), grace=grace)
    return sum(counts.values())


@flow(name="dispatch", persist_result=False, log_prints=False)
def dispatch(until: str | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Deliver every step due up to `until` (ISO-8601, default now); one task per batch.

    Events stored but left unprocessed for longer than the lease are processed first.
    """
    app = current_app()
    moment: datetime = parse_moment(until) if until else app.clock.now()
    limit = batch_size or app.settings.dispatch_batch
    worker = worker_name()
    totals: dict[str, int] = {}
    if events := process_pending(moment.isoformat()):  # their processor died after storing
        totals["events_processed"] = events
    while True:
        counts = deliver_batch(moment.isoformat(), worker, limit)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if counts.get("claimed", 0) < limit or counts.get("released"):
            break  # all done, or a slow server: the next scheduled run goes on
    get_run_logger().info("dispatch up to %s: %s", moment.isoformat(), totals)
    return totals
