"""The learning-goals form over real HTTP: signed link, nl/en, no JavaScript, goals carried on."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
from sqlmodel import select

from models.db import session_scope
from models.delivery import CalendarEvent
from models.learning import LearningGoal, LearningPlan
from tests.conftest import AMS
from tests.integration.learning.conftest import dispatch_until, hire, link, mail_of, mails

GOALS_SENT = datetime(2027, 3, 4, 15, 0, tzinfo=AMS)  # after the learning-goals email (+3 wd)
GOALS = ["Zelfstandig een datapipeline in dbt bouwen", "Beter feedback vragen aan mijn team"]


def goals_link(lapp) -> str:
    hire(lapp)
    dispatch_until(lapp, GOALS_SENT)
    return link(mail_of(lapp, "learning-goals").text, "goals")


def stored_goals(lapp) -> list[str]:
    with session_scope(lapp.engine) as session:
        rows = session.exec(select(LearningGoal).order_by(LearningGoal.position)).all()
        return [g.text for g in rows]


class TestGoalsForm:
    def test_get_renders_an_accessible_form_in_dutch_without_javascript(self, lapp, server):
        response = httpx.get(goals_link(lapp))
        assert response.status_code == 200
        html = response.text
        assert '<html lang="nl">' in html and "Je leerdoelen" in html
        assert "<script" not in html and '<form method="post">' in html
        for n in (1, 2, 3):
            assert f'<label for="goal{n}">' in html and f'id="goal{n}" name="goal{n}"' in html
        assert 'type="checkbox" id="shout_out"' in html
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "form-action 'self'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"

    def test_post_saves_goals_and_the_opt_in_then_redirects(self, lapp, server):
        url = goals_link(lapp)
        form = {"goal1": GOALS[0], "goal2": f"  {GOALS[1]}  ", "goal3": "", "shout_out": "yes"}
        response = httpx.post(url, data=form)
        assert response.status_code == 303 and response.headers["location"] == "?saved=1"
        assert stored_goals(lapp) == GOALS
        with session_scope(lapp.engine) as session:
            plan = session.exec(select(LearningPlan)).one()
        assert plan.shout_out is True and plan.goals_set_at is not None
        shown = httpx.get(url + "?saved=1")
        assert "Opgeslagen" in shown.text and GOALS[0] in shown.text and "checked" in shown.text

    def test_mistakes_come_back_with_messages_tied_to_their_fields(self, lapp, server):
        response = httpx.post(goals_link(lapp), data={"goal1": "SQL", "goal2": "x" * 301})
        assert response.status_code == 400
        assert 'aria-invalid="true" aria-describedby="goal1-error"' in response.text
        assert '<a href="#goal2">' in response.text and "te lang" in response.text
        assert stored_goals(lapp) == []

    def test_an_english_speaker_gets_the_form_in_english(self, lapp, server):
        hire(lapp, locale="en")
        dispatch_until(lapp, GOALS_SENT)
        response = httpx.get(link(mail_of(lapp, "learning-goals").text, "goals"))
        assert '<html lang="en">' in response.text and "Your learning goals" in response.text

    def test_goals_reach_the_leader_the_coach_and_the_coaching_invite(self, lapp, server):
        httpx.post(goals_link(lapp), data={"goal1": GOALS[0], "goal2": GOALS[1]})
        dispatch_until(lapp, datetime(2027, 3, 9, 18, 0, tzinfo=AMS))
        first, update = [m for m in mails(lapp) if m.step_key == "coaching-series"]
        ics = first.message.get_body(("plain",)).get_content() + str(first.message)
        assert "Agenda" in first.text and "wat wil je de komende drie maanden leren" in first.text
        assert "dbt bouwen" not in ics  # sent before the goals were set
        calendar = next(p for p in update.message.walk() if p.get_content_type() == "text/calendar")
        ics = calendar.get_content()
        assert "SEQUENCE:1" in ics and "dbt bouwen" in ics.replace("\r\n ", "")
        assert "Agenda" in update.text and GOALS[0] in update.text
        assert GOALS[0] in mail_of(lapp, "coach-brief").text
        with session_scope(lapp.engine) as session:
            event = session.exec(select(CalendarEvent)).all()
        assert {e.sequence for e in event if e.repeat_count} == {1}
        dispatch_until(lapp, datetime(2027, 3, 9, 18, 0, tzinfo=AMS) + timedelta(days=3))
        leader = mail_of(lapp, "own-learning-goals")
        assert GOALS[1] in leader.text and GOALS[1] in leader.html

    def test_a_link_for_another_form_is_refused(self, lapp, server):
        url = goals_link(lapp)
        for purpose in ("done", "share", "reflection"):
            other = url.replace("/forms/goals/", f"/forms/{purpose}/")
            response = httpx.get(other)
            assert response.status_code == 403 and "werkt niet" in response.text
            assert httpx.post(other, data={"answer": "Nee."}).status_code == 403


class TestRefusedLinks:
    def test_an_expired_link_explains_what_to_do_in_the_persons_language(self, lapp, server):
        url = goals_link(lapp)
        lapp.clock.advance(timedelta(days=31))
        response = httpx.get(url)
        assert response.status_code == 403
        assert "verlopen" in response.text and "nieuwe link" in response.text
        assert httpx.post(url, data={"goal1": GOALS[0]}).status_code == 403
        assert stored_goals(lapp) == []

    def test_a_tampered_link_is_refused(self, lapp, server):
        url = goals_link(lapp)
        payload, signature = url.rsplit("/", 1)[1].split(".")
        forged = url.replace(payload, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB"))
        for bad in (forged, url[:-3], url + "x", url.rsplit(".", 1)[0]):
            response = httpx.get(bad, headers={"Accept-Language": "en-GB,en;q=0.9"})
            assert response.status_code == 403, bad
            assert "This link does not work" in response.text
        assert httpx.post(forged, data={"goal1": GOALS[0]}).status_code == 403
        assert stored_goals(lapp) == []
