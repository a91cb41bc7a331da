"""`leerpad learning …` commands, and erasure of what a person wrote or earned."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
from click.testing import CliRunner
from sqlmodel import select

from flows.cli_learning import learning
from models.db import session_scope
from models.learning import BadgeAward, KnowledgeShare, LearningGoal, PlaylistItem, Reflection
from models.learning_records import erase_learning
from models.people import Person
from tests.conftest import AMS
from tests.integration.learning.conftest import dispatch_until, hire, link, mail_of


class TestCommands:
    def test_playlist_preview_catalog_check_and_badge_key(self, tmp_path):
        runner = CliRunner()
        preview = runner.invoke(learning, ["playlist", "--title", "Data Engineer", "--json"])
        assert preview.exit_code == 0 and len(json.loads(preview.output)) == 10
        assert runner.invoke(learning, ["catalog"]).exit_code == 0
        bad = tmp_path / "c.csv"
        bad.write_text("id,title\nx,y\n", encoding="utf-8")
        result = runner.invoke(learning, ["catalog", str(bad)])
        assert result.exit_code == 2 and "c.csv:2" in result.output
        key = runner.invoke(learning, ["badge-key"])
        assert key.exit_code == 0 and "BEGIN PRIVATE KEY" in key.output

    def test_response_rate_prints_counts_only(self, lapp, monkeypatch):
        from flows import runner as flow_runner

        monkeypatch.setattr(flow_runner, "ready_app", lambda: lapp)
        hire(lapp)
        dispatch_until(lapp, datetime(2027, 3, 16, 18, 0, tzinfo=AMS))
        result = CliRunner().invoke(learning, ["response-rate", "--min-group", "1", "--json"])
        assert result.exit_code == 0
        assert json.loads(result.output) == [
            {"period": "2027-03", "prompts": 2, "answered": 0, "rate": 0.0}
        ]


def test_erasure_removes_goals_shares_badges_and_own_reflections(lapp, server):
    hire(lapp)
    dispatch_until(lapp, datetime(2027, 3, 11, 11, 0, tzinfo=AMS))
    httpx.post(link(mail_of(lapp, "learning-goals").text, "goals"), data={"goal1": "Leer SQL"})
    httpx.post(link(mail_of(lapp, "own-learning-goals").text, "reflection"),
               data={"answer": "Mijn eigen antwoord."})  # fmt: skip
    done = httpx.post(link(mail_of(lapp, "playlist-1").text, "done"), follow_redirects=True)
    httpx.post(link(done.text, "share"), data={"kind": "teach-back", "title": "SQL uitgelegd"})
    with session_scope(lapp.engine) as session:
        hire_id = session.exec(select(Person).where(Person.email == "hire1@example.org")).one().id
        leader_id = session.exec(select(Person).where(Person.email == "manager1@example.org")).one()
        erase_learning(session=session, person_id=hire_id)
        erase_learning(session=session, person_id=leader_id.id)
    with session_scope(lapp.engine) as session:
        for table in (LearningGoal, KnowledgeShare, BadgeAward, Reflection):
            assert session.exec(select(table)).all() == []
        assert session.exec(select(PlaylistItem)).all()  # progress without personal data stays
