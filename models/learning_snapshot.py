"""What a message knows about learning: the plan, the slot's item, the badge, goals and shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, update
from sqlmodel import Session, col, func, select

from journeys.learning.spacing import is_playlist_slot
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.in_list import one_of
from models.learning import BadgeAward, KnowledgeShare, LearningGoal, LearningPlan, PlaylistItem
from models.learning_plans import NewPlans, PlaylistSources, ensure_plans, new_plans
from models.learning_progress import BADGE_STEP, SHOUT_OUT_STEP, ensure_award, queue_shout_out
from models.people import Person

_BADGES = {v: k for k, v in BADGE_STEP.items()} | {v: k for k, v in SHOUT_OUT_STEP.items()}


# The columns a message reads of playlist items, goals and shares (no timestamps but the share's:
# converting every row's UTC datetimes was a tenth of loading a batch).
_READ: dict[type, tuple[str, ...]] = {
    PlaylistItem: (
        "uid", "position", "item_key", "title", "url", "minutes", "language", "platform", "kind",
        "reason", "question_nl", "question_en", "status",
    ),
    LearningGoal: ("text",),
    KnowledgeShare: ("kind", "title", "created_at"),
}  # fmt: skip


@dataclass(frozen=True)
class LearningSnapshot:
    """What a message may say about learning; rows detached, no reflection text ever.

    The playlist and the shares are read-only rows (ORM instances, or plain result rows with
    the columns of `_READ` under the same names): build nothing on them but views.
    """

    plan: LearningPlan
    hire_uid: str | None
    goals: tuple[str, ...]
    items: tuple[PlaylistItem | Row[Any], ...]
    item: PlaylistItem | None
    shares: tuple[KnowledgeShare | Row[Any], ...]
    shares_new: tuple[KnowledgeShare | Row[Any], ...]
    badge: BadgeAward | None
    promises: tuple[str, ...]


def _slot_and_badge(
    session: Session, plan: LearningPlan, step: ScheduledStep
) -> tuple[PlaylistItem | None, BadgeAward | None]:
    """The playlist item a slot step delivers and the badge a badge step awards (else None)."""
    item = (
        slot_item(session=session, plan=plan, step=step)
        if is_playlist_slot(step.template)
        else None
    )
    badge = None
    achievement = _BADGES.get(step.step_key)
    if achievement is not None:
        badge, created = ensure_award(
            session=session, plan=plan, achievement_key=achievement, now=step.updated_at
        )
        if created and step.step_key == BADGE_STEP["onboarding"]:
            queue_shout_out(session=session, plan=plan, achievement_key=achievement,
                            due_at=step.due_at, now=step.updated_at)  # fmt: skip
    return item, badge


def learning_snapshot(
    *, session: Session, step: ScheduledStep, employment: Employment, sources: PlaylistSources
) -> LearningSnapshot:
    """Load (and where needed create) the plan, the slot's item and the badge a step is about."""
    return _snapshots(session, [(employment, step)], sources)[step.id or 0]


def _by_plan(session: Session, model: type, plan_ids: list[int], *where, order) -> dict[int, list]:  # type: ignore[type-arg]
    """Rows of `model` for many plans in one query, grouped by plan id, in `order`.

    Plain result rows with the columns of `_READ` (attribute access by column name), not ORM
    instances: they are only read, by the views of `integrations.learning.context`.
    """
    grouped: dict[int, list] = {i: [] for i in plan_ids}  # type: ignore[type-arg]
    if plan_ids:
        table = model.__table__  # type: ignore[attr-defined]
        columns = [table.c[name] for name in ("plan_id", *_READ[model])]
        plan_of = one_of(session, table.c.plan_id, plan_ids)
        query = select(*columns).where(plan_of, *where).order_by(*order)
        rows = session.connection().execute(query).all()
        for row in rows:
            grouped[row.plan_id].append(row)
    return grouped


def _last_leader_messages(
    session: Session, employment_ids: list[int]
) -> dict[int, datetime | None]:
    """When each employment's leader was last sent a message (None: never), in one query.

    The status is compared as `status || ''`, which no index serves: SQLite without statistics
    would otherwise scan every sent step through the (status, due_at) index, a batch slower the
    more was sent, instead of going from the employments to their few steps."""
    rows = session.exec(
        select(Enrollment.employment_id, func.max(ScheduledStep.sent_at))
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(
            one_of(session, Enrollment.employment_id, employment_ids),
            ScheduledStep.recipient_role == "leader",
            col(ScheduledStep.status).concat("") == "sent",
        )
        .group_by(col(Enrollment.employment_id))
    ).all() if employment_ids else []  # fmt: skip
    return {int(employment_id): sent for employment_id, sent in rows if employment_id is not None}


def _plans(
    session: Session, pairs: list[tuple[Employment, ScheduledStep]], sources: PlaylistSources,
    promises: dict[int, tuple[str, ...]],
) -> dict[int, LearningPlan]:  # fmt: skip
    """Every employment's plan: loaded in one query, the missing ones created (in employment id
    order, at the moment of the employment's first step, the same rows as `ensure_plan` makes
    one by one; see `ensure_plans`)."""
    employment_ids = sorted({e.id for e, _ in pairs if e.id is not None})
    plans = {
        p.employment_id: p
        for p in session.exec(
            select(LearningPlan).where(one_of(session, LearningPlan.employment_id, employment_ids))
        ).all()
    } if employment_ids else {}  # fmt: skip
    missing: dict[int, tuple[Employment, datetime]] = {}
    for employment, step in pairs:
        if employment.id not in plans and employment.id not in missing:
            missing[employment.id or 0] = (employment, step.updated_at)
    if missing:
        plans |= ensure_plans(
            session=session, wanted=missing.values(), sources=sources, promises=promises
        )
    return plans


