"""The fast invite serialiser writes the very bytes of icalendar's own (the reference path)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from integrations.calendar import invite
from integrations.calendar.invite import Meeting, _build, _build_reference, _fold
from integrations.mail.message import Address

ZONES = ["Europe/Amsterdam", "America/New_York", "Asia/Kolkata", "UTC", "Europe/London"]
TRICKY = [
    "Zoë Çelik", "e\u0301\u0301 combining", "🎉👩🏽‍💻 emoji", "a,b;c:d", 'say "hi"', "back\\slash",
    "C:\\New\\Notes", "caret ^ n", "quote ’ curly", "tab\there", "line\nbreak", "cr\rhere",
    "crlf\r\nend", "ünï" * 40, "é" * 120, "🎉" * 60, "x\\" * 80, "^" * 150, "\\N literal",
    "  spaced  out  ", "=?utf-8?q?x?=", "Line\r\nEND:VEVENT\r\nBEGIN:VEVENT", "'single'",
]  # fmt: skip
text = st.sampled_from(TRICKY) | st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
)
long_text = st.lists(text, max_size=6).map("".join)
local = st.from_regex(r"[A-Za-z0-9._%+\-]{1,20}", fullmatch=True)
emails = st.builds(
    "{}@{}.example".format, local, st.from_regex(r"[a-z0-9\-]{1,12}", fullmatch=True)
)
names = st.none() | text
addresses = st.builds(Address, emails, names)


@st.composite
def meetings(draw) -> Meeting:
    zone = draw(st.sampled_from(ZONES))
    start = draw(
        st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 12, 31))
    ).replace(tzinfo=ZoneInfo(zone))
    weeks = draw(st.none() | st.integers(1, 4))
    return Meeting(
        uid=draw(st.sampled_from(["step-1@leerpad.example", "a,b;c\\d@x", "uid ’ é 🎉"])),
        sequence=draw(st.integers(0, 30)),
        summary=draw(long_text),
        description=draw(long_text),
        start=start,
        end=start + draw(st.timedeltas(dt.timedelta(minutes=1), dt.timedelta(hours=30))),
        tzid=zone,
        location=draw(st.none() | long_text),
        organizer=draw(addresses),
        attendees=tuple(draw(st.lists(addresses, max_size=4))),
        repeat_every_weeks=weeks,
        repeat_count=None if weeks is None else draw(st.integers(1, 60)),
        created=draw(st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 1, 1))).replace(
            tzinfo=dt.UTC
        ),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meeting=meetings(), cancel=st.booleans(), stamp_zone=st.sampled_from(ZONES))
@example(
    meeting=Meeting(
        uid="u@x", sequence=0, summary="", description="", location=None,
        start=dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC),
        end=dt.datetime(2027, 3, 15, 11, tzinfo=dt.UTC), tzid="Europe/Amsterdam",
        organizer=Address("o@x.example"), attendees=(), repeat_every_weeks=None,
        repeat_count=None, created=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    ),
    cancel=True, stamp_zone="Asia/Kolkata",
)  # fmt: skip
def test_the_fast_path_writes_the_bytes_icalendar_writes(meeting, cancel, stamp_zone):
    method = "CANCEL" if cancel else "REQUEST"
    stamp = dt.datetime(2027, 3, 1, 8, 0, 30, 999, tzinfo=ZoneInfo(stamp_zone))
    event("fast" if invite._event_lines(meeting, method, stamp) else "reference (UTC)")
    fast, reference = _build(meeting, method, stamp), _build_reference(meeting, method, stamp)
    assert fast.split(b"\r\n") == reference.split(b"\r\n")


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.sampled_from(["a", "\\", "^", "é", "🎉", "\u0301", ";"]), max_size=400))
def test_folding_equals_icalendars(line):
    from icalendar.parser.string import _foldline

    joined = "".join(line)
    assert _fold(joined) == _foldline(joined).encode("utf-8")


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "America/New_York", "Asia/Kolkata"])
def test_usual_meetings_take_the_fast_path(monkeypatch, zone):
    start = dt.datetime(2027, 3, 15, 10, tzinfo=ZoneInfo(zone))
    meeting = Meeting(
        uid="u@x", sequence=0, summary="S", description="D", location="L", tzid=zone,
        start=start, end=start + dt.timedelta(hours=1),
        organizer=Address("o@x.example", "Org"), attendees=(Address("a@x.example", "Ann"),),
        repeat_every_weeks=1, repeat_count=3, created=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip

    def refuse(*args):
        raise AssertionError("took the reference path")

    monkeypatch.setattr(invite, "_build_reference", refuse)
    assert _build(meeting, "REQUEST", start).endswith(b"END:VCALENDAR\r\n")


def test_utc_falls_back_to_icalendar():
    start = dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC)
    meeting = Meeting(
        uid="u@x", sequence=0, summary="S", description="", location=None, tzid="UTC",
        start=start, end=start + dt.timedelta(hours=1), organizer=Address("o@x.example"),
        attendees=(), repeat_every_weeks=None, repeat_count=None, created=start,
    )  # fmt: skip
    assert invite._event_lines(meeting, "REQUEST", start) is None
    assert b"DTSTART:20270315T100000Z\r\n" in _build(meeting, "REQUEST", start)
