"""Send completions to a Learning Record Store: PUT /statements?statementId=… (idempotent)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from integrations.errors import IntegrationError
from integrations.learning.xapi import VERSION, completion_statement
from models.db import session_scope
from models.learning import LearningPlan, PlaylistItem

log = logging.getLogger("leerpad.lrs")


class LrsError(IntegrationError):
    """The LRS refused a statement or could not be reached."""


@dataclass(frozen=True)
class LrsClient:
    """One LRS endpoint (…/xAPI/) with basic auth or a bearer token."""

    endpoint: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr or a log line
    token: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    transport: httpx.BaseTransport | None = None

    def _client(self) -> httpx.Client:
        headers = {"X-Experience-API-Version": VERSION}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        auth = (self.username, self.password or "") if self.username else None
        return httpx.Client(
            headers=headers, auth=auth, timeout=self.timeout, transport=self.transport
        )

    def put_statement(self, statement: dict[str, Any]) -> None:
        """Store one statement under its own id; a repeat of the same statement is harmless.

        Raises:
            LrsError: a network error or a refusal other than 204/200.
        """
        url = f"{self.endpoint.rstrip('/')}/statements"
        try:
            with self._client() as client:
                response = client.put(url, params={"statementId": statement["id"]}, json=statement)
        except httpx.HTTPError as exc:
            raise LrsError(f"LRS unreachable: {type(exc).__name__}") from exc
        if response.status_code not in (200, 204):
            raise LrsError(f"LRS answered {response.status_code} for statement {statement['id']}")


def activity_id(item: PlaylistItem, public_url: str) -> str:
    """The activity IRI of an item: its own URL, else one under Leerpad's public URL."""
    return item.url or f"{public_url}/xapi/activities/{item.item_key}"


def export_completions(
    *, engine: Engine, lrs: LrsClient, home_page: str, public_url: str,
    now: Callable[[], datetime], limit: int = 100,
) -> int:  # fmt: skip
    """Send completions marked in Leerpad (not those the LMS sent us) that the LRS lacks."""
    with session_scope(engine) as session:
        rows = session.exec(
            select(PlaylistItem, LearningPlan.actor_name)
            .join(LearningPlan, col(LearningPlan.id) == col(PlaylistItem.plan_id))
            .where(
                PlaylistItem.status == "completed",
                PlaylistItem.completed_via == "link",
                col(PlaylistItem.lrs_sent_at).is_(None),
            )
            .limit(limit)
        ).all()
    sent = 0
    for item, actor in rows:
        statement = completion_statement(
            home_page=home_page, actor_name=actor, object_id=activity_id(item, public_url),
            title=item.title, language=item.language, completed_at=item.completed_at or now(),
        )  # fmt: skip
        try:
            lrs.put_statement(statement)
        except LrsError as exc:
            log.warning("xAPI export stopped: %s", exc)
            break
        with session_scope(engine) as session:
            row = session.get(PlaylistItem, item.id)
            if row is not None:
                row.lrs_sent_at = now()
        sent += 1
    return sent
