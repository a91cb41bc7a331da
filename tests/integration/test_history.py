"""The right address at the right time, recorded; and a journey's history kept, with its causes.

On SQLite and PostgreSQL: events in through the inbox, steps out through the real file outbox.
"""

from __future__ import annotations

import email
import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import vobject
from click.testing import CliRunner
from sqlmodel import col, select

from flows.cli import cli
from flows.delivery import deliver_due_batch, retry_after
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from models.claims import claim_due_steps
from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import ScheduledStep
from models.journey_history import journey_history
from models.outbound import StepOutcome, record_outcomes
from models.people import Person
from models.step_history import StepChange
from tests.conftest import AMS
from tests.factories import make_event

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
MOVED_AT = datetime(2027, 2, 10, 11, 0, tzinfo=AMS)
NEW_START = date(2027, 3, 8)
SWITCH = datetime(2027, 3, 8, 0, 0, tzinfo=AMS)  # Monday: her first working day
PERSONAL, WORK = "own1@example.net", "sanne1@voorbeeld.example"
BOTH = {"email": PERSONAL, "personal_email": PERSONAL, "work_email": WORK}


def dispatcher(app):
    return lambda moment: deliver_due_batch(app=app, now=moment, worker="test", limit=50)


def ingest(app, event) -> int:
    app.clock.advance_to(max(event.occurred_at, app.clock.now()))
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    assert process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now()) == "processed"
    return inbox_id


def mails(app) -> dict[str, email.message.EmailMessage]:
    """Every .eml in the outbox by Message-ID."""
    found = {}
    for path in Path(app.settings.outbox_dir).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found[message["Message-ID"]] = message
    return found


def to_of(message) -> set[str]:
    return {a.addr_spec for a in message["To"].addresses}


def hire_deliveries(app) -> list[tuple[Delivery, ScheduledStep]]:
    with session_scope(app.engine) as session:
        return list(
            session.exec(
                select(Delivery, ScheduledStep)
                .join(ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id))
                .where(ScheduledStep.recipient_role == "new_hire")
                .order_by(col(Delivery.at))
            ).all()
        )


def attendees(message) -> list[str]:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            event = vobject.readOne(part.get_content()).vevent
            return sorted(a.value.removeprefix("mailto:") for a in event.attendee_list)
    return []


