"""Store webhook deliveries in the inbox: parsed events, id-only notices, pings and bad bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.inbox import InboxEvent, dedupe_key_of

KEPT_HEADER_EXCLUDES = ("authorization", "cookie", "proxy-authorization", "x-api-key")


def safe_headers(headers: Mapping[str, str]) -> str:
    """The headers worth keeping for inspection, as JSON, credentials left out."""
    kept = {
        k.lower(): v
        for k, v in headers.items()
        if k.lower() not in KEPT_HEADER_EXCLUDES and "token" not in k.lower()
    }
    return json.dumps(kept, sort_keys=True)


def store_delivery(
    *,
    session: Session,
    source: str,
    dedupe_key: str,
    status: str,
    payload: str,
    raw: bytes,
    headers: Mapping[str, str],
    event_type: str | None,
    error: str | None,
    now: datetime,
) -> tuple[int, bool]:
    """Store one webhook delivery once per dedupe key; returns (inbox id, duplicate)."""
    dedupe_key = dedupe_key_of(dedupe_key)
    existing = session.exec(select(InboxEvent).where(InboxEvent.dedupe_key == dedupe_key)).first()
    if existing is not None:
        return int(existing.id or 0), True
    row = InboxEvent(
        dedupe_key=dedupe_key,
        source=source,
        event_type=event_type,
        status=status,
        error=error,
        payload=payload,
        raw_body=raw,
        headers=safe_headers(headers),
        received_at=now,
        processed_at=now if status in ("ignored", "rejected") else None,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        again = session.exec(select(InboxEvent).where(InboxEvent.dedupe_key == dedupe_key)).one()
        return int(again.id or 0), True
    return int(row.id or 0), False
