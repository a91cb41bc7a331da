"""Leerpad side of the scale-out benchmark: PostgreSQL databases, the seeded backlog, the sink.

The backlog is seeded once into a template database; every round clones it
(`CREATE DATABASE … TEMPLATE …`), so each worker count starts from the same rows.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from bench.smtp_sink import MESSAGE_ID  # the same matcher as the dispatch benchmark

ROOT = Path(__file__).resolve().parents[1]
JOURNEYS_DIR = ROOT / "bench" / "journeys"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# the same simulated moments as bench/dispatch.py (copied: that file is being optimised)
START = date(2027, 3, 1)
NOW = datetime(2027, 5, 1, 12, 0, tzinfo=UTC)


def admin(sql: str) -> None:
    """Run one statement on the maintenance database outside a transaction."""
    engine = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def recreate(name: str, *, template: str | None = None) -> str:
    """Drop and create a database (from a template if given); returns its SQLAlchemy URL."""
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return f"{SERVER}/{name}"


def drop(name: str) -> None:
    """Drop a database, closing any connection still open to it."""
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str, steps: int) -> int:
    """Migrate and seed steps/5 hires in the bench journey (4 emails, 1 invite each).

    The same people and enrolment as bench/dispatch.py's seed (copied, for a PostgreSQL URL).
    Returns the number of due steps.
    """
    from flows.bootstrap import bootstrap
    from integrations.settings import LeerpadSettings
    from journeys.clock import SimulatedClock
    from models import Employment, Person
    from models.db import session_scope
    from models.migrate import upgrade_engine
    from models.planning import enroll_employment

    settings = LeerpadSettings(database_url=url, journeys_dir=JOURNEYS_DIR)
    app = bootstrap(settings=settings, clock=SimulatedClock(NOW))
    upgrade_engine(app.engine)
    with session_scope(app.engine) as session:
        for i in range(steps // 5):
            person = Person(
                source="bench",
                external_id=f"h{i}",
                email=f"hire{i}@example.org",
                first_name="Bench",
                last_name=f"Hire {i}",
                locale="nl",
            )
            manager = Person(source="bench", external_id=f"m{i}", email=f"lead{i}@example.org",
                             first_name="Lead", last_name=f"{i}")  # fmt: skip
            session.add_all([person, manager])
            session.flush()
            employment = Employment(person_id=person.id, manager_id=manager.id, source="bench",
                                    start_date=START, created_at=NOW, updated_at=NOW)  # fmt: skip
            session.add(employment)
            session.flush()
            enroll_employment(session=session, rules=app.rules, journey_key="bench",
                              employment=employment, now=NOW - timedelta(days=90))  # fmt: skip
    app.engine.dispose()
    return due_steps(url)


def due_steps(url: str) -> int:
    """Count the steps still pending or claimed."""
    return ledger(url)["steps_left"]


def ledger(url: str) -> dict[str, int]:
    """Ledger rows, distinct Message-IDs and steps, steps left, most attempts."""
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            rows, ids, stepped = c.execute(text(
                "SELECT count(*), count(DISTINCT message_id), count(DISTINCT step_id) FROM delivery"
            )).one()  # fmt: skip
            left = c.execute(text(
                "SELECT count(*) FROM scheduled_step WHERE status IN ('pending', 'claimed')"
            )).scalar_one()  # fmt: skip
            attempts = c.execute(text(
                "SELECT coalesce(max(attempts), 0) FROM scheduled_step"
            )).scalar_one()  # fmt: skip
    finally:
        engine.dispose()
    return {
        "ledger_rows": int(rows),
        "ledger_message_ids": int(ids),
        "ledger_steps": int(stepped),
        "steps_left": int(left),
        "max_attempts": int(attempts),
    }


@dataclass
class Sink:
    """A loopback aiosmtpd in this process counting Message-IDs, with wall-clock first/last."""

    ids: Counter[bytes] = field(default_factory=Counter)
    first: float = 0.0
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        now = time.time()
        with self.lock:
            self.ids[found.group(1) if found else b"?"] += 1
            self.first = self.first or now
            self.last = now
        return "250 OK"

    def reset(self) -> None:
        """Forget every message (between rounds)."""
        with self.lock:
            self.ids.clear()
            self.first = self.last = 0.0

    def counts(self) -> dict[str, int]:
        """Messages, distinct Message-IDs and duplicates received so far."""
        with self.lock:
            total = sum(self.ids.values())
            return {"messages": total, "unique": len(self.ids), "duplicates": total - len(self.ids)}


def start_sink(port: int) -> tuple[Sink, Controller]:
    """Serve a Sink on 127.0.0.1:port in a background thread."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return sink, controller
