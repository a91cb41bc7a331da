"""The `dispatch` flow: deliver every step due up to a moment, in batches, once."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from queue import Queue

from prefect import flow, get_run_logger, task
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner

from flows.bootstrap import bootstrap, current_app
from flows.delivery import deliver_due_batch, drop_heads, sends_in_process, worker_name
from flows.heap import freeze_startup_heap
from flows.processing import process_pending_events
from flows.sender_process import close_senders
from flows.timeparse import parse_moment
from models.db import is_sqlite
from models.statistics import refresh_statistics


class DispatchFailed(RuntimeError):
    """A batch failed; its claimed steps become claimable again when their lease expires."""


@task(name="deliver-batch", persist_result=False)
def deliver_batch(as_of: str, worker: str, limit: int, prefetch: bool = True) -> dict[str, int]:
    """Claim, compose, send and record one batch of due steps; returns counts only. With
    `prefetch`, a full batch claims the next one and starts sending it while its own last
    messages go out (the next batch task of this process goes on from there)."""
    app = current_app()
    freeze_startup_heap()  # in a batch process of its own, its first batch
    try:
        return deliver_due_batch(
            app=app, now=parse_moment(as_of), worker=worker, limit=limit, prefetch=prefetch
        )
    except Exception as exc:  # keep personal data out of Prefect's logs and state messages
        raise DispatchFailed(f"batch failed: {type(exc).__name__}; claimed steps retry") from None


@task(name="process-pending-events", persist_result=False)
def process_pending(as_of: str) -> int:
    """Process events stored over a lease ago but never processed; returns how many."""
    app = current_app()
    grace = timedelta(seconds=app.settings.lease_seconds)
    counts = process_pending_events(app=app, now=parse_moment(as_of), grace=grace)
    return sum(counts.values())


@task(name="refresh-planner-statistics", persist_result=False)
def refresh_planner_statistics() -> list[str]:
    """ANALYZE the tables whose planner statistics are stale, such as after a bulk import
    (PostgreSQL only; models/statistics.py); returns their names."""
    return refresh_statistics(current_app().engine)


@task(name="count-due-steps", persist_result=False)
def count_due(as_of: str) -> int:
    """How many steps are due (or their lease ran out) at a moment: a count only."""
    from models.claims import count_due_steps
    from models.db import session_scope

    with session_scope(current_app().engine) as session:
        return count_due_steps(session=session, now=parse_moment(as_of))


AUTO_BACKLOG = 5000  # due steps from which a second process pays for its start-up (BENCHMARKS.md)


def processes_for(
    backlog: int, cores: int | None, *, sqlite: bool, sender_process: bool = False
) -> int:
    """The automatic number of dispatch processes: one, or two on PostgreSQL on a machine with
    two cores or more once the backlog reaches AUTO_BACKLOG steps (each process costs ~2.5 s CPU
    to start). SQLite stays at one: every sent message is committed under its one write lock,
    so a second process mostly waits for it. With a sender process (`sender_process`) a batch
    already keeps two processes busy: one dispatch process (BENCHMARKS.md)."""
    if sqlite or sender_process:
        return 1
    return 2 if backlog >= AUTO_BACKLOG and (cores or 1) >= 2 else 1


@flow(name="dispatch", persist_result=False, log_prints=False)
def dispatch(
    until: str | None = None, batch_size: int | None = None, processes: int | None = None
) -> dict[str, int]:
    """Deliver every step due up to `until` (ISO-8601, default now); one task per batch.

    Events stored but left unprocessed for longer than the lease are processed first. With
    `processes` (default LEERPAD_DISPATCH_PROCESSES) above 1 and more than one batch due, the
    batches after the first run side by side, each in a process of its own (see
    `_batches_in_processes`); 0 chooses by the backlog after the first batch (`processes_for`).
    """
    app = current_app()
    freeze_startup_heap()  # the first run of a process: start-up objects leave the collector
    moment: datetime = parse_moment(until) if until else app.clock.now()
    limit = batch_size or app.settings.dispatch_batch
    processes = app.settings.dispatch_processes if processes is None else processes
    worker = worker_name()
    totals: dict[str, int] = {}
    if not is_sqlite(app.engine):
        refresh_planner_statistics()  # before the batches' plans are made
    if events := process_pending(moment.isoformat()):  # their processor died after storing
        totals["events_processed"] = events
    try:
        _deliver_all(app, moment, worker, limit, processes, totals)
    finally:
        _add(totals, drop_heads(app))  # a batch claimed ahead but not taken up (a failed run)
        close_senders()  # the sender process of this run's batches (flows/sender_process.py)
    get_run_logger().info("dispatch up to %s: %s", moment.isoformat(), totals)
    return totals


def _deliver_all(
    app, moment: datetime, worker: str, limit: int, processes: int, totals: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    """Deliver batch after batch until the backlog is done (or a batch stops at half its
    lease); with more than one process, the batches after the first go to processes."""
    while True:
        counts = deliver_batch(moment.isoformat(), worker, limit)
        _add(totals, counts)
        if _last(counts, limit):
            break  # all done, or a slow server: the next scheduled run goes on
        if processes == 0:
            processes = processes_for(
                count_due(moment.isoformat()), os.cpu_count(), sqlite=is_sqlite(app.engine),
                sender_process=sends_in_process(app),
            )  # fmt: skip
        if processes > 1:  # more than one batch due: worth starting processes
            _add(totals, drop_heads(app))  # a next batch claimed ahead goes back, for them
            _add(totals, _batches_in_processes(app, moment.isoformat(), worker, limit, processes))
            break


def _add(totals: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value


def _last(counts: dict[str, int], limit: int) -> bool:
    """Whether a batch was the last of a run: it found fewer than `limit` due steps, or it
    stopped at half its lease (a slow server)."""
    return counts.get("claimed", 0) < limit or bool(counts.get("released"))


def _same_api() -> AbstractContextManager[object]:
    """Point the batch processes at this run's Prefect API: a local run's ephemeral server has
    no PREFECT_API_URL, and each process would start a server of its own."""
    if PREFECT_API_URL.value():
        return nullcontext()
    context = FlowRunContext.get()
    api_url = getattr(getattr(context, "client", None), "api_url", None)
    if api_url is None:
        return nullcontext()
    return temporary_settings(updates={PREFECT_API_URL: str(api_url).rstrip("/")})


def _wire(settings) -> None:  # type: ignore[no-untyped-def]
    """Wire the app in a fresh dispatch process from the settings of the flow's process."""
    bootstrap(settings=settings)


