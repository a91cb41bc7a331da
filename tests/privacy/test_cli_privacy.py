"""`leerpad privacy erase PERSON` and `leerpad privacy purge`: exit codes, JSON, no names echoed."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from click.testing import CliRunner
from sqlmodel import select

from flows.cli import cli
from models.db import session_scope
from models.erasure_log import ErasureLog
from models.people import Person
from tests.conftest import AMS
from tests.factories import make_event
from tests.privacy.helpers import ingest, traces_in_database

APPLIED = datetime(2027, 1, 11, 10, 0, tzinfo=AMS)
REJECTED = datetime(2027, 1, 20, 10, 0, tzinfo=AMS)


def run(*args: str):
    return CliRunner().invoke(cli, ["privacy", *args])


def uid_of(app, email: str) -> str:
    with session_scope(app.engine) as session:
        return session.exec(select(Person.uid).where(Person.email == email)).one()


class TestErase:
    def test_erase_by_email_prints_the_uid_and_counts_only(self, app):
        ingest(app, make_event("candidate.hired", at=APPLIED, start=date(2027, 3, 1)))
        uid = uid_of(app, "hire1@example.org")
        result = run("erase", "HIRE1@example.org", "--json")
        assert result.exit_code == 0, result.output
        outcome = json.loads(result.output)
        assert outcome["person_uid"] == uid and outcome["erased"] and outcome["rows"] > 0
        assert "hire1" not in result.output and "Tester1" not in result.output
        assert traces_in_database(app.engine, ["hire1@example.org", "Tester1"]) == []
        again = run("erase", uid)
        assert again.exit_code == 0 and "already erased" in again.output
        with session_scope(app.engine) as session:
            assert [e.path for e in session.exec(select(ErasureLog)).all()] == ["cli"]

    def test_erase_by_external_id(self, app):
        ingest(app, make_event("candidate.applied", at=APPLIED, n=2))
        result = run("erase", "cand-2")
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"erased person {uid_of_erased(app)}")

    def test_an_unknown_person_is_bad_input(self, app):
        result = run("erase", "nobody@example.org")
        assert result.exit_code == 2
        assert "pass a person uid, an external id or an email address" in result.output

    def test_an_external_id_two_sources_share_asks_for_the_uid(self, app):
        ingest(app, make_event("candidate.applied", at=APPLIED, n=3))
        elsewhere = {"email": "someone-else@example.org"}
        other = make_event("candidate.applied", at=APPLIED, n=3, person_overrides=elsewhere)
        other = other.model_copy(update={"source": "lever"})
        ingest(app, other)
        result = run("erase", "cand-3")
        assert result.exit_code == 2 and "2 people match" in result.output
        assert "pass one person uid" in result.output

    def test_help_names_the_keys(self):
        result = run("erase", "--help")
        assert result.exit_code == 0 and "external id" in result.output


def uid_of_erased(app) -> str:
    with session_scope(app.engine) as session:
        return session.exec(select(Person.uid).where(Person.erased_at.is_not(None))).one()


class TestPurge:
    def test_dry_run_counts_then_purge_erases_through_the_retention_flow(self, app, prefect_api):
        ingest(app, make_event("candidate.applied", at=APPLIED, n=4))
        ingest(app, make_event("candidate.rejected", at=REJECTED, n=4))
        app.clock.advance_to(REJECTED + timedelta(weeks=4, hours=1))
        dry = run("purge", "--dry-run", "--json")
        assert dry.exit_code == 0, dry.output
        assert json.loads(dry.output) | {"rows": 0} == {
            "due": 1, "purged": 0, "rows": 0, "files": 0, "dry_run": True}  # fmt: skip
        assert traces_in_database(app.engine, ["hire4@example.org"])
        done = run("purge")
        assert done.exit_code == 0, done.output
        assert done.output.startswith("purged 1 people (")
        assert traces_in_database(app.engine, ["hire4@example.org", "Tester4"]) == []
        with session_scope(app.engine) as session:
            assert [e.path for e in session.exec(select(ErasureLog)).all()] == ["purge"]


class TestConsent:
    def test_consent_given_keeps_a_rejected_candidate_a_year_and_withdrawn_four_weeks(self, app):
        from models.retention import due_for_purge

        ingest(app, make_event("candidate.applied", at=APPLIED, n=5))
        ingest(app, make_event("candidate.rejected", at=REJECTED, n=5))
        policy = app.composer.profile.retention.policy()
        later = REJECTED + timedelta(weeks=5)

        def due() -> int:
            with session_scope(app.engine) as session:
                return len(due_for_purge(session=session, policy=policy, now=later))

        assert due() == 1
        given = run("consent", "hire5@example.org", "--given", "--json")
        assert given.exit_code == 0, given.output
        assert json.loads(given.output)["consent"] is True and due() == 0
        withdrawn = run("consent", "cand-5", "--withdrawn")
        assert withdrawn.exit_code == 0 and withdrawn.output.endswith("consent withdrawn\n")
        assert due() == 1

    def test_consent_needs_a_choice_and_a_known_person(self, app):
        assert run("consent", "nobody@example.org", "--given").exit_code == 2
        assert run("consent", "nobody@example.org").exit_code == 2


class TestRetentionFlow:
    def test_one_failed_purge_fails_the_run_after_the_others_are_purged(
        self, app, prefect_api, monkeypatch
    ):
        import pytest

        from flows import retention as module

        for n in (6, 7):
            ingest(app, make_event("candidate.applied", at=APPLIED, n=n))
            ingest(app, make_event("candidate.rejected", at=REJECTED, n=n))
        real = module.erase_everywhere
        broken = uid_of(app, "hire6@example.org")

        def erase(*, app, person_id, now, path):
            with session_scope(app.engine) as session:
                if session.get(Person, person_id).uid == broken:
                    raise RuntimeError("hire6@example.org: disk full")  # a message naming them
            return real(app=app, person_id=person_id, now=now, path=path)

        monkeypatch.setattr(module, "erase_everywhere", erase)
        with pytest.raises(module.PurgeFailed, match="1 of 2 purges failed") as failure:
            module.retention(as_of=(REJECTED + timedelta(weeks=5)).isoformat())
        assert "hire6" not in str(failure.value)
        assert traces_in_database(app.engine, ["hire7@example.org"]) == []
        assert traces_in_database(app.engine, ["hire6@example.org"])
