"""Run flows from the command line: Prefect settings for local runs, schema first."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.bootstrap import App, current_app


def prepare_prefect_environment() -> None:
    """Keep a local Prefect's state in ./.prefect unless configured; call before importing it."""
    if not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_HOME", str(Path(".prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


@contextmanager
def prefect_session(*, heartbeat: bool = False) -> Iterator[None]:
    """Settings for flows run in this process: no flow-run heartbeat thread for short runs."""
    prepare_prefect_environment()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if heartbeat:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def ready_app() -> App:
    """The current app with its schema migrated."""
    from models.migrate import upgrade_engine

    app = current_app()
    upgrade_engine(app.engine)
    return app


def run_dispatch(*, until: str | None, batch_size: int | None) -> dict[str, int]:
    """Run the dispatch flow once, locally or against the configured Prefect API."""
    ready_app()
    with prefect_session():
        from flows.dispatch import dispatch

        return dispatch(until=until, batch_size=batch_size)


def run_handle_event(*, inbox_event_id: int, as_of: str | None) -> str:
    """Run the handle-event flow for one stored event."""
    ready_app()
    with prefect_session():
        from flows.handle_event import handle_event

        return handle_event(inbox_event_id=inbox_event_id, as_of=as_of)
