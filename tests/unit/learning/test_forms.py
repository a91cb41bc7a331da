"""What the forms accept: one to three goals, a non-empty reflection, a well-formed share."""

from __future__ import annotations

from datetime import date

from journeys.learning.forms import check_goals, check_reflection, check_share, message


class TestGoals:
    def test_one_to_three_goals_are_kept_and_tidied(self):
        checked = check_goals(["  Leer  SQL\r\ngoed ", "", "Presenteren", "a fourth one"])
        assert checked.ok and checked.values["goals"] == ["Leer SQL goed", "Presenteren"]

    def test_none_too_short_or_too_long_is_an_error_on_that_field(self):
        assert check_goals(["", " ", None]).errors == {"goal1": "goals_none"}
        checked = check_goals(["ok goal", "SQL", "x" * 301])
        assert checked.errors == {"goal2": "goal_short", "goal3": "goal_long"}

    def test_control_characters_are_stripped(self):
        assert check_goals(["Leer\x00 SQL\x07 goed"]).values["goals"] == ["Leer SQL goed"]

    def test_the_opt_in_is_kept(self):
        assert check_goals(["Leer SQL goed"], shout_out=True).values["shout_out"] is True


class TestReflectionAndShare:
    def test_a_reflection_needs_text_within_bounds(self):
        assert check_reflection("Een eerlijk antwoord.\n\nMet alinea's.").ok
        assert check_reflection(" \n ").errors == {"answer": "answer_none"}
        assert check_reflection("x" * 4001).errors == {"answer": "answer_long"}

    def test_a_share_needs_a_kind_a_title_and_a_date_not_in_the_past(self):
        today = date(2027, 4, 1)
        ok = check_share({"kind": "lunch-session", "title": "dbt in 20 minuten"}, today=today)
        assert ok.ok and ok.values["planned_on"] is None
        planned = check_share(
            {"kind": "teach-back", "title": "Git", "planned_on": "2027-04-16"}, today=today
        )
        assert planned.values["planned_on"] == date(2027, 4, 16)
        bad = check_share({"kind": "gossip", "title": "x", "planned_on": "gisteren"}, today=today)
        assert set(bad.errors) == {"kind", "title", "planned_on"}

    def test_every_error_has_a_dutch_and_an_english_message(self):
        for code in ("goals_none", "goal_short", "goal_long", "answer_none", "kind", "date"):
            assert message(code, "nl") != message(code, "en")
