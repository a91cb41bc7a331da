"""Plans made in bulk (`ensure_plans`) are the same rows as `ensure_plan` makes one by one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from models.db import session_scope
from models.employment import Employment
from models.learning import LearningPlan, PlaylistItem
from models.learning_plans import default_sources, ensure_plan, ensure_plans
from models.people import Person
from tests.conftest import drop_schema, postgres_engine, sqlite_engine

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
# (title, department, locale): two hires share a profile, so one assembled playlist serves both
HIRES = [
    ("Senior Python developer", "IT", "nl"),
    ("Verpleegkundige", "Zorg", "nl"),
    ("Senior Python developer", "IT", "nl"),
    ("Junior data analyst", "Finance", "en"),
    ("Teamleider klantenservice", None, "en"),
    (None, None, "fr"),
]


@pytest.fixture(params=["sqlite", "postgres"])
def two_engines(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """Two empty migrated databases of the same kind."""
    if request.param == "sqlite":
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        engines = (sqlite_engine(tmp_path / "a"), sqlite_engine(tmp_path / "b"))
        yield engines
        for engine in engines:
            engine.dispose()
        return
    if not request.getfixturevalue("postgres_available"):
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    (a, schema_a), (b, schema_b) = postgres_engine(), postgres_engine()
    yield a, b
    a.dispose()
    b.dispose()
    drop_schema(schema_a)
    drop_schema(schema_b)


def _hires(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n, (title, department, locale) in enumerate(HIRES):
            person = Person(
                uid=f"{n:032x}", source="test", external_id=f"h{n}", email=f"h{n}@example.org",
                first_name="Test", last_name=f"Hire {n}", locale=locale,
            )  # fmt: skip
            session.add(person)
            session.flush()
            session.add(
                Employment(
                    person_id=person.id, source="test", start_date=date(2027, 3, 1),
                    title=title, department=department, created_at=NOW, updated_at=NOW,
                )  # fmt: skip
            )


def _rows(engine: Engine) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    """Every plan and item column but the random uid, in id order."""
    plans, items = LearningPlan.__table__, PlaylistItem.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        plan_rows = connection.execute(
            select(*(c for c in plans.c if c.name != "uid")).order_by(plans.c.id)
        ).all()
        item_rows = connection.execute(
            select(*(c for c in items.c if c.name != "uid")).order_by(items.c.id)
        ).all()
        uids = connection.execute(select(items.c.uid)).scalars().all()
    assert len(set(uids)) == len(uids) and all(len(u) == 32 for u in uids)
    return [tuple(r) for r in plan_rows], [tuple(r) for r in item_rows]


def _moments() -> list[datetime]:
    return [NOW + timedelta(minutes=n) for n in range(len(HIRES))]


def test_bulk_plans_are_the_rows_one_by_one_makes(two_engines):
    old, new = two_engines
    promised = {3: ("mentoring",), 4: ("training budget", "coaching")}
    sources = replace(
        default_sources(),
        promises_for=lambda session, employment: promised.get(employment.id - 1, ()),
    )
    for engine in (old, new):
        _hires(engine)
    with session_scope(old) as session:
        employments = session.exec(select(Employment).order_by(Employment.id)).scalars().all()
        for employment, at in zip(employments, _moments(), strict=True):
            ensure_plan(session=session, employment=employment, sources=sources, now=at)
    with session_scope(new) as session:
        employments = session.exec(select(Employment).order_by(Employment.id)).scalars().all()
        plans = ensure_plans(
            session=session, wanted=list(zip(employments, _moments(), strict=True)),
            sources=sources,
        )  # fmt: skip
        assert sorted(plans) == [e.id for e in employments]
    old_plans, old_items = _rows(old)
    new_plans, new_items = _rows(new)
    assert len(old_plans) == len(HIRES) and len(old_items) >= 5 * len(HIRES) - 5
    assert new_plans == old_plans
    assert new_items == old_items


def _item_count(session, plan_id: int) -> int:  # type: ignore[no-untyped-def]
    rows = session.exec(select(PlaylistItem.id).where(PlaylistItem.plan_id == plan_id))
    return len(rows.scalars().all())


def test_a_plan_made_meanwhile_elsewhere_is_read_and_keeps_its_playlist(engine):
    _hires(engine)
    sources = default_sources()
    with session_scope(engine) as session:
        first = session.exec(select(Employment).order_by(Employment.id)).scalars().first()
        winner = ensure_plan(session=session, employment=first, sources=sources, now=NOW)
        winner_id, winner_items = winner.id, _item_count(session, winner.id)
    with session_scope(engine) as session:
        employments = session.exec(select(Employment).order_by(Employment.id)).scalars().all()
        plans = ensure_plans(
            session=session, wanted=[(e, NOW) for e in employments[:2]], sources=sources
        )
        ids = [plans[e.id].id for e in employments[:2]]
    assert ids[0] == winner_id and ids[1] != winner_id
    with session_scope(engine) as session:
        assert _item_count(session, winner_id) == winner_items > 0
        assert _item_count(session, ids[1]) > 0
