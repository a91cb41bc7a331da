"""A hire's journeys end to end on SQLite and PostgreSQL: plan, deliver, reschedule, cancel."""

from __future__ import annotations

import email
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import vobject
from sqlmodel import select

from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from models.db import session_scope
from models.delivery import CalendarEvent
from models.enrollment import ScheduledStep
from tests.conftest import AMS
from tests.factories import make_event

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
AFTER_FIRST_INVITE = datetime(2027, 2, 10, 11, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


def dispatcher(app):
    return lambda moment: deliver_due_batch(app=app, now=moment, worker="test", limit=50)


def ingest(app, event) -> str:
    app.clock.advance_to(event.occurred_at)
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    return process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())


def outbox_messages(app) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.settings.outbox_dir).glob("*.eml"))
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def calendar_of(message) -> vobject.base.Component | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return vobject.readOne(part.get_content())
    return None


def steps(app) -> dict[str, ScheduledStep]:
    with session_scope(app.engine) as session:
        rows = session.exec(select(ScheduledStep)).all()
    return {r.step_key: r for r in rows}


class TestHireToDayNinety:
    def test_a_moved_start_date_moves_pending_steps_and_updates_the_sent_invite(self, app):
        hire = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        assert ingest(app, hire) == "processed"
        planned = steps(app)
        journeys = app.rules.catalog
        expected = {s.key for s in journeys.get("new-hire").steps} | {
            s.key for s in journeys.get("leader").steps
        }
        assert set(planned) == expected

        run_until(app, AFTER_FIRST_INVITE, dispatch=dispatcher(app))
        before = steps(app)
        sent_before = {k for k, r in before.items() if r.status == "sent"}
        assert {"welcome", "coaching-series"} <= sent_before
        first_messages = outbox_messages(app)
        assert len(first_messages) == len(sent_before)
        first_invite = next(m for m in first_messages if calendar_of(m) is not None)
        first_event = calendar_of(first_invite).vevent
        assert first_event.sequence.value == "0"

        moved = make_event("employee.updated", at=AFTER_FIRST_INVITE, start=date(2027, 3, 8))
        assert ingest(app, moved) == "processed"
        after = steps(app)
        for key in sent_before - {"coaching-series"}:
            assert after[key].status == "sent" and after[key].sent_at == before[key].sent_at
        assert after["first-day"].due_at == before["first-day"].due_at + timedelta(days=7)
        assert after["coaching-series"].action == "update"

        run_until(app, DAY_90, dispatch=dispatcher(app))
        messages = outbox_messages(app)
        ids = [m["Message-ID"] for m in messages]
        assert len(ids) == len(set(ids))
        assert len(messages) == len(expected) + 1  # every step once, plus one invite update
        updates = [
            m
            for m in messages
            if calendar_of(m) is not None
            and calendar_of(m).vevent.uid.value == first_event.uid.value
        ]
        assert [calendar_of(m).vevent.sequence.value for m in updates] == ["0", "1"]
        new_start = calendar_of(updates[1]).vevent.dtstart.value
        assert new_start - first_event.dtstart.value == timedelta(days=7)
        assert {r.status for r in steps(app).values()} == {"sent"}

        assert deliver_due_batch(
            app=app, now=DAY_90 + timedelta(days=30), worker="again", limit=50
        ) == {"claimed": 0}
        assert len(outbox_messages(app)) == len(messages)

    def test_a_duplicate_event_plans_nothing_twice(self, app):
        hire = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        ingest(app, hire)
        count = len(steps(app))
        inbox_id, duplicate = store(app=app, event=hire, now=app.clock.now())
        assert duplicate is True
        again = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        ingest(app, again)  # same facts under another event id
        assert len(steps(app)) == count


