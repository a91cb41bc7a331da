"""The learning-culture view: months, the small-group rule, rates, coaching sessions held."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from journeys.culture import (
    OTHER,
    CoachingSeries,
    CountRow,
    build_view,
    coaching_rows,
    group_teams,
    last_months,
    month_window,
)
from journeys.culture_practices import MEASURES, PRACTICES, RATES

MONTHS = last_months(date(2027, 3, 15), 3)


def series(view, key):
    return next(s for p in view.practices for s in p.series if s.key == key)


class TestPractices:
    def test_there_are_eight_and_each_is_fed_by_a_measure(self):
        assert len(PRACTICES) == 8
        fed = {m.practice for m in MEASURES if m.chart} | {r.practice for r in RATES}
        assert fed == {p.key for p in PRACTICES}

    def test_rates_name_known_measures(self):
        keys = {m.key for m in MEASURES}
        assert all(r.numerator in keys and r.denominator in keys for r in RATES)


class TestMonths:
    def test_last_months_run_oldest_first_over_a_year_end(self):
        assert last_months(date(2027, 2, 1), 4) == ("2026-11", "2026-12", "2027-01", "2027-02")

    def test_the_window_covers_whole_months(self):
        start, end = month_window(("2026-11", "2026-12"))
        assert (start, end) == (datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

    def test_zero_months_is_refused(self):
        with pytest.raises(ValueError):
            last_months(date(2027, 1, 1), 0)


class TestSmallGroups:
    def test_big_teams_stand_alone_and_small_ones_are_other_teams(self):
        teams = group_teams({"Data": 6, "Sales": 5, "Legal": 2, "HR": 3}, min_group=5)
        assert teams.shown == ("Data", "Sales")
        assert teams.groups == ("Data", "Sales", OTHER)
        assert teams.group_of("Legal") == OTHER
        assert teams.group_of(None) == OTHER

    def test_a_too_small_other_group_takes_in_the_smallest_team(self):
        # Legal alone (2) could be worked out as total minus Data minus Sales: Sales joins it.
        teams = group_teams({"Data": 9, "Sales": 5, "Legal": 2}, min_group=5)
        assert teams.shown == ("Data",)
        assert teams.other_size == 7
        assert teams.group_of("Sales") == OTHER

    def test_when_everyone_is_in_a_too_small_group_nothing_is_shown_per_team(self):
        teams = group_teams({"Data": 3, None: 1}, min_group=5)
        assert teams.groups == ()
        assert teams.group_of("Data") is None
        assert not teams.org_shown

    def test_no_small_teams_means_no_other_group(self):
        teams = group_teams({"Data": 5, "Sales": 7}, min_group=5)
        assert teams.groups == ("Data", "Sales")


class TestView:
    def test_counts_fold_into_groups_and_months(self):
        teams = group_teams({"Data": 6, "Legal": 2, "HR": 3}, min_group=5)
        rows = [
            CountRow("badges_issued", "Data", "2027-02", 2),
            CountRow("badges_issued", "Legal", "2027-02", 1),
            CountRow("badges_issued", "HR", "2027-03", 1),
            CountRow("badges_issued", "Data", "2026-01", 9),  # outside the months
        ]
        badges = series(build_view(rows, teams=teams, months=MONTHS), "badges_issued")
        assert badges.by_month == {"2027-01": 0, "2027-02": 3, "2027-03": 1}
        assert badges.total == 4
        assert badges.by_group == {"Data": 2, OTHER: 2}
        assert badges.by_group_month[OTHER] == {"2027-01": 0, "2027-02": 1, "2027-03": 1}

    def test_people_figures_are_hidden_when_the_organisation_is_too_small(self):
        teams = group_teams({"Data": 4}, min_group=5)
        rows = [CountRow("badges_issued", "Data", "2027-02", 2),
                CountRow("vacancies_published", "Data", "2027-02", 3)]  # fmt: skip
        view = build_view(rows, teams=teams, months=MONTHS)
        assert series(view, "badges_issued").total is None
        assert series(view, "badges_issued").by_group == {}
        assert series(view, "vacancies_published").total == 3  # not about people

    def test_a_rate_needs_a_denominator_of_at_least_the_minimum(self):
        teams = group_teams({"Data": 6, "Sales": 6}, min_group=5)
        rows = [
            CountRow("prompts_sent", "Data", "2027-02", 5),
            CountRow("prompts_answered", "Data", "2027-02", 4),
            CountRow("prompts_sent", "Sales", "2027-02", 3),
            CountRow("prompts_answered", "Sales", "2027-02", 3),
        ]
        rate = series(build_view(rows, teams=teams, months=MONTHS), "reflection_response")
        assert rate.rate
        assert rate.by_month["2027-02"] == round(7 / 8, 3)
        assert rate.by_month["2027-01"] is None
        assert rate.by_group == {"Data": 0.8, "Sales": None}
        assert rate.total == round(7 / 8, 3)

    def test_the_json_form_names_practices_and_groups(self):
        teams = group_teams({"Data": 6, "HR": 1}, min_group=5)
        data = build_view([], teams=teams, months=MONTHS).as_dict()
        assert [p["key"] for p in data["practices"]] == [p.key for p in PRACTICES]
        assert data["groups"] == [OTHER]  # HR alone (1) could be singled out: Data joins it
        assert data["min_group"] == 5


class TestCoachingSessions:
    def test_only_meetings_before_now_and_inside_the_window_count(self):
        first = datetime(2027, 1, 20, 13, 0, tzinfo=UTC)
        rows = coaching_rows(
            [CoachingSeries("Data", first, 2, 6, 3)],  # three hires share this series' times
            now=datetime(2027, 3, 1, tzinfo=UTC),
            start=datetime(2027, 2, 1, tzinfo=UTC),
            end=datetime(2027, 4, 1, tzinfo=UTC),
        )
        # meetings 20 Jan, 3 Feb, 17 Feb, 3 Mar…: January is before the window, March after now
        assert rows == [CountRow("coaching_sessions", "Data", "2027-02", 6)]

    def test_a_cancelled_series_counts_only_the_meetings_before_it_was_cancelled(self):
        first = datetime(2027, 2, 1, 13, 0, tzinfo=UTC)
        stopped = datetime(2027, 2, 20, tzinfo=UTC)  # after the meetings of 1 and 15 February
        rows = coaching_rows(
            [CoachingSeries(None, first, 2, 6, 1, cancelled_at=stopped)],
            now=datetime(2027, 6, 1, tzinfo=UTC),
            start=datetime(2027, 1, 1, tzinfo=UTC),
            end=datetime(2027, 7, 1, tzinfo=UTC),
        )
        assert rows == [CountRow("coaching_sessions", None, "2027-02", 2)]
