"""Flows run against Prefect's test harness (a temporary API on SQLite), heartbeat off."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def prefect_harness(tmp_path_factory):
    """Start one temporary Prefect API for every flow test of the session."""
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield
