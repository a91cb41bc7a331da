"""POST /xapi/statements: completions in from a learning platform (xAPI 1.0.3 subset)."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from integrations.http.webhooks import read_limited
from integrations.learning.wiring import LearningDeps
from integrations.learning.xapi import VERSION, StatementError, read_statement
from integrations.learning.xapi_store import store_statements
from journeys.planner import next_allowed
from models.db import session_scope

MAX_STATEMENTS = 100
log = logging.getLogger("leerpad.xapi")
HEADERS = {"X-Experience-API-Version": VERSION}


def _problem(status: int, reason: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": reason}, status_code=status, headers=HEADERS | headers)


def xapi_router(deps: LearningDeps) -> APIRouter:
    """The xAPI statements endpoint, bound to its dependencies."""
    router = APIRouter()

    @router.post("/xapi/statements")
    async def statements(request: Request) -> JSONResponse:
        """Accept one statement or a list; 200 with their ids, 400 if any is invalid, 401."""
        if not deps.xapi_auth.configured:
            return _problem(401, "xAPI is not configured; set LEERPAD_XAPI_TOKEN")
        if not deps.xapi_auth.allows(request.headers.get("authorization")):
            return _problem(401, "bad credentials", **{"WWW-Authenticate": 'Basic realm="xapi"'})
        raw = await read_limited(request)
        if raw is None:
            return _problem(413, "body larger than 1 MiB")
        try:
            body = json.loads(raw)
        except ValueError:
            return _problem(400, "body is not JSON")
        batch = body if isinstance(body, list) else [body]
        if not batch or len(batch) > MAX_STATEMENTS:
            return _problem(400, f"send 1 to {MAX_STATEMENTS} statements")
        try:
            incoming = [read_statement(item) for item in batch]
        except StatementError as exc:
            return _problem(400, str(exc))
        now = deps.now()
        due = next_allowed(
            now, zone=deps.profile.zone, calendar=deps.calendar, window=deps.profile.send_window
        )

        def store() -> int:
            with session_scope(deps.engine) as session:
                return store_statements(
                    session=session, statements=incoming, public_url=deps.links.public_url,
                    due_at=due, now=now,
                )  # fmt: skip

        stored = await run_in_threadpool(store)
        log.info("xAPI: %d statements received, %d new", len(incoming), stored)
        return JSONResponse([s.statement_id for s in incoming], headers=HEADERS)

    return router
