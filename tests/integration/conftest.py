"""Shared fixtures: a real aiosmtpd server on loopback and an OutgoingMessage factory."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from integrations.mail.message import Address, CalendarPart, OutgoingMessage, make_message_id

Reply = Callable[[str], str | None]  # address or peer -> an SMTP reply line, or None for 250


def free_port() -> int:
    """Return a loopback TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    peer: tuple[str, int]
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class RecordingHandler:
    """Accept mail, record every envelope and command, answer RCPT/DATA as the test says."""

    rcpt_reply: Reply = lambda address: None
    data_replies: list[str] = field(default_factory=list)  # consumed one per DATA, then 250
    received: list[Received] = field(default_factory=list)
    rcpt_attempts: int = 0
    data_attempts: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpt_attempts += 1
        if reply := self.rcpt_reply(address):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.data_attempts += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.received.append(
            Received(session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 Message accepted for delivery"

    @property
    def connections(self) -> int:
        """Return how many distinct client connections delivered mail."""
        return len({r.peer for r in self.received})


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., tuple[RecordingHandler, int]]]:
    """Start aiosmtpd on 127.0.0.1 with a RecordingHandler; keyword args go to aiosmtpd SMTP."""
    controllers: list[Controller] = []

    def start(handler: RecordingHandler | None = None, **smtp_kwargs: Any):
        handler = handler or RecordingHandler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp_kwargs)
        controller.start()
        controllers.append(controller)
        return handler, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def make_message() -> Callable[..., OutgoingMessage]:
    """Return a factory of valid OutgoingMessages; keyword args override fields."""

    def make(n: int = 1, *, calendar: CalendarPart | None = None, **fields: Any) -> OutgoingMessage:
        values: dict[str, Any] = {
            "message_id": make_message_id(key=f"step-{n}", domain="leerpad.example"),
            "sender": Address("journeys@leerpad.example", "Zoë Çelik (HR)"),
            "to": (Address(f"hire{n}@example.org", "Jürgen Öztürk"),),
            "subject": f"Welkom bij het team 🎉 #{n}",
            "text": f"Hallo Jürgen,\n\nWelkom! Bericht {n}.\n",
            "html": f"<style>p {{ color: #123456; }}</style><p>Welkom! Bericht {n}.</p>",
            "locale": "nl",
            "date": dt.datetime(2027, 3, 15, 9, 0, n, tzinfo=dt.UTC),
            "calendar": calendar,
        }
        values.update(fields)
        return OutgoingMessage(**values)

    return make
