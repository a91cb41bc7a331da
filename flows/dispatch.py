"""The `dispatch` flow: deliver every step due up to a moment, in batches, once."""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger, task

from flows.bootstrap import current_app
from flows.delivery import deliver_due_batch, worker_name
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


@flow(name="dispatch", persist_result=False, log_prints=False)
def dispatch(until: str | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Deliver every step due up to `until` (ISO-8601, default now); one task per batch."""
    app = current_app()
    moment: datetime = parse_moment(until) if until else app.clock.now()
    limit = batch_size or app.settings.dispatch_batch
    worker = worker_name()
    totals: dict[str, int] = {}
    while True:
        counts = deliver_batch(moment.isoformat(), worker, limit)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if counts.get("claimed", 0) < limit:
            break
    get_run_logger().info("dispatch up to %s: %s", moment.isoformat(), totals)
    return totals
