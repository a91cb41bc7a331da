"""The `handle-event` flow: process one stored inbox event by id."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.bootstrap import current_app
from flows.processing import process_stored_event
from flows.timeparse import parse_moment


@task(name="process-event", persist_result=False, retries=2, retry_delay_seconds=[1, 5])
def process_event(inbox_event_id: int, as_of: str | None) -> str:
    """Apply one stored event to people and journeys; returns the inbox status."""
    app = current_app()
    now = parse_moment(as_of) if as_of else app.clock.now()
    return process_stored_event(app=app, inbox_id=inbox_event_id, now=now)


@flow(name="handle-event", persist_result=False, log_prints=False)
def handle_event(inbox_event_id: int, as_of: str | None = None) -> str:
    """Process the inbox event with this id (the only parameter: no personal data)."""
    status = process_event(inbox_event_id, as_of)
    get_run_logger().info("inbox event %s: %s", inbox_event_id, status)
    return status
