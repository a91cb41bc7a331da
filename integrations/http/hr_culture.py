"""GET /hr/vacancies (learning scores) and /hr/culture (the eight practices): aggregates only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from integrations.culture_page import culture_context
from integrations.hr_report import load_culture, vacancy_dicts
from integrations.http.hr_auth import HrDeps, HrUser, hr_deps, locale_of, require_hr
from integrations.learning.pages import SECURITY_HEADERS
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

        def rendered() -> tuple[int, str]:
            with session_scope(deps.engine) as session:
                text = vacancy_text(session=session, vacancy_id=vacancy_id)
            if not text:
                return 404, "no stored text for this vacancy"
            try:
                vacancy = parse_vacancy(text, file=f"vacancy {vacancy_id}")
                return 200, render_vacancy(vacancy, profile=deps.profile, today=deps.now().date())
            except JourneyError as exc:
                return 422, f"this vacancy cannot be published yet: {exc}"

        status, body = await run_in_threadpool(rendered)
        if status != 200:
            return PlainTextResponse(body, status_code=status, headers=SECURITY_HEADERS)
        return HTMLResponse(body, headers=SECURITY_HEADERS)

    @router.get("/culture")
    async def culture(
        request: Request, user: HrSignedIn, team: str | None = None,
        months: Annotated[int, Query(ge=1, le=36)] = 12,
    ) -> Response:  # fmt: skip
        """The eight practices per month and per team; small teams folded, small rates hidden."""
        deps = hr_deps(request)
        view = await run_in_threadpool(
            lambda: load_culture(engine=deps.engine, now=deps.now(), months=months,
                                 min_group=deps.profile.hr_min_group)
        )  # fmt: skip
        lang = locale_of(request, deps)
        return page(deps, request, "culture", **culture_context(view, lang=lang, team=team))

    return router
