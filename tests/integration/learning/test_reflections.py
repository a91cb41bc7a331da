"""Leader reflections: a signed form per prompt; the text stays the leader's, HR gets a rate."""

from __future__ import annotations

import inspect
from datetime import datetime

import httpx
from sqlmodel import select

import models.learning_queries as learning_queries
from models.db import session_scope
from models.learning import Reflection
from tests.conftest import AMS
from tests.integration.learning.conftest import dispatch_until, hire, link, mail_of, mails

SECRET_ANSWER = "Ik durf in het team nog niet te zeggen dat ik SQL lastig vind."
WEEK_2 = datetime(2027, 3, 8, 18, 0, tzinfo=AMS)


def reflection_link(lapp, step_key: str = "own-learning-goals") -> str:
    hire(lapp)
    dispatch_until(lapp, WEEK_2)
    return link(mail_of(lapp, step_key).text, "reflection")


class TestReflectionForm:
    def test_the_prompt_links_to_a_form_with_its_question(self, lapp, server):
        response = httpx.get(reflection_link(lapp))
        assert response.status_code == 200
        assert "Wat wil jij dit jaar leren, en weet je team dat?" in response.text
        assert '<label for="answer">' in response.text and "<script" not in response.text

    def test_the_answer_is_saved_and_shown_back_to_the_leader_only(self, lapp, server):
        url = reflection_link(lapp)
        assert httpx.post(url, data={"answer": SECRET_ANSWER}).status_code == 303
        again = httpx.get(url + "?saved=1")
        assert SECRET_ANSWER in again.text and "Opgeslagen" in again.text
        httpx.post(url, data={"answer": SECRET_ANSWER + " Nu wel."})
        with session_scope(lapp.engine) as session:
            (row,) = session.exec(select(Reflection)).all()
        assert row.answer.endswith("Nu wel.") and row.prompt_key == "own-learning-goals"

    def test_an_empty_answer_is_refused_with_a_message(self, lapp, server):
        response = httpx.post(reflection_link(lapp), data={"answer": "   "})
        assert response.status_code == 400 and 'aria-invalid="true"' in response.text

    def test_the_hires_links_cannot_open_a_reflection(self, lapp, server):
        url = reflection_link(lapp)
        goals = link(mail_of(lapp, "learning-goals").text, "goals")
        forged = goals.replace("/forms/goals/", "/forms/reflection/")
        assert httpx.get(forged).status_code == 403
        assert httpx.post(forged, data={"answer": "x" * 10}).status_code == 403
        assert httpx.get(url).status_code == 200


class TestPrivacy:
    def test_hr_sees_a_response_rate_per_month_never_the_text(self, lapp, server):
        hire(lapp, n=1)
        hire(lapp, n=2)
        dispatch_until(lapp, datetime(2027, 3, 16, 18, 0, tzinfo=AMS))
        prompts = [m for m in mails(lapp) if m.step_key in ("own-learning-goals",)]
        httpx.post(link(prompts[0].text, "reflection"), data={"answer": SECRET_ANSWER})
        with session_scope(lapp.engine) as session:
            rates = learning_queries.reflection_response_rate(
                session=session,
                start=datetime(2027, 1, 1, tzinfo=AMS),
                end=datetime(2028, 1, 1, tzinfo=AMS),
                min_group=1,
            )
            totals = learning_queries.learning_totals(session=session)
            hidden = learning_queries.reflection_response_rate(
                session=session,
                start=datetime(2027, 1, 1, tzinfo=AMS),
                end=datetime(2028, 1, 1, tzinfo=AMS),
            )
        assert [(r.period, r.prompts, r.answered, r.rate) for r in rates] == [
            ("2027-03", 4, 1, 0.25)
        ]
        assert hidden[0].rate is None  # four prompts: too few to show a rate
        for result in (rates, totals, hidden):
            assert "SQL" not in repr(result) and "durf" not in repr(result)

    def test_no_hr_facing_query_selects_the_answer_column(self):
        source = inspect.getsource(learning_queries)
        assert "Reflection.answer" not in source and ".answer" not in source
        hr_facing = [learning_queries.reflection_response_rate, learning_queries.learning_totals]
        for function in hr_facing:
            assert "answer" not in inspect.getsource(function).replace("answered", "")

    def test_no_page_but_the_leaders_own_shows_a_reflection(self, lapp, server):
        url = reflection_link(lapp)
        httpx.post(url, data={"answer": SECRET_ANSWER})
        goals = link(mail_of(lapp, "learning-goals").text, "goals")
        for page in (goals, server + "/healthz", server + "/badges/issuer", server + "/docs"):
            assert SECRET_ANSWER not in httpx.get(page).text
        dispatch_until(lapp, datetime(2027, 6, 30, 18, 0, tzinfo=AMS))
        assert all(SECRET_ANSWER not in m.text and SECRET_ANSWER not in m.html for m in mails(lapp))
