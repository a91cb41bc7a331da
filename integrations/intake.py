"""Take one delivery in: verify, parse, store. Shared by the webhook endpoint and the CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from integrations.sources.base import (
    Fetch,
    Ignored,
    NotConfigured,
    PayloadError,
    SignatureError,
)
from integrations.sources.registry import SOURCES, adapter_for
from models.webhook_store import store_delivery


@dataclass(frozen=True)
class Intake:
    """The answer to one delivery: HTTP status, JSON body, and the inbox row to process, if any."""

    status: int
    body: dict[str, object]
    process_id: int | None = None


def fetch_to_dict(fetch: Fetch) -> dict[str, object]:
    """Serialise an id-only notice for the inbox; `fetch_from_dict` reads it back."""
    return {
        "kind": fetch.kind,
        "ids": fetch.ids,
        "event": fetch.event,
        "event_id": fetch.event_id,
        "occurred_at": fetch.occurred_at.isoformat() if fetch.occurred_at else None,
    }


def fetch_from_dict(data: Mapping[str, object]) -> Fetch:
    """Read an id-only notice stored by `take_in`."""
    occurred = data.get("occurred_at")
    ids = data.get("ids") or {}
    return Fetch(
        kind=str(data["kind"]),
        ids={str(k): str(v) for k, v in dict(ids).items()},  # type: ignore[call-overload]
        event=str(data.get("event") or ""),
        event_id=str(data.get("event_id") or ""),
        occurred_at=datetime.fromisoformat(str(occurred)) if occurred else None,
    )


def take_in(
    *,
    engine: Engine,
    source: str,
    raw: bytes,
    headers: Mapping[str, str],
    secret: str | None,
    now: datetime,
) -> Intake:
    """Verify, parse and store one delivery: 202 stored, 401 signature, 400 body, 404 source."""
    if source not in SOURCES:
        return Intake(404, {"error": f"unknown source {source!r}; known: {', '.join(SOURCES)}"})
    if not secret:
        env = f"LEERPAD_SECRET_{source.upper()}"
        return Intake(401, {"error": f"no secret configured for {source}; set {env}"})
    adapter = adapter_for(source)
    try:
        adapter.verify(raw=raw, headers=headers, secret=secret, now=now)
    except (SignatureError, NotConfigured) as exc:
        return Intake(401, {"error": str(exc)})
    try:
        parsed = adapter.parse(raw=raw, headers=headers, received_at=now)
        dedupe = adapter.dedupe_key(raw=raw, headers=headers)
    except PayloadError as exc:
        key = f"{source}:rejected:{hashlib.sha256(raw).hexdigest()}"
        inbox_id, _ = _store(
            engine, source, key, "rejected", "{}", raw, headers, None, str(exc), now
        )
        return Intake(400, {"error": str(exc), "id": inbox_id})
    if isinstance(parsed, Ignored):
        status, payload, kind = "ignored", json.dumps({"ignored": parsed.reason}), None
    elif isinstance(parsed, Fetch):
        status, kind = "received", None
        payload = json.dumps({"fetch": fetch_to_dict(parsed)})
        dedupe = parsed.event_id or dedupe
    else:
        status, payload, kind = "received", parsed.model_dump_json(), parsed.type
        dedupe = parsed.id
    inbox_id, duplicate = _store(
        engine, source, dedupe, status, payload, raw, headers, kind, None, now
    )
    body: dict[str, object] = {"id": inbox_id, "duplicate": duplicate}
    if status == "ignored":
        body |= {"ignored": True, "reason": json.loads(payload)["ignored"]}
    process = inbox_id if status == "received" and not duplicate else None
    return Intake(202, body, process)


def _store(engine, source, key, status, payload, raw, headers, kind, error, now):  # type: ignore[no-untyped-def]
    return store_delivery(
        engine=engine, source=source, dedupe_key=key, status=status, payload=payload,
        raw=raw, headers=headers, event_type=kind, now=now,
        error=error and error.replace("\x00", "\\x00")[:1000],  # PostgreSQL text: no NUL
    )  # fmt: skip
