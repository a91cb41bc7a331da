"""schemathesis against the app's own OpenAPI schema over real HTTP: no input gives a 5xx."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings

from tests.conftest import AMS
from tests.integration.test_webhooks_http import free_port


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    """The HTTP app on loopback with a secret per source; its schema loaded from /openapi.json."""
    from flows.bootstrap import bootstrap, reset
    from flows.serve import build_http_app
    from integrations.settings import LeerpadSettings
    from journeys.clock import SimulatedClock
    from models.migrate import upgrade_engine

    folder = tmp_path_factory.mktemp("schemathesis")
    monkeypatch = pytest.MonkeyPatch()
    for source in ("generic", "greenhouse", "lever", "personio", "bamboohr"):
        monkeypatch.setenv(f"LEERPAD_SECRET_{source.upper()}", "s3cret")
    settings = LeerpadSettings(
        database_url=f"sqlite:///{folder / 'api.db'}", outbox_dir=folder / "outbox"
    )
    app = bootstrap(settings=settings, clock=SimulatedClock(datetime(2027, 1, 11, 9, tzinfo=AMS)))
    upgrade_engine(app.engine)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(build_http_app(app), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/openapi.json")
    server.should_exit = True
    thread.join(timeout=10)
    monkeypatch.undo()
    reset()


def test_no_input_gives_a_server_error(api_schema):
    """Every operation, ~60 generated requests each (hypothesis drives schemathesis' strategies)."""
    from hypothesis import given

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert any(op.path == "/webhooks/{source}" for op in operations)
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(timeout=10)
            statuses.append(response.status_code)
            assert response.status_code < 500, (
                f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
            )

        check()
    assert len(statuses) >= 10 * len(operations)
    assert {202, 401, 404} & set(statuses), "generated requests reached the webhook handler"
