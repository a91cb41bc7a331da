"""Spacing rules for playlist deliveries: about two short emails a week, never two in a row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

SLOT_TEMPLATE = "playlist-item"  # the template name every playlist slot step uses
MIN_GAP_DAYS = 2
MAX_PER_WEEK = 2


def is_playlist_slot(template_key: str) -> bool:
    """Tell whether a step's template makes it a playlist slot."""
    return template_key.rsplit("/", 1)[-1] == SLOT_TEMPLATE


def slot_offsets(count: int, *, first: int = 8, gaps: Sequence[int] = (3, 2)) -> list[int]:
    """Working-day offsets for `count` slots: alternate gaps of 3 and 2 working days (Tue/Thu)."""
    offsets, current = [], first
    for n in range(count):
        offsets.append(current)
        current += gaps[n % len(gaps)]
    return offsets


def spacing_problems(days: Sequence[date]) -> list[str]:
    """Check slot days: at least MIN_GAP_DAYS apart and at most MAX_PER_WEEK per ISO week."""
    problems: list[str] = []
    ordered = sorted(days)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if (later - earlier).days < MIN_GAP_DAYS:
            problems.append(f"{earlier} and {later} are less than {MIN_GAP_DAYS} days apart")
    weeks: dict[tuple[int, int], int] = {}
    for day in ordered:
        week = day.isocalendar()[:2]
        weeks[week] = weeks.get(week, 0) + 1
    problems += [
        f"week {year}-W{week:02d} has {n} playlist emails (at most {MAX_PER_WEEK})"
        for (year, week), n in sorted(weeks.items())
        if n > MAX_PER_WEEK
    ]
    return problems
