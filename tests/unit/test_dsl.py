"""Journey and profile definitions: valid files load, invalid ones name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeys.catalog import DEFAULTS_DIR, load_catalog
from journeys.dsl import Offset, parse_journey
from journeys.errors import DefinitionErrors
from journeys.profile import parse_profile

GOOD = """\
key: welcome
name: {nl: Welkom, en: Welcome}
audience: new_hire
anchor: start_date
steps:
  - key: hello
    title: {nl: Hallo, en: Hello}
    channel: email
    to: new_hire
    offset: -5 working days
    time: 09:30
  - key: one-on-one
    title: {nl: Eerste 1-op-1, en: First 1:1}
    channel: invite
    to: new_hire
    offset: -3 working days
    invite:
      meeting_offset: +2 working days
      meeting_time: "10:00"
      duration_minutes: 30
      attendees: [new_hire, leader]
"""


def errors_of(text: str, file: str = "mine.yaml") -> list:
    with pytest.raises(DefinitionErrors) as caught:
        parse_journey(text, file=file)
    return caught.value.errors


class TestValidJourneys:
    def test_a_good_file_loads_with_offsets_and_times(self):
        journey = parse_journey(GOOD, file="good.yaml")
        hello = journey.step("hello")
        assert hello.offset == Offset(amount=-5, unit="working_days")
        assert hello.time.hour == 9 and hello.time.minute == 30
        assert journey.step("one-on-one").invite.meeting_offset == Offset(
            amount=2, unit="working_days"
        )

    def test_the_default_journeys_load(self):
        catalog = load_catalog()
        assert {"candidate", "new-hire", "leader"} <= set(catalog.journeys)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("-10 working days", (-10, "working_days")),
            ("+2 weeks", (2, "weeks")),
            ("0 days", (0, "days")),
            ("3wd", (3, "working_days")),
            ("-1 day", (-1, "days")),
        ],
    )
    def test_offsets_parse(self, text, expected):
        offset = Offset.parse(text)
        assert (offset.amount, offset.unit) == expected


class TestDefinitionErrors:
    def test_a_bad_channel_names_file_line_and_field(self):
        errors = errors_of(GOOD.replace("channel: email", "channel: pigeon"), file="mine.yaml")
        assert len(errors) == 1
        error = errors[0]
        assert (error.file, error.line, error.field) == ("mine.yaml", 8, "steps[0].channel")
        assert "mine.yaml:8: steps[0].channel" in str(error)

    def test_a_bad_offset_points_at_its_line(self):
        errors = errors_of(GOOD.replace("-3 working days", "three days before"))
        assert [(e.line, e.field) for e in errors] == [(16, "steps[1].offset")]
        assert "working days" in errors[0].message

    def test_a_missing_field_points_at_the_step(self):
        errors = errors_of(GOOD.replace("    to: new_hire\n    offset: -5", "    offset: -5"))
        assert [(e.line, e.field) for e in errors] == [(6, "steps[0].to")]

    def test_an_unknown_key_is_refused(self):
        errors = errors_of(GOOD.replace("    time: 09:30\n", "    time: 09:30\n    colour: red\n"))
        assert [(e.line, e.field) for e in errors] == [(12, "steps[0].colour")]

    def test_a_yaml_syntax_error_gives_its_line(self):
        errors = errors_of(GOOD.replace("audience: new_hire", "audience: [new_hire"))
        assert errors[0].line is not None and errors[0].field == "(syntax)"

    def test_duplicate_keys_are_refused(self):
        errors = errors_of(
            GOOD.replace("anchor: start_date\n", "anchor: start_date\nanchor: event\n")
        )
        assert (errors[0].line, errors[0].field) == (5, "anchor")

    def test_an_invite_without_its_block_is_refused(self):
        text = GOOD.replace("channel: email", "channel: invite")
        assert any("invite" in e.message for e in errors_of(text))

    def test_a_bad_file_in_a_folder_does_not_hide_the_others(self, tmp_path: Path):
        (tmp_path / "ok.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "broken.yaml").write_text(
            GOOD.replace("to: new_hire", "to: ceo", 1), encoding="utf-8"
        )
        with pytest.raises(DefinitionErrors) as caught:
            load_catalog(tmp_path)
        assert [(Path(e.file).name, e.line) for e in caught.value.errors] == [("broken.yaml", 9)]

    def test_the_default_profile_loads_and_a_bad_zone_is_named(self):
        text = (DEFAULTS_DIR / "organization.yaml").read_text(encoding="utf-8")
        assert parse_profile(text, file="org.yaml").timezone == "Europe/Amsterdam"
        with pytest.raises(DefinitionErrors) as caught:
            parse_profile(text.replace("Europe/Amsterdam", "Europe/Atlantis"), file="org.yaml")
        [error] = caught.value.errors
        assert (error.line, error.field) == (5, "timezone")