class TestWithdrawal:
    def test_unhiring_cancels_pending_steps_and_the_sent_invites(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, AFTER_FIRST_INVITE, dispatch=dispatcher(app))
        sent = len(outbox_messages(app))
        ingest(app, make_event("candidate.unhired", at=AFTER_FIRST_INVITE))
        run_until(app, DAY_90, dispatch=dispatcher(app))
        messages = outbox_messages(app)
        cancels = [m for m in messages[sent:] if calendar_of(m) is not None]
        assert len(messages) == sent + len(cancels) and cancels
        for message in cancels:
            cal = calendar_of(message)
            assert cal.method.value == "CANCEL"
            assert cal.vevent.sequence.value == "1"
            assert cal.vevent.status.value == "CANCELLED"
        with session_scope(app.engine) as session:
            events = session.exec(select(CalendarEvent)).all()
        assert {e.status for e in events} == {"cancelled"}
        assert {r.status for r in steps(app).values()} <= {"sent", "cancelled"}


@pytest.fixture
def smtp_app(engine, tmp_path, start_clock, smtp_server):
    from flows.bootstrap import bootstrap, reset
    from integrations.mail.smtp import SmtpMailer, SmtpSettings
    from integrations.settings import LeerpadSettings

    handler, port = smtp_server()
    settings = LeerpadSettings(
        database_url=str(engine.url), smtp_url=f"smtp://127.0.0.1:{port}", outbox_dir=tmp_path
    )
    mailer = SmtpMailer(SmtpSettings.from_url(f"smtp://127.0.0.1:{port}"), retry_delays=(0.01,))
    app = bootstrap(settings=settings, clock=start_clock, engine=engine, mailer=mailer)
    yield app, handler
    reset()


def test_the_same_steps_go_out_over_smtp(smtp_app):
    app, handler = smtp_app
    ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
    run_until(app, DAY_90, dispatch=dispatcher(app))
    received = [
        email.message_from_bytes(r.content, policy=policy.default) for r in handler.received
    ]
    assert len(received) == len(steps(app))
    assert len({m["Message-ID"] for m in received}) == len(received)
    welcome = next(m for m in received if "Welkom" in m["Subject"])
    kinds = [p.get_content_type() for p in welcome.walk()]
    assert kinds == ["multipart/alternative", "text/plain", "text/html"]
    assert "Sanne" in welcome.get_body(("plain",)).get_content()
    assert 'style="' in welcome.get_body(("html",)).get_content()
    invite = next(m for m in received if calendar_of(m) is not None)
    assert calendar_of(invite).method.value == "REQUEST"
    assert sorted(r for r in handler.received[0].rcpt_tos) == ["hire1@example.org"]


class TestLateHire:
    def test_steps_already_past_are_caught_up_inside_the_send_window(self, app):
        late = datetime(2027, 2, 24, 20, 0, tzinfo=AMS)  # Wednesday evening, start Monday
        ingest(app, make_event("candidate.hired", at=late, start=date(2027, 3, 1)))
        planned = steps(app)
        assert planned["welcome"].due_at == datetime(2027, 2, 25, 9, 0, tzinfo=AMS)
        assert planned["first-day"].due_at == datetime(2027, 2, 25, 11, 0, tzinfo=AMS)
        assert planned["checkin-90"].due_at > datetime(2027, 5, 1, tzinfo=AMS)


class TestFailedEvents:
    def test_a_failing_event_keeps_its_error_in_the_inbox_and_can_be_replayed(self, app):
        from flows.processing import EventProcessingFailed
        from models.inbox import InboxEvent

        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
        with session_scope(app.engine) as session:
            row = session.get(InboxEvent, inbox_id)
            good_payload, row.payload = row.payload, '{"broken": true}'
        with pytest.raises(EventProcessingFailed) as caught:
            process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT)
        assert "hire1@example.org" not in str(caught.value)
        with session_scope(app.engine) as session:
            row = session.get(InboxEvent, inbox_id)
            assert row.status == "failed" and "ValidationError" in row.error
            row.payload = good_payload
        assert process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT) == "processed"
        assert len(steps(app)) > 20


