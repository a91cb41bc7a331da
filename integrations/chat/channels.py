"""The chat channels one employer configured: the profile says which, the environment holds URLs."""

from __future__ import annotations

from dataclasses import dataclass

from integrations.chat.apprise_sender import AppriseChat
from integrations.chat.message import ChatMessage, ChatResult, ChatTarget
from integrations.settings import LeerpadSettings
from journeys.profile import ChatSetup, EmployerProfile


@dataclass
class ChatChannels:
    """Senders for the chat routes an employer set up; a route without one goes by email."""

    setup: ChatSetup
    team_locale: str
    slack: AppriseChat | None = None
    teams: AppriseChat | None = None
    teams_dm: AppriseChat | None = None

    def available(self, route: str) -> bool:
        """Whether a route (slack, teams, slack-channel, teams-channel) can be used at all."""
        slack, teams = self.setup.slack, self.setup.teams
        if route == "slack":
            return bool(slack and slack.direct_messages and self.slack and self.slack.can_dm)
        if route == "slack-channel":
            return bool(slack and self.slack and (self.slack.mode != "bot" or slack.team_channel))
        if route == "teams":
            return bool(teams and teams.direct_messages and self.teams_dm)
        if route == "teams-channel":
            return bool(teams and self.teams)
        return False

    def target(self, route: str, *, chat_id: str | None) -> ChatTarget | None:
        """The target of a route for a recipient, or None (not set up, or no chat id for a dm)."""
        if not self.available(route):
            return None
        service = "slack" if route.startswith("slack") else "teams"
        if route.endswith("-channel"):
            return ChatTarget(service, "post")
        return ChatTarget(service, "dm", chat_id) if chat_id else None

    def send(self, message: ChatMessage) -> ChatResult:
        """Send a message through the sender of its route."""
        target = message.target
        if target.service == "slack":
            sender = self.slack
        else:
            sender = self.teams_dm if target.kind == "dm" else self.teams
        if sender is None:  # available() said yes, so this is a programming error
            raise LookupError(f"no sender for {target.route}")
        team_channel = self.setup.slack.team_channel if self.setup.slack else None
        return sender.send(message, team_channel=team_channel)


def build_chat(settings: LeerpadSettings, profile: EmployerProfile) -> ChatChannels | None:
    """Wire the chat senders from settings and profile; None when no chat is configured.

    Raises:
        ChatConfigError: a URL is set but Apprise cannot use it (names the variable only).
    """
    setup = profile.chat
    timeout = settings.chat_timeout_seconds

    def sender(value, service, name):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return AppriseChat(url=value, service=service, setting=name, timeout=timeout)

    slack = (
        sender(settings.chat_slack_url, "slack", "LEERPAD_CHAT_SLACK_URL") if setup.slack else None
    )
    teams, teams_dm = None, None
    if setup.teams:
        teams = sender(settings.chat_teams_url, "teams", "LEERPAD_CHAT_TEAMS_URL")
        teams_dm = sender(settings.chat_teams_dm_url, "teams", "LEERPAD_CHAT_TEAMS_DM_URL")
    if slack is None and teams is None and teams_dm is None:
        return None
    return ChatChannels(
        setup=setup,
        team_locale=setup.team_locale or profile.default_locale,
        slack=slack,
        teams=teams,
        teams_dm=teams_dm,
    )
