"""GET/POST /hr/people (hires and candidates, paged) and GET /hr/people/{id} (one timeline).

Names are shown to signed-in HR users, never put in URLs or logs: people are linked by their
database id, and a search by name is POSTed (CSRF-checked) so the name stays out of access logs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from integrations.http.hr_auth import HrUser, check_csrf, hr_deps, require_hr
from integrations.http.hr_render import render_hr_page
from models.db import session_scope
from models.hr_people import KINDS, STATES, PeoplePage, people_page
from models.hr_timeline import Timeline, person_timeline

HrSignedIn = Annotated[HrUser, Depends(require_hr)]
SEARCH_LENGTH = 100


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 1


def people_router() -> APIRouter:
    """The people list and each person's timeline."""
    router = APIRouter(prefix="/hr", include_in_schema=False)

    async def listing(
        request: Request, user: HrUser, *, kind: str | None, state: str | None,
        search: str, page: int,
    ) -> Response:  # fmt: skip
        deps = hr_deps(request)
        kind = kind if kind in KINDS else None
        state = state if state in STATES else None

        def read() -> PeoplePage:
            with session_scope(deps.engine) as session:
                return people_page(
                    session=session, kind=kind, state=state, search=search or None, page=page
                )

        found = await run_in_threadpool(read)
        return render_hr_page(
            deps, request, "people", user=user, current="people", found=found, kind=kind or "",
            state=state or "", search=search, kinds=KINDS, states=STATES,
        )  # fmt: skip

    @router.get("/people")
    async def people(
        request: Request, user: HrSignedIn, kind: str | None = None, state: str | None = None,
        page: str | None = None,
    ) -> Response:  # fmt: skip
        """Hires and candidates, filtered by kind and state, 50 to a page."""
        return await listing(
            request, user, kind=kind, state=state, search="", page=_page_number(page)
        )

    @router.post("/people")
    async def search_people(request: Request, user: HrSignedIn) -> Response:
        """The same list searched by name: POSTed so the name never shows in a URL."""
        form = await check_csrf(request, user)
        return await listing(
            request, user, kind=form.get("kind"), state=form.get("state"),
            search=form.get("q", "").strip()[:SEARCH_LENGTH],
            page=_page_number(form.get("page")),
        )  # fmt: skip

    @router.get("/people/{person_id}")
    async def timeline(request: Request, user: HrSignedIn, person_id: str) -> Response:
        """One hire's or candidate's steps on a timeline, past and planned."""
        deps = hr_deps(request)
        if not person_id.isdigit() or len(person_id) > 12:
            return render_hr_page(
                deps, request, "not_found", user=user, current="people", status=404
            )

        def read() -> Timeline | None:
            with session_scope(deps.engine) as session:
                return person_timeline(session=session, person_id=int(person_id), now=deps.now())

        found = await run_in_threadpool(read)
        if found is None:
            return render_hr_page(
                deps, request, "not_found", user=user, current="people", status=404
            )
        return render_hr_page(
            deps, request, "timeline", user=user, current="people", timeline=found,
            title=found.name,
        )  # fmt: skip

    return router
