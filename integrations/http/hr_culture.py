"""GET /hr/vacancies (learning scores) and /hr/culture (the eight practices): aggregates only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from integrations.culture_page import category_names, culture_context
from integrations.http.hr_auth import HrDeps, HrUser, hr_deps, locale_of, require_hr
from integrations.learning.pages import SECURITY_HEADERS
from journeys.culture import CultureView, build_view, group_teams, last_months, month_window
from models.culture_queries import culture_counts, team_sizes
from models.db import session_scope
from models.vacancy_overview import VacancyRow, vacancy_overview, vacancy_text

TITLES = {
    "vacancies": ("Vacatures en hun leerscore", "Vacancies and their learning score"),
    "culture": ("Leercultuur", "Learning culture"),
}
HrSignedIn = Annotated[HrUser, Depends(require_hr)]


def page(deps: HrDeps, request: Request, name: str, **context: Any) -> Response:
    """Render pages/hr/<locale>/<name>.html.j2 with the HR pages' security headers."""
    locale = locale_of(request, deps)
    nl, en = TITLES[name]
    html = deps.renderer.env.get_template(f"pages/hr/{locale}/{name}.html.j2").render(
        lang=locale, title=nl if locale == "nl" else en, org_name=deps.profile.name, **context
    )
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def vacancy_dicts(rows: list[VacancyRow], lang: str) -> list[dict[str, Any]]:
    """The rows for the vacancies table, with category names in the page's language."""
    return [
        r.as_dict() | {"found_names": category_names(r.found, lang),
                       "missing_names": category_names(r.missing, lang)}
        for r in rows
    ]  # fmt: skip


def culture_view(deps: HrDeps, *, months: int) -> CultureView:
    """Count, fold and hide: the culture view of the last `months` months up to now."""
    now = deps.now()
    wanted = last_months(now.date(), months)
    start, end = month_window(wanted)
    with session_scope(deps.engine) as session:
        sizes = team_sizes(session=session)
        rows = culture_counts(session=session, start=start, end=end, now=now)
    teams = group_teams(sizes, min_group=deps.profile.hr_min_group)
    return build_view(rows, teams=teams, months=wanted)


def culture_router() -> APIRouter:
    """The vacancies and culture pages, behind HR sign-in."""
    router = APIRouter(prefix="/hr", include_in_schema=False)

    @router.get("/vacancies")
    async def vacancies(request: Request, user: HrSignedIn) -> Response:
        """Every vacancy with its learning score, best first."""
        deps = hr_deps(request)

        def load() -> list[VacancyRow]:
            with session_scope(deps.engine) as session:
                return vacancy_overview(session=session)

        rows = await run_in_threadpool(load)
        lang = locale_of(request, deps)
        return page(deps, request, "vacancies", vacancies=vacancy_dicts(rows, lang),
                    page_links=True)  # fmt: skip

    @router.get("/vacancies/{vacancy_id}/page")
    async def vacancy_page(request: Request, user: HrSignedIn, vacancy_id: int) -> Response:
        """The vacancy as it would be published (HTML page with its learning section)."""
        from integrations.vacancy import render_vacancy
        from journeys.errors import JourneyError
        from journeys.vacancy import parse_vacancy

        deps = hr_deps(request)

        def load() -> str | None:
            with session_scope(deps.engine) as session:
                return vacancy_text(session=session, vacancy_id=vacancy_id)

        text = await run_in_threadpool(load)
        if not text:
            return Response("no stored text for this vacancy", status_code=404,
                            headers=SECURITY_HEADERS)  # fmt: skip
        try:
            vacancy = parse_vacancy(text, file=f"vacancy {vacancy_id}")
            html = render_vacancy(vacancy, profile=deps.profile, today=deps.now().date())
        except JourneyError as exc:
            return Response(f"this vacancy cannot be published yet: {exc}", status_code=422,
                            headers=SECURITY_HEADERS)  # fmt: skip
        return HTMLResponse(html, headers=SECURITY_HEADERS)

    @router.get("/culture")
    async def culture(
        request: Request, user: HrSignedIn, team: str | None = None,
        months: Annotated[int, Query(ge=1, le=36)] = 12,
    ) -> Response:  # fmt: skip
        """The eight practices per month and per team; small teams folded, small rates hidden."""
        deps = hr_deps(request)
        view = await run_in_threadpool(culture_view, deps, months=months)
        lang = locale_of(request, deps)
        return page(deps, request, "culture", **culture_context(view, lang=lang, team=team))

    return router
