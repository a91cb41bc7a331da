from datetime import date

import pytest

from journeys.profile import EmployerProfile, HolidayRules
from journeys.workcalendar import WorkCalendar


@pytest.fixture
def nl() -> WorkCalendar:
    return WorkCalendar.from_profile(EmployerProfile(name="T"))


class TestWeekends:
    def test_saturday_and_sunday_are_days_off(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 3, 14)) is True  # Friday
        assert nl.is_working_day(date(2025, 3, 15)) is False
        assert nl.is_working_day(date(2025, 3, 16)) is False
        assert nl.is_working_day(date(2025, 3, 17)) is True  # Monday

    def test_an_employer_can_work_on_sunday(self) -> None:
        profile = EmployerProfile(name="T", working_days=("sun", "mon"))
        calendar = WorkCalendar.from_profile(profile)
        assert calendar.is_working_day(date(2025, 3, 16)) is True  # Sunday
        assert calendar.is_working_day(date(2025, 3, 18)) is False  # Tuesday

    def test_weekdays_may_be_numbers(self) -> None:
        calendar = WorkCalendar(working_weekdays=(5,), country=None)
        assert calendar.next_working_day(date(2025, 3, 10)) == date(2025, 3, 15)

    def test_a_calendar_without_working_days_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one day"):
            WorkCalendar(working_weekdays=())

    def test_a_calendar_where_every_day_is_off_fails_instead_of_hanging(self) -> None:
        off = [date.fromordinal(n) for n in range(738000, 742000)]
        calendar = WorkCalendar(working_weekdays=(0,), country=None, add=off)
        with pytest.raises(ValueError, match="no working day"):
            calendar.next_working_day(date.fromordinal(738001))


class TestDutchHolidays:
    def test_koningsdag_2025_is_saturday_26_april(self, nl: WorkCalendar) -> None:
        assert nl.holiday_name(date(2025, 4, 26)) == "Koningsdag"
        assert nl.holiday_name(date(2025, 4, 27)) is None

    def test_monday_after_koningsdag_2025_is_a_working_day(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 4, 28)) is True

    def test_koningsdag_on_a_weekday_is_a_day_off(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2026, 4, 27)) is False  # Monday
        assert nl.holiday_name(date(2026, 4, 27)) == "Koningsdag"

    def test_easter_monday_2025_is_21_april(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 4, 21)) is False
        assert nl.holiday_name(date(2025, 4, 21)) == "Tweede paasdag"
        assert nl.is_working_day(date(2025, 4, 22)) is True

    def test_ascension_and_whit_monday_2025_are_days_off(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 5, 29)) is False  # Hemelvaartsdag, Thursday
        assert nl.is_working_day(date(2025, 5, 30)) is True
        assert nl.is_working_day(date(2025, 6, 9)) is False  # Tweede pinksterdag

    def test_both_christmas_days_are_days_off(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 12, 24)) is True
        assert nl.is_working_day(date(2025, 12, 25)) is False
        assert nl.is_working_day(date(2025, 12, 26)) is False
        assert nl.next_working_day(date(2025, 12, 25)) == date(2025, 12, 29)

    def test_bevrijdingsdag_counts_only_in_lustrum_years(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2025, 5, 5)) is False  # Monday, lustrum
        assert nl.holiday_name(date(2025, 5, 5)) == "Bevrijdingsdag"
        assert nl.is_working_day(date(2026, 5, 5)) is True  # Tuesday, no lustrum
        assert nl.holiday_name(date(2026, 5, 5)) is None

    def test_the_package_counts_good_friday(self, nl: WorkCalendar) -> None:
        assert nl.is_working_day(date(2027, 3, 26)) is False

    def test_names_follow_the_language(self) -> None:
        calendar = WorkCalendar(language="en_US")
        assert calendar.holiday_name(date(2025, 12, 25)) == "Christmas Day"

    def test_an_ordinary_day_has_no_name(self, nl: WorkCalendar) -> None:
        assert nl.holiday_name(date(2025, 3, 12)) is None


