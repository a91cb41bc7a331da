"""Invites parse in a second parser, keep local time across DST and resist injection."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from integrations.calendar.invite import Meeting, build_cancel, build_request
from integrations.mail.message import Address

AMS = ZoneInfo("Europe/Amsterdam")
STAMP = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
ORGANIZER = Address("journeys@leerpad.example", "Leerpad — HR")
ATTENDEES = (Address("hire@example.org", "Zoë Çelik"), Address("coach@example.org", "Sam Jansen"))


def meeting(**fields) -> Meeting:
    values = {
        "uid": "enrollment-7-coaching@leerpad.example",
        "sequence": 0,
        "summary": "Coachinggesprek",
        "description": "Agenda:\n- leerdoelen\n- playlist",
        "start": dt.datetime(2027, 3, 15, 10, 0, tzinfo=AMS),
        "end": dt.datetime(2027, 3, 15, 11, 0, tzinfo=AMS),
        "tzid": "Europe/Amsterdam",
        "location": "Utrecht, kamer 3",
        "organizer": ORGANIZER,
        "attendees": ATTENDEES,
        "repeat_every_weeks": None,
        "repeat_count": None,
        "created": dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC),
    }
    values.update(fields)
    return Meeting(**values)


def read(ics: bytes):
    return vobject.readOne(ics.decode("utf-8"))


def series(**fields) -> Meeting:
    return meeting(**{"repeat_every_weeks": 1, "repeat_count": 6, **fields})


INVITES = {
    "single": lambda: build_request(meeting(), dtstamp=STAMP),
    "series": lambda: build_request(series(), dtstamp=STAMP),
    "update": lambda: build_request(series(sequence=1, summary="Verzet"), dtstamp=STAMP),
    "cancel": lambda: build_cancel(series(sequence=2), dtstamp=STAMP),
}
EXPECTED = {  # method, sequence, status
    "single": ("REQUEST", 0, "CONFIRMED"),
    "series": ("REQUEST", 0, "CONFIRMED"),
    "update": ("REQUEST", 1, "CONFIRMED"),
    "cancel": ("CANCEL", 2, "CANCELLED"),
}


class TestEveryInvite:
    @pytest.mark.parametrize("kind", list(INVITES))
    def test_parses_in_vobject_with_the_itip_properties(self, kind):
        ics = INVITES[kind]()
        cal = read(ics)
        method, sequence, status = EXPECTED[kind]
        event = cal.vevent
        assert cal.method.value == method and cal.version.value == "2.0"
        assert cal.prodid.value == "-//Leerpad//Leerpad//EN"
        assert event.uid.value == "enrollment-7-coaching@leerpad.example"
        assert int(event.sequence.value) == sequence and event.status.value == status
        assert event.dtstamp.value == STAMP
        assert event.dtstart.value == dt.datetime(2027, 3, 15, 10, 0, tzinfo=AMS)
        assert event.dtstart.value.utcoffset() == dt.timedelta(hours=1)
        assert b"DTSTART;TZID=Europe/Amsterdam:20270315T100000\r\n" in ics
        assert b"DTEND;TZID=Europe/Amsterdam:20270315T110000\r\n" in ics
        assert cal.vtimezone.tzid.value == "Europe/Amsterdam"
        assert event.organizer.value == "mailto:journeys@leerpad.example"
        assert event.organizer.params["CN"] == ["Leerpad — HR"]
        attendees = event.contents["attendee"]
        assert [a.value for a in attendees] == [
            "mailto:hire@example.org",
            "mailto:coach@example.org",
        ]
        assert [a.params["CN"] for a in attendees] == [["Zoë Çelik"], ["Sam Jansen"]]
        for attendee in attendees:
            assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
            assert attendee.params["PARTSTAT"] == ["NEEDS-ACTION"]
            assert attendee.params["RSVP"] == ["TRUE"]
        assert "UID" not in [line.name for line in cal.lines()]  # only the event carries a UID

    def test_is_deterministic(self):
        assert build_request(series(), dtstamp=STAMP) == build_request(series(), dtstamp=STAMP)

    def test_writes_what_icalendar_writes_with_the_zone_after_the_event(self):
        ics = build_request(series(), dtstamp=STAMP)
        cal = icalendar.Calendar.from_ical(ics)
        assert [c.name for c in cal.subcomponents] == ["VEVENT", "VTIMEZONE"]
        assert cal.to_ical() == ics  # the spliced-in VTIMEZONE is icalendar's own serialisation

    def test_single_meeting_has_no_rrule(self):
        assert "rrule" not in read(build_request(meeting(), dtstamp=STAMP)).vevent.contents


class TestSeries:
    def test_has_a_bounded_weekly_rrule(self):
        event = read(build_request(series(repeat_every_weeks=2), dtstamp=STAMP)).vevent
        assert event.rrule.value == "FREQ=WEEKLY;COUNT=6;INTERVAL=2"

    def test_keeps_local_time_across_the_dst_change(self):
        calendar = icalendar.Calendar.from_ical(build_request(series(), dtstamp=STAMP))
        window = (dt.datetime(2027, 1, 1), dt.datetime(2028, 1, 1))
        occurrences = recurring_ical_events.of(calendar).between(*window)
        starts = [event.start for event in occurrences]
        assert len(starts) == 6
        assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
        assert [s.astimezone(dt.UTC).hour for s in starts] == [9, 9, 8, 8, 8, 8]
        assert [s.date() for s in starts][2] == dt.date(2027, 3, 29)

    def test_vobject_expands_the_same_occurrences(self):
        event = read(build_request(series(), dtstamp=STAMP)).vevent
        starts = list(event.getrruleset())
        assert len(starts) == 6 and {s.astimezone(AMS).hour for s in starts} == {10}


HOSTILE = (
    "Intro\r\nATTENDEE:mailto:evil@x.example\r\nBEGIN:VALARM, a;b "
    "<script>alert(1)</script> مرحبا ‏שלום 🎉🎉🎉"
)


class TestInjection:
    def test_summary_description_and_location_stay_values(self):
        ics = build_request(
            meeting(summary=HOSTILE, description=HOSTILE + "\nEND:VEVENT", location=HOSTILE),
            dtstamp=STAMP,
        )
        event = read(ics).vevent
        one_line = HOSTILE.replace("\r\n", " ")
        assert event.summary.value == one_line and event.location.value == one_line
        assert event.description.value == HOSTILE.replace("\r\n", "\n") + "\nEND:VEVENT"
        assert len(event.contents["attendee"]) == 2 and "valarm" not in event.contents
        assert ics.split(b"\r\n").count(b"END:VEVENT") == 1
        assert len(icalendar.Calendar.from_ical(ics).walk("VEVENT")) == 1

    def test_attendee_names_cannot_add_properties_or_parameters(self):
        evil = Address("hire@example.org", 'Eve "x";ROLE=CHAIR:mailto:evil@x.example\r\nEND:VEVENT')
        ics = build_request(meeting(attendees=(evil,), organizer=evil), dtstamp=STAMP)
        event = read(ics).vevent
        (attendee,) = event.contents["attendee"]
        assert attendee.value == "mailto:hire@example.org"
        assert attendee.params["ROLE"] == ["REQ-PARTICIPANT"]
        assert attendee.params["CN"] == ["Eve 'x';ROLE=CHAIR:mailto:evil@x.example END:VEVENT"]
        assert event.organizer.value == "mailto:hire@example.org"
        assert ics.split(b"\r\n").count(b"END:VEVENT") == 1

    def test_long_non_ascii_lines_fold_without_breaking_characters(self):
        ics = build_request(meeting(summary="🎉" * 60 + "שלום" * 20), dtstamp=STAMP)
        assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
        assert read(ics).vevent.summary.value == "🎉" * 60 + "שלום" * 20


class TestValidation:
    @pytest.mark.parametrize(
        "fields",
        [
            {"tzid": "Mars/Olympus"},
            {"end": dt.datetime(2027, 3, 15, 9, 0, tzinfo=AMS)},
            {"start": dt.datetime(2027, 3, 15, 10, 0)},
            {"repeat_every_weeks": 1},
            {"repeat_every_weeks": 0, "repeat_count": 3},
            {"sequence": -1},
            {"uid": "a\r\nb"},
        ],
    )
    def test_rejects_an_unusable_meeting(self, fields):
        with pytest.raises(ValueError):
            meeting(**fields)

    def test_converts_start_to_the_meeting_zone(self):
        utc_start = dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC)
        ics = build_request(meeting(start=utc_start), dtstamp=STAMP)
        assert b"DTSTART;TZID=Europe/Amsterdam:20270315T100000\r\n" in ics
