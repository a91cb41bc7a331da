"""The HR pages behind `require_hr`: the overview of counts at GET /hr, and the routers of the
people list and timelines (hr_people) and the event inbox (hr_inbox)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from integrations.http.hr_auth import (
    HrDenied,
    HrDeps,
    HrUser,
    hr_deps,
    login_router,
    render,
    require_hr,
)
from integrations.http.hr_culture import culture_router
from integrations.http.hr_inbox import inbox_router
from integrations.http.hr_people import people_router
from models.db import session_scope
from models.hr_overview import HrOverview, hr_overview

HrSignedIn = Annotated[HrUser, Depends(require_hr)]  # what an HR route takes to require sign-in


def pages_router() -> APIRouter:
    """GET /hr: journeys by state and recent failures, counts only."""
    router = APIRouter(prefix="/hr", include_in_schema=False)

    @router.get("")
    async def overview(request: Request, user: HrSignedIn) -> Response:
        """The HR overview: aggregates only, no personal data."""
        deps = hr_deps(request)

        def counts() -> HrOverview:
            with session_scope(deps.engine) as session:
                return hr_overview(session=session, now=deps.now())

        found = await run_in_threadpool(counts)
        csrf = deps.signer.csrf_for_session(user.session) if deps.signer else ""
        return render(
            deps, request, "overview", user=user.name, overview=found, csrf_token=csrf,
            current="overview",
        )  # fmt: skip

    return router


def install_hr(app: FastAPI, deps: HrDeps) -> None:
    """Put the HR sign-in and pages on an app, with the handler that answers `HrDenied`."""
    app.state.hr = deps

    async def denied(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HrDenied)
        return exc.response

    app.add_exception_handler(HrDenied, denied)
    app.include_router(login_router())
    app.include_router(pages_router())
    app.include_router(people_router())
    app.include_router(inbox_router())
    app.include_router(culture_router())
