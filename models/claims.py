"""Claiming due steps for delivery: row leases that expire when a worker dies."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from models.enrollment import ScheduledStep
from models.in_list import one_of

DEFAULT_LEASE = timedelta(minutes=5)


def _due_filter(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(col(ScheduledStep.status) == "pending", col(ScheduledStep.due_at) <= now),
        and_(
            col(ScheduledStep.status) == "claimed",
            col(ScheduledStep.lease_expires_at) < now,
        ),
    )


def count_due_steps(*, session: Session, now: datetime) -> int:
    """Count steps that are due (or whose lease ran out) at a moment."""
    from sqlalchemy import func

    statement = select(func.count()).select_from(ScheduledStep).where(_due_filter(now))
    return int(session.exec(statement).one())


def claim_due_steps(
    *,
    session: Session,
    now: datetime,
    worker: str,
    limit: int = 200,
    lease: timedelta = DEFAULT_LEASE,
) -> list[int]:
    """Claim up to `limit` due steps for one worker and return their ids, oldest first.

    On PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED so concurrent workers
    never claim the same row; on SQLite the transaction is BEGIN IMMEDIATE, which
    serialises writers. A claim whose lease expired is claimable again.
    """
    statement = (
        select(ScheduledStep.id)
        .where(_due_filter(now))
        .order_by(col(ScheduledStep.due_at), col(ScheduledStep.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    ids = [row for row in session.exec(statement).all() if row is not None]
    if not ids:
        return []
    session.exec(  # type: ignore[call-overload]
        update(ScheduledStep)
        .where(one_of(session, ScheduledStep.id, ids))
        .values(
            status="claimed",
            claimed_by=worker,
            lease_expires_at=now + lease,
            attempts=ScheduledStep.attempts + 1,
            updated_at=now,
        )
    )
    return ids


def next_due_at(*, session: Session) -> datetime | None:
    """Return the earliest due moment of any pending step."""
    statement = (
        select(ScheduledStep.due_at)
        .where(col(ScheduledStep.status) == "pending")
        .order_by(col(ScheduledStep.due_at))
        .limit(1)
    )
    return session.exec(statement).first()


def release_claims(*, session: Session, step_ids: list[int], worker: str, now: datetime) -> int:
    """Give steps this worker claimed but did not send back: pending again, the try not counted.

    Only rows the worker still holds change; returns how many did.
    """
    if not step_ids:
        return 0
    released = session.exec(  # type: ignore[call-overload]
        update(ScheduledStep)
        .where(
            col(ScheduledStep.id).in_(step_ids),
            col(ScheduledStep.status) == "claimed",
            col(ScheduledStep.claimed_by) == worker,
        )
        .values(
            status="pending",
            claimed_by=None,
            lease_expires_at=None,
            attempts=ScheduledStep.attempts - 1,
            updated_at=now,
        )
    )
    return int(released.rowcount or 0)
