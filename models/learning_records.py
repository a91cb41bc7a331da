"""What people write: a leader's reflections (theirs alone) and the hire's knowledge shares."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, delete, select

from models.enrollment import ScheduledStep
from models.learning import (
    BadgeAward,
    KnowledgeShare,
    LearningGoal,
    LearningPlan,
    PlaylistItem,
    Reflection,
)
from models.people import Person


def save_reflection(
    *, session: Session, step: ScheduledStep, leader: Person, prompt_key: str, answer: str,
    now: datetime,
) -> Reflection:  # fmt: skip
    """Store (or replace) a leader's answer to one prompt."""
    row = leader_reflection(session=session, step_id=step.id, leader_id=leader.id)
    if row is None:
        row = Reflection(
            step_id=step.id, leader_id=leader.id, prompt_key=prompt_key, answer=answer,
            answered_at=now, updated_at=now,
        )  # fmt: skip
        session.add(row)
    row.answer, row.updated_at = answer, now
    session.flush()
    return row


def leader_reflection(
    *, session: Session, step_id: int | None, leader_id: int | None
) -> Reflection | None:
    """The leader's own answer to a prompt: for that leader's own form only, never for HR."""
    return session.exec(
        select(Reflection).where(Reflection.step_id == step_id, Reflection.leader_id == leader_id)
    ).first()


def save_share(
    *, session: Session, plan: LearningPlan, kind: str, title: str, summary: str | None,
    planned_on: date | None, item: PlaylistItem | None, now: datetime,
) -> KnowledgeShare:  # fmt: skip
    """Record something the hire shares (or plans to share) with colleagues."""
    share = KnowledgeShare(
        plan_id=plan.id, playlist_item_id=item.id if item else None, kind=kind, title=title,
        summary=summary or None, planned_on=planned_on, created_at=now,
    )  # fmt: skip
    session.add(share)
    session.flush()
    return share


def erase_learning(*, session: Session, person_id: int) -> int:
    """Erase what a person wrote or earned: their goals, shares, badges and own reflections.

    Playlist progress stays (it holds no personal data) under the plan's pseudonymous actor.
    Returns how many rows were removed.
    """
    plan_ids = list(
        session.exec(select(LearningPlan.id).where(LearningPlan.person_id == person_id)).all()
    )
    removed = 0
    for table, column in (
        (LearningGoal, LearningGoal.plan_id),
        (KnowledgeShare, KnowledgeShare.plan_id),
        (BadgeAward, BadgeAward.plan_id),
    ):
        result = session.exec(delete(table).where(col(column).in_(plan_ids)))  # type: ignore[call-overload]
        removed += result.rowcount or 0
    result = session.exec(delete(Reflection).where(col(Reflection.leader_id) == person_id))  # type: ignore[call-overload]
    return removed + (result.rowcount or 0)
