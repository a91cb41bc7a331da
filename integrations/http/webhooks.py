"""POST /webhooks/{source}: verify on the raw bytes, store, acknowledge; process afterwards."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from sqlalchemy.engine import Engine

from integrations.sources.base import (
    Fetch,
    Ignored,
    NotConfigured,
    PayloadError,
    SignatureError,
)
from integrations.sources.registry import SOURCES, adapter_for
from models.db import session_scope
from models.webhook_store import store_delivery

MAX_BODY = 1024 * 1024
log = logging.getLogger("leerpad.webhooks")


@dataclass(frozen=True)
class WebhookDeps:
    """What the webhook endpoint needs, wired by the caller."""

    engine: Engine
    secret_for: Callable[[str], str | None]
    on_stored: Callable[[int], None]
    now: Callable[[], datetime]


def fetch_to_dict(fetch: Fetch) -> dict[str, object]:
    """Serialise an id-only notice for the inbox; `fetch_from_dict` reads it back."""
    return {
        "kind": fetch.kind,
        "ids": fetch.ids,
        "event": fetch.event,
        "event_id": fetch.event_id,
        "occurred_at": fetch.occurred_at.isoformat() if fetch.occurred_at else None,
    }


def fetch_from_dict(data: dict[str, object]) -> Fetch:
    """Read an id-only notice stored by the webhook endpoint."""
    occurred = data.get("occurred_at")
    return Fetch(
        kind=str(data["kind"]),
        ids={str(k): str(v) for k, v in dict(data.get("ids") or {}).items()},  # type: ignore[call-overload]
        event=str(data.get("event") or ""),
        event_id=str(data.get("event_id") or ""),
        occurred_at=datetime.fromisoformat(str(occurred)) if occurred else None,
    )


def _problem(status: int, reason: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": reason, **extra}, status_code=status)


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


def webhook_router(deps: WebhookDeps) -> APIRouter:
    """The webhook routes, bound to their dependencies."""
    router = APIRouter()

    @router.post("/webhooks/{source}", status_code=202)
    async def receive(source: str, request: Request, background: BackgroundTasks) -> JSONResponse:
        """Receive one webhook: 202 once stored, 401 bad signature, 400 bad body, 413, 404."""
        if source not in SOURCES:
            return _problem(404, f"unknown source {source!r}; known: {', '.join(SOURCES)}")
        raw = await read_limited(request)
        if raw is None:
            return _problem(413, "body larger than 1 MiB")
        adapter = adapter_for(source)
        headers = dict(request.headers)
        secret = deps.secret_for(source)
        now = deps.now()
        if not secret:
            env = f"LEERPAD_SECRET_{source.upper()}"
            return _problem(401, f"no secret configured for {source}; set {env}")
        try:
            adapter.verify(raw=raw, headers=headers, secret=secret, now=now)
        except (SignatureError, NotConfigured) as exc:
            return _problem(401, str(exc))
        try:
            parsed = adapter.parse(raw=raw, headers=headers, received_at=now)
            dedupe = adapter.dedupe_key(raw=raw, headers=headers)
        except PayloadError as exc:
            key = f"{source}:rejected:{hashlib.sha256(raw).hexdigest()}"
            with session_scope(deps.engine) as session:
                inbox_id, _ = store_delivery(
                    session=session,
                    source=source,
                    dedupe_key=key,
                    status="rejected",
                    payload="{}",
                    raw=raw,
                    headers=headers,
                    event_type=None,
                    error=str(exc)[:1000],
                    now=now,
                )
            return _problem(400, str(exc), id=inbox_id)
        if isinstance(parsed, Ignored):
            status, payload, kind = "ignored", json.dumps({"ignored": parsed.reason}), None
        elif isinstance(parsed, Fetch):
            status, kind = "received", None
            payload = json.dumps({"fetch": fetch_to_dict(parsed)})
            dedupe = parsed.event_id or dedupe
        else:
            status, payload, kind = "received", parsed.model_dump_json(), parsed.type
            dedupe = parsed.id
        with session_scope(deps.engine) as session:
            inbox_id, duplicate = store_delivery(
                session=session,
                source=source,
                dedupe_key=dedupe,
                status=status,
                payload=payload,
                raw=raw,
                headers=headers,
                event_type=kind,
                error=None,
                now=now,
            )
        if status == "received" and not duplicate:
            background.add_task(deps.on_stored, inbox_id)
        body = {"id": inbox_id, "duplicate": duplicate}
        if status == "ignored":
            body["ignored"] = True
        return JSONResponse(body, status_code=202)

    return router
