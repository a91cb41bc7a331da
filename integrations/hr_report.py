"""HR's report: the overview counts, the vacancies by learning score and the culture view.

`load_report` reads the aggregates (no per-person row); `render_report` makes one self-contained
HTML file of them (inline CSS and SVG, no script, no remote resource); `report_json` the same as
JSON. Used by `leerpad report`; GET /hr/culture uses `load_culture`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from integrations.culture_page import category_names, culture_context, month_label
from integrations.rendering import Renderer
from journeys.culture import CultureView, build_view, group_teams, last_months, month_window
from journeys.profile import EmployerProfile
from models.culture_queries import culture_counts, team_sizes
from models.db import session_scope
from models.hr_overview import HrOverview, hr_overview
from models.vacancy_overview import VacancyRow, vacancy_overview


@dataclass(frozen=True)
class Report:
    """Everything the report shows, as of `now`."""

    now: datetime
    overview: HrOverview
    vacancies: list[VacancyRow]
    culture: CultureView


def load_culture(*, engine: Engine, now: datetime, months: int, min_group: int) -> CultureView:
    """Count, fold and hide: the culture view of the last `months` months up to `now`."""
    wanted = last_months(now.date(), months)
    start, end = month_window(wanted)
    with session_scope(engine) as session:
        sizes = team_sizes(session=session)
        rows = culture_counts(session=session, start=start, end=end, now=now)
    return build_view(rows, teams=group_teams(sizes, min_group=min_group), months=wanted)


def load_report(*, engine: Engine, now: datetime, months: int, min_group: int) -> Report:
    """Read every aggregate the report shows."""
    with session_scope(engine) as session:
        overview = hr_overview(session=session, now=now)
        vacancies = vacancy_overview(session=session)
    culture = load_culture(engine=engine, now=now, months=months, min_group=min_group)
    return Report(now=now, overview=overview, vacancies=vacancies, culture=culture)


def report_json(report: Report) -> dict[str, Any]:
    """The report's aggregates as JSON-ready data."""
    overview = asdict(report.overview) | {"since": report.overview.since.isoformat()}
    return {
        "generated_at": report.now.isoformat(),
        "overview": overview,
        "vacancies": [v.as_dict() for v in report.vacancies],
        "culture": report.culture.as_dict(),
    }


def vacancy_dicts(rows: list[VacancyRow], lang: str) -> list[dict[str, Any]]:
    """The rows for the vacancies table, with category names in the page's language."""
    return [
        r.as_dict() | {"found_names": category_names(r.found, lang),
                       "missing_names": category_names(r.missing, lang)}
        for r in rows
    ]  # fmt: skip


def render_report(
    report: Report, *, renderer: Renderer, profile: EmployerProfile, lang: str
) -> str:
    """The report as one HTML file in `lang` (nl or en)."""
    template = renderer.env.get_template(f"report/{lang}/report.html.j2")
    scored = [v.score for v in report.vacancies if v.score is not None]
    return template.render(
        lang=lang, org_name=profile.name, generated=report.now, overview=report.overview,
        vacancies=vacancy_dicts(report.vacancies, lang), page_links=False,
        mean_score=round(sum(scored) / len(scored)) if scored else None,
        generated_month=month_label(f"{report.now:%Y-%m}", lang),
        **culture_context(report.culture, lang=lang),
    )  # fmt: skip
