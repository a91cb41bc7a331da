"""Clocks: the real one, and a simulated one for the demo and tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time in UTC."""

    def now(self) -> datetime:
        """Return the current moment, aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """Return the current moment, aware, in UTC."""
        return datetime.now(UTC)


class SimulatedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SimulatedClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the simulated moment."""
        return self._now

    def advance_to(self, moment: datetime) -> None:
        """Move forward to a moment; never backwards."""
        moment = moment.astimezone(UTC)
        if moment > self._now:
            self._now = moment

    def advance(self, delta: timedelta) -> None:
        """Move forward by a duration."""
        self._now += delta
