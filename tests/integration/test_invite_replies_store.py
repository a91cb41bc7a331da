"""Matching replies to our invites and storing them, on SQLite and PostgreSQL; erasure and
retention delete the answers; `leerpad invites replies` reads an .eml, an .ics or an mbox."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from flows.bootstrap import reset
from flows.cli import cli
from integrations.invite_replies.intake import take_in_replies
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent
from models.inbox_store import erase_person
from models.invite_responses import InviteResponse, latest_responses
from models.migrate import upgrade_engine
from models.people import Person
from models.retention import purge_person
from tests.integration.invite_replies_samples import ics_reply, reply

NOW = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
PERSONAL, WORK, COACH = "own@example.net", "sanne@acme.example", "coach@acme.example"


@dataclass(frozen=True)
class Invited:
    hire_id: int
    coach_id: int
    event_id: int
    uid: str


def invited(
    session: Session, *, n: int = 1, sequence: int = 2, status: str = "confirmed"
) -> Invited:
    """A hire with a coaching invite (hire + coach) sent twice: to her personal address, and an
    update to her work address; the coach is invited at his work address."""
    hire = Person(
        source="t",
        email=f"{n}{PERSONAL}",
        personal_email=f"{n}{PERSONAL}",
        work_email=f"{n}{WORK}",
        first_name="Sanne",
    )
    coach = Person(source="t", work_email=f"{n}{COACH}", personal_email=f"{n}home@example.net")
    session.add_all([hire, coach])
    session.flush()
    job = Employment(person_id=hire.id, source="t", start_date=date(2027, 3, 8), coach_id=coach.id)
    session.add(job)
    session.flush()
    enrollment = Enrollment(
        journey_key="new-hire",
        subject_key=f"employment:{job.id}",
        person_id=hire.id,
        employment_id=job.id,
    )
    session.add(enrollment)
    session.flush()
    step = ScheduledStep(
        enrollment_id=enrollment.id,
        step_key="coaching-series",
        channel="invite",
        recipient_role="new_hire",
        template="x",
        status="sent",
        due_at=NOW,
    )
    session.add(step)
    session.flush()
    update = ScheduledStep(
        enrollment_id=enrollment.id,
        step_key="coaching-series",
        occurrence=1,
        channel="invite",
        recipient_role="new_hire",
        template="x",
        action="update",
        calendar_step_id=step.id,
        status="sent",
        due_at=NOW,
    )
    session.add(update)
    session.flush()
    event = CalendarEvent(
        step_id=step.id,
        uid=f"coaching-{n}@leerpad",
        sequence=sequence,
        sent_sequence=sequence,
        start_at=NOW + timedelta(days=5),
        end_at=NOW + timedelta(days=5, minutes=45),
        tzid="Europe/Amsterdam",
        status=status,
    )
    session.add(event)
    for s, address, kind in (
        (step, hire.personal_email, "personal"),
        (update, hire.work_email, "work"),
    ):
        session.add(
            Delivery(
                step_id=s.id,
                action=s.action,
                sequence=0,
                message_id=f"<{s.id}-{n}@x>",
                channel="invite",
                transport="outbox",
                status="sent",
                at=NOW,
                address=address,
                address_kind=kind,
            )
        )
    session.flush()
    return Invited(int(hire.id), int(coach.id), int(event.id), event.uid)


def take(engine: Engine, raw: bytes) -> list[dict[str, object]]:
    return [o.as_dict() for o in take_in_replies(engine=engine, raw=raw, headers={}, now=NOW)]


def test_the_hire_at_either_address_and_the_coach_match_with_their_role(engine):
    with session_scope(engine) as session:
        inv = invited(session)
    personal = take(engine, reply("outlook", uid=inv.uid, address=f"1{PERSONAL}", sequence=2))
    work = take(engine, reply("google", uid=inv.uid, address=f"1{WORK}".upper(), sequence=2))
    coach = take(engine, reply("apple", uid=inv.uid, address=f"1{COACH}", sequence=2))
    assert [
        (r["outcome"], r["person_id"], r["role"], r["partstat"]) for r in personal + work + coach
    ] == [
        ("matched", inv.hire_id, "new_hire", "DECLINED"),
        ("matched", inv.hire_id, "new_hire", "ACCEPTED"),
        ("matched", inv.coach_id, "coach", "TENTATIVE"),
    ]
    with session_scope(engine) as session:
        latest = latest_responses(session=session, calendar_event_ids=[inv.event_id])[inv.event_id]
        rows = session.exec(select(InviteResponse)).all()
    assert {(a.person_id, a.partstat) for a in latest} == {
        (inv.hire_id, "DECLINED"),
        (inv.coach_id, "TENTATIVE"),  # Outlook's 10:31 beats Google's 09:12
    }
    assert all(r.state == "current" and r.received_at == NOW for r in rows) and len(rows) == 3
    stored = " ".join(str(v) for r in rows for v in r.model_dump().values())
    assert "@" not in stored  # no address, no comment: ids and answers only


def test_an_older_sequence_is_stale_a_cancelled_event_late_and_a_repeat_a_duplicate(engine):
    with session_scope(engine) as session:
        live = invited(session, n=1)
        gone = invited(session, n=2, status="cancelled")
    stale = take(engine, reply("google", uid=live.uid, address=f"1{PERSONAL}", sequence=1))
    late = take(engine, reply("google", uid=gone.uid, address=f"2{PERSONAL}", sequence=2))
    again = take(engine, reply("google", uid=gone.uid, address=f"2{PERSONAL}", sequence=2))
    assert [r["outcome"] for r in stale + late + again] == ["stale", "late", "duplicate"]
    with session_scope(engine) as session:
        assert sorted(session.exec(select(InviteResponse.state)).all()) == ["late", "stale"]


def test_unmatched_replies_are_kept_in_the_inbox_with_the_reason_and_logs_hold_ids(engine, caplog):
    with session_scope(engine) as session:
        inv = invited(session)
    caplog.set_level(logging.INFO, logger="leerpad.invite_replies")
    unknown = take(engine, ics_reply(uid="nope@elsewhere", address=f"1{PERSONAL}"))
    stranger = take(engine, reply("outlook", uid=inv.uid, address="x@evil.example", sequence=2))
    junk = take(engine, b"not a mail at all")
    assert [r["outcome"] for r in unknown + stranger + junk] == [
        "unmatched",
        "unmatched",
        "no_reply",
    ]
    with session_scope(engine) as session:
        kept = session.exec(select(InboxEvent).order_by(col(InboxEvent.id))).all()
        assert session.exec(select(InviteResponse)).all() == []
    assert [(k.source, k.status, json.loads(k.payload)) for k in kept] == [
        ("mail_replies", "rejected", {"refused": "unknown_uid"}),
        ("mail_replies", "rejected", {"refused": "not_invited"}),
        ("mail_replies", "rejected", {"refused": "no_reply"}),
    ]
    assert "not one of Leerpad's calendar events" in (kept[0].error or "")
    assert take(engine, b"not a mail at all")[0]["inbox_id"] == kept[2].id  # kept once
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "refused: inbox event" in logged and "@" not in logged


@pytest.mark.parametrize("how", ["erase", "purge"])
def test_erasure_and_retention_delete_the_answers(engine, how):
    with session_scope(engine) as session:
        mine, other = invited(session, n=1), invited(session, n=2)
    for n, inv in ((1, mine), (2, other)):
        take(engine, reply("google", uid=inv.uid, address=f"{n}{PERSONAL}", sequence=2))
        take(engine, reply("apple", uid=inv.uid, address=f"{n}{COACH}", sequence=2))
    with session_scope(engine) as session:
        person = session.get(Person, mine.hire_id)
        if how == "erase":
            erase_person(session=session, person=person, now=NOW, path="cli")
        else:
            purge_person(session=session, person_id=mine.hire_id, now=NOW)
    with session_scope(engine) as session:
        left = session.exec(
            select(InviteResponse.calendar_event_id, InviteResponse.person_id)
        ).all()
    # the erased hire's invite loses every answer (the coach's too); the other hire keeps hers
    assert sorted(left) == sorted(
        [(other.event_id, other.hire_id), (other.event_id, other.coach_id)]
    )


def test_erasing_a_coach_deletes_their_answers_to_others_invites(engine):
    with session_scope(engine) as session:
        inv = invited(session)
    take(engine, reply("apple", uid=inv.uid, address=f"1{COACH}", sequence=2))
    take(engine, reply("google", uid=inv.uid, address=f"1{PERSONAL}", sequence=2))
    with session_scope(engine) as session:
        erase_person(session=session, person=session.get(Person, inv.coach_id), now=NOW, path="cli")
    with session_scope(engine) as session:
        assert session.exec(select(InviteResponse.person_id)).all() == [inv.hire_id]


class TestCli:
    @pytest.fixture
    def db(self, tmp_path, monkeypatch):
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        monkeypatch.setenv("LEERPAD_DATABASE_URL", url)
        monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
        monkeypatch.delenv("LEERPAD_SMTP_URL", raising=False)
        reset()
        from sqlmodel import create_engine

        engine = create_engine(url)
        upgrade_engine(engine)
        with session_scope(engine) as session:
            inv = invited(session)
        yield engine, inv
        engine.dispose()
        reset()

    def test_an_mbox_gives_a_table_without_addresses_and_json_lines(self, db, tmp_path):
        engine, inv = db
        box = tmp_path / "replies.mbox"
        google = reply("google", uid=inv.uid, address=f"1{WORK}", sequence=2)
        outlook = reply("outlook", uid=inv.uid, address=f"1{PERSONAL}", sequence=1)
        apple = reply("apple", uid="other@x", address=f"1{COACH}")
        box.write_bytes(
            b"From a Wed Mar  3 10:00:00 2027\n"
            + google
            + b"\nFrom b Wed Mar  3 10:01:00 2027\n"
            + outlook
            + b"\nFrom c Wed Mar  3 10:02:00 2027\n"
            + apple
        )
        result = CliRunner().invoke(cli, ["invites", "replies", str(box)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert (
            "matched" in result.output and "stale" in result.output and "unmatched" in result.output
        )
        assert "matched 1, stale 1, unmatched 1" in result.output
        assert "@" not in result.output.replace("@leerpad", "")
        ics = tmp_path / "reply.ics"
        ics.write_bytes(ics_reply(uid=inv.uid, address=f"1{COACH}", sequence=2))
        result = CliRunner().invoke(cli, ["invites", "replies", "--json", str(ics)])
        (line,) = result.output.splitlines()
        assert json.loads(line) | {"response_id": 0} == {
            "message": 1,
            "outcome": "matched",
            "partstat": "TENTATIVE",
            "sequence": 2,
            "calendar_event_id": inv.event_id,
            "person_id": inv.coach_id,
            "role": "coach",
            "response_id": 0,
        }

    def test_standard_input_and_bad_input(self, db, tmp_path):
        engine, inv = db
        raw = reply("google", uid=inv.uid, address=f"1{PERSONAL}", sequence=2)
        result = CliRunner().invoke(cli, ["invites", "replies", "--json", "-"], input=raw)
        assert json.loads(result.output)["outcome"] == "matched"
        missing = CliRunner().invoke(cli, ["invites", "replies", str(tmp_path / "nope.eml")])
        assert missing.exit_code == 2 and "cannot read" in missing.output
        empty = tmp_path / "empty.eml"
        empty.write_bytes(b"")
        result = CliRunner().invoke(cli, ["invites", "replies", str(empty)])
        assert result.exit_code == 2 and "is empty" in result.output
