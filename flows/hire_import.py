"""Import many hire events in file order: plain new hires in bulk, every other row one by one."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from flows.bootstrap import App
from flows.processing import store_and_process_many
from journeys.events import Event
from models.db import session_scope
from models.hire_import import HireBatch

log = logging.getLogger("leerpad.events")

Result = tuple[str, str | None]  # ("processed" | "ignored" | "duplicate" | "failed", error)


def import_hire_events(
    *,
    app: App,
    events: Sequence[Event],
    now: datetime,
    on_done: Callable[[], None] | None = None,
    batch: HireBatch | None = None,
) -> list[Result]:
    """Store and process hire events; return, per event in order, its outcome and error.

    Runs of new hires nobody knows yet are written by `HireBatch` in one transaction; a row it
    cannot take (a known person: update, reschedule, new manager) and the rows after it that it
    cannot take either are processed event by event (`store_and_process_many`: a savepoint each,
    a failure kept on its inbox row). Pass the same `batch` for every chunk of one import to
    share its plan cache.
    """
    batch = batch or HireBatch(rules=app.rules, now=now)
    done = on_done or (lambda: None)
    results: list[Result] = []
    position = 0
    while position < len(events):
        start = position
        try:
            with session_scope(app.engine) as session:
                batch.load(session=session, events=events[position:])
                while position < len(events) and batch.take(events[position]):
                    position += 1
                batch.write(session=session)
        except SQLAlchemyError as exc:  # e.g. another import stored the same row meanwhile
            log.warning("bulk write of %d hires failed (%s); one by one", position - start,
                        type(exc).__name__)  # fmt: skip
            results += store_and_process_many(
                app=app, events=events[start:position], now=now, on_done=on_done
            )
        else:
            for outcome in batch.outcomes:
                results.append((outcome, None))
                done()
        single = position
        while position < len(events) and (
            position == single or not batch.would_take(events[position])
        ):
            position += 1
        if position > single:
            results += store_and_process_many(
                app=app, events=events[single:position], now=now, on_done=on_done
            )
    return results