class TestManagerChange:
    def test_the_new_manager_takes_over_invites_prompts_and_gets_a_handover_brief(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), manager_n=1))
        changed_at = datetime(2027, 2, 24, 10, 0, tzinfo=AMS)
        run_until(app, changed_at, dispatch=dispatcher(app))
        sent_before = len(outbox_messages(app))
        one_on_one = next(
            m
            for m in outbox_messages(app)
            if calendar_of(m) is not None and "manager1@example.org" in m["To"]
        )
        uid = calendar_of(one_on_one).vevent.uid.value

        ingest(
            app,
            make_event("employee.updated", at=changed_at, start=date(2027, 3, 1), manager_n=2),
        )
        run_until(app, changed_at + timedelta(days=1), dispatch=dispatcher(app))
        new = outbox_messages(app)[sent_before:]
        same_meeting = [m for m in new if calendar_of(m) and calendar_of(m).vevent.uid.value == uid]
        by_method = {calendar_of(m).method.value: m for m in same_meeting}
        cancel, request = by_method["CANCEL"], by_method["REQUEST"]
        assert cancel["To"].addresses[0].addr_spec == "manager1@example.org"
        assert len(cancel["To"].addresses) == 1
        assert [a.value for a in calendar_of(cancel).vevent.attendee_list] == [
            "mailto:manager1@example.org"
        ]
        assert calendar_of(cancel).vevent.sequence.value == "1"
        attendees = sorted(a.value for a in calendar_of(request).vevent.attendee_list)
        assert attendees == ["mailto:hire1@example.org", "mailto:manager2@example.org"]
        assert calendar_of(request).vevent.sequence.value == "1"
        brief = next(m for m in new if "manager2@example.org" in m["To"] and not calendar_of(m))
        text = brief.get_body(("plain",)).get_content()
        assert "Welkom" in text or "welkom" in text.lower()

        run_until(app, DAY_90, dispatch=dispatcher(app))
        later = outbox_messages(app)[sent_before + len(new) :]
        leader_mail = [m for m in later if "manager" in str(m["To"])]
        assert leader_mail and all("manager2@example.org" in str(m["To"]) for m in leader_mail)


class TestOutOfOrder:
    def test_an_update_before_the_create_ends_with_the_newest_start_date(self, app):
        created_at = datetime(2027, 1, 25, 9, 0, tzinfo=AMS)
        updated_at = datetime(2027, 1, 26, 9, 0, tzinfo=AMS)
        newer = make_event("employee.updated", at=updated_at, start=date(2027, 3, 8))
        older = make_event("employee.created", at=created_at, start=date(2027, 3, 1))
        ingest(app, newer)
        ingest(app, older)
        from models.employment import Employment

        with session_scope(app.engine) as session:
            [employment] = session.exec(select(Employment)).all()
        assert employment.start_date == date(2027, 3, 8)
        assert steps(app)["first-day"].due_at.astimezone(AMS).date() == date(2027, 3, 4)

    def test_a_hire_before_the_application_sends_no_thanks_for_applying(self, app):
        from models.recruitment import Application

        hired_at = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
        ingest(app, make_event("candidate.hired", at=hired_at, start=date(2027, 3, 1)))
        ingest(app, make_event("candidate.applied", at=hired_at - timedelta(days=14)))
        with session_scope(app.engine) as session:
            [application] = session.exec(select(Application)).all()
        assert application.status == "hired"
        assert "applied" not in steps(app)


class TestEndings:
    def test_termination_before_the_start_cancels_everything_pending(self, app):
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, AFTER_FIRST_INVITE, dispatch=dispatcher(app))
        sent = len(outbox_messages(app))
        ingest(app, make_event("employee.terminated", at=AFTER_FIRST_INVITE))
        run_until(app, DAY_90, dispatch=dispatcher(app))
        later = outbox_messages(app)[sent:]
        assert later and all(calendar_of(m).method.value == "CANCEL" for m in later)
        assert {r.status for r in steps(app).values()} <= {"sent", "cancelled"}

    def test_erasure_at_the_source_erases_the_person_here(self, app):
        from models.people import Person

        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        ingest(app, make_event("candidate.erased", at=HIRED_AT + timedelta(days=1)))
        with session_scope(app.engine) as session:
            hire = session.exec(select(Person).where(Person.erased_at.is_not(None))).one()
        assert (hire.email, hire.first_name, hire.last_name) == (None, None, None)
        from models.inbox import InboxEvent

        with session_scope(app.engine) as session:
            stored = session.exec(select(InboxEvent)).all()
        assert len(stored) == 2
        assert all(
            "hire1@example.org" not in r.payload and "Tester1" not in r.payload for r in stored
        )
        run_until(app, DAY_90, dispatch=dispatcher(app))
        assert outbox_messages(app) == []
