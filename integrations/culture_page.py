"""What the culture page and the report show of a `CultureView`: charts, tables and words, nl/en.

Shared by GET /hr/culture and `leerpad report`, so both show the same figures the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from integrations.culture_charts import BarChart, group_chart, monthly_chart, value_text
from journeys.culture import OTHER, CultureView, Series
from journeys.vacancy.labels import category_label

MONTH_NAMES = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WORDS = {
    "nl": {"other": "Overige teams", "all": "Alle teams", "month": "Maand", "team": "Team",
           "table": "De cijfers als tabel", "hidden": "verborgen", "per_month": "per maand",
           "per_team": "per team, afgelopen {n} maanden", "total": "Totaal"},
    "en": {"other": "Other teams", "all": "All teams", "month": "Month", "team": "Team",
           "table": "The figures as a table", "hidden": "hidden", "per_month": "per month",
           "per_team": "per team, last {n} months", "total": "Total"},
}  # fmt: skip


@dataclass(frozen=True)
class SeriesBlock:
    """One measure or rate as shown: its charts and the rows of its table."""

    key: str
    label: str
    percent: bool
    monthly: BarChart
    teams: BarChart | None
    month_rows: tuple[tuple[str, str], ...]
    team_rows: tuple[tuple[str, str], ...]
    total: str


def month_label(month: str, lang: str) -> str:
    """"2027-03" as "mrt 2027" / "Mar 2027"."""
    year, number = month.split("-")
    return f"{MONTH_NAMES[lang][int(number) - 1]} {year}"


def group_label(group: str, lang: str) -> str:
    """A team's name, or "Other teams" for the group of small teams."""
    return WORDS[lang]["other"] if group == OTHER else group


def _describe(labels: Sequence[str], texts: Sequence[str]) -> str:
    return "; ".join(f"{label}: {text}" for label, text in zip(labels, texts, strict=True))


def _block(series: Series, view: CultureView, *, lang: str, team: str | None) -> SeriesBlock:
    words, months = WORDS[lang], view.months
    label, percent = series.label(lang), series.rate
    labels = [month_label(m, lang) for m in months]
    source = series.by_group_month.get(team, {}) if team else series.by_month
    values = [source.get(m) for m in months]
    texts = [value_text(v, percent=percent, hidden=words["hidden"]) for v in values]
    scope = group_label(team, lang) if team else words["all"]
    monthly = monthly_chart(
        id=f"m-{series.key}", title=f"{label}, {words['per_month']} ({scope})",
        desc=_describe(labels, texts), labels=[month_label(m, lang)[:3] for m in months],
        values=values, percent=percent,
        subs=[m[:4] if n == 0 or m.endswith("-01") else "" for n, m in enumerate(months)],
    )  # fmt: skip
    groups = list(view.teams.groups)
    team_values = [series.by_group.get(g) for g in groups]
    team_texts = [value_text(v, percent=percent, hidden=words["hidden"]) for v in team_values]
    names = [group_label(g, lang) for g in groups]
    per_team = words["per_team"].format(n=len(months))
    teams = group_chart(
        id=f"t-{series.key}", title=f"{label}, {per_team}", desc=_describe(names, team_texts),
        labels=names, values=team_values, percent=percent,
    ) if groups else None  # fmt: skip
    total = value_text(series.total, percent=percent, hidden=words["hidden"])
    return SeriesBlock(series.key, label, percent, monthly, teams,
                       tuple(zip(labels, texts, strict=True)),
                       tuple(zip(names, team_texts, strict=True)), total)  # fmt: skip


def culture_context(view: CultureView, *, lang: str, team: str | None = None) -> dict[str, Any]:
    """The template context of the culture view: practices with their blocks, words, groups."""
    if team not in view.teams.groups:
        team = None
    practices = [
        {"key": p.practice.key, "name": p.label(lang), "about": p.about(lang),
         "blocks": [_block(s, view, lang=lang, team=team) for s in p.series]}
        for p in view.practices
    ]  # fmt: skip
    return {
        "practices": practices,
        "words": WORDS[lang],
        "groups": [(g, group_label(g, lang)) for g in view.teams.groups],
        "team": team,
        "min_group": view.teams.min_group,
        "first_month": month_label(view.months[0], lang),
        "last_month": month_label(view.months[-1], lang),
    }


def category_names(categories: Sequence[str], lang: str) -> list[str]:
    """The vacancy-check categories (CONTRACTS §6) in the page's language."""
    return [category_label(c, lang) for c in categories]  # type: ignore[arg-type]
