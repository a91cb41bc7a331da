"""Send chat messages with Apprise: build the service from a secret URL, send, classify the result.

Apprise reports only True or False; why a send failed it logs (`…, error=503.`, `A Connection
error occurred…`). The warnings are captured per send and read for the HTTP status: 429 and 5xx
and connection errors are temporary, other statuses permanent. Apprise's debug lines carry the
URL with its token and the payload, so its logger never goes below WARNING here, and its lines
stay out of our logs (they may name a chat target).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from integrations.chat.message import ChatConfigError, ChatMessage, ChatResult, Service

TEAMS_DM_TEMPLATE = Path(__file__).with_name("teams_dm.json")
_STATUS = re.compile(r"error=(\d{3})")
_CONNECTION = re.compile(r"connection error|timed? ?out|ssl|certificate", re.IGNORECASE)
_SLACK_ID = re.compile(r"^[CGD][A-Z0-9]{8,}$")  # a channel id rather than a channel name
_MENTION = re.compile(r"</?at\b[^>]*>", re.IGNORECASE)
_PLUGIN_CLASS = {"slack": "NotifySlack", "teams": "NotifyWorkflows"}


def _apprise() -> Any:
    import apprise  # imported on first use: it loads every plugin

    logger = logging.getLogger("apprise")
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # its warnings are read per send; our own log line says what failed
    return apprise


def classify(*, ok: bool, log: str, message_id: str, service: str) -> ChatResult:
    """Turn Apprise's True/False and its captured warnings into ok / temporary / permanent."""
    if ok:
        return ChatResult(message_id, ok=True, detail=f"{service}: sent")
    status = _STATUS.search(log)
    if status:
        code = int(status[1])
        temporary = code == 429 or code >= 500
        detail = f"{service}: HTTP {code}"
        if code == 200:
            detail = f"{service}: the API answered ok=false"
        return ChatResult(message_id, ok=False, permanent=not temporary, detail=detail)
    if _CONNECTION.search(log):
        return ChatResult(message_id, ok=False, permanent=False, detail=f"{service}: unreachable")
    return ChatResult(message_id, ok=False, permanent=True, detail=f"{service}: not sent")


class AppriseChat:
    """One chat service behind an Apprise URL that carries its token; repr shows no secret."""

    def __init__(
        self, *, url: SecretStr, service: Service, setting: str, timeout: float = 10.0
    ) -> None:
        self.service = service
        self.setting = setting  # the environment variable, for error messages
        self.timeout = timeout
        apprise = _apprise()
        plugin = apprise.Apprise.instantiate(url.get_secret_value())
        if plugin is None or type(plugin).__name__ != _PLUGIN_CLASS[service]:
            raise ChatConfigError(
                f"{setting} is not a usable {service} Apprise URL "
                f"({'slack://…' if service == 'slack' else 'workflows://…'}); check it and retry"
            )
        self._url = SecretStr(plugin.url(privacy=False))  # Apprise's canonical form
        self._plugin_type = type(plugin)
        mode = getattr(plugin, "mode", None)  # Slack: bot|hook|gov-hook|workflow|trigger
        self.mode = str(getattr(mode, "value", mode) or "workflow")

    def __repr__(self) -> str:
        return f"AppriseChat({self.service}, mode={self.mode})"

    @property
    def can_dm(self) -> bool:
        """Whether this URL can reach one person: a Slack bot token (Teams: a DM workflow)."""
        return self.service == "teams" or self.mode == "bot"

    def send(self, message: ChatMessage, *, team_channel: str | None = None) -> ChatResult:
        """Send one message; never raises for a failed send, only for a bad configuration."""
        apprise = _apprise()
        options = self._options(message, team_channel=team_channel)
        if isinstance(options, ChatResult):
            return options
        plugin = apprise.Apprise.instantiate(options)
        if plugin is None:
            raise ChatConfigError(f"{self.setting}: Apprise could not build the {self.service} URL")
        # Slack: plain text, so Apprise escapes <, > and & (no <!channel> from a name); Teams:
        # the text as the card's markdown, without <at> mention tags.
        text, kind = message.text, apprise.NotifyFormat.TEXT
        if self.service == "teams":
            text, kind = _MENTION.sub("", text), apprise.NotifyFormat.MARKDOWN
        with apprise.LogCapture(level=logging.WARNING) as captured:
            ok = plugin.notify(body=text, title=message.title, body_format=kind)
        return classify(
            ok=bool(ok),
            log=captured.getvalue(),
            message_id=message.message_id,
            service=self.service,
        )

    def _options(self, message: ChatMessage, *, team_channel: str | None) -> dict | ChatResult:
        options = self._plugin_type.parse_url(self._url.get_secret_value())
        options |= {"include_image": False, "rto": self.timeout, "cto": self.timeout}
        target = message.target
        if self.service == "slack":
            options |= {"include_footer": False, "include_timestamp": False}
            if target.kind == "dm":
                if self.mode != "bot":
                    return self._refused(message, "direct messages need a bot token (xoxb-)")
                options["targets"] = [f"+{target.address}"]
            elif self.mode == "bot":
                if not team_channel:
                    return self._refused(message, "no chat.slack.team_channel in the profile")
                options["targets"] = [slack_channel(team_channel)]
        elif target.kind == "dm":
            options |= {
                "template": str(TEAMS_DM_TEMPLATE),
                "tokens": {"recipient": target.address},
            }
        return options

    def _refused(self, message: ChatMessage, why: str) -> ChatResult:
        return ChatResult(
            message.message_id, ok=False, permanent=True, detail=f"{self.service}: {why}"
        )


def slack_channel(name: str) -> str:
    """Apprise's target for a Slack channel: '#name', or '+ID' for a channel id."""
    bare = name.lstrip("#")
    if not name.startswith("#") and _SLACK_ID.fullmatch(bare):
        return f"+{bare}"
    return f"#{bare}"
