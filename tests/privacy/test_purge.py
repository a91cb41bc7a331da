"""The retention purge finds who is due by the rule and erases them (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import select

from flows.simulation import run_until
from models.consent import RetentionConsent
from models.db import session_scope
from models.erasure_log import ErasureLog
from models.people import Person
from models.retention import due_for_purge, purge_person
from tests.conftest import AMS
from tests.factories import make_event
from tests.privacy.helpers import dispatcher, ingest, traces_in_database

APPLIED = datetime(2027, 1, 11, 10, 0, tzinfo=AMS)
REJECTED = datetime(2027, 1, 20, 10, 0, tzinfo=AMS)
HIRED = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
POLICY_WEEKS = timedelta(weeks=4)


def due(app, now: datetime) -> list[str]:
    """Email-free view of who is due: the factory number from each due person's last name."""
    policy = app.composer.profile.retention.policy()
    with session_scope(app.engine) as session:
        people = due_for_purge(session=session, policy=policy, now=now)
        return sorted(session.get(Person, p.person_id).last_name for p in people)


def candidates(app) -> None:
    consent = {"retention_consent": True}
    for n, overrides in ((3, None), (4, consent), (6, None)):
        ingest(app, make_event("candidate.applied", at=APPLIED, n=n, person_overrides=overrides))
    for n in (3, 4):
        ingest(app, make_event("candidate.rejected", at=REJECTED, n=n))
    ingest(app, make_event("candidate.hired", at=HIRED, n=5, start=date(2027, 3, 1)))


class TestWhoIsDue:
    def test_rejected_after_four_weeks_with_consent_after_a_year_others_never(self, app):
        candidates(app)
        assert due(app, REJECTED + POLICY_WEEKS - timedelta(minutes=1)) == []
        assert due(app, REJECTED + POLICY_WEEKS) == ["Tester3"]
        assert due(app, REJECTED + timedelta(days=365)) == ["Tester3", "Tester4"]
        assert due(app, datetime(2030, 1, 1, tzinfo=AMS)) == ["Tester3", "Tester4"]

    def test_consent_withdrawn_falls_back_to_four_weeks(self, app):
        candidates(app)
        with session_scope(app.engine) as session:
            assert len(session.exec(select(RetentionConsent)).all()) == 1
        withdrawn = {"retention_consent": False}
        at = REJECTED + timedelta(days=1)
        ingest(app, make_event("candidate.rejected", at=at, n=4, person_overrides=withdrawn))
        with session_scope(app.engine) as session:
            assert session.exec(select(RetentionConsent)).all() == []
        assert due(app, REJECTED + POLICY_WEEKS) == ["Tester3", "Tester4"]

    def test_a_former_hire_is_due_months_after_the_end_date(self, app):
        candidates(app)
        run_until(app, datetime(2027, 3, 20, 12, 0, tzinfo=AMS), dispatch=dispatcher(app))
        left = make_event("employee.terminated", at=datetime(2027, 4, 1, 9, 0, tzinfo=AMS), n=5,
                          start=date(2027, 3, 1))  # fmt: skip
        left = left.model_copy(
            update={
                "employment": left.employment.model_copy(update={"end_date": date(2027, 4, 30)})
            }
        )
        ingest(app, left)
        assert "Tester5" not in due(app, datetime(2027, 10, 29, 12, 0, tzinfo=AMS))
        assert "Tester5" in due(app, datetime(2027, 10, 30, 12, 0, tzinfo=AMS))


class TestPurge:
    def test_purging_erases_only_who_is_due_and_logs_the_purge(self, app):
        candidates(app)
        run_until(app, REJECTED + POLICY_WEEKS, dispatch=dispatcher(app))
        now = REJECTED + POLICY_WEEKS
        policy = app.composer.profile.retention.policy()
        with session_scope(app.engine) as session:
            people = due_for_purge(session=session, policy=policy, now=now)
            assert len(people) == 1
            rows = purge_person(session=session, person_id=people[0].person_id, now=now)
        assert rows > 0
        assert traces_in_database(app.engine, ["hire3@example.org", "Tester3", "cand-3"]) == []
        for kept in ("hire4@example.org", "hire5@example.org", "hire6@example.org"):
            assert traces_in_database(app.engine, [kept])
        with session_scope(app.engine) as session:
            [log] = session.exec(select(ErasureLog)).all()
        assert (log.path, log.person_uid, log.rows) == ("purge", people[0].person_uid, rows)
        assert due(app, now) == []
