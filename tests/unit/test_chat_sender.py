"""The Apprise wrapper without sending: configuration, targets, result classification, privacy."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from integrations.chat.apprise_sender import AppriseChat, classify, slack_channel
from integrations.chat.channels import ChatChannels, build_chat
from integrations.chat.message import ChatConfigError, ChatMessage, ChatTarget
from integrations.settings import LeerpadSettings
from journeys.profile import parse_profile

BOT = "slack://xoxb-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"
HOOK = "https://hooks.slack.com/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7"
WORKFLOW = "workflows://prod.example/643e69f83c8944438d68119179a10a64/KODuebWbDGYFr0z0eu-6Rj8aUKz7/"


def chat(url: str, service: str = "slack") -> AppriseChat:
    return AppriseChat(url=SecretStr(url), service=service, setting="LEERPAD_CHAT_X_URL")


class TestConfiguration:
    def test_a_bot_token_can_send_direct_messages_a_webhook_cannot(self):
        assert chat(BOT).can_dm and chat(BOT).mode == "bot"
        assert not chat(HOOK).can_dm and chat(HOOK).mode == "hook"

    def test_the_repr_and_errors_never_show_the_token(self):
        assert "4ddbc191" not in repr(chat(BOT))
        with pytest.raises(ChatConfigError) as caught:
            chat("slack://not a token at all/xyz", "teams")
        assert "LEERPAD_CHAT_X_URL" in str(caught.value)
        assert "xyz" not in str(caught.value)

    def test_a_slack_url_is_refused_for_teams(self):
        with pytest.raises(ChatConfigError):
            chat(BOT, "teams")
        assert chat(WORKFLOW, "teams").can_dm

    def test_targets_hide_chat_ids_in_repr(self):
        target = ChatTarget("slack", "dm", "U0SECRET1")
        message = ChatMessage("<a@b>", target, "hello")
        assert "U0SECRET1" not in repr(target) + repr(message)
        assert target.route == "slack" and ChatTarget("teams", "post").route == "teams-channel"
        with pytest.raises(ValueError, match="chat id"):
            ChatTarget("slack", "dm")

    def test_a_webhook_refuses_a_direct_message_without_sending(self):
        message = ChatMessage("<m@x>", ChatTarget("slack", "dm", "U0123ABC"), "hi")
        result = chat(HOOK).send(message)
        assert not result.ok and result.permanent and "bot token" in result.detail

    def test_slack_channel_names_and_ids(self):
        assert slack_channel("leren") == "#leren"
        assert slack_channel("#leren") == "#leren"
        assert slack_channel("C0123ABCD9") == "+C0123ABCD9"


class TestClassify:
    @pytest.mark.parametrize(
        ("log", "outcome"),
        [
            ("WARNING - Failed to send to Slack: Internal server error., error=500.", "temporary"),
            ("WARNING - Failed to send Workflows notification: error=429.", "temporary"),
            ("WARNING - Failed to send to Slack: error=403.", "permanent"),
            ("WARNING - Failed to send to Slack: error=200.", "permanent"),
            ("WARNING - A Connection error occurred posting to Slack.", "temporary"),
            ("", "permanent"),
        ],
    )
    def test_failures_are_temporary_or_permanent(self, log, outcome):
        result = classify(ok=False, log=log, message_id="<m@x>", service="slack")
        assert result.outcome == outcome and not result.ok

    def test_success_is_ok(self):
        assert classify(ok=True, log="", message_id="<m@x>", service="teams").outcome == "ok"


ORG = """\
name: X
chat:
  slack: {team_channel: leren}
  teams: {direct_messages: true}
"""


class TestChannels:
    def test_nothing_is_wired_without_urls(self):
        profile = parse_profile(ORG, file="org.yaml")
        assert build_chat(LeerpadSettings(_env_file=None), profile) is None

    def test_a_url_without_the_service_in_the_profile_is_not_used(self):
        profile = parse_profile("name: X\n", file="org.yaml")
        settings = LeerpadSettings(_env_file=None, chat_slack_url=BOT)
        assert build_chat(settings, profile) is None

    def test_routes_are_available_as_configured(self):
        profile = parse_profile(ORG, file="org.yaml")
        settings = LeerpadSettings(_env_file=None, chat_slack_url=BOT, chat_teams_url=WORKFLOW)
        channels = build_chat(settings, profile)
        assert isinstance(channels, ChatChannels)
        assert channels.available("slack") and channels.available("slack-channel")
        assert channels.available("teams-channel")
        assert not channels.available("teams")  # no LEERPAD_CHAT_TEAMS_DM_URL
        assert channels.target("slack", chat_id=None) is None
        assert channels.target("slack", chat_id="U1").kind == "dm"
        assert channels.target("teams-channel", chat_id=None).kind == "post"
        assert channels.team_locale == "nl"
