"""GET /hr/inbox (failures first), GET /hr/inbox/{id} (one event kept for inspection) and
POST /hr/inbox/{id}/replay (CSRF-checked; processes the event again the way a webhook would).

A replay puts the event back to `received` and hands its id to `HrDeps.process_event`, the same
hook the webhook endpoint uses (inline processing, or a Prefect event when a Prefect API is set).
The audit log line names the event id and the action, never a person or the HR user.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from integrations.http.hr_auth import HrDeps, HrUser, check_csrf, hr_deps, require_hr
from integrations.http.hr_render import render_hr_page
from integrations.learning.pages import SECURITY_HEADERS
from models.db import session_scope
from models.hr_inbox import (
    STATUSES,
    InboxDetail,
    InboxPage,
    inbox_detail,
    inbox_page,
    mark_for_replay,
    status_of,
)

log = logging.getLogger("leerpad.hr.audit")
HrSignedIn = Annotated[HrUser, Depends(require_hr)]
OUTCOMES = ("processed", "ignored", "failed", "received", "refused", "unavailable", "other")
REPLAYABLE = ("failed", "received")


def _event_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 13 else None


def replay_event(deps: HrDeps, inbox_id: int) -> str | None:
    """Process a stored event again; its status afterwards (None: no such event).

    "received" means it was handed on (to Prefect) and is not processed yet; "refused" that it
    was processed or ignored already; "unavailable" that this server cannot process events.
    """
    with session_scope(deps.engine) as session:
        before = status_of(session=session, inbox_id=inbox_id)
        if before is None:
            return None
        if before[0] not in REPLAYABLE:
            return "refused"
        if deps.process_event is None:
            return "unavailable"
        mark_for_replay(session=session, inbox_id=inbox_id)
    try:
        deps.process_event(inbox_id)
    except Exception:  # the processing code kept the error on the inbox row
        log.warning("HR replay of inbox event %s raised; the error is on the row", inbox_id)
    with session_scope(deps.engine) as session:
        found = status_of(session=session, inbox_id=inbox_id)
    return found[0] if found else None


def inbox_router() -> APIRouter:
    """The inbox list, one event, and replay."""
    router = APIRouter(prefix="/hr", include_in_schema=False)

    @router.get("/inbox")
    async def inbox(
        request: Request, user: HrSignedIn, status: str | None = None, page: str | None = None
    ) -> Response:
        """Incoming events, those that failed first, 50 to a page."""
        deps = hr_deps(request)
        status = status if status in STATUSES else None
        number = int(page) if page and page.isdigit() and len(page) < 7 else 1

        def read() -> InboxPage:
            with session_scope(deps.engine) as session:
                return inbox_page(session=session, status=status, page=number)

        found = await run_in_threadpool(read)
        return render_hr_page(
            deps, request, "inbox", user=user, current="inbox", found=found,
            shown=status or "", statuses=STATUSES,
        )  # fmt: skip

    @router.get("/inbox/{event_id}")
    async def event(
        request: Request, user: HrSignedIn, event_id: str, replayed: str | None = None
    ) -> Response:
        """One event: status, reason, and the payload kept for inspection (signed-in HR only)."""
        deps = hr_deps(request)
        wanted = _event_id(event_id)

        def read() -> InboxDetail | None:
            if wanted is None:
                return None
            with session_scope(deps.engine) as session:
                return inbox_detail(session=session, inbox_id=wanted)

        found = await run_in_threadpool(read)
        if found is None:
            return render_hr_page(
                deps, request, "not_found", user=user, current="inbox", status=404
            )
        return render_hr_page(
            deps, request, "inbox_event", user=user, current="inbox", event=found,
            suffix=f" #{found.row.id}",
            replayed=replayed if replayed in OUTCOMES else "",
        )  # fmt: skip

    @router.post("/inbox/{event_id}/replay")
    async def replay(request: Request, user: HrSignedIn, event_id: str) -> Response:
        """Process the event again (CSRF-checked), then show it with the outcome."""
        deps = hr_deps(request)
        await check_csrf(request, user)
        wanted = _event_id(event_id)
        outcome = None if wanted is None else await run_in_threadpool(replay_event, deps, wanted)
        if outcome is None:
            return Response("no such event", status_code=404, headers=SECURITY_HEADERS)
        log.info("HR action replay on inbox event %s: %s", wanted, outcome)
        shown = outcome if outcome in OUTCOMES else "other"
        return RedirectResponse(
            f"/hr/inbox/{wanted}?replayed={shown}", status_code=303, headers=SECURITY_HEADERS
        )

    return router
