"""Chat messages as plain data: where one goes, what it says, and how sending it went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from integrations.errors import IntegrationError

Service = Literal["slack", "teams"]
Kind = Literal["dm", "post"]


class ChatConfigError(IntegrationError):
    """A chat URL or setting is unusable; the message names the setting, never the secret."""


@dataclass(frozen=True)
class ChatTarget:
    """A direct message to one person (their chat id) or a post in the employer's team channel."""

    service: Service
    kind: Kind
    address: str | None = None  # Slack member id or Teams user principal name, for a dm

    def __post_init__(self) -> None:
        if self.kind == "dm" and not self.address:
            raise ValueError("a direct message needs the recipient's chat id")

    @property
    def route(self) -> str:
        """The journey DSL's name for this target: slack, teams, slack-channel, teams-channel."""
        return self.service if self.kind == "dm" else f"{self.service}-channel"

    def __repr__(self) -> str:  # the chat id is personal data: keep it out of logs
        return f"ChatTarget({self.route})"


@dataclass(frozen=True)
class ChatMessage:
    """One chat message: a deterministic id (the ledger's key), its target, title and text."""

    message_id: str
    target: ChatTarget
    text: str
    title: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a chat message needs text")

    def __repr__(self) -> str:
        return f"ChatMessage({self.message_id}, {self.target.route})"


@dataclass(frozen=True)
class ChatResult:
    """How sending went: ok, or failed temporarily (try later) or permanently (do not retry)."""

    message_id: str
    ok: bool
    permanent: bool = False
    detail: str = ""

    @property
    def outcome(self) -> str:
        """ok, temporary or permanent."""
        return "ok" if self.ok else ("permanent" if self.permanent else "temporary")