class TestEmployerExceptions:
    def test_an_added_date_is_a_day_off(self) -> None:
        profile = EmployerProfile(name="T", holidays=HolidayRules(add=(date(2025, 4, 25),)))
        calendar = WorkCalendar.from_profile(profile)
        assert calendar.is_working_day(date(2025, 4, 25)) is False
        assert calendar.holiday_name(date(2025, 4, 25)) == "employer day off"

    def test_a_removed_holiday_is_a_working_day(self) -> None:
        profile = EmployerProfile(name="T", holidays=HolidayRules(remove=(date(2027, 3, 26),)))
        calendar = WorkCalendar.from_profile(profile)
        assert calendar.is_working_day(date(2027, 3, 26)) is True
        assert calendar.holiday_name(date(2027, 3, 26)) is None

    def test_removing_a_holiday_does_not_make_a_weekend_a_working_day(self) -> None:
        calendar = WorkCalendar(remove=(date(2025, 4, 26),))
        assert calendar.is_working_day(date(2025, 4, 26)) is False

    def test_no_country_means_no_public_holidays(self) -> None:
        calendar = WorkCalendar(country=None)
        assert calendar.is_working_day(date(2025, 12, 25)) is True


class TestWorkingDayArithmetic:
    def test_zero_is_the_day_itself_when_working(self, nl: WorkCalendar) -> None:
        assert nl.add_working_days(date(2025, 3, 12), 0) == date(2025, 3, 12)

    def test_zero_on_a_weekend_is_the_next_working_day(self, nl: WorkCalendar) -> None:
        assert nl.add_working_days(date(2025, 3, 15), 0) == date(2025, 3, 17)

    def test_plus_one_from_friday_skips_the_weekend(self, nl: WorkCalendar) -> None:
        assert nl.add_working_days(date(2025, 3, 14), 1) == date(2025, 3, 17)

    def test_minus_one_from_monday_skips_the_weekend(self, nl: WorkCalendar) -> None:
        assert nl.add_working_days(date(2025, 3, 17), -1) == date(2025, 3, 14)

    def test_forward_across_easter_skips_good_friday_and_easter_monday(
        self, nl: WorkCalendar
    ) -> None:
        assert nl.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)

    def test_ten_working_days_before_a_start_date(self, nl: WorkCalendar) -> None:
        # back from Monday 5 May 2025 (Bevrijdingsdag itself is only the anchor):
        # 2 May .. 28 April (5), 25 .. 22 April (4), Easter Monday skipped, then 17 April
        assert nl.add_working_days(date(2025, 5, 5), -10) == date(2025, 4, 17)

    def test_next_and_previous_without_the_day_itself(self, nl: WorkCalendar) -> None:
        wednesday = date(2025, 3, 12)
        assert nl.next_working_day(wednesday, include=False) == date(2025, 3, 13)
        assert nl.previous_working_day(wednesday, include=False) == date(2025, 3, 11)
        assert nl.previous_working_day(date(2025, 3, 16)) == date(2025, 3, 14)


class TestIgnoredHolidays:
    def test_a_holiday_ignored_by_name_is_a_working_day_every_year(self):
        from journeys.workcalendar import WorkCalendar

        calendar = WorkCalendar(country="NL", ignore=["Good Friday"], language="nl")
        assert calendar.is_working_day(date(2027, 3, 26))  # Goede Vrijdag 2027
        assert calendar.is_working_day(date(2028, 4, 14))  # Goede Vrijdag 2028
        assert not calendar.is_working_day(date(2027, 3, 29))  # Easter Monday stays off

    def test_the_dutch_name_works_too(self):
        from journeys.workcalendar import WorkCalendar

        calendar = WorkCalendar(country="NL", ignore=["goede vrijdag"], language="en_US")
        assert calendar.is_working_day(date(2027, 3, 26))
