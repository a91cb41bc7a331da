"""What a message knows about learning: the plan, the slot's item, the badge, goals and shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from journeys.learning.spacing import is_playlist_slot
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning import BadgeAward, KnowledgeShare, LearningPlan, PlaylistItem
from models.learning_plans import PlaylistSources, ensure_plan, goals_of, items_of
from models.learning_progress import BADGE_STEP, SHOUT_OUT_STEP, ensure_award, queue_shout_out
from models.people import Person

_BADGES = {v: k for k, v in BADGE_STEP.items()} | {v: k for k, v in SHOUT_OUT_STEP.items()}


@dataclass(frozen=True)
class LearningSnapshot:
    """What a message may say about learning; rows detached, no reflection text ever."""

    plan: LearningPlan
    hire_uid: str | None
    goals: tuple[str, ...]
    items: tuple[PlaylistItem, ...]
    item: PlaylistItem | None
    shares: tuple[KnowledgeShare, ...]
    shares_new: tuple[KnowledgeShare, ...]
    badge: BadgeAward | None
    promises: tuple[str, ...]


def _shares(session: Session, plan_id: int | None) -> list[KnowledgeShare]:
    return list(
        session.exec(
            select(KnowledgeShare)
            .where(KnowledgeShare.plan_id == plan_id)
            .order_by(col(KnowledgeShare.created_at))
        ).all()
    )


def _last_leader_message(session: Session, employment_id: int | None) -> datetime | None:
    return session.exec(
        select(func.max(ScheduledStep.sent_at))
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(
            Enrollment.employment_id == employment_id,
            ScheduledStep.recipient_role == "leader",
            ScheduledStep.status == "sent",
        )
    ).one()


def learning_snapshot(
    *, session: Session, step: ScheduledStep, employment: Employment, sources: PlaylistSources
) -> LearningSnapshot:
    """Load (and where needed create) the plan, the slot's item and the badge a step is about."""
    now = step.updated_at
    plan = ensure_plan(session=session, employment=employment, sources=sources, now=now)
    item = (
        slot_item(session=session, plan=plan, step=step)
        if is_playlist_slot(step.template)
        else None
    )
    badge = None
    achievement = _BADGES.get(step.step_key)
    if achievement is not None:
        badge, created = ensure_award(
            session=session, plan=plan, achievement_key=achievement, now=now
        )
        if created and step.step_key == BADGE_STEP["onboarding"]:
            queue_shout_out(session=session, plan=plan, achievement_key=achievement,
                            due_at=step.due_at, now=now)  # fmt: skip
    shares = _shares(session, plan.id)
    since = _last_leader_message(session, employment.id)
    hire = session.get(Person, employment.person_id)
    return LearningSnapshot(
        plan=plan,
        hire_uid=hire.uid if hire is not None else None,
        goals=tuple(goals_of(session, plan.id)),
        items=tuple(items_of(session, plan.id)),
        item=item,
        shares=tuple(shares),
        shares_new=tuple(s for s in shares if since is None or s.created_at > since),
        badge=badge,
        promises=tuple(sources.promises_for(session, employment)),
    )


def learning_snapshots(
    *, session: Session, steps: Sequence[ScheduledStep], sources: PlaylistSources
) -> dict[int, LearningSnapshot]:
    """Snapshots of every step about an employment, taken in (employment, step) id order.

    The fixed order matters on PostgreSQL: two dispatchers that create plans or fill slots of
    the same hires take their row locks in the same order, so they wait, never deadlock.
    """
    pairs: list[tuple[Employment, ScheduledStep]] = []
    for step in steps:
        enrollment = session.get(Enrollment, step.enrollment_id)
        if enrollment is not None and enrollment.employment_id is not None:
            employment = session.get(Employment, enrollment.employment_id)
            if employment is not None:
                pairs.append((employment, step))
    pairs.sort(key=lambda pair: (pair[0].id or 0, pair[1].id or 0))
    return {
        step.id or 0: learning_snapshot(
            session=session, step=step, employment=employment, sources=sources
        )
        for employment, step in pairs
    }


def slot_item(*, session: Session, plan: LearningPlan, step: ScheduledStep) -> PlaylistItem | None:
    """The item a playlist slot delivers: the one it already holds, else the next one waiting.

    An item is taken with a conditional update (only while no slot holds it), so two slots
    filled at the same moment never deliver the same item.
    """
    held = session.exec(select(PlaylistItem).where(PlaylistItem.step_id == step.id)).first()
    if held is not None:
        return held
    waiting = session.exec(
        select(PlaylistItem.id)
        .where(
            PlaylistItem.plan_id == plan.id,
            col(PlaylistItem.step_id).is_(None),
            col(PlaylistItem.status).in_(("planned", "started")),
        )
        .order_by(col(PlaylistItem.position))
    ).all()
    for item_id in waiting:
        taken = session.exec(  # type: ignore[call-overload]
            update(PlaylistItem)
            .where(col(PlaylistItem.id) == item_id, col(PlaylistItem.step_id).is_(None))
            .values(step_id=step.id, updated_at=step.updated_at)
        )
        if taken.rowcount == 1:
            item = session.get(PlaylistItem, item_id)
            if item is not None:
                session.refresh(item)
            return item
    return None
