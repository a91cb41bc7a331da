"""POST /webhooks/{source}: verify on the raw bytes, store, acknowledge; process afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from integrations.http.ratelimit import RateLimiter
from integrations.intake import take_in
from integrations.sources.registry import SOURCES

MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class WebhookDeps:
    """What the webhook endpoint needs, wired by the caller."""

    engine: Engine
    secret_for: Callable[[str], str | None]
    on_stored: Callable[[int], None] | None  # None: another process processes what is stored
    now: Callable[[], datetime]
    limiter: RateLimiter | None = None  # per (source, client IP); create_app fills it in
    # deliveries stored at once (threads holding a database connection); the rest wait in the
    # event loop, so a burst neither queues threads on the connection pool nor churns connections
    store_concurrency: int = 10


async def read_limited(request: Request, limit: int = MAX_BODY) -> bytes | None:
    """Read the body, or None once it grows past the limit."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def too_many(retry_after: int) -> JSONResponse:
    """429 with Retry-After: nothing was read or stored."""
    reason = f"too many webhook requests from this client; retry after {retry_after} s"
    return JSONResponse(
        {"error": reason, "retry_after": retry_after},
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )


def webhook_router(deps: WebhookDeps) -> APIRouter:
    """The webhook routes, bound to their dependencies."""
    router = APIRouter()
    storing: list[CapacityLimiter] = []  # made on the first request, inside the event loop

    def store_limiter() -> CapacityLimiter:
        if not storing:
            storing.append(CapacityLimiter(deps.store_concurrency))
        return storing[0]

    @router.post(
        "/webhooks/{source}",
        status_code=202,
        responses={
            202: {"description": "Stored (or a duplicate of a stored delivery)"},
            400: {"description": "Body could not be parsed; kept for inspection"},
            401: {"description": "Missing or wrong signature, or no secret configured"},
            404: {"description": "Unknown source"},
            413: {"description": "Body over 1 MiB"},
            429: {"description": "Too many requests from this client; see Retry-After"},
        },
    )
    async def receive(source: str, request: Request, background: BackgroundTasks) -> JSONResponse:
        """Receive one webhook: 202 once stored, 401 bad signature, 400 bad body, 413, 404, 429."""
        if deps.limiter is not None:
            client = request.client.host if request.client else "?"
            key = source if source in SOURCES else "?"  # unknown names share one bucket
            limited = deps.limiter.take(source=key, client=client)
            if not limited.allowed:
                return too_many(limited.retry_after)
        raw = await read_limited(request)
        if raw is None:
            return JSONResponse({"error": "body larger than 1 MiB"}, status_code=413)
        store = partial(
            take_in,
            engine=deps.engine,
            source=source,
            raw=raw,
            headers=dict(request.headers),
            secret=deps.secret_for(source),
            now=deps.now(),
        )
        intake = await anyio.to_thread.run_sync(store, limiter=store_limiter())
        if intake.process_id is not None and deps.on_stored is not None:
            background.add_task(deps.on_stored, intake.process_id)
        return JSONResponse(intake.body, status_code=intake.status)

    return router