def _batches_in_processes(
    app, as_of: str, worker: str, limit: int, processes: int
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Keep `processes` batch tasks running, each in a process of its own, until one finds the
    end of the backlog (or stops at half its lease); returns the summed counts.

    Claim leases keep the batches apart (each claims different steps, as several dispatchers
    do). The processes wire the app from the same settings (`bootstrap(settings=...)`): changes
    made to the app object after bootstrap (a test's mailer, say) do not reach them.
    """
    totals: dict[str, int] = {}
    finished: Queue[tuple[int, PrefectFuture[dict[str, int]]]] = Queue()
    runner = ProcessPoolTaskRunner(
        max_workers=processes, initializer=_wire, initargs=(app.settings,)
    )
    with _same_api(), runner:

        def submit(n: int) -> None:
            parameters = {
                "as_of": as_of, "worker": f"{worker}/{n}", "limit": limit, "prefetch": False,
            }  # fmt: skip (the next batch may go to another process)
            future = runner.submit(deliver_batch, parameters=parameters)
            future.add_done_callback(lambda done: finished.put((n, done)))

        for n in range(processes):
            submit(n)
        running, more, failed = processes, True, None
        while running:
            n, future = finished.get()
            running -= 1
            try:
                counts = future.result()
            except Exception as exc:  # the others finish first; then the run fails
                failed, more = failed or exc, False
                continue
            _add(totals, counts)
            if _last(counts, limit):
                more = False
            elif more:
                submit(n)
                running += 1
    if failed is not None:
        raise failed
    return totals
