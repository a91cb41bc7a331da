"""The bulk hire import writes exactly what processing the rows one event at a time writes.

Two databases get the same CSV files: one through `import_hire_events` (new hires in bulk, the
rest per event), the other through `store_and_process_many` (every row per event, the path the
import used before). Every row of every table they touch must be the same, ids aside: people,
employments, enrolments, steps, step changes, calendar events and inbox rows. The files mix plain
new hires with the rows the bulk path must hand over: a hire who is already a manager, a manager
who is a hire of the same file, a manager whose address is someone's personal address, a
self-managed hire, duplicates, and a second file that moves start dates and changes managers
after some invites went out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from flows.bootstrap import App, bootstrap, reset
from flows.hire_import import import_hire_events
from flows.processing import store_and_process_many
from integrations.csv_hires import read_hires
from integrations.settings import LeerpadSettings
from journeys.clock import SimulatedClock
from models.hire_import import HireBatch
from tests.conftest import drop_schema, postgres_engine, sqlite_engine

NOW = datetime(2027, 1, 11, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
HEADER = "email;first_name;last_name;start_date;locale;timezone;title;department;manager_email;coach_email;personal_email\n"  # noqa: E501
FIRST = HEADER + (
    "noor@example.org;Noor;Bakker;2027-03-01;nl;Europe/Amsterdam;Verpleegkundige;Zorg;boss@example.org;coach@example.org;noor@home.example\n"
    "li@example.org;Li;Wei;2027-04-01;en;Asia/Shanghai;Engineer;Tech;boss@example.org;;\n"
    "not-an-address;X;Y;2027-03-01;nl;;;;;;\n"
    "boss@example.org;Bo;Baas;2027-02-15;nl;Europe/London;Director;Tech;big@example.org;;\n"
    "noor@example.org;Noor;Bakker;2027-03-01;nl;Europe/Amsterdam;Verpleegkundige;Zorg;boss@example.org;coach@example.org;noor@home.example\n"
    "ann@example.org;Ann;Smit;2027-03-08;en;America/New_York;Analyst;Data;li@example.org;li@example.org;\n"
    "sam@example.org;Sam;Vos;2027-03-15;nl;;Support;Service;noor@home.example;;\n"
    "kim@example.org;Kim;Lee;2027-03-22;en;;Founder;Board;kim@example.org;;\n"
    "eva@example.org;Eva;Dekker;2027-01-12;nl;;Buyer;Inkoop;BOSS@example.org;;eva@home.example\n"
)  # noqa: E501
SECOND = HEADER + (
    "noor@example.org;Noor;Bakker;2027-03-08;nl;Europe/Amsterdam;Verpleegkundige;Zorg;boss@example.org;coach@example.org;noor@home.example\n"
    "li@example.org;Li;Wei;2027-04-01;en;Asia/Shanghai;Engineer;Tech;new-boss@example.org;;\n"
    "eva@example.org;Eva;Dekker;2027-01-12;nl;;Buyer;Inkoop;new-boss@example.org;;eva@home.example\n"
    "joe@example.org;Joe;Jansen;2027-05-03;nl;Europe/Amsterdam;Chef;Keuken;new-boss@example.org;;\n"
    "eva@home.example;Eva;Dekker;2027-01-12;nl;;Buyer;Inkoop;boss@example.org;;\n"
)  # noqa: E501


@dataclass
class Pair:
    bulk: App
    per_event: App


def _app(engine: Engine, folder: Path) -> App:
    settings = LeerpadSettings(database_url=str(engine.url), outbox_dir=folder, smtp_url=None)
    return bootstrap(settings=settings, clock=SimulatedClock(NOW), engine=engine)


@pytest.fixture(params=["sqlite", "postgres"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    """Two migrated databases of one kind, each with its app."""
    if request.param == "sqlite":
        for folder in ("bulk", "per-event"):
            (tmp_path / folder).mkdir()
        engines = [sqlite_engine(tmp_path / name) for name in ("bulk", "per-event")]
        schemas: list[str] = []
    else:
        if not request.getfixturevalue("postgres_available"):
            pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
        made = [postgres_engine(), postgres_engine()]
        engines, schemas = [e for e, _ in made], [s for _, s in made]
    yield Pair(_app(engines[0], tmp_path / "out-a"), _app(engines[1], tmp_path / "out-b"))
    reset()
    for engine in engines:
        engine.dispose()
    for schema in schemas:
        drop_schema(schema)


def _import(pair: Pair, csv: str) -> tuple[list, list]:
    events = [row.event for row in read_hires(csv, now=NOW) if row.event is not None]
    bulk = import_hire_events(
        app=pair.bulk, events=events, now=NOW, batch=HireBatch(rules=pair.bulk.rules, now=NOW)
    )
    per_event = store_and_process_many(app=pair.per_event, events=events, now=NOW)
    return bulk, per_event


SNAPSHOT = {
    "person": "SELECT source, external_id, email, personal_email, work_email, first_name, "
    "last_name, locale, timezone, erased_at FROM person",
    "employment": "SELECT p.email, a.application_id, a.source, a.start_date, a.end_date, a.title, "
    "a.department, m.email, c.email, b.email, a.status, a.facts_as_of, a.created_at, "
    "a.updated_at FROM employment a JOIN person p ON p.id = a.person_id "
    "LEFT JOIN person m ON m.id = a.manager_id LEFT JOIN person c ON c.id = a.coach_id "
    "LEFT JOIN person b ON b.id = a.buddy_id",
    "enrollment": "SELECT e.journey_key, p.email, ep.email, e.application_id, e.anchor_date, "
    "e.status, e.created_at, e.updated_at FROM enrollment e JOIN person p ON p.id = e.person_id "
    "JOIN employment m ON m.id = e.employment_id JOIN person ep ON ep.id = m.person_id "
    "WHERE e.subject_key = 'employment:' || m.id",
    "scheduled_step": "SELECT e.journey_key, p.email, s.step_key, s.occurrence, s.channel, "
    "s.recipient_role, s.template, s.action, r.email, cs.step_key, s.status, s.due_at, "
    "s.claimed_by, s.attempts, s.last_error, s.sent_at, s.created_at, s.updated_at "
    "FROM scheduled_step s JOIN enrollment e ON e.id = s.enrollment_id "
    "JOIN person p ON p.id = e.person_id LEFT JOIN person r ON r.id = s.recipient_person_id "
    "LEFT JOIN scheduled_step cs ON cs.id = s.calendar_step_id",
    "step_change": "SELECT e.journey_key, p.email, s.step_key, s.occurrence, c.at, c.change, "
    "c.old_due_at, c.new_due_at, c.action, c.detail, c.event_id, i.dedupe_key "
    "FROM step_change c JOIN scheduled_step s ON s.id = c.step_id "
    "JOIN enrollment e ON e.id = s.enrollment_id JOIN person p ON p.id = e.person_id "
    "LEFT JOIN inbox_event i ON i.id = c.inbox_event_id",
    "calendar_event": "SELECT e.journey_key, p.email, s.step_key, s.occurrence, "
    "c.uid = s.uid || '@leerpad.example', c.sequence, c.start_at, c.end_at, c.tzid, "
    "c.repeat_every_weeks, c.repeat_count, c.status, c.sent_sequence, c.updated_at "
    "FROM calendar_event c JOIN scheduled_step s ON s.id = c.step_id "
    "JOIN enrollment e ON e.id = s.enrollment_id JOIN person p ON p.id = e.person_id",
    "inbox_event": "SELECT dedupe_key, source, event_type, status, error, payload, attempts, "
    "received_at, processed_at FROM inbox_event",
}


def _snapshot(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(query))),
                key=lambda row: tuple((v is None, str(v)) for v in row),
            )
            for table, query in SNAPSHOT.items()
        }


def _assert_same(pair: Pair) -> dict[str, list[tuple]]:
    bulk, per_event = _snapshot(pair.bulk.engine), _snapshot(pair.per_event.engine)
    for table in SNAPSHOT:
        assert bulk[table] == per_event[table], table
    return bulk


def _send_invites_due_before(engine: Engine, moment: str) -> None:
    """Pretend the dispatcher sent every step due before a moment, invites with SEQUENCE 0."""
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE scheduled_step SET status = 'sent', sent_at = due_at WHERE due_at < :m"),
            {"m": moment},
        )
        connection.execute(
            text(
                "UPDATE calendar_event SET sent_sequence = 0 WHERE step_id IN "
                "(SELECT id FROM scheduled_step WHERE status = 'sent')"
            )
        )


def test_bulk_import_writes_what_per_event_processing_writes(pair: Pair):
    bulk, per_event = _import(pair, FIRST)
    assert bulk == per_event
    assert [status for status, _ in bulk] == [
        "processed", "processed", "processed", "duplicate", "processed", "processed",
        "processed", "processed",
    ]  # fmt: skip
    first = _assert_same(pair)
    assert len(first["enrollment"]) == 14 and len(first["step_change"]) > 100
    for app in (pair.bulk, pair.per_event):
        _send_invites_due_before(app.engine, "2027-03-03 00:00:00")

    bulk, per_event = _import(pair, SECOND)
    assert bulk == per_event
    second = _assert_same(pair)
    changes = {row[5] for row in second["step_change"]}
    assert {"planned", "rescheduled", "reassigned"} <= changes
    assert any(row[7] == "cancel" for row in second["scheduled_step"])  # old manager's CANCEL

    bulk, per_event = _import(pair, SECOND)  # the same file again changes nothing
    assert {status for status, _ in bulk} == {"duplicate"} and bulk == per_event
    assert _assert_same(pair) == second


def test_a_batch_that_fails_in_the_database_is_redone_row_by_row(pair: Pair):
    events = [row.event for row in read_hires(FIRST, now=NOW) if row.event is not None]
    with pair.bulk.engine.begin() as connection:  # a row stored meanwhile by another import
        connection.execute(
            text(
                "INSERT INTO person (uid, source, email, created_at) "
                "VALUES ('x1', 'csv', 'someone@example.org', '2027-01-01 00:00:00')"
            )
        )
    batch = HireBatch(rules=pair.bulk.rules, now=NOW)
    original = batch.write

    def write_then_collide(*, session):  # type: ignore[no-untyped-def]
        original(session=session)
        session.connection().execute(
            text(
                "INSERT INTO person (uid, source, email, created_at) "
                "VALUES ('x1', 'csv', 'other@example.org', '2027-01-01 00:00:00')"
            )
        )

    batch.write = write_then_collide  # type: ignore[method-assign]
    results = import_hire_events(app=pair.bulk, events=events, now=NOW, batch=batch)
    expected = store_and_process_many(app=pair.per_event, events=events, now=NOW)
    assert results == expected
    with pair.bulk.engine.begin() as connection:
        connection.execute(text("DELETE FROM person WHERE uid = 'x1'"))
    _assert_same(pair)
