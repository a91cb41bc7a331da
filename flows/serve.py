"""`leerpad serve`: wire the HTTP app to the database, secrets and event processing."""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Event

from fastapi import FastAPI

from flows.bootstrap import App
from flows.processing import process_stored_event
from integrations.http.app import create_app
from integrations.http.webhooks import WebhookDeps
from integrations.learning.wiring import LearningDeps

log = logging.getLogger("leerpad.serve")


_BLOCK_SECRETS: dict[str, str] = {}  # found Secret blocks, per source (misses are not cached)


def secret_for(source: str) -> str | None:
    """The webhook secret of a source (never logged): LEERPAD_SECRET_<SOURCE>, else, when a Prefect
    API is configured, the Prefect Secret block `leerpad-secret-<source>` (`_` written as `-`)."""
    value = os.environ.get(f"LEERPAD_SECRET_{source.upper()}")
    if value or not use_prefect_events():
        return value or None
    from integrations.sources.registry import SOURCES

    if source not in SOURCES:
        return None
    if source not in _BLOCK_SECRETS:
        found = secret_block(block_name(source))
        if found is None:
            return None
        _BLOCK_SECRETS[source] = found
    return _BLOCK_SECRETS[source]


def block_name(source: str) -> str:
    """The Prefect Secret block that holds a source's webhook secret."""
    return f"leerpad-secret-{source.replace('_', '-')}"


def secret_block(name: str) -> str | None:
    """The value of a Prefect Secret block, or None when it does not exist or cannot be read."""
    from prefect.blocks.system import Secret

    try:
        value = Secret.load(name, _sync=True).get()
    except ValueError:  # no such block
        return None
    except Exception:  # the Prefect API is down: try again on the next delivery
        log.warning("cannot read the Prefect Secret block %s; is the Prefect API up?", name)
        return None
    return str(value) if value else None


def use_prefect_events() -> bool:
    """Hand stored events to Prefect (the handle-event trigger) when a Prefect API is configured."""
    return bool(os.environ.get("PREFECT_API_URL"))


def emit_stored(inbox_id: int) -> None:
    """Emit the Prefect event that triggers the handle-event deployment; it carries only the id."""
    from prefect.events import emit_event

    emit_event(
        event="leerpad.inbox-event.stored",
        resource={
            "prefect.resource.id": f"leerpad.inbox-event.{inbox_id}",
            "leerpad.inbox-event-id": str(inbox_id),
        },
    )


PROCESS_MODES = ("inline", "deferred")


def process_mode() -> str:
    """LEERPAD_PROCESS: `inline` (default) processes each stored event in the serving process
    right after its 202; `deferred` only stores and answers, and a separate processor
    (`process_received_events`) processes what was stored. With PREFECT_API_URL set, events go
    to the handle-event deployment either way.

    Raises:
        ValueError: LEERPAD_PROCESS is neither.
    """
    mode = os.environ.get("LEERPAD_PROCESS", "inline").strip().lower() or "inline"
    if mode not in PROCESS_MODES:
        raise ValueError(f"LEERPAD_PROCESS={mode!r}: use inline or deferred")
    return mode


def build_http_app(app: App, *, mode: str | None = None) -> FastAPI:
    """The ASGI app for this process: Prefect events if configured, else `mode` (LEERPAD_PROCESS):
    inline processing after the answer, or deferred (stored, answered, processed elsewhere)."""

    def process_inline(inbox_id: int) -> None:
        if use_prefect_events():
            emit_stored(inbox_id)
            return
        try:
            process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())
        except Exception:  # kept on the inbox row; `leerpad events replay` retries it
            log.warning("inbox event %s failed; see `leerpad events list --failed`", inbox_id)

    on_stored: Callable[[int], None] | None = process_inline
    if (mode or process_mode()) == "deferred":  # a processor process takes the stored events
        on_stored = emit_stored if use_prefect_events() else None
    deps = WebhookDeps(
        engine=app.engine, secret_for=secret_for, on_stored=on_stored, now=app.clock.now,
        store_concurrency=app.settings.db_pool_size,
    )  # fmt: skip
    learning = LearningDeps.from_settings(
        app.settings, engine=app.engine, now=app.clock.now, profile=app.rules.profile
    )
    return create_app(deps, learning=learning)


def worker_app() -> FastAPI:
    """The app factory of each `leerpad serve --workers N` process (the schema is migrated)."""
    from flows.bootstrap import current_app

    quiet_tokens_in_access_log()
    return build_http_app(current_app())


def run_processor(stop: Event) -> None:
    """The deferred-mode processor: a child process of `leerpad serve` until `stop` is set or
    `leerpad serve` is gone (uvicorn ends it by re-raising SIGTERM, which skips clean-up)."""
    from flows.bootstrap import current_app
    from flows.processing import process_received_events

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the parent stops us
    os.nice(5)  # answering webhooks comes first
    parent = os.getppid()
    process_received_events(app=current_app(), stop=lambda: stop.is_set() or os.getppid() != parent)


@contextmanager
def processor_alongside(enabled: bool) -> Iterator[None]:
    """Run the deferred-mode processor in a child process while the block runs."""
    if not enabled:
        yield
        return
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    child = context.Process(target=run_processor, args=(stop,), name="leerpad-processor")
    child.start()
    log.info("deferred processing: processor pid %s", child.pid)
    try:
        yield
    finally:
        stop.set()
        child.join(timeout=30)
        if child.is_alive():  # mid-event: its take expires after the lease, then it is retried
            child.terminate()
            child.join(timeout=5)


class RedactFormTokens(logging.Filter):
    """Keep signed form tokens out of access logs: /forms/goals/<token> becomes /forms/goals/…"""

    _TOKEN = re.compile(r"(/forms/[a-z-]+/)[^\s?\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the request line in uvicorn's access records."""
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._TOKEN.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args
            )
        record.msg = self._TOKEN.sub(r"\1…", str(record.msg))
        return True


def quiet_tokens_in_access_log() -> None:
    """Install the token filter on uvicorn's access logger."""
    logging.getLogger("uvicorn.access").addFilter(RedactFormTokens())
