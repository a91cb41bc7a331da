"""Geometry of the inline SVG bar charts on the culture page and in the report (no JavaScript).

A template (templates/report/_charts.html.j2) draws a `BarChart`; the numbers are computed here
so the template stays plain markup. Every chart carries a <title> and <desc>, and the pages
show the same figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
ROW = 28  # height of one bar of a horizontal chart
HEIGHT = 180  # plot height of a vertical chart
TOP, BOTTOM, LEFT = 20, 44, 8


@dataclass(frozen=True)
class Bar:
    """One bar: its box, the category under it, and its value as text (or "–" when hidden)."""

    x: float
    y: float
    width: float
    height: float
    label: str
    text: str
    hidden: bool
    sub: str = ""  # a second line under the label: the year, at the first month and each January


@dataclass(frozen=True)
class BarChart:
    """An accessible bar chart: id (for aria-labelledby), title, description, size and bars."""

    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    horizontal: bool
    label_width: int = 0


def value_text(value: float | None, *, percent: bool, hidden: str = "–") -> str:
    """A value as the table and the chart show it: 12, 83 %, or – when hidden."""
    if value is None:
        return hidden
    return f"{round(value * 100)}\u00a0%" if percent else f"{round(value):d}"


def _scale(values: Sequence[float | None], percent: bool) -> float:
    top = max((v for v in values if v is not None), default=0.0)
    return 1.0 if percent else max(top, 1.0)


def monthly_chart(
    *, id: str, title: str, desc: str, labels: Sequence[str],  # noqa: A002
    values: Sequence[float | None], percent: bool = False, subs: Sequence[str] = (),
) -> BarChart:  # fmt: skip
    """Vertical bars, one per month, oldest left; `subs` are second label lines (years)."""
    top = _scale(values, percent)
    slot = (WIDTH - LEFT * 2) / max(len(values), 1)
    bars = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = 0.0 if value is None else HEIGHT * value / top
        bars.append(Bar(
            x=round(LEFT + n * slot + slot * 0.15, 1), y=round(TOP + HEIGHT - height, 1),
            width=round(slot * 0.7, 1), height=round(height, 1), label=label,
            text=value_text(value, percent=percent), hidden=value is None,
            sub=subs[n] if n < len(subs) else "",
        ))  # fmt: skip
    return BarChart(id, title, desc, WIDTH, TOP + HEIGHT + BOTTOM, tuple(bars), horizontal=False)


def group_chart(
    *, id: str, title: str, desc: str, labels: Sequence[str],  # noqa: A002
    values: Sequence[float | None], percent: bool = False,
) -> BarChart:  # fmt: skip
    """Horizontal bars, one per team, with the team's name on the left."""
    label_width = 160
    plot = WIDTH - label_width - 60
    top = _scale(values, percent)
    bars = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        length = 0.0 if value is None else plot * value / top
        bars.append(Bar(
            x=label_width, y=TOP / 2 + n * ROW + 4, width=round(length, 1), height=ROW - 8,
            label=label, text=value_text(value, percent=percent), hidden=value is None,
        ))  # fmt: skip
    height = int(TOP + ROW * max(len(values), 1))
    return BarChart(id, title, desc, WIDTH, height, tuple(bars), horizontal=True,
                    label_width=label_width)  # fmt: skip
