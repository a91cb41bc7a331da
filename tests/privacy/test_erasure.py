"""Erasure removes a person everywhere and logs only that it happened (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import func, select

from flows.retention import erase_everywhere
from flows.simulation import run_until
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.erasure_log import ErasureLog
from models.inbox import InboxEvent
from models.people import Person
from models.step_history import StepChange
from tests.conftest import AMS
from tests.factories import make_event
from tests.privacy.helpers import (
    dispatcher,
    ingest,
    person_id,
    traces_in_database,
    traces_in_files,
)

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
AFTER_FIRST_INVITE = datetime(2027, 2, 10, 11, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)
HIRE = ["hire1@example.org", "Tester1", "cand-1"]
OTHER = ["hire2@example.org", "Tester2"]
MANAGER = ["manager1@example.org", "Leider1"]


def two_hires_under_way(app) -> None:
    for n in (1, 2):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, n=n, start=date(2027, 3, 1)))
    run_until(app, AFTER_FIRST_INVITE, dispatch=dispatcher(app))


def count(app, table, *where) -> int:
    with session_scope(app.engine) as session:
        return int(session.exec(select(func.count()).select_from(table).where(*where)).one())


def rows_of(app, pid: int) -> dict[str, int]:
    steps = select(ScheduledStep.id).join(Enrollment).where(Enrollment.person_id == pid)
    return {
        "enrollment": count(app, Enrollment, Enrollment.person_id == pid),
        "employment": count(app, Employment, Employment.person_id == pid),
        "step": count(app, ScheduledStep, ScheduledStep.id.in_(steps)),
        "delivery": count(app, Delivery, Delivery.step_id.in_(steps)),
        "calendar": count(app, CalendarEvent, CalendarEvent.step_id.in_(steps)),
        "history": count(app, StepChange, StepChange.step_id.in_(steps)),
    }


class TestEraseOnePerson:
    def test_the_hire_is_gone_from_every_table_and_file_and_the_other_hire_stays(self, app):
        two_hires_under_way(app)
        hire, other = person_id(app, "hire1@example.org"), person_id(app, "hire2@example.org")
        outbox = Path(app.settings.outbox_dir)
        assert traces_in_database(app.engine, HIRE) and traces_in_files(outbox, HIRE)
        before = rows_of(app, hire)
        assert all(before.values()), before  # deliveries, calendar events, history: all there
        other_before = rows_of(app, other)
        other_files = traces_in_files(outbox, OTHER)

        done = erase_everywhere(app=app, person_id=hire, now=app.clock.now(), path="cli")

        assert done is not None and done.rows >= sum(before.values()) and done.files > 0
        assert traces_in_database(app.engine, HIRE) == []
        assert traces_in_files(outbox, HIRE) == []
        assert set(rows_of(app, hire).values()) == {0}
        assert rows_of(app, other) == other_before
        assert traces_in_files(outbox, OTHER) == other_files
        with session_scope(app.engine) as session:
            [log] = session.exec(select(ErasureLog)).all()
            uid = session.get(Person, hire).uid
        assert (log.path, log.person_uid, log.rows, log.files) == (
            "cli",
            uid,
            done.rows,
            done.files,
        )
        sent = len(list(outbox.glob("*.eml")))
        run_until(app, DAY_90, dispatch=dispatcher(app))
        assert traces_in_files(outbox, HIRE) == [] and len(list(outbox.glob("*.eml"))) > sent

    def test_erasing_the_manager_unlinks_them_from_the_hires_they_lead(self, app):
        two_hires_under_way(app)
        manager = person_id(app, "manager1@example.org")
        reply = "550 5.1.1 <Manager1@example.org>: Recipient address rejected"
        with session_scope(app.engine) as session:  # what a refused send leaves behind
            delivery = session.exec(select(Delivery).where(Delivery.address.is_not(None))).first()
            step = session.get(ScheduledStep, delivery.step_id)
            delivery.detail, step.last_error = reply, reply
        assert traces_in_database(app.engine, MANAGER)
        erase_everywhere(app=app, person_id=manager, now=app.clock.now(), path="cli")
        assert traces_in_database(app.engine, MANAGER) == []
        assert traces_in_files(Path(app.settings.outbox_dir), MANAGER) == []
        assert count(app, Employment, Employment.manager_id == manager) == 0
        assert count(app, Employment) == 2  # the hires keep their journeys
        run_until(app, DAY_90, dispatch=dispatcher(app))  # and dispatch copes with no leader
        assert traces_in_files(Path(app.settings.outbox_dir), MANAGER) == []

    def test_a_second_erasure_changes_nothing(self, app):
        two_hires_under_way(app)
        hire = person_id(app, "hire1@example.org")
        assert erase_everywhere(app=app, person_id=hire, now=app.clock.now(), path="cli")
        assert erase_everywhere(app=app, person_id=hire, now=app.clock.now(), path="cli") is None
        assert count(app, ErasureLog) == 1


class TestKeptBodiesInAnyCapitals:
    """A refused delivery keeps its raw body for inspection; the address in it may be written in
    other capitals than the person's stored address, and must still go with an erasure."""

    def keep(self, app, key: str, raw: bytes, payload: str = "{}") -> int:
        from models.webhook_store import store_delivery

        inbox_id, _ = store_delivery(
            engine=app.engine, source="mail_replies", dedupe_key=key, status="rejected",
            payload=payload, raw=raw, headers={}, event_type=None, error="no match",
            now=app.clock.now(),
        )  # fmt: skip
        return inbox_id

    def test_a_kept_body_with_the_address_in_other_capitals_is_scrubbed(self, app):
        two_hires_under_way(app)
        hire = person_id(app, "hire1@example.org")
        shouted = self.keep(app, "a", b"From: Hire One <HIRE1@Example.ORG>\r\n\r\nBEGIN:VCALENDAR")
        in_json = self.keep(app, "b", b"{}", payload='{"attendee": "Hire1@EXAMPLE.org"}')
        other = self.keep(app, "c", b"From: hire2@example.org\r\n\r\nBEGIN:VCALENDAR")
        erase_everywhere(app=app, person_id=hire, now=app.clock.now(), path="cli")
        with session_scope(app.engine) as session:
            rows = {i: session.get(InboxEvent, i) for i in (shouted, in_json, other)}
            assert rows[shouted].raw_body is None and rows[shouted].error == "erased"
            assert rows[in_json].payload == "{}" and rows[in_json].error == "erased"
            assert rows[other].raw_body is not None  # someone else's kept mail stays


class TestVendorErasure:
    def test_an_erasure_at_the_source_is_logged_as_vendor_without_personal_data(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, AFTER_FIRST_INVITE, dispatch=dispatcher(app))
        ingest(app, make_event("candidate.erased", at=AFTER_FIRST_INVITE + timedelta(hours=1)))
        assert traces_in_database(app.engine, HIRE) == []
        assert traces_in_files(Path(app.settings.outbox_dir), HIRE) == []  # their .eml copies too
        with session_scope(app.engine) as session:
            [log] = session.exec(select(ErasureLog)).all()
            assert log.path == "vendor" and log.rows > 0
            assert session.exec(select(InboxEvent.payload)).all() == ["{}", "{}"]
