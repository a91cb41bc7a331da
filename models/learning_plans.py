"""Learning plans and playlists: create them lazily, refresh them on new goals, fill slots."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from weakref import ref

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from journeys.learning.catalog import LearningCatalog, load_default_catalog
from journeys.learning.playlist import DEFAULT_SIZE, Learner, Pick, refresh_playlist
from journeys.learning.prompts import item_question
from models.base import new_uid
from models.employment import Employment
from models.learning import LearningGoal, LearningPlan, PlaylistItem
from models.people import Person

PromisesFor = Callable[[Session, Employment], Sequence[str]]


def no_promises(session: Session, employment: Employment) -> Sequence[str]:
    """The default until the vacancy-promise store is wired: no promises."""
    return ()


@dataclass(frozen=True)
class PlaylistSources:
    """What playlists are built from: the catalog and the vacancy's promises per employment."""

    catalog: LearningCatalog
    promises_for: PromisesFor = field(default=no_promises)
    size: int = DEFAULT_SIZE


@lru_cache(maxsize=1)
def default_sources() -> PlaylistSources:
    """The starter catalog, no promises."""
    return PlaylistSources(catalog=load_default_catalog())


def actor_name(person_uid: str) -> str:
    """A pseudonymous, stable actor name for xAPI: SHA-256 of the person's random uid."""
    return hashlib.sha256(f"leerpad-actor:{person_uid}".encode()).hexdigest()


def goals_of(session: Session, plan_id: int | None) -> list[str]:
    """The plan's goals in order."""
    rows = session.exec(
        select(LearningGoal).where(LearningGoal.plan_id == plan_id).order_by(LearningGoal.position)
    ).all()
    return [g.text for g in rows]


def items_of(session: Session, plan_id: int | None) -> list[PlaylistItem]:
    """The plan's playlist in order (dropped items left out)."""
    rows = session.exec(
        select(PlaylistItem)
        .where(PlaylistItem.plan_id == plan_id, PlaylistItem.status != "dropped")
        .order_by(PlaylistItem.position)
    ).all()
    return list(rows)


def learner_for(
    session: Session, *, plan: LearningPlan, employment: Employment, sources: PlaylistSources
) -> Learner:
    """What the playlist is assembled from for this hire."""
    person = session.get(Person, employment.person_id)
    return Learner(
        title=employment.title,
        department=employment.department,
        locale=(person.locale if person and person.locale in ("nl", "en") else "nl"),
        level=plan.level,
        goals=tuple(goals_of(session, plan.id)),
        promises=tuple(sources.promises_for(session, employment)),
    )


def _item_row(plan: LearningPlan, pick: Pick, position: int, now: datetime) -> PlaylistItem:
    return PlaylistItem(**_item_values(plan.id, pick, position, now))


def _item_values(plan_id: int | None, pick: Pick, position: int, now: datetime) -> dict:  # type: ignore[type-arg]
    """The column values of one new playlist item (the same for a row object or an INSERT)."""
    item = pick.item
    question = item_question(position, item.question)
    return {
        "plan_id": plan_id, "position": position, "item_key": item.id, "title": item.title,
        "url": item.url, "minutes": item.minutes, "language": item.language,
        "platform": item.platform, "kind": item.kind, "reason": pick.reason,
        "question_nl": question.nl, "question_en": question.en,
        "created_at": now, "updated_at": now,
    }  # fmt: skip


def refresh_items(
    *, session: Session, plan: LearningPlan, employment: Employment, sources: PlaylistSources,
    now: datetime,
) -> list[PlaylistItem]:  # fmt: skip
    """Re-assemble what is not delivered yet; delivered, started and done items stay in place."""
    current = items_of(session, plan.id)
    kept = [i for i in current if i.step_id is not None or i.status != "planned"]
    for stale in (i for i in current if i not in kept):
        session.delete(stale)
    session.flush()
    learner = learner_for(session, plan=plan, employment=employment, sources=sources)
    picks = refresh_playlist(
        sources.catalog, learner, kept=[i.item_key for i in kept], size=sources.size
    )
    start = max((i.position for i in kept), default=0)
    fresh = [_item_row(plan, pick, start + n, now) for n, pick in enumerate(picks, start=1)]
    session.add_all(fresh)
    session.flush()
    return kept + fresh


