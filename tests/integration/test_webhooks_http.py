"""POST /webhooks/{source} over real HTTP: signatures, storage before 202, size limit, dedupe."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlmodel import select

from flows.serve import build_http_app
from models.db import session_scope
from models.enrollment import Enrollment
from models.inbox import InboxEvent

SECRET = "test-secret-generic"
HIRED = {
    "id": "generic:http-1",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "c1", "email": "c1@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Leerpad-Signature": f"sha256={digest}", "Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app, monkeypatch) -> Iterator[str]:
    """The webhook app served by uvicorn on loopback, processing inline."""
    monkeypatch.setenv("LEERPAD_SECRET_GENERIC", SECRET)
    monkeypatch.delenv("LEERPAD_SECRET_GREENHOUSE", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    port = free_port()
    config = uvicorn.Config(build_http_app(app), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def inbox(app) -> list[InboxEvent]:
    with session_scope(app.engine) as session:
        return list(session.exec(select(InboxEvent).order_by(InboxEvent.id)).all())


def wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class TestWebhooks:
    def test_a_signed_event_is_stored_acknowledged_and_processed(self, app, server):
        body = json.dumps(HIRED).encode()
        response = httpx.post(f"{server}/webhooks/generic", content=body, headers=signed(body))
        assert response.status_code == 202
        assert response.json() == {"id": 1, "duplicate": False}
        assert wait_for(lambda: inbox(app)[0].status == "processed")
        with session_scope(app.engine) as session:
            journeys = sorted(e.journey_key for e in session.exec(select(Enrollment)).all())
        assert journeys == ["leader", "new-hire"]
        again = httpx.post(f"{server}/webhooks/generic", content=body, headers=signed(body))
        assert again.status_code == 202 and again.json() == {"id": 1, "duplicate": True}
        assert len(inbox(app)) == 1
        assert inbox(app)[0].raw_body == body

    @pytest.mark.parametrize(
        "headers",
        [
            {},
            {"X-Leerpad-Signature": "sha256=" + "0" * 64},
            {"X-Leerpad-Signature": "md5=abc"},
        ],
        ids=["missing", "wrong", "garbled"],
    )
    def test_a_bad_signature_is_refused_and_nothing_is_stored(self, app, server, headers):
        body = json.dumps(HIRED).encode()
        response = httpx.post(f"{server}/webhooks/generic", content=body, headers=headers)
        assert response.status_code == 401
        assert "X-Leerpad-Signature" in response.json()["error"]
        assert inbox(app) == []

    def test_a_signature_made_with_another_secret_is_refused(self, app, server):
        body = json.dumps(HIRED).encode()
        response = httpx.post(
            f"{server}/webhooks/generic", content=body, headers=signed(body, "other")
        )
        assert response.status_code == 401 and inbox(app) == []

    def test_a_source_without_a_secret_is_refused_with_the_setting_to_use(self, app, server):
        body = b'{"action": "ping"}'
        response = httpx.post(f"{server}/webhooks/greenhouse", content=body)
        assert response.status_code == 401
        assert "LEERPAD_SECRET_GREENHOUSE" in response.json()["error"]
        assert inbox(app) == []

    def test_an_unparseable_body_gets_400_and_is_kept_for_inspection(self, app, server):
        body = b'{"type": "candidate.hired", "occurred_at": "yesterday"'
        response = httpx.post(f"{server}/webhooks/generic", content=body, headers=signed(body))
        assert response.status_code == 400
        assert "generic body rejected" in response.json()["error"]
        [row] = inbox(app)
        assert row.status == "rejected" and row.raw_body == body and row.error

    def test_an_unknown_source_is_404_and_a_huge_body_413(self, app, server):
        assert httpx.post(f"{server}/webhooks/acme", content=b"{}").status_code == 404
        huge = b"{" + b" " * (1024 * 1024 + 10) + b"}"
        response = httpx.post(f"{server}/webhooks/generic", content=huge, headers=signed(huge))
        assert response.status_code == 413 and inbox(app) == []

    def test_health(self, server):
        assert httpx.get(f"{server}/healthz").json() == {"status": "ok"}


def test_form_tokens_never_reach_the_access_log():
    import logging

    from flows.serve import RedactFormTokens

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/forms/goals/eyJhbGciOi.secret-part?x=1", "1.1", 200), None,
    )  # fmt: skip
    assert RedactFormTokens().filter(record)
    line = record.getMessage()
    assert "secret-part" not in line and "/forms/goals/…?x=1" in line
