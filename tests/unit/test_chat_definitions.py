"""Chat in definitions: `channels:` on journey steps, `chat:` in the employer profile."""

from __future__ import annotations

import pytest

from journeys.catalog import load_catalog
from journeys.dsl import parse_journey
from journeys.errors import DefinitionErrors
from journeys.profile import parse_profile

JOURNEY = """\
key: chatty
name: {{nl: Chat, en: Chat}}
audience: new_hire
anchor: start_date
steps:
  - key: hello
    title: {{nl: Hallo, en: Hello}}
    channel: {channel}
    to: new_hire
    offset: +1 weeks
{extra}"""
INVITE = """\
    invite:
      meeting_offset: +2 working days
      duration_minutes: 30
      attendees: [new_hire, leader]
"""


def journey(channels: str | None, *, channel: str = "email", extra: str = ""):
    line = f"    channels: {channels}\n" if channels is not None else ""
    return parse_journey(JOURNEY.format(channel=channel, extra=line + extra), file="chat.yaml")


def errors_of(channels: str, **kwargs) -> list:
    with pytest.raises(DefinitionErrors) as caught:
        journey(channels, **kwargs)
    return caught.value.errors


class TestStepChannels:
    def test_a_step_without_channels_goes_by_email_only(self):
        step = journey(None).step("hello")
        assert step.channels == () and step.chat_routes == () and step.email_always

    @pytest.mark.parametrize(
        ("channels", "routes", "email_always"),
        [
            ("[email, slack]", ("slack",), True),
            ("[teams]", ("teams",), False),
            ("[email, teams-channel]", ("teams-channel",), True),
            ("slack-channel", ("slack-channel",), False),
            ("[slack, teams, slack-channel, teams-channel]", ("slack", "teams", "slack-channel",
                                                             "teams-channel"), False),
        ],
    )  # fmt: skip
    def test_named_chat_routes_and_whether_email_always_goes(self, channels, routes, email_always):
        step = journey(channels).step("hello")
        assert step.chat_routes == routes
        assert step.email_always is email_always

    def test_prompts_and_badges_may_name_chat(self):
        assert journey("[slack]", channel="prompt").step("hello").chat_routes == ("slack",)
        assert journey("[teams-channel]", channel="badge").step("hello").chat_routes

    def test_an_unknown_channel_names_file_line_and_field(self):
        error = errors_of("[email, whatsapp]")[0]
        assert error.file == "chat.yaml"
        assert error.line == 11
        assert error.field == "steps[0].channels[1]"
        assert "'slack-channel'" in error.message

    def test_a_channel_named_twice_is_refused(self):
        error = errors_of("[slack, slack]")[0]
        assert error.line == 11 and error.field == "steps[0].channels"
        assert "named twice" in error.message

    def test_an_invite_goes_by_email_only(self):
        error = errors_of("[slack]", channel="invite", extra=INVITE)[0]
        assert "invite goes by email only" in error.message

    def test_the_defaults_name_chat_where_it_helps(self):
        catalog = load_catalog()
        leader = catalog.get("leader")
        prompts = [s for s in leader.steps if s.channel == "prompt"]
        assert prompts and all(s.chat_routes == ("slack", "teams") for s in prompts)
        hire = catalog.get("new-hire")
        assert hire.step("onboarding-badge").chat_routes == ("slack-channel", "teams-channel")
        assert hire.step("onboarding-badge").email_always
        assert "slack" in hire.step("knowledge-sharing-1").chat_routes
        assert all(not s.chat_routes for s in catalog.get("candidate").steps)


PROFILE = """\
name: Voorbeeld BV
chat:
  slack:
    team_channel: {channel}
  teams:
    team_channel: Leren & ontwikkelen
    direct_messages: true
  team_locale: en
"""


class TestProfileChat:
    def test_the_chat_setup_is_read(self):
        profile = parse_profile(PROFILE.format(channel="leren"), file="org.yaml")
        assert profile.chat.slack.team_channel == "leren"
        assert profile.chat.slack.direct_messages is True
        assert profile.chat.teams.direct_messages is True
        assert profile.chat.team_locale == "en"

    def test_a_profile_without_chat_has_none(self):
        profile = parse_profile("name: X\n", file="org.yaml")
        assert profile.chat.slack is None and profile.chat.teams is None

    def test_a_bad_slack_channel_names_line_and_field(self):
        with pytest.raises(DefinitionErrors) as caught:
            parse_profile(PROFILE.format(channel='"leren <!channel>"'), file="org.yaml")
        (error,) = caught.value.errors
        assert error.line == 4 and "team_channel" in error.field

    def test_secrets_have_no_place_in_the_profile(self):
        with pytest.raises(DefinitionErrors) as caught:
            parse_profile("name: X\nchat:\n  slack:\n    url: slack://xoxb-1/2\n", file="o.yaml")
        assert "url" in caught.value.errors[0].field