def plan_of(session: Session, employment_id: int | None) -> LearningPlan | None:
    """The learning plan of an employment, if it has one."""
    return session.exec(
        select(LearningPlan).where(LearningPlan.employment_id == employment_id)
    ).first()


def ensure_plan(
    *, session: Session, employment: Employment, sources: PlaylistSources, now: datetime
) -> LearningPlan:
    """Return the employment's plan, creating it and its first playlist when missing.

    Safe when another transaction creates the same plan at the same time: the loser's insert
    waits, fails on the unique employment, rolls back its savepoint and reads the winner's plan.
    """
    plan = plan_of(session, employment.id)
    if plan is not None:
        return plan
    person = session.get(Person, employment.person_id)
    uid = person.uid if person is not None else str(employment.id)
    try:
        with session.begin_nested():
            plan = LearningPlan(
                employment_id=employment.id, person_id=employment.person_id,
                level=Learner(title=employment.title).resolved_level, actor_name=actor_name(uid),
                created_at=now, updated_at=now,
            )  # fmt: skip
            session.add(plan)
            session.flush()
            refresh_items(
                session=session, plan=plan, employment=employment, sources=sources, now=now
            )
    except IntegrityError:
        plan = plan_of(session, employment.id)
        if plan is None:
            raise
    return plan


def ensure_plans(
    *, session: Session, wanted: Iterable[tuple[Employment, datetime]], sources: PlaylistSources,
    promises: dict[int, tuple[str, ...]] | None = None,
) -> dict[int, LearningPlan]:  # fmt: skip
    """Create the plans of many employments known to have none, with their first playlists.

    The same rows as `ensure_plan` one by one, in the order given (every plan in one INSERT
    that leaves out the ones another transaction created meanwhile, then every new playlist
    item in one INSERT, plan by plan, so ids come out the same); a plan made elsewhere is read
    instead, its playlist left as it is. Playlists are assembled once per distinct learner
    profile. `promises` caches the vacancy promises per employment id (filled here when missing).
    """
    wanted = list(wanted)
    insert_plans(session=session, new=new_plans(
        session=session, wanted=wanted, sources=sources, promises=promises
    ))  # fmt: skip
    employment_ids = [e.id for e, _ in wanted]
    return {
        p.employment_id: p
        for p in session.exec(
            select(LearningPlan).where(col(LearningPlan.employment_id).in_(employment_ids))
        ).all()
    } if employment_ids else {}  # fmt: skip


@dataclass(frozen=True)
class NewPlans:
    """Plans to make, worked out by reading only (`new_plans`): each plan's column values, in
    order, and its first playlist; `insert_plans` writes them."""

    plans: list[dict]  # type: ignore[type-arg]
    playlists: list[list[Pick]]


def new_plans(
    *, session: Session, wanted: Iterable[tuple[Employment, datetime]], sources: PlaylistSources,
    promises: dict[int, tuple[str, ...]] | None = None,
) -> NewPlans:  # fmt: skip
    """The plans `ensure_plans` makes for `wanted` and their first playlists, read only (on
    SQLite without the write lock: the slow part of making plans is here)."""
    promises = {} if promises is None else promises
    plans, playlists = [], []
    assembled: dict[Learner, list[Pick]] = {}
    for employment, now in wanted:
        person = session.get(Person, employment.person_id)
        uid = person.uid if person is not None else str(employment.id)
        level = Learner(title=employment.title).resolved_level
        plan = LearningPlan(
            employment_id=employment.id, person_id=employment.person_id, level=level,
            actor_name=actor_name(uid), created_at=now, updated_at=now,
        )  # fmt: skip
        plans.append(plan.model_dump(exclude={"id"}))
        key = employment.id or 0
        if key not in promises:
            promises[key] = tuple(sources.promises_for(session, employment))
        learner = Learner(
            title=employment.title, department=employment.department,
            locale=(person.locale if person and person.locale in ("nl", "en") else "nl"),
            level=level, goals=(), promises=promises[key],
        )  # a new plan has no goals and no items yet  # fmt: skip
        if learner not in assembled:
            assembled[learner] = first_playlist(sources.catalog, learner, sources.size)
        playlists.append(assembled[learner])
    return NewPlans(plans, playlists)


