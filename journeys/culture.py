"""The learning-culture view: eight practices, the measures that feed them, the small-group rule.

Pure: counts come in as `CountRow`s (a measure, a team, a month, a number), already aggregated by
the database; out comes a `CultureView` of monthly and per-team figures. Teams with fewer than
`min_group` people are never shown on their own: they are folded into "other teams", and when
that group itself would be too small the smallest shown teams join it, so no shown figure can be
subtracted from another to single someone out (works-council rules on monitoring). A rate is
only given when its denominator reaches `min_group`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from journeys.culture_practices import MEASURES, PRACTICES, RATES, Measure, Practice, Rate

OTHER = "*other*"  # the group of small teams (shown as "Other teams" / "Overige teams")
MIN_GROUP = 5
MEASURE_KEYS = frozenset(m.key for m in MEASURES)


@dataclass(frozen=True)
class CountRow:
    """An aggregate from the database: how many of `measure` for one team in one month."""

    measure: str
    team: str | None
    month: str  # "YYYY-MM"
    count: int


def last_months(today: date, count: int = 12) -> tuple[str, ...]:
    """The `count` months up to and including today's, oldest first, as "YYYY-MM"."""
    if count < 1:
        raise ValueError("count must be at least 1")
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(out))


def month_window(months: tuple[str, ...]) -> tuple[datetime, datetime]:
    """The UTC moments [start, end) the months cover."""
    first_year, first_month = (int(p) for p in months[0].split("-"))
    last_year, last_month = (int(p) for p in months[-1].split("-"))
    end_year, end_month = (last_year + 1, 1) if last_month == 12 else (last_year, last_month + 1)
    start = datetime(first_year, first_month, 1, tzinfo=UTC)
    return start, datetime(end_year, end_month, 1, tzinfo=UTC)


def month_of(moment: datetime) -> str:
    """The "YYYY-MM" of a moment, in UTC (the database groups by UTC month too)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    return f"{moment.year:04d}-{moment.month:02d}"


@dataclass(frozen=True)
class TeamGroups:
    """Which group each team's figures go to: itself, OTHER, or nowhere (None)."""

    shown: tuple[str, ...]  # teams shown on their own, by name
    other_size: int  # people in OTHER (0: no such group; hidden when below min_group)
    total: int
    min_group: int

    @property
    def other_shown(self) -> bool:
        """Whether the group of small teams is big enough to show."""
        return self.other_size >= self.min_group

    @property
    def org_shown(self) -> bool:
        """Whether the organisation as a whole is big enough for figures about people."""
        return self.total >= self.min_group

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups a page shows: the teams, then OTHER when it is big enough."""
        return self.shown + ((OTHER,) if self.other_shown else ())

    def group_of(self, team: str | None) -> str | None:
        """The group a team's figures are shown in; None when they may only count in totals."""
        if team is not None and team in self.shown:
            return team
        return OTHER if self.other_shown else None


def group_teams(sizes: Mapping[str | None, int], *, min_group: int = MIN_GROUP) -> TeamGroups:
    """Apply the small-group rule to team sizes (people per team; None: no team recorded).

    Teams of at least `min_group` people are shown on their own; the others, and people without
    a team, are folded into OTHER. While OTHER holds some people but fewer than `min_group`, the
    smallest shown team joins it, so OTHER is either empty, big enough, or (when every team had
    to join) hidden.
    """
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    shown = {t: n for t, n in sizes.items() if t is not None and n >= min_group}
    other = sum(n for t, n in sizes.items() if t not in shown)
    while 0 < other < min_group and shown:
        smallest = min(shown, key=lambda t: (shown[t], t))
        other += shown.pop(smallest)
    return TeamGroups(
        shown=tuple(sorted(shown)), other_size=other, total=sum(sizes.values()),
        min_group=min_group,
    )  # fmt: skip


@dataclass(frozen=True)
class Series:
    """One measure or rate: per month, in total, per group, per group and month.

    A value is None when the small-group rule hides it.
    """

    key: str
    practice: str
    nl: str
    en: str
    by_month: dict[str, float | None]
    total: float | None
    by_group: dict[str, float | None]
    by_group_month: dict[str, dict[str, float | None]]
    rate: bool = False

    def label(self, lang: str) -> str:
        """The name in the page's language."""
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True)
class PracticeView:
    """A practice with the measures and rates that feed it."""

    practice: Practice
    series: tuple[Series, ...]

    def label(self, lang: str) -> str:
        """The practice's name in the page's language."""
        return self.practice.nl if lang == "nl" else self.practice.en

    def about(self, lang: str) -> str:
        """What the practice means, in the page's language."""
        return self.practice.about_nl if lang == "nl" else self.practice.about_en