def ics_of(message) -> dict[str, object]:
    """The METHOD, UID and SEQUENCE of a message's calendar part, read by vobject."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendar = vobject.readOne(part.get_content())
            event = calendar.vevent
            return {
                "method": calendar.method.value,
                "uid": event.uid.value,
                "sequence": int(event.sequence.value),
            }
    return {}


def hire_with_moved_start(app) -> tuple[int, int]:
    hired = make_event(
        "candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), person_overrides=BOTH
    )
    moved = make_event("employee.updated", at=MOVED_AT, start=NEW_START, person_overrides=BOTH)
    hired_id = ingest(app, hired)
    run_until(app, MOVED_AT, dispatch=dispatcher(app))
    moved_id = ingest(app, moved)
    return hired_id, moved_id


class TestTheRightAddress:
    def test_preboarding_goes_personal_and_from_the_moved_first_day_on_to_work(self, app):
        hire_with_moved_start(app)
        run_until(app, datetime(2027, 3, 26, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        sent, outbox = hire_deliveries(app), mails(app)
        assert len(sent) > 10
        for delivery, step in sent:
            expected = ("work", WORK) if delivery.at >= SWITCH else ("personal", PERSONAL)
            assert (delivery.address_kind, delivery.address) == expected, step.step_key
            to = to_of(outbox[delivery.message_id])
            assert expected[1] in to and not {PERSONAL, WORK} - {expected[1]} & to
        kinds = {s.step_key: d.address_kind for d, s in sent}
        assert kinds["welcome"] == "personal" and kinds["playlist-1"] == "work"
        # due on 4 March: after the first start date, before the moved one, so still personal
        assert kinds["first-day"] == "personal"

    def test_an_invite_names_the_hire_at_the_address_of_its_moment(self, app):
        hire_with_moved_start(app)
        changed_at = datetime(2027, 3, 10, 10, 0, tzinfo=AMS)
        run_until(app, changed_at, dispatch=dispatcher(app))
        new_manager = make_event(
            "employee.updated", at=changed_at, start=NEW_START, manager_n=2, person_overrides=BOTH
        )
        ingest(app, new_manager)
        run_until(app, datetime(2027, 3, 12, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        outbox = mails(app)
        one_on_one = [(d, s) for d, s in hire_deliveries(app) if s.step_key == "manager-1on1"]
        by_action = {d.action: d for d, _ in one_on_one}
        first, update, moved = by_action["send"], by_action["update"], by_action["cancel"]
        assert len(one_on_one) == 3
        assert first.at < SWITCH <= update.at
        assert (first.address, update.address) == (PERSONAL, WORK)
        assert attendees(outbox[first.message_id]) == sorted([PERSONAL, "manager1@example.org"])
        assert attendees(outbox[update.message_id]) == sorted([WORK, "manager2@example.org"])
        # the copy in her personal calendar is cancelled: same UID and SEQUENCE, only that address
        assert (moved.address, moved.address_kind, moved.status) == (PERSONAL, "personal", "sent")
        cancel = outbox[moved.message_id]
        assert to_of(cancel) == {PERSONAL} and attendees(cancel) == [PERSONAL]
        assert ics_of(cancel)["method"] == "CANCEL" and ics_of(cancel)["uid"] == ics_of(
            outbox[update.message_id]
        )["uid"]
        assert ics_of(cancel)["sequence"] == ics_of(outbox[update.message_id])["sequence"] == 1
        assert "werkagenda" in cancel["Subject"]
        # a later dispatch sends neither again
        run_until(app, datetime(2027, 3, 19, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        assert sum(1 for d, s in hire_deliveries(app) if s.step_key == "manager-1on1") == 3

    def test_a_meeting_cancelled_after_the_switch_leaves_neither_calendar(self, app):
        hire_with_moved_start(app)
        ended_at = datetime(2027, 3, 10, 10, 0, tzinfo=AMS)
        run_until(app, ended_at, dispatch=dispatcher(app))
        ingest(app, make_event("candidate.unhired", at=ended_at, person_overrides=BOTH))
        run_until(app, datetime(2027, 3, 12, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        outbox = mails(app)
        cancels = [
            d
            for d, s in hire_deliveries(app)
            if s.step_key == "manager-1on1" and d.action == "cancel"
        ]
        assert sorted(d.address for d in cancels) == sorted([PERSONAL, WORK])
        for delivery in cancels:
            message = outbox[delivery.message_id]
            assert ics_of(message)["method"] == "CANCEL"
            assert "werkagenda" not in message["Subject"]  # a cancelled meeting, not a moved one

    def test_with_only_a_work_address_preboarding_uses_it(self, app):
        only_work = {"email": WORK, "work_email": WORK}
        ingest(
            app,
            make_event(
                "candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), person_overrides=only_work
            ),
        )
        run_until(app, datetime(2027, 2, 26, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        sent = hire_deliveries(app)
        assert sent and {(d.address_kind, d.address) for d, _ in sent} == {("work", WORK)}

    def test_leaders_get_their_work_address_recorded(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, datetime(2027, 3, 1, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        with session_scope(app.engine) as session:
            rows = session.exec(
                select(Delivery)
                .join(ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id))
                .where(ScheduledStep.recipient_role == "leader")
            ).all()
        assert rows and {(d.address_kind, d.address) for d in rows} == {
            ("work", "manager1@example.org")
        }


class TestHistoryKept:
    def test_each_change_names_the_event_that_caused_it(self, app):
        hired_id, moved_id = hire_with_moved_start(app)
        run_until(app, datetime(2027, 3, 12, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        with session_scope(app.engine) as session:
            hire = session.exec(select(Person).where(Person.work_email == WORK)).one()
            history = {v.step: v for v in journey_history(session=session, person_id=hire.id)}
        first_day = history["first-day"]
        planned, moved = first_day.changes
        assert (planned.change, planned.inbox_event_id, planned.event_type) == (
            "planned",
            hired_id,
            "candidate.hired",
        )
        assert (moved.change, moved.inbox_event_id, moved.event_type) == (
            "rescheduled",
            moved_id,
            "employee.updated",
        )
        assert moved.event_id and moved.event_id.startswith("generic:")
        assert moved.new_due_at - moved.old_due_at == timedelta(days=7)
        assert moved.new_due_at == first_day.planned_at
        assert first_day.status == "sent" and first_day.used.address_kind == "personal"
        welcome = history["welcome"]  # sent before the move: planned once, never moved
        assert [c.change for c in welcome.changes] == ["planned"]
        series = history["coaching-series"]
        assert [c.change for c in series.changes] == ["planned", "rescheduled"]
        assert series.changes[1].action == "update"
        assert [(d.action, d.sequence) for d in series.deliveries][:2] == [
            ("send", 0),
            ("update", 1),
        ]
        times = [v.when for v in history.values()]
        assert "leader" in {v.journey for v in history.values()}
        ordered = journey_history_order(app, hire.id)
        assert ordered == sorted(ordered) and len(times) == len(ordered)

    def test_a_withdrawal_logs_cancellations_with_their_cause(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, MOVED_AT, dispatch=dispatcher(app))
        unhired_id = ingest(app, make_event("candidate.unhired", at=MOVED_AT))
        with session_scope(app.engine) as session:
            changes = session.exec(select(StepChange).where(StepChange.change == "cancelled")).all()
        assert changes and {c.inbox_event_id for c in changes} == {unhired_id}
        queued = [c for c in changes if c.action == "cancel"]  # the sent invite: a CANCEL goes out
        dropped = [c for c in changes if c.action == "send"]
        assert queued and all(c.new_due_at is not None for c in queued)
        assert dropped and all(c.new_due_at is None and c.old_due_at for c in dropped)

    def test_a_new_manager_is_logged_as_reassignment_with_its_cause(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        changed_at = datetime(2027, 2, 24, 10, 0, tzinfo=AMS)
        run_until(app, changed_at, dispatch=dispatcher(app))
        updated = make_event("employee.updated", at=changed_at, start=date(2027, 3, 1), manager_n=2)
        updated_id = ingest(app, updated)
        with session_scope(app.engine) as session:
            rows = session.exec(
                select(StepChange, ScheduledStep)
                .join(ScheduledStep, col(ScheduledStep.id) == col(StepChange.step_id))
                .where(StepChange.inbox_event_id == updated_id)
            ).all()
        seen = {(c.change, s.step_key, c.detail) for c, s in rows}
        assert ("planned", "handover", "handover brief") in seen
        assert ("planned", "manager-1on1", "invite cancel for the previous leader") in seen
        assert ("reassigned", "manager-1on1", "new leader; invite update SEQUENCE 1") in seen
        prompts = {key for change, key, detail in seen if detail == "new leader"}
        assert "own-learning-goals" in prompts  # pending leader prompts now go to the new leader
        assert all(c.event_id == updated.id for c, _ in rows)

    def test_a_retry_is_logged_without_an_event(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        now = datetime(2027, 2, 1, 9, 0, tzinfo=AMS)
        with session_scope(app.engine) as session:
            (step_id, *_) = claim_due_steps(session=session, now=now, worker="w", limit=1)
        with session_scope(app.engine) as session:
            counts = record_outcomes(
                session=session,
                worker="w",
                outcomes=[StepOutcome(step_id, "retry", detail="421 try later")],
                now=now,
                retry_after=retry_after,
            )
        assert counts == {"retry": 1}
        with session_scope(app.engine) as session:
            change = session.exec(
                select(StepChange).where(
                    StepChange.step_id == step_id, StepChange.change == "retried"
                )
            ).one()
        assert change.event_id is None and change.inbox_event_id is None
        assert change.new_due_at - change.old_due_at == timedelta(minutes=5)

    def test_erasing_a_leader_clears_their_address_from_the_hires_ledger(self, app):
        hired = make_event(
            "candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), person_overrides=BOTH
        )
        ingest(app, hired)
        run_until(app, datetime(2027, 3, 5, 18, 0, tzinfo=AMS), dispatch=dispatcher(app))
        leader = {"external_id": "mgr-1", "email": "manager1@example.org"}
        erased_at = datetime(2027, 3, 6, tzinfo=AMS)
        ingest(app, make_event("candidate.erased", at=erased_at, person_overrides=leader))
        with session_scope(app.engine) as session:
            rows = session.exec(select(Delivery, ScheduledStep.recipient_role).join(
                ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id)
            )).all()  # fmt: skip
        to_leader = [d for d, role in rows if role == "leader"]
        to_hire = [d for d, role in rows if role == "new_hire"]
        assert to_leader and all(d.address is None for d in to_leader)
        assert to_hire and {d.address for d in to_hire} == {PERSONAL, WORK}


def journey_history_order(app, person_id: int) -> list[datetime]:
    with session_scope(app.engine) as session:
        return [v.when for v in journey_history(session=session, person_id=person_id)]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_clock):
    """A SQLite app whose database the CLI reads through LEERPAD_DATABASE_URL."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings
    from tests.conftest import sqlite_engine

    engine = sqlite_engine(tmp_path)
    url = str(engine.url)
    monkeypatch.setenv("LEERPAD_DATABASE_URL", url)
    settings = LeerpadSettings(database_url=url, outbox_dir=tmp_path / "outbox", smtp_url=None)
    application = bootstrap(settings=settings, clock=start_clock, engine=engine)
    yield application
    reset()


