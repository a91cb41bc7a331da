"""Shared fixtures: databases (SQLite and PostgreSQL), a wired app with a simulated clock."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from models.db import make_engine

POSTGRES_URL = os.environ.get(
    "LEERPAD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("LEERPAD_REQUIRE_POSTGRES") == "1"
AMS = ZoneInfo("Europe/Amsterdam")


def _postgres_reachable() -> bool:
    try:
        engine = make_engine(POSTGRES_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    """Whether PostgreSQL answers; CI sets LEERPAD_REQUIRE_POSTGRES=1 so a missing server fails."""
    ok = _postgres_reachable()
    if not ok and REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required but not reachable at {POSTGRES_URL}")
    return ok


def sqlite_engine(tmp_path: Path) -> Engine:
    """A migrated SQLite database in a temporary folder."""
    from models.migrate import upgrade_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'leerpad-test.db'}")
    upgrade_engine(engine)
    return engine


def postgres_engine() -> tuple[Engine, str]:
    """A migrated PostgreSQL schema of its own; returns the engine and the schema name."""
    from models.migrate import upgrade_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    # the schema in the URL itself, so a process given engine.url (a sender process) finds it
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_engine(url, pool_pre_ping=True)
    upgrade_engine(engine)
    return engine, schema


def drop_schema(schema: str) -> None:
    """Remove a test schema."""
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        eng = sqlite_engine(tmp_path)
        yield eng
        eng.dispose()
        return
    if not request.getfixturevalue("postgres_available"):
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    eng, schema = postgres_engine()
    yield eng
    eng.dispose()
    drop_schema(schema)


@pytest.fixture
def start_clock():
    """A simulated clock at Monday 11 January 2027, 08:00 in Amsterdam."""
    from journeys.clock import SimulatedClock

    return SimulatedClock(datetime(2027, 1, 11, 8, 0, tzinfo=AMS))


@pytest.fixture
def app(engine: Engine, tmp_path: Path, start_clock):
    """The wired application on the test database, with the file outbox and a simulated clock."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    settings = LeerpadSettings(
        database_url=str(engine.url), outbox_dir=tmp_path / "outbox", smtp_url=None
    )
    application = bootstrap(settings=settings, clock=start_clock, engine=engine)
    yield application
    reset()
