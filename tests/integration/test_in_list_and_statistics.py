"""`one_of` (IN on SQLite, one array parameter on PostgreSQL) and refreshing planner statistics
after bulk writes (PostgreSQL only), on both backends."""

from __future__ import annotations

from sqlalchemy import event, select, text

from models.claims import claim_due_steps
from models.db import session_scope
from models.enrollment import ScheduledStep
from models.in_list import one_of
from models.statistics import STALE_ROWS, is_stale, refresh_statistics
from tests.integration.test_claims import NOW, seed_steps


def _ids(engine, values) -> list[int]:
    with engine.connect() as connection:
        query = select(ScheduledStep.id).where(one_of(connection, ScheduledStep.id, values))
        return sorted(connection.execute(query).scalars())


def test_one_of_finds_the_rows_of_the_list(engine):
    ids = seed_steps(engine, 6)
    assert _ids(engine, ids[:3]) == sorted(ids[:3])
    assert _ids(engine, [ids[4], 10**9]) == [ids[4]]
    assert _ids(engine, []) == []
    with engine.connect() as connection:  # strings too: a step key list
        query = select(ScheduledStep.step_key).where(
            one_of(connection, ScheduledStep.step_key, ["s1", "s5", "nope"])
        )
        assert sorted(connection.execute(query).scalars()) == ["s1", "s5"]


def test_statements_keep_their_text_whatever_the_list_length_on_postgresql(engine):
    ids = seed_steps(engine, 6)
    statements: list[str] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if statement.startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", keep)
    try:
        _ids(engine, ids[:2])
        _ids(engine, ids)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    if engine.dialect.name == "postgresql":
        assert statements[0] == statements[1] and "ANY" in statements[0]
    else:  # SQLite: one parameter per value, as IN has always been
        assert statements[0] != statements[1] and " IN (" in statements[0]


def test_claiming_sets_the_lease_on_exactly_the_claimed_rows(engine):
    ids = seed_steps(engine, 5)
    with session_scope(engine) as session:
        claimed = claim_due_steps(session=session, now=NOW, worker="w1", limit=3)
    with session_scope(engine) as session:
        rows = {s.id: s for s in session.exec(select(ScheduledStep)).scalars()}
    assert sorted(claimed) == sorted(i for i in ids if rows[i].claimed_by == "w1")
    assert len(claimed) == 3 and sum(r.status == "claimed" for r in rows.values()) == 3


def test_a_table_is_stale_past_fifty_rows_and_a_tenth():
    assert is_stale(-1, 0)  # never analyzed
    assert not is_stale(0, STALE_ROWS)
    assert is_stale(0, STALE_ROWS + 1)
    assert not is_stale(10_000, 1_000 + STALE_ROWS)
    assert is_stale(10_000, 1_001 + STALE_ROWS)


def _more_steps(engine, count: int) -> None:
    with session_scope(engine) as session:
        first = session.exec(select(ScheduledStep)).scalars().first()
        session.add_all(
            ScheduledStep(
                enrollment_id=first.enrollment_id, step_key=f"more{i}", channel="email",
                recipient_role="new_hire", template="new-hire/welcome", due_at=NOW,
            )
            for i in range(count)
        )  # fmt: skip


def _analyzed(engine, table: str) -> float:
    with engine.connect() as connection:
        return float(
            connection.execute(
                text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
            ).scalar_one()
        )


def test_refreshes_statistics_of_tables_bulk_written_on_postgresql(engine):
    if engine.dialect.name != "postgresql":
        seed_steps(engine, 200)
        assert refresh_statistics(engine) == []  # SQLite: left to its planner's defaults
        return
    seed_steps(engine, 200)
    refreshed = refresh_statistics(engine, ["scheduled_step"], written={"scheduled_step": 200})
    assert refreshed == ["scheduled_step"]
    assert _analyzed(engine, "scheduled_step") == 200
    # fresh now: a few more rows change nothing; many more (counted by the caller) do
    assert refresh_statistics(engine, ["scheduled_step"], written={"scheduled_step": 60}) == []
    _more_steps(engine, 100)
    assert refresh_statistics(engine, ["scheduled_step"], written={"scheduled_step": 100}) == [
        "scheduled_step"
    ]
    assert _analyzed(engine, "scheduled_step") == 300
    # every table of the schema by default: those never analyzed are stale
    assert "person" in refresh_statistics(engine)