def insert_plans(*, session: Session, new: NewPlans) -> set[int]:
    """Insert the plans in one statement, in order, then the playlists of those it inserted in
    one more (a plan another transaction made meanwhile is left as it is, its playlist too).
    Returns the employment ids whose plan this inserted."""
    if not new.plans:
        return set()
    table = LearningPlan.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        make(table)
        .on_conflict_do_nothing(index_elements=["employment_id"])
        .returning(table.c.id, table.c.employment_id)
    )
    plan_ids = {e: i for i, e in session.connection().execute(statement, new.plans).all()}
    rows = []
    for plan, picks in zip(new.plans, new.playlists, strict=True):
        plan_id = plan_ids.get(plan["employment_id"])
        if plan_id is not None:
            now = plan["created_at"]
            rows += [
                _item_values(plan_id, pick, n, now) | {"uid": new_uid()}
                for n, pick in enumerate(picks, start=1)
            ]
    if rows:
        session.connection().execute(insert(PlaylistItem.__table__), rows)  # type: ignore[arg-type]
    return set(plan_ids)


# per catalog object (by identity: hashing a catalog hashes every item): its weak reference
# and the first playlists assembled from it, by learner profile and size
_FIRST_PLAYLISTS: dict[int, tuple[ref[LearningCatalog], dict[tuple[Learner, int], list[Pick]]]]
_FIRST_PLAYLISTS = {}
_FIRST_PLAYLISTS_KEPT = 1024  # learner profiles remembered per catalog


def first_playlist(catalog: LearningCatalog, learner: Learner, size: int) -> list[Pick]:
    """A new plan's playlist (`refresh_playlist` with nothing kept), assembled once per catalog
    object and learner profile: a pure function of both, and the costly part of a new plan."""
    entry = _FIRST_PLAYLISTS.get(id(catalog))
    if entry is None or entry[0]() is not catalog:
        if len(_FIRST_PLAYLISTS) >= 16:  # catalogs come and go in tests
            _FIRST_PLAYLISTS.clear()
        entry = _FIRST_PLAYLISTS[id(catalog)] = (ref(catalog), {})
    known = entry[1]
    picks = known.get((learner, size))
    if picks is None:
        if len(known) >= _FIRST_PLAYLISTS_KEPT:
            known.clear()
        picks = known[(learner, size)] = refresh_playlist(catalog, learner, kept=[], size=size)
    return list(picks)


def set_goals(
    *, session: Session, plan: LearningPlan, employment: Employment, goals: Sequence[str],
    shout_out: bool, sources: PlaylistSources, now: datetime,
) -> None:  # fmt: skip
    """Replace the plan's goals and opt-in, then refresh the undelivered part of the playlist."""
    for old in session.exec(select(LearningGoal).where(LearningGoal.plan_id == plan.id)).all():
        session.delete(old)
    session.flush()
    for n, text in enumerate(goals, start=1):
        session.add(LearningGoal(plan_id=plan.id, position=n, text=text, created_at=now))
    plan.shout_out, plan.goals_set_at, plan.updated_at = shout_out, now, now
    session.flush()
    refresh_items(session=session, plan=plan, employment=employment, sources=sources, now=now)