def learning_snapshots(
    *, session: Session, steps: Sequence[ScheduledStep], sources: PlaylistSources
) -> dict[int, LearningSnapshot]:
    """Snapshots of every step about an employment, for a whole batch in a few queries.

    Plans are created, slots filled and badges awarded in (employment, step) id order: on
    PostgreSQL two dispatchers that do this for the same hires take their row locks in the same
    order, so they wait, never deadlock. Goals, playlists, shares and when the leader last heard
    from us are then read for all plans at once (each the same as `learning_snapshot` reads).
    """
    return _snapshots(session, _pairs(session, steps), sources)


def missing_plans(
    *, session: Session, steps: Sequence[ScheduledStep], sources: PlaylistSources
) -> NewPlans:
    """The plans `learning_snapshots` would create for these steps (the same rows, in the same
    order), worked out by reading only; `insert_plans` makes them, so that loading the steps
    afterwards only reads."""
    pairs = _pairs(session, steps)
    pairs.sort(key=lambda pair: (pair[0].id or 0, pair[1].id or 0))
    employment_ids = sorted({e.id for e, _ in pairs if e.id is not None})
    have = set(session.exec(
        select(LearningPlan.employment_id).where(col(LearningPlan.employment_id).in_(employment_ids))
    ).all()) if employment_ids else set()  # fmt: skip
    wanted: dict[int, tuple[Employment, datetime]] = {}
    for employment, step in pairs:
        if employment.id not in have and employment.id not in wanted:
            wanted[employment.id or 0] = (employment, step.updated_at)
    return new_plans(session=session, wanted=wanted.values(), sources=sources)


def steps_without_plan(*, session: Session, step_ids: Sequence[int]) -> list[int]:
    """Those of the steps whose employment has no learning plan yet, in one query (most
    batches: none, so loading them needs no write)."""
    if not step_ids:
        return []
    query = (
        select(ScheduledStep.id)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .join(Employment, col(Employment.id) == col(Enrollment.employment_id))
        .outerjoin(LearningPlan, col(LearningPlan.employment_id) == col(Employment.id))
        .where(one_of(session, ScheduledStep.id, step_ids), col(LearningPlan.id).is_(None))
    )
    return [int(i) for i in session.exec(query).all()]


def _pairs(
    session: Session, steps: Sequence[ScheduledStep]
) -> list[tuple[Employment, ScheduledStep]]:
    pairs: list[tuple[Employment, ScheduledStep]] = []
    for step in steps:
        enrollment = session.get(Enrollment, step.enrollment_id)
        if enrollment is not None and enrollment.employment_id is not None:
            employment = session.get(Employment, enrollment.employment_id)
            if employment is not None:
                pairs.append((employment, step))
    return pairs


def _snapshots(
    session: Session, pairs: list[tuple[Employment, ScheduledStep]], sources: PlaylistSources
) -> dict[int, LearningSnapshot]:
    if not pairs:
        return {}
    pairs.sort(key=lambda pair: (pair[0].id or 0, pair[1].id or 0))
    promises: dict[int, tuple[str, ...]] = {}
    plans = _plans(session, pairs, sources, promises)
    per_step: dict[int, tuple[PlaylistItem | None, BadgeAward | None]] = {}
    for employment, step in pairs:
        per_step[step.id or 0] = _slot_and_badge(session, plans[employment.id or 0], step)
    plan_ids = sorted({p.id for p in plans.values() if p.id is not None})
    session.flush()  # the reads below go past the session (no autoflush)
    goals_c = LearningGoal.__table__.c  # type: ignore[attr-defined]
    items_c, shares_c = PlaylistItem.__table__.c, KnowledgeShare.__table__.c  # type: ignore[attr-defined]
    goals = _by_plan(session, LearningGoal, plan_ids, order=(goals_c.position,))
    items = _by_plan(
        session, PlaylistItem, plan_ids, items_c.status != "dropped", order=(items_c.position,)
    )
    shares = _by_plan(session, KnowledgeShare, plan_ids, order=(shares_c.created_at,))
    since = _last_leader_messages(session, sorted(plans))
    snapshots: dict[int, LearningSnapshot] = {}
    for employment, step in pairs:
        plan, key = plans[employment.id or 0], employment.id or 0
        if key not in promises:
            promises[key] = tuple(sources.promises_for(session, employment))
        hire = session.get(Person, employment.person_id)
        plan_shares, last = shares[plan.id or 0], since.get(key)
        item, badge = per_step[step.id or 0]
        snapshots[step.id or 0] = LearningSnapshot(
            plan=plan,
            hire_uid=hire.uid if hire is not None else None,
            goals=tuple(g.text for g in goals[plan.id or 0]),
            items=tuple(items[plan.id or 0]),
            item=item,
            shares=tuple(plan_shares),
            shares_new=tuple(s for s in plan_shares if last is None or s.created_at > last),
            badge=badge,
            promises=promises[key],
        )
    return snapshots


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
