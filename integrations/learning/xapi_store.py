"""Store incoming xAPI statements once each and turn them into playlist progress."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from integrations.learning.xapi import COMPLETING, Incoming
from models.learning import LearningPlan, PlaylistItem, XapiStatement
from models.learning_plans import items_of
from models.learning_progress import complete_item, start_item
from models.learning_queries import plan_for_actor


def _norm(url: str) -> str:
    return url.strip().rstrip("/").lower()


def match_item(
    session: Session, *, plan: LearningPlan, object_id: str, public_url: str
) -> PlaylistItem | None:
    """The playlist item an activity IRI means: its URL, or Leerpad's own activity IRI."""
    wanted = _norm(object_id)
    for item in items_of(session, plan.id):
        own = f"{public_url}/xapi/activities/{item.item_key}"
        if wanted in {_norm(own), _norm(item.url or own)}:
            return item
    return None


def store_statements(
    *, session: Session, statements: list[Incoming], public_url: str, due_at: datetime,
    now: datetime,
) -> int:  # fmt: skip
    """Record each statement once (by id); completed/attended tick items off. Returns new ones."""
    stored = 0
    for incoming in statements:
        exists = session.exec(
            select(XapiStatement).where(XapiStatement.statement_id == incoming.statement_id)
        ).first()
        if exists is not None:
            continue
        plan = plan_for_actor(
            session=session, account_name=incoming.account_name, mbox_sha1=incoming.mbox_sha1
        )
        item = None
        if plan is not None:
            item = match_item(
                session, plan=plan, object_id=incoming.object_id, public_url=public_url
            )
        session.add(
            XapiStatement(
                statement_id=incoming.statement_id, verb=incoming.verb,
                object_id=incoming.object_id[:500], plan_id=plan.id if plan else None,
                playlist_item_id=item.id if item else None, received_at=now,
            )
        )  # fmt: skip
        session.flush()
        stored += 1
        if item is None:
            continue
        if incoming.verb in COMPLETING:
            complete_item(session=session, item=item, via="xapi", due_at=due_at, now=now)
        else:
            start_item(session=session, item=item, now=now)
    return stored