@dataclass(frozen=True)
class CultureView:
    """The eight practices over `months`, per group; aggregates only."""

    months: tuple[str, ...]
    teams: TeamGroups
    practices: tuple[PracticeView, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: months, groups and per practice its series."""
        return {
            "months": list(self.months),
            "min_group": self.teams.min_group,
            "groups": list(self.teams.groups),
            "other_teams": OTHER,
            "practices": [
                {
                    "key": p.practice.key, "name": {"nl": p.practice.nl, "en": p.practice.en},
                    "series": [
                        {"key": s.key, "rate": s.rate, "name": {"nl": s.nl, "en": s.en},
                         "by_month": s.by_month, "total": s.total, "by_group": s.by_group,
                         "by_group_month": s.by_group_month}
                        for s in p.series
                    ],
                }
                for p in self.practices
            ],
        }  # fmt: skip


@dataclass(frozen=True)
class CoachingSeries:
    """Booked coaching meetings of one team that share their times (`times` hires), and the
    moment the series was cancelled, if it was: meetings from then on were not held."""

    team: str | None
    first: datetime
    every_weeks: int | None
    sessions: int | None
    times: int
    cancelled_at: datetime | None = None


def coaching_rows(
    series: Iterable[CoachingSeries], *, now: datetime, start: datetime, end: datetime
) -> list[CountRow]:
    """Coaching sessions held: the meetings of each series before now (and before it was
    cancelled) that fall within [start, end), counted per team and month."""
    counts: dict[tuple[str | None, str], int] = {}
    for one in series:
        step = timedelta(weeks=one.every_weeks or 1)
        cutoff = min(now, end, one.cancelled_at or now)
        for n in range(max(1, one.sessions or 1)):
            meeting = _aware(one.first) + n * step
            if meeting >= cutoff:
                break
            if meeting >= start:
                key = (one.team, month_of(meeting))
                counts[key] = counts.get(key, 0) + one.times
    return [CountRow("coaching_sessions", t, m, c) for (t, m), c in sorted(counts.items(), key=str)]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_view(
    rows: Iterable[CountRow], *, teams: TeamGroups, months: tuple[str, ...]
) -> CultureView:
    """Fold the counts into groups and months and apply the small-group rule."""
    wanted = set(months)
    cube: dict[str, dict[str | None, dict[str, int]]] = {k: {} for k in MEASURE_KEYS}
    totals: dict[str, dict[str, int]] = {k: {} for k in MEASURE_KEYS}
    for row in rows:
        if row.measure not in MEASURE_KEYS or row.month not in wanted:
            continue
        by_month = totals[row.measure]
        by_month[row.month] = by_month.get(row.month, 0) + row.count
        group = teams.group_of(row.team)
        if group is not None:
            cell = cube[row.measure].setdefault(group, {})
            cell[row.month] = cell.get(row.month, 0) + row.count
    practices = []
    for practice in PRACTICES:
        series = [
            _count_series(m, totals[m.key], cube[m.key], teams=teams, months=months)
            for m in MEASURES if m.practice == practice.key and m.chart
        ]  # fmt: skip
        series += [
            _rate_series(r, totals, cube, teams=teams, months=months)
            for r in RATES if r.practice == practice.key
        ]  # fmt: skip
        practices.append(PracticeView(practice, tuple(series)))
    return CultureView(months=months, teams=teams, practices=tuple(practices))


def _count_series(
    measure: Measure, totals: dict[str, int], cube: dict[str | None, dict[str, int]], *,
    teams: TeamGroups, months: tuple[str, ...],
) -> Series:  # fmt: skip
    visible = teams.org_shown or not measure.people
    by_month: dict[str, float | None] = {m: (totals.get(m, 0) if visible else None) for m in months}
    by_group_month: dict[str, dict[str, float | None]] = {
        g: {m: cube.get(g, {}).get(m, 0) for m in months} for g in teams.groups
    }
    by_group: dict[str, float | None] = {
        g: sum(v or 0 for v in cells.values()) for g, cells in by_group_month.items()
    }
    total = sum(v or 0 for v in by_month.values()) if visible else None
    return Series(measure.key, measure.practice, measure.nl, measure.en, by_month, total,
                  by_group, by_group_month)  # fmt: skip


def _ratio(numerator: int, denominator: int, min_group: int) -> float | None:
    return round(numerator / denominator, 3) if denominator >= min_group else None


Cube = dict[str, dict[str | None, dict[str, int]]]  # measure → group → month → count


def _rate_series(
    rate: Rate, totals: dict[str, dict[str, int]], cube: Cube, *, teams: TeamGroups,
    months: tuple[str, ...],
) -> Series:  # fmt: skip
    n, d, k = totals[rate.numerator], totals[rate.denominator], teams.min_group
    by_month = {m: _ratio(n.get(m, 0), d.get(m, 0), k) for m in months}
    total = _ratio(sum(n.get(m, 0) for m in months), sum(d.get(m, 0) for m in months), k)
    by_group_month: dict[str, dict[str, float | None]] = {}
    by_group: dict[str, float | None] = {}
    for g in teams.groups:
        gn, gd = cube[rate.numerator].get(g, {}), cube[rate.denominator].get(g, {})
        by_group_month[g] = {m: _ratio(gn.get(m, 0), gd.get(m, 0), k) for m in months}
        by_group[g] = _ratio(sum(gn.values()), sum(gd.values()), k)
    return Series(rate.key, rate.practice, rate.nl, rate.en, by_month, total, by_group,
                  by_group_month, rate=True)  # fmt: skip
