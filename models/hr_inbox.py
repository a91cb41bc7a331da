"""The event inbox for HR: failures first, one page at a time, and one event in full."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from math import ceil

from sqlalchemy import case
from sqlmodel import Session, col, func, select

from models.inbox import InboxEvent

PAGE_SIZE = 50
STATUSES = ("failed", "received", "processed", "ignored", "rejected")


@dataclass(frozen=True)
class InboxRow:
    """One event as the list shows it: no payload."""

    id: int
    source: str
    event_type: str | None
    status: str
    error: str | None
    attempts: int
    received_at: datetime
    processed_at: datetime | None


@dataclass(frozen=True)
class InboxPage:
    """One page of events and how many match."""

    rows: list[InboxRow]
    total: int
    failed: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, ceil(self.total / self.size))


@dataclass(frozen=True)
class InboxDetail:
    """One event with what was kept of it for inspection."""

    row: InboxRow
    dedupe_key: str
    payload: str  # pretty-printed when it is JSON
    headers: str | None
    raw_size: int | None

    @property
    def replayable(self) -> bool:
        """Whether processing it again can change anything (it failed or never finished)."""
        return self.row.status in ("failed", "received")


def _row(event: InboxEvent) -> InboxRow:
    return InboxRow(
        id=int(event.id or 0), source=event.source, event_type=event.event_type,
        status=event.status, error=event.error, attempts=event.attempts,
        received_at=event.received_at, processed_at=event.processed_at,
    )  # fmt: skip


def inbox_page(
    *, session: Session, status: str | None = None, page: int = 1, size: int = PAGE_SIZE
) -> InboxPage:
    """Events with failures first, then newest first; `status` keeps only one status."""
    columns = (
        InboxEvent.id, InboxEvent.source, InboxEvent.event_type, InboxEvent.status,
        InboxEvent.error, InboxEvent.attempts, InboxEvent.received_at, InboxEvent.processed_at,
    )  # fmt: skip
    query = select(*columns)
    counted = select(func.count()).select_from(InboxEvent)
    if status in STATUSES:
        query = query.where(InboxEvent.status == status)
        counted = counted.where(InboxEvent.status == status)
    total = int(session.exec(counted).one())
    failed = int(
        session.exec(
            select(func.count()).select_from(InboxEvent).where(InboxEvent.status == "failed")
        ).one()
    )
    size = max(1, min(size, 200))
    page = max(1, min(page, max(1, ceil(total / size))))
    failures_first = case((col(InboxEvent.status) == "failed", 0), else_=1)
    found = session.exec(
        query.order_by(failures_first, col(InboxEvent.id).desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    rows = [InboxRow(int(i), s, t, st, e, a, r, p) for i, s, t, st, e, a, r, p in found]
    return InboxPage(rows=rows, total=total, failed=failed, page=page, size=size)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        return text


def inbox_detail(*, session: Session, inbox_id: int) -> InboxDetail | None:
    """One event with its payload and headers (secrets were never stored)."""
    event = session.get(InboxEvent, inbox_id)
    if event is None:
        return None
    return InboxDetail(
        row=_row(event), dedupe_key=event.dedupe_key, payload=_pretty(event.payload),
        headers=_pretty(event.headers) if event.headers else None,
        raw_size=len(event.raw_body) if event.raw_body is not None else None,
    )  # fmt: skip


def mark_for_replay(*, session: Session, inbox_id: int) -> bool:
    """Put a stored event back to `received` so processing takes it again; False if unknown."""
    event = session.get(InboxEvent, inbox_id)
    if event is None:
        return False
    event.status = "received"
    return True


def status_of(*, session: Session, inbox_id: int) -> tuple[str, str | None] | None:
    """An event's status and error now (after a replay)."""
    event = session.get(InboxEvent, inbox_id)
    return None if event is None else (event.status, event.error)
