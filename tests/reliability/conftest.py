"""Reliability fixtures: a Message-ID counting SMTP sink with fault scenarios, databases that
subprocesses can reach (a SQLite file, a PostgreSQL schema), and dispatcher processes."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine

from tests.conftest import POSTGRES_URL, drop_schema, postgres_engine, sqlite_engine
from tests.integration.conftest import free_port
from tests.reliability.seed import JOURNEYS_DIR

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 10  # the smallest lease the settings allow
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass
class SinkHandler:
    """Accept mail and count it by Message-ID; fault scenarios are switched on by attribute.

    - `replies`: SMTP replies given to the next DATA commands (one each) instead of accepting
    - `rcpt_reply`: address -> reply for RCPT (None accepts)
    - `close_every`: drop a connection at its next MAIL after this many accepted messages
    - `hold_at`: hold the reply to the n-th accepted DATA (it is not counted) until `release`
    - `drop_at`: take the n-th message in, then drop the connection before replying to it
    """

    ids: Counter[str] = field(default_factory=Counter)
    replies: list[str] = field(default_factory=list)
    rcpt_reply: Callable[[str], str | None] = lambda address: None
    close_every: int | None = None
    hold_at: int | None = None
    drop_at: int | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    data_attempts: int = 0
    rcpt_attempts: int = 0
    peers: set[tuple[str, int]] = field(default_factory=set)
    _per_connection: Counter[tuple[str, int]] = field(default_factory=Counter)

    @property
    def accepted(self) -> int:
        """Return how many messages were accepted (duplicates included)."""
        return sum(self.ids.values())

    @property
    def duplicates(self) -> int:
        """Return how many accepted messages repeated a Message-ID already accepted."""
        return sum(n - 1 for n in self.ids.values() if n > 1)

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if self.close_every and self._per_connection[session.peer] >= self.close_every:
            server.transport.abort()  # the connection drops: no reply at all
            return "421 4.4.2 connection dropped"
        envelope.mail_from, envelope.mail_options = address, list(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpt_attempts += 1
        if reply := self.rcpt_reply(address):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        self.data_attempts += 1
        if self.replies:
            return self.replies.pop(0)
        if self.hold_at is not None and self.accepted + 1 == self.hold_at:
            self.hold_at = None  # once
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 4.3.0 held and not accepted"
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        self.ids[found.group(1).decode() if found else "?"] += 1
        self.peers.add(session.peer)
        self._per_connection[session.peer] += 1
        if self.accepted == self.drop_at:
            self.drop_at = None  # once
            server.transport.abort()  # taken in, but the client never hears so
        return "250 OK accepted"


@pytest.fixture
def sink() -> Iterator[Callable[..., tuple[SinkHandler, int]]]:
    """Start a SinkHandler on a loopback aiosmtpd; returns (handler, port)."""
    controllers: list[Controller] = []

    def start(handler: SinkHandler | None = None) -> tuple[SinkHandler, int]:
        handler = handler or SinkHandler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return handler, port

    yield start
    for controller in controllers:
        controller.handler.release.set()
        controller.stop()


@dataclass
class Database:
    """A migrated database that other processes can open by URL."""

    name: str
    url: str
    engine: Engine


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database reachable by URL: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path)
        yield Database("sqlite", str(engine.url), engine)
        engine.dispose()
        return
    if not request.getfixturevalue("postgres_available"):
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    engine, schema = postgres_engine()
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield Database("postgres", f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", engine)
    engine.dispose()
    drop_schema(schema)


def worker_env(database: Database, smtp_port: int | None, **extra: str) -> dict[str, str]:
    """The environment of a dispatcher process: this test's database and SMTP sink only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEERPAD_", "PREFECT_API"))}
    env.update(
        LEERPAD_DATABASE_URL=database.url,
        LEERPAD_JOURNEYS_DIR=str(JOURNEYS_DIR),
        LEERPAD_LEASE_SECONDS=str(LEASE_SECONDS),
        PYTHONPATH=str(ROOT),
    )
    if smtp_port is not None:
        env["LEERPAD_SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}?timeout=10"
    env.update(extra)
    return env


def start_worker(
    database: Database, smtp_port: int, *, until: datetime, batch: int = 50, **env: str
) -> subprocess.Popen[str]:
    """Start one dispatcher process (`python -m tests.reliability.worker dispatch`); `env` adds
    LEERPAD_* settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", "dispatch",
         "--until", until.isoformat(), "--batch", str(batch)],
        cwd=ROOT, env=worker_env(database, smtp_port, **env), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Poll predicate every few milliseconds until it holds or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return False