def history_cli(*args: str):
    return CliRunner().invoke(cli, ["journeys", "history", *args])


class TestHistoryCommand:
    def test_json_lists_every_step_with_address_outcome_and_causes(self, cli_db):
        hired_id, moved_id = hire_with_moved_start(cli_db)
        run_until(cli_db, datetime(2027, 3, 12, 18, 0, tzinfo=AMS), dispatch=dispatcher(cli_db))
        by_mail = history_cli(WORK, "--json")
        assert by_mail.exit_code == 0, by_mail.output
        data = json.loads(by_mail.output)
        assert data["timezone"] == "Europe/Amsterdam"
        assert history_cli(data["person"], "--json").output == by_mail.output
        assert history_cli("cand-1", "--json").output == by_mail.output
        steps = {s["step"]: s for s in data["steps"]}
        assert steps["welcome"]["address_kind"] == "personal"
        assert steps["welcome"]["address"] == PERSONAL
        assert steps["buddy-intro"]["address_kind"] == "work"
        causes = [(c["change"], c["inbox_event_id"]) for c in steps["buddy-intro"]["changes"]]
        assert causes == [("planned", hired_id), ("rescheduled", moved_id)]
        pending = [s for s in data["steps"] if s["status"] == "pending"]
        assert pending and all(s["sent_at"] is None and s["address"] is None for s in pending)
        moments = [s["sent_at"] or s["planned_at"] for s in data["steps"]]
        assert moments[0] <= moments[-1]

    def test_the_table_shows_addresses_and_causes(self, cli_db):
        hire_with_moved_start(cli_db)
        run_until(cli_db, datetime(2027, 3, 12, 18, 0, tzinfo=AMS), dispatch=dispatcher(cli_db))
        result = history_cli(PERSONAL)
        assert result.exit_code == 0, result.output
        for text in ("personal: " + PERSONAL, "work: " + WORK, "employee.updated", "rescheduled"):
            assert text in result.output

    def test_unknown_and_erased_people_exit_2_with_what_to_do(self, cli_db):
        result = history_cli("nobody@example.org")
        assert result.exit_code == 2 and "unknown person" in result.output
        assert "uid, external id or email" in result.output
        ingest(cli_db, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        with session_scope(cli_db.engine) as session:
            uid = session.exec(select(Person.uid).where(Person.external_id == "cand-1")).one()
        ingest(cli_db, make_event("candidate.erased", at=HIRED_AT + timedelta(days=1)))
        result = history_cli(uid)
        assert result.exit_code == 2 and "erased" in result.output

    def test_a_missing_database_is_an_operational_error(self, tmp_path, monkeypatch):
        monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
        result = history_cli("x@example.org")
        assert result.exit_code == 1 and "leerpad db upgrade" in result.output
        assert not (tmp_path / "none.db").exists()

    def test_the_command_does_not_import_prefect(self, cli_db):
        code = (
            "import sys\n"
            "from flows.cli import cli\n"
            "try:\n"
            "    cli.main(['journeys', 'history', 'nobody@example.org'], standalone_mode=False)\n"
            "except Exception as exc:\n"
            "    print(type(exc).__name__)\n"
            "print('prefect' in sys.modules)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
        )
        assert done.stdout.split() == ["UsageProblem", "False"]
