"""A Prefect test server for the privacy tests, with its database and storage folders exposed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class PrefectPlaces:
    """Where a Prefect test server keeps what it was told: its database and its folders."""

    database: Path  # the SQLite file behind the API (flow runs, task runs, events, logs, …)
    home: Path  # PREFECT_HOME
    storage: Path  # PREFECT_LOCAL_STORAGE_PATH: persisted results


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectPlaces]:
    """Start Prefect's test harness (a temporary API on SQLite) with its own home and storage."""
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_HOME,
        PREFECT_LOCAL_STORAGE_PATH,
        PREFECT_SERVER_ANALYTICS_ENABLED,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("prefect-home")
    storage = home / "storage"
    places = {PREFECT_HOME: home, PREFECT_LOCAL_STORAGE_PATH: storage,
              PREFECT_SERVER_ANALYTICS_ENABLED: False}  # fmt: skip
    with temporary_settings(updates=places), prefect_test_harness(server_startup_timeout=120):
        url = PREFECT_SERVER_DATABASE_CONNECTION_URL.value()
        database = Path(str(url).split(":///", 1)[1])
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield PrefectPlaces(database=database, home=home, storage=storage)
