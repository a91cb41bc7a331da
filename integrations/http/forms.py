"""Form pages behind signed, expiring links: GET shows, POST saves; no JavaScript needed.

Each link carries its own single-purpose token in the path, so a forged cross-site POST cannot
know it; that token is the CSRF protection. Pages send `Referrer-Policy: no-referrer`, so the
token never leaks to the sites a playlist links to.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from integrations.learning.access import Opened, open_link
from integrations.learning.hire_forms import done_form, goals_form, share_form
from integrations.learning.leader_forms import reflection_form
from integrations.learning.lrs import export_completions
from integrations.learning.wiring import LearningDeps

MAX_FORM = 64 * 1024
Page = HTMLResponse | RedirectResponse


async def read_form(request: Request) -> dict[str, str] | None:
    """The posted fields as text, or None when the body is too large."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_FORM:
        return None
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def forms_router(deps: LearningDeps) -> APIRouter:
    """The goals, reflection, done and share forms, bound to their dependencies."""
    router = APIRouter(prefix="/forms", include_in_schema=False)

    def page(
        purpose: str, token: str, request: Request, handle: Callable[[Opened], Page]
    ) -> Response:
        opened = open_link(deps, token=token, purpose=purpose, request=request)
        return opened if isinstance(opened, Response) else handle(opened)

    def too_large() -> Response:
        return Response("form too large", status_code=413)

    @router.get("/goals/{token}")
    def goals_get(token: str, request: Request, saved: int = 0) -> Response:
        """The learning-goals form."""
        return page("goals", token, request, lambda o: goals_form(deps, o, saved=bool(saved)))

    @router.post("/goals/{token}")
    async def goals_post(token: str, request: Request) -> Response:
        """Save one to three learning goals and the shout-out opt-in."""
        form = await read_form(request)
        if form is None:
            return too_large()
        return await run_in_threadpool(
            page, "goals", token, request, lambda o: goals_form(deps, o, form=form)
        )

    @router.get("/reflection/{token}")
    def reflection_get(token: str, request: Request, saved: int = 0) -> Response:
        """A leader's reflection prompt, with their own earlier answer."""
        return page(
            "reflection", token, request, lambda o: reflection_form(deps, o, saved=bool(saved))
        )

    @router.post("/reflection/{token}")
    async def reflection_post(token: str, request: Request) -> Response:
        """Save a leader's reflection (private to them)."""
        form = await read_form(request)
        if form is None:
            return too_large()
        return await run_in_threadpool(
            page, "reflection", token, request, lambda o: reflection_form(deps, o, form=form)
        )

    @router.get("/done/{token}")
    def done_get(token: str, request: Request, done: int = 0) -> Response:
        """Ask the hire to confirm an item is done (a GET never changes anything)."""
        return page("done", token, request, lambda o: done_form(deps, o, just_done=bool(done)))

    @router.post("/done/{token}")
    def done_post(token: str, request: Request, background: BackgroundTasks) -> Response:
        """Tick an item off; the completion goes to the LRS afterwards when one is configured."""
        response = page("done", token, request, lambda o: done_form(deps, o, confirm=True))
        if deps.lrs is not None and response.status_code == 303:
            background.add_task(
                export_completions, engine=deps.engine, lrs=deps.lrs, home_page=deps.home_page,
                public_url=deps.links.public_url, now=deps.now,
            )  # fmt: skip
        return response

    @router.get("/share/{token}")
    def share_get(token: str, request: Request, saved: int = 0) -> Response:
        """The knowledge-share form."""
        return page("share", token, request, lambda o: share_form(deps, o, saved=bool(saved)))

    @router.post("/share/{token}")
    async def share_post(token: str, request: Request) -> Response:
        """Record a teach-back, lunch session or write-up."""
        form = await read_form(request)
        if form is None:
            return too_large()
        return await run_in_threadpool(
            page, "share", token, request, lambda o: share_form(deps, o, form=form)
        )

    return router
