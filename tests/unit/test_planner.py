from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from journeys.dsl import InviteSpec, Journey, Offset, Step
from journeys.planner import (
    day_for_offset,
    not_before,
    place_in_window,
    plan_anchor_step,
    plan_event_step,
    plan_journey,
    plan_meeting,
)
from journeys.profile import EmployerProfile, SendWindow
from journeys.workcalendar import WorkCalendar

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
WINDOW = SendWindow()  # 09:00-17:00
NL = WorkCalendar.from_profile(EmployerProfile(name="T"))
EVERY_DAY = WorkCalendar(working_weekdays=range(7), country=None)
WEEKDAYS_ONLY = WorkCalendar(country=None)
WHOLE_DAY = SendWindow(start=time(0, 0), end=time(23, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_step(**fields: Any) -> Step:
    data = {"key": "s", "title": {"nl": "t", "en": "t"}, "channel": "email", "to": "new_hire"}
    return Step.model_validate(data | fields)


def make_invite(**fields: Any) -> InviteSpec:
    data = {"meeting_offset": "0 days", "duration_minutes": 45, "attendees": ["new_hire"]}
    return InviteSpec.model_validate(data | fields)


def wall(moment: datetime) -> tuple[datetime, timedelta | None]:
    """The naive local wall time and its UTC offset, which same-zone == would not compare."""
    return moment.replace(tzinfo=None), moment.utcoffset()


class TestDayForOffset:
    def test_a_positive_offset_on_a_weekend_moves_to_monday(self) -> None:
        offset = Offset.parse("+5 days")
        assert day_for_offset(offset, anchor=date(2025, 3, 3), calendar=NL) == date(2025, 3, 10)

    def test_a_negative_offset_on_a_weekend_moves_back_to_friday(self) -> None:
        offset = Offset.parse("-2 days")
        assert day_for_offset(offset, anchor=date(2025, 3, 10), calendar=NL) == date(2025, 3, 7)

    def test_weeks_are_seven_days(self) -> None:
        offset = Offset.parse("+2 weeks")
        assert day_for_offset(offset, anchor=date(2025, 3, 3), calendar=NL) == date(2025, 3, 17)

    def test_a_week_before_on_easter_monday_moves_back_past_good_friday(self) -> None:
        offset = Offset.parse("-1 week")
        assert day_for_offset(offset, anchor=date(2025, 4, 28), calendar=NL) == date(2025, 4, 17)

    def test_zero_days_on_a_holiday_moves_forward(self) -> None:
        offset = Offset.parse("0 days")
        assert day_for_offset(offset, anchor=date(2025, 4, 21), calendar=NL) == date(2025, 4, 22)

    def test_working_days_forward_skip_christmas_and_the_weekend(self) -> None:
        offset = Offset.parse("+1 working day")
        assert day_for_offset(offset, anchor=date(2025, 12, 24), calendar=NL) == date(2025, 12, 29)

    def test_working_days_backward_skip_christmas_and_the_weekend(self) -> None:
        offset = Offset.parse("-1 working day")
        assert day_for_offset(offset, anchor=date(2025, 12, 29), calendar=NL) == date(2025, 12, 24)

    def test_working_days_backward_skip_ascension_day(self) -> None:
        offset = Offset.parse("-10 wd")
        assert day_for_offset(offset, anchor=date(2025, 6, 2), calendar=NL) == date(2025, 5, 16)


class TestSendWindow:
    wednesday = date(2025, 3, 12)

    def place(self, preferred: time | None, day: date = wednesday) -> datetime:
        return place_in_window(day, preferred=preferred, zone=AMS, calendar=NL, window=WINDOW)

    def test_no_preferred_time_sends_at_the_window_start(self) -> None:
        placed = self.place(None)
        assert wall(placed) == (datetime(2025, 3, 12, 9, 0), timedelta(hours=1))
        assert placed.astimezone(UTC) == utc(2025, 3, 12, 8, 0)

    def test_a_time_before_the_window_is_moved_to_its_start(self) -> None:
        assert wall(self.place(time(7, 0)))[0] == datetime(2025, 3, 12, 9, 0)

    def test_a_time_inside_the_window_is_kept(self) -> None:
        placed = self.place(time(16, 59))
        assert wall(placed)[0] == datetime(2025, 3, 12, 16, 59)
        assert placed.astimezone(UTC) == utc(2025, 3, 12, 15, 59)

    def test_the_window_end_itself_moves_to_the_next_working_day(self) -> None:
        assert wall(self.place(time(17, 0)))[0] == datetime(2025, 3, 13, 9, 0)

    def test_a_time_after_the_window_on_friday_moves_to_monday(self) -> None:
        assert wall(self.place(time(18, 0), date(2025, 3, 14)))[0] == datetime(2025, 3, 17, 9, 0)

    def test_the_result_is_in_the_recipient_zone(self) -> None:
        assert self.place(None).tzinfo is AMS


class TestDaylightSaving:
    def plan_nine(self, day: date, calendar: WorkCalendar = WEEKDAYS_ONLY) -> datetime:
        step = make_step(time="09:00")
        planned = plan_anchor_step(step, anchor=day, zone=AMS, calendar=calendar, window=WINDOW)
        return planned.due_utc

    def test_nine_on_friday_before_the_spring_change_is_eight_utc(self) -> None:
        assert self.plan_nine(date(2027, 3, 26)) == utc(2027, 3, 26, 8, 0)

    def test_nine_on_monday_after_the_spring_change_is_seven_utc(self) -> None:
        assert self.plan_nine(date(2027, 3, 29)) == utc(2027, 3, 29, 7, 0)

    def test_with_dutch_holidays_good_friday_2027_moves_past_easter_monday(self) -> None:
        assert self.plan_nine(date(2027, 3, 26), NL) == utc(2027, 3, 30, 7, 0)

    def test_a_time_in_the_spring_gap_moves_forward_by_the_gap(self) -> None:
        placed = place_in_window(
            date(2027, 3, 28), preferred=time(2, 30), zone=AMS, calendar=EVERY_DAY, window=WHOLE_DAY
        )
        assert wall(placed) == (datetime(2027, 3, 28, 3, 30), timedelta(hours=2))
        assert placed.astimezone(UTC) == utc(2027, 3, 28, 1, 30)
        assert wall(placed.astimezone(UTC).astimezone(AMS)) == wall(placed)

    def test_an_ambiguous_fall_back_time_takes_the_first_occurrence(self) -> None:
        sunday = date(2026, 10, 25)
        placed = place_in_window(
            sunday, preferred=time(2, 30), zone=AMS, calendar=EVERY_DAY, window=WHOLE_DAY
        )
        assert wall(placed) == (datetime(2026, 10, 25, 2, 30), timedelta(hours=2))
        assert placed.astimezone(UTC) == utc(2026, 10, 25, 0, 30)

    def test_nine_around_the_autumn_change(self) -> None:
        assert self.plan_nine(date(2026, 10, 23)) == utc(2026, 10, 23, 7, 0)
        assert self.plan_nine(date(2026, 10, 26)) == utc(2026, 10, 26, 8, 0)


class TestRecipientZone:
    def test_the_same_step_is_nine_local_in_each_zone(self) -> None:
        step = make_step()
        monday = date(2025, 3, 10)  # the US has moved its clocks, Europe not yet
        ams = plan_anchor_step(step, anchor=monday, zone=AMS, calendar=NL, window=WINDOW)
        nyc = plan_anchor_step(step, anchor=monday, zone=NYC, calendar=NL, window=WINDOW)
        assert wall(ams.due_local) == (datetime(2025, 3, 10, 9, 0), timedelta(hours=1))
        assert wall(nyc.due_local) == (datetime(2025, 3, 10, 9, 0), timedelta(hours=-4))
        assert ams.due_utc == utc(2025, 3, 10, 8, 0)
        assert nyc.due_utc == utc(2025, 3, 10, 13, 0)


class TestEventSteps:
    def answer(self, event_at: datetime, **fields: Any) -> datetime:
        step = make_step(on="candidate.applied", to="candidate", **fields)
        planned = plan_event_step(step, event_at=event_at, zone=AMS, calendar=NL, window=WINDOW)
        assert planned.due_utc == planned.due_local.astimezone(UTC)
        return planned.due_utc

    def test_an_application_on_friday_night_is_answered_monday_at_nine(self) -> None:
        friday_22 = datetime(2025, 3, 14, 22, 0, tzinfo=AMS)
        assert self.answer(friday_22) == utc(2025, 3, 17, 8, 0)

    def test_an_application_on_tuesday_morning_is_answered_right_away(self) -> None:
        tuesday_11 = datetime(2025, 3, 11, 10, 0, 12, tzinfo=UTC)
        assert self.answer(tuesday_11) == utc(2025, 3, 11, 10, 0, 12)

    def test_an_early_application_is_answered_at_the_window_start(self) -> None:
        assert self.answer(datetime(2025, 3, 12, 7, 30, tzinfo=AMS)) == utc(2025, 3, 12, 8, 0)

    def test_an_application_at_the_window_end_waits_for_the_next_day(self) -> None:
        assert self.answer(datetime(2025, 3, 12, 17, 0, tzinfo=AMS)) == utc(2025, 3, 13, 8, 0)

    def test_an_application_on_christmas_eve_night_waits_for_monday(self) -> None:
        assert self.answer(datetime(2025, 12, 24, 22, 0, tzinfo=AMS)) == utc(2025, 12, 29, 8, 0)

    def test_a_one_day_offset_keeps_the_time_of_day(self) -> None:
        tuesday_11 = datetime(2025, 3, 11, 11, 0, tzinfo=AMS)
        assert self.answer(tuesday_11, offset="+1 day") == utc(2025, 3, 12, 10, 0)

    def test_a_working_day_offset_skips_the_weekend(self) -> None:
        friday_11 = datetime(2025, 3, 14, 11, 0, tzinfo=AMS)
        assert self.answer(friday_11, offset="+1 working day") == utc(2025, 3, 17, 10, 0)

    def test_a_set_time_days_later_lands_on_a_working_day(self) -> None:
        thursday_15 = datetime(2025, 3, 13, 15, 0, tzinfo=AMS)
        assert self.answer(thursday_15, offset="+2 days", time="10:00") == utc(2025, 3, 17, 9, 0)

    def test_a_set_time_already_passed_on_the_event_day_sends_right_away(self) -> None:
        tuesday_11 = datetime(2025, 3, 11, 11, 0, tzinfo=AMS)
        assert self.answer(tuesday_11, time="10:00") == utc(2025, 3, 11, 10, 0)

    def test_a_negative_offset_never_goes_before_the_event(self) -> None:
        tuesday_11 = datetime(2025, 3, 11, 11, 0, tzinfo=AMS)
        assert self.answer(tuesday_11, offset="-2 days") == utc(2025, 3, 11, 10, 0)

    def test_a_naive_event_time_is_refused(self) -> None:
        with pytest.raises(ValueError, match="timezone-aware"):
            self.answer(datetime(2025, 3, 11, 11, 0))


class TestMeetings:
    def test_a_meeting_has_local_start_end_and_zone(self) -> None:
        invite = make_invite(meeting_offset="+3 working days", meeting_time="10:00")
        meeting = plan_meeting(invite, anchor=date(2025, 3, 3), zone=AMS, calendar=NL)
        assert wall(meeting.start_local) == (datetime(2025, 3, 6, 10, 0), timedelta(hours=1))
        assert wall(meeting.end_local) == (datetime(2025, 3, 6, 10, 45), timedelta(hours=1))
        assert meeting.tzid == "Europe/Amsterdam"
        assert meeting.start_utc == utc(2025, 3, 6, 9, 0)
        assert meeting.end_utc == utc(2025, 3, 6, 9, 45)

    def test_a_meeting_on_a_holiday_moves_to_the_next_working_day(self) -> None:
        invite = make_invite(meeting_time="14:00")
        meeting = plan_meeting(invite, anchor=date(2025, 4, 21), zone=AMS, calendar=NL)
        assert meeting.start_utc == utc(2025, 4, 22, 12, 0)

    def test_a_meeting_across_the_fall_back_lasts_its_real_duration(self) -> None:
        invite = make_invite(meeting_time="01:30", duration_minutes=90)
        meeting = plan_meeting(invite, anchor=date(2026, 10, 25), zone=AMS, calendar=EVERY_DAY)
        assert meeting.start_utc == utc(2026, 10, 24, 23, 30)
        assert meeting.end_utc == utc(2026, 10, 25, 1, 0)
        assert wall(meeting.end_local) == (datetime(2026, 10, 25, 2, 0), timedelta(hours=1))

    def test_a_series_keeps_its_wall_time_across_the_spring_change(self) -> None:
        invite = make_invite(meeting_time="10:00")
        meeting = plan_meeting(invite, anchor=date(2027, 3, 15), zone=AMS, calendar=WEEKDAYS_ONLY)
        starts = meeting.occurrences_local(3, 2)
        assert [wall(start)[0] for start in starts] == [
            datetime(2027, 3, 15, 10, 0),
            datetime(2027, 3, 29, 10, 0),
            datetime(2027, 4, 12, 10, 0),
        ]
        assert [start.astimezone(UTC) for start in starts] == [
            utc(2027, 3, 15, 9, 0),
            utc(2027, 3, 29, 8, 0),
            utc(2027, 4, 12, 8, 0),
        ]


def onboarding() -> Journey:
    def step(key: str, to: str, offset: str, at: str | None = None) -> dict[str, Any]:
        title = {"nl": key, "en": key}
        data = {"key": key, "title": title, "channel": "email", "to": to, "offset": offset}
        return data | ({"time": at} if at else {})

    return Journey.model_validate(
        {
            "key": "new-hire",
            "name": {"nl": "Nieuw", "en": "New"},
            "audience": "new_hire",
            "anchor": "start_date",
            "steps": [
                step("first-day", "new_hire", "0 days", "08:30"),
                step("welcome", "new_hire", "-10 working days"),
                step("leader-nudge", "leader", "-1 working day", "16:00"),
                step("buddy-intro", "buddy", "0 days"),
            ],
        }
    )


class TestPlanJourney:
    def test_steps_are_in_time_order_each_in_its_recipients_zone(self) -> None:
        planned = plan_journey(
            onboarding(),
            anchor=date(2025, 6, 2),
            zones={"leader": NYC},
            default_zone=AMS,
            calendar=NL,
            window=WINDOW,
        )
        assert [(p.step_key, p.occurrence, p.due_utc) for p in planned] == [
            ("welcome", 0, utc(2025, 5, 16, 7, 0)),
            ("leader-nudge", 0, utc(2025, 5, 30, 20, 0)),
            ("first-day", 0, utc(2025, 6, 2, 7, 0)),
            ("buddy-intro", 0, utc(2025, 6, 2, 7, 0)),
        ]
        assert planned[1].due_local.tzinfo is NYC
        assert wall(planned[1].due_local)[0] == datetime(2025, 5, 30, 16, 0)

    def test_an_event_journey_is_refused(self) -> None:
        journey = Journey.model_validate(
            {
                "key": "candidate",
                "name": {"nl": "K", "en": "C"},
                "audience": "candidate",
                "anchor": "event",
                "steps": [
                    {
                        "key": "thanks",
                        "title": {"nl": "t", "en": "t"},
                        "channel": "email",
                        "to": "candidate",
                        "on": "candidate.applied",
                    }
                ],
            }
        )
        with pytest.raises(ValueError, match="anchored on events"):
            plan_journey(
                journey,
                anchor=date(2025, 6, 2),
                zones={},
                default_zone=AMS,
                calendar=NL,
                window=WINDOW,
            )


class TestNotBefore:
    def catch_up(self, planned: datetime, now: datetime) -> datetime:
        return not_before(planned, now=now, zone=AMS, calendar=NL, window=WINDOW)

    def test_a_future_moment_is_kept(self) -> None:
        planned = utc(2025, 5, 16, 7, 0)
        assert self.catch_up(planned, utc(2025, 5, 1, 12, 0)) is planned

    def test_a_past_moment_at_night_waits_for_the_window(self) -> None:
        caught = self.catch_up(utc(2025, 5, 16, 7, 0), utc(2025, 5, 28, 1, 0))  # 03:00 local
        assert caught.astimezone(UTC) == utc(2025, 5, 28, 7, 0)

    def test_a_past_moment_inside_the_window_goes_now(self) -> None:
        now = utc(2025, 5, 28, 12, 34)
        assert self.catch_up(utc(2025, 5, 16, 7, 0), now).astimezone(UTC) == now

    def test_a_past_moment_on_friday_evening_waits_for_monday(self) -> None:
        caught = self.catch_up(utc(2025, 5, 16, 7, 0), utc(2025, 5, 30, 16, 0))  # 18:00 local
        assert caught.astimezone(UTC) == utc(2025, 6, 2, 7, 0)

    def test_a_past_moment_on_ascension_day_waits_for_the_next_day(self) -> None:
        caught = self.catch_up(utc(2025, 5, 16, 7, 0), utc(2025, 5, 29, 8, 0))
        assert caught.astimezone(UTC) == utc(2025, 5, 30, 7, 0)
