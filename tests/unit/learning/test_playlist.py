"""Playlist assembly: role, level, goals, promises and language decide; spacing keeps it light."""

from __future__ import annotations

from datetime import date

from journeys.catalog import load_catalog, load_employer_profile
from journeys.learning.catalog import LearningCatalog, LearningItem, load_default_catalog
from journeys.learning.playlist import Learner, assemble_playlist, refresh_playlist, stem
from journeys.learning.spacing import is_playlist_slot, slot_offsets, spacing_problems
from journeys.learning.words import level_of
from journeys.planner import plan_anchor_step
from journeys.workcalendar import WorkCalendar

CATALOG = load_default_catalog()


def ids(picks) -> list[str]:
    return [p.item.id for p in picks]


class TestAssembly:
    def test_a_data_engineer_gets_ten_items_for_the_role_and_the_basics(self):
        picks = assemble_playlist(CATALOG, Learner(title="Data Engineer", department="Data"))
        assert len(picks) == 10 and len(set(ids(picks))) == 10
        assert {p.reason for p in picks} >= {"role", "basics"}
        assert sum(p.item.kind == "practice" for p in picks) == 1
        assert sum(p.item.minutes > 240 for p in picks) <= 2
        assert all(p.item.minutes <= 20 for p in picks[:2])  # easy to start

    def test_goals_pull_matching_items_forward(self):
        plain = assemble_playlist(CATALOG, Learner(title="Data Analyst", locale="en"))
        goals = assemble_playlist(
            CATALOG, Learner(title="Data Analyst", locale="en", goals=["Get better at SQL"])
        )
        sql = [p for p in goals if "sql" in p.item.skills]
        assert sql and all(p.reason == "goal" for p in sql)
        assert len(sql) > len([p for p in plain if "sql" in p.item.skills and p.reason == "goal"])

    def test_promises_count_as_categories_or_as_free_text(self):
        learner = Learner(title="Recruiter", locale="nl", promises=["knowledge_sharing", "AVG"])
        picks = assemble_playlist(CATALOG, learner)
        promised = {p.item.id for p in picks if p.reason == "promise"}
        assert "practice-teach-back-nl" in promised and "ap-avg" in promised

    def test_english_speakers_get_english_items_only_and_no_language_twins(self):
        picks = assemble_playlist(CATALOG, Learner(title="Software Engineer", locale="en"))
        assert {p.item.language for p in picks} == {"en"}
        dutch = assemble_playlist(CATALOG, Learner(title="Software-ontwikkelaar", locale="nl"))
        stems = [stem(i) for i in ids(dutch)]
        assert len(stems) == len(set(stems))

    def test_levels_come_from_the_title_and_filter_items(self):
        assert level_of("Senior Data Engineer") == "advanced"
        assert level_of("Junior data-analist") == "beginner"
        assert level_of("Data Engineer") == "intermediate"
        junior = assemble_playlist(CATALOG, Learner(title="Junior Data Engineer", locale="en"))
        assert all(p.item.fits_level("beginner") for p in junior)
        assert "py4e" in ids(junior)

    def test_assembly_is_deterministic(self):
        learner = Learner(title="Data Engineer", goals=["dbt en SQL"], promises=["coaching"])
        assert ids(assemble_playlist(CATALOG, learner)) == ids(assemble_playlist(CATALOG, learner))

    def test_refreshing_keeps_delivered_items_and_fills_the_rest(self):
        learner = Learner(title="Data Engineer", goals=["Beter presenteren"])
        kept = ["sqlbolt", "pro-git-nl"]
        fresh = refresh_playlist(CATALOG, learner, kept=kept)
        assert len(fresh) == 8 and not set(ids(fresh)) & {"sqlbolt", "pro-git-nl", "pro-git-en"}

    def test_a_tiny_catalog_gives_a_short_playlist(self):
        item = LearningItem(id="one", title="Only one", minutes=5, language="nl", platform="X")
        assert ids(assemble_playlist(LearningCatalog(items=(item,)), Learner())) == ["one"]


class TestSpacing:
    def test_slot_offsets_alternate_three_and_two_working_days(self):
        assert slot_offsets(5) == [8, 11, 13, 16, 18]

    def test_problems_are_found(self):
        assert spacing_problems([date(2027, 3, 1), date(2027, 3, 3)]) == []
        assert spacing_problems([date(2027, 3, 1), date(2027, 3, 2)])
        three = [date(2027, 3, 1), date(2027, 3, 3), date(2027, 3, 5)]
        assert any("at most 2" in p for p in spacing_problems(three))

    def test_the_default_journey_sends_about_two_playlist_emails_a_week(self):
        profile = load_employer_profile(None)
        journey = load_catalog().get("new-hire")
        slots = [s for s in journey.steps if is_playlist_slot(s.template_key(journey.key))]
        assert len(slots) == 10
        calendar = WorkCalendar.from_profile(profile)
        for start in (date(2027, 3, 1), date(2027, 3, 4), date(2027, 12, 20)):
            days = [
                plan_anchor_step(
                    s, anchor=start, zone=profile.zone, calendar=calendar,
                    window=profile.send_window,
                ).due_local.date()
                for s in slots
            ]  # fmt: skip
            assert spacing_problems(days) == [], start
