"""Drive a simulated clock: deliver what falls due, moment by moment, up to a limit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flows.bootstrap import App
from journeys.clock import SimulatedClock
from models.claims import next_due_at
from models.db import session_scope

Dispatcher = Callable[[datetime], object]


def run_until(app: App, limit: datetime, *, dispatch: Dispatcher) -> int:
    """Advance the app's simulated clock to each due moment up to `limit` and dispatch there."""
    clock = app.clock
    if not isinstance(clock, SimulatedClock):
        raise TypeError("run_until needs an app wired with a SimulatedClock")
    rounds = 0
    while True:
        with session_scope(app.engine) as session:
            due = next_due_at(session=session)
        if due is None or due > limit:
            break
        clock.advance_to(due)
        dispatch(clock.now())
        rounds += 1
    clock.advance_to(limit)
    return rounds
