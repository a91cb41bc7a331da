"""The address rule: personal before the first working day in the hire's zone, work from then on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from journeys.addressing import ChosenAddress, colleague_address, hire_address, switch_moment
from journeys.workcalendar import WorkCalendar

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
CAL = WorkCalendar(country="NL")
PERSONAL, WORK = "sanne@example.org", "sanne@voorbeeld.example"


def choose(at: datetime, *, start: date | None = date(2027, 3, 8), zone=AMS, **addresses):
    values = {"personal": PERSONAL, "work": WORK, "legacy": None} | addresses
    return hire_address(**values, start_date=start, zone=zone, at=at, calendar=CAL)


class TestHireAddress:
    def test_preboarding_goes_to_the_personal_address(self):
        assert choose(datetime(2027, 3, 5, 9, 0, tzinfo=AMS)) == ChosenAddress(PERSONAL, "personal")

    def test_the_switch_is_local_midnight_of_the_first_working_day(self):
        assert choose(datetime(2027, 3, 7, 23, 59, 59, tzinfo=AMS)).kind == "personal"
        assert choose(datetime(2027, 3, 8, 0, 0, tzinfo=AMS)) == ChosenAddress(WORK, "work")

    def test_week_two_goes_to_the_work_address(self):
        assert choose(datetime(2027, 3, 16, 10, 0, tzinfo=AMS)).kind == "work"

    def test_the_switch_follows_the_hires_own_zone_not_utc(self):
        # 03:00 UTC on the start date is still the evening before in New York
        at = datetime(2027, 3, 8, 3, 0, tzinfo=UTC)
        assert choose(at, zone=NYC).kind == "personal"
        assert choose(at, zone=AMS).kind == "work"

    def test_a_moved_start_date_moves_the_switch(self):
        at = datetime(2027, 3, 3, 10, 0, tzinfo=AMS)
        assert choose(at, start=date(2027, 3, 1)).kind == "work"
        assert choose(at, start=date(2027, 3, 8)).kind == "personal"

    def test_a_start_on_a_holiday_or_weekend_switches_on_the_next_working_day(self):
        # Easter Monday 2027 is 29 March: the first working day is Tuesday 30 March
        assert switch_moment(date(2027, 3, 29), zone=AMS, calendar=CAL) == datetime(
            2027, 3, 30, tzinfo=AMS
        )
        assert choose(datetime(2027, 3, 29, 12, 0, tzinfo=AMS), start=date(2027, 3, 27)).kind == (
            "personal"
        )

    def test_without_a_start_date_a_candidate_gets_the_personal_address(self):
        assert choose(datetime(2030, 1, 1, tzinfo=AMS), start=None).kind == "personal"

    @pytest.mark.parametrize(
        "moment", [datetime(2027, 2, 1, tzinfo=AMS), datetime(2027, 6, 1, tzinfo=AMS)]
    )
    def test_only_one_known_address_is_used_at_any_moment(self, moment):
        assert choose(moment, work=None) == ChosenAddress(PERSONAL, "personal")
        assert choose(moment, personal=None) == ChosenAddress(WORK, "work")

    def test_an_untyped_address_counts_as_personal_unless_it_is_the_work_address(self):
        before, after = datetime(2027, 3, 1, tzinfo=AMS), datetime(2027, 4, 1, tzinfo=AMS)
        applied_with = "own@example.net"
        assert choose(before, personal=None, legacy=applied_with).email == applied_with
        assert choose(after, personal=None, legacy=applied_with).email == WORK
        # the CSV import stores the work address as `email` too: then there is no personal one
        assert choose(before, personal=None, legacy=WORK) == ChosenAddress(WORK, "work")
        assert choose(before, personal=None, work=None, legacy=applied_with).kind == "personal"

    def test_a_typed_personal_address_wins_over_the_untyped_one(self):
        moment = datetime(2027, 3, 1, tzinfo=AMS)
        assert choose(moment, legacy="old@example.net").email == PERSONAL

    def test_blank_and_unknown_addresses(self):
        moment = datetime(2027, 3, 1, tzinfo=AMS)
        assert choose(moment, personal="  ", work=None) is None
        assert choose(moment, personal=" ", work=" ", legacy=" ") is None

    def test_a_naive_moment_is_refused(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            choose(datetime(2027, 3, 1))


class TestColleagueAddress:
    def test_leaders_get_their_work_address(self):
        assert colleague_address(personal=PERSONAL, work=WORK, legacy=None).email == WORK

    def test_the_untyped_address_of_a_colleague_is_their_work_address(self):
        chosen = colleague_address(personal=None, work=None, legacy="daan@voorbeeld.example")
        assert chosen == ChosenAddress("daan@voorbeeld.example", "work")

    def test_a_personal_address_only_as_a_last_resort(self):
        assert colleague_address(personal=PERSONAL, work=None, legacy=None) == ChosenAddress(
            PERSONAL, "personal"
        )
        assert colleague_address(personal=PERSONAL, work=None, legacy=PERSONAL).kind == "personal"
        assert colleague_address(personal=None, work=None, legacy=None) is None
