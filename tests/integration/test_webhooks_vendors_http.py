"""Every vendor fixture posted through the HTTP app with signatures computed here; a Greenhouse
hire and unhire run end to end through the dispatcher."""

from __future__ import annotations

import email
import json
import re
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import httpx
import pytest
import vobject
from sqlmodel import select

from flows.delivery import deliver_due_batch
from flows.simulation import run_until
from models.db import session_scope
from models.inbox import InboxEvent
from tests.conftest import AMS
from tests.integration.sources import support
from tests.integration.sources.test_fixtures import EXPECTED, _headers_for
from tests.integration.test_webhooks_http import free_port, wait_for  # noqa: F401
from tests.integration.test_webhooks_http import server as _server  # noqa: F401

SIGNERS = {
    "greenhouse": support.sign_greenhouse,
    "greenhouse_onboarding": support.sign_greenhouse,
    "recruitee": support.sign_recruitee,
    "workable": support.sign_workable,
    "generic": support.sign_generic,
    "hibob": support.sign_hibob,
    "personio": support.sign_personio,
    "bamboohr": support.sign_bamboohr,
    "smartrecruiters": support.sign_smartrecruiters,
    "teamtailor": support.sign_teamtailor,
    "lever": support.sign_lever,
}


@pytest.fixture
def vendor_server(app, monkeypatch, _server):  # noqa: F811
    for source in SIGNERS:
        monkeypatch.setenv(f"LEERPAD_SECRET_{source.upper()}", support.SECRET)
    return _server


def post(server: str, source: str, raw: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{server}/webhooks/{source}", content=raw, headers=headers, timeout=10)


def rows(app) -> list[InboxEvent]:
    with session_scope(app.engine) as session:
        return list(session.exec(select(InboxEvent)).all())


@pytest.mark.parametrize("fixture", sorted(EXPECTED), ids=lambda f: f.replace("/", ":"))
def test_every_fixture_through_http(app, vendor_server, fixture):
    source = fixture.split("/")[0]
    documented = {
        k.lower(): v
        for k, v in dict(_headers_for(fixture)).items()
        if k.lower() not in ("host", "content-length")
    }
    raw, headers = (support.body(fixture), documented)
    expected = EXPECTED[fixture]
    try:
        raw, signed = SIGNERS[source](raw, dict(documented), app.clock.now())
        headers = {k.lower(): v for k, v in signed.items()}  # the signer's values win
    except (ValueError, KeyError):
        pass  # a malformed body the signer cannot read: it must still be refused cleanly
    # HTTP header values are ASCII: a non-ASCII test secret in a token header cannot be sent
    headers = {k: v for k, v in headers.items() if v.isascii()}
    response = post(vendor_server, source, raw, headers)
    assert response.status_code < 500
    if expected[0] == "error":
        assert response.status_code in (400, 401), response.text
        assert response.json()["error"]
        if response.status_code == 400:
            [row] = rows(app)
            assert row.status == "rejected" and row.raw_body == raw
        return
    assert response.status_code == 202, response.text
    body = response.json()
    if expected[0] == "ignored":
        assert body["ignored"] is True and rows(app)[0].status == "ignored"
        return
    assert body["duplicate"] is False
    again = post(vendor_server, source, raw, headers)
    assert again.status_code == 202 and again.json() == {"id": body["id"], "duplicate": True}
    if expected[0] == "event":
        assert wait_for(lambda: rows(app)[0].status == "processed")
        assert rows(app)[0].event_type == expected[1]
    else:  # id-only: no API credentials here, so it waits in the inbox with the reason
        assert wait_for(lambda: rows(app)[0].status == "failed")
        assert "LEERPAD_API_" in rows(app)[0].error or "fetch" in rows(app)[0].payload


SIGNATURE_WORDS = ("signature", "authorization", "timestamp", "x-bamboohr")


def flip(value: str) -> str:
    """Change one character of a signature (or token), keeping its shape."""
    match = re.search(r"[0-9a-f]{16,}", value)
    i = (match.start() + 8) if match else len(value) - 3
    swapped = "0" if value[i] != "0" else "1"
    return value[:i] + swapped + value[i + 1 :]


@pytest.mark.parametrize(
    "fixture",
    sorted(f for f, outcome in EXPECTED.items() if outcome[0] in ("event", "fetch")),
    ids=lambda f: f.replace("/", ":"),
)
def test_wrong_missing_and_replayed_signatures_are_refused(app, vendor_server, fixture):
    source = fixture.split("/")[0]
    now = app.clock.now()
    raw, signed = SIGNERS[source](support.body(fixture), {}, now)
    headers = {k.lower(): v for k, v in signed.items()}
    sig_keys = [k for k in headers if any(w in k for w in SIGNATURE_WORDS)]
    missing = {k: v for k, v in headers.items() if k not in sig_keys}
    if sig_keys:  # Lever signs inside the body; its missing case is the tampered body below
        assert post(vendor_server, source, raw, missing).status_code == 401
    if source == "lever":  # the signature travels in the body
        data = json.loads(raw)
        data["signature"] = flip(data["signature"])
        wrong_raw, wrong_headers = json.dumps(data).encode(), headers
    else:
        wrong_raw = raw
        wrong_headers = {k: flip(v) if k in sig_keys else v for k, v in headers.items()}
    wrong = post(vendor_server, source, wrong_raw, wrong_headers)
    assert wrong.status_code == 401, wrong.text
    if source in ("teamtailor", "smartrecruiters", "bamboohr", "lever"):  # they sign a time
        old = now - timedelta(minutes=10)
        replay_raw, replay_signed = SIGNERS[source](support.body(fixture), {}, old)
        replay_headers = {k.lower(): v for k, v in replay_signed.items()}
        replayed = post(vendor_server, source, replay_raw, replay_headers)
        assert replayed.status_code == 401, replayed.text
    assert rows(app) == [] or all(r.status == "rejected" for r in rows(app))


def greenhouse_body(action: str, start: str) -> bytes:
    data = json.loads(support.body("greenhouse/hire_candidate.json"))
    data["action"] = action
    data["payload"]["application"]["offer"]["starts_at"] = start
    return json.dumps(data).encode()


def test_a_greenhouse_hire_and_unhire_end_to_end(app, vendor_server, monkeypatch):
    outbox = Path(app.settings.outbox_dir)
    raw, headers = support.sign_greenhouse(
        greenhouse_body("hire_candidate", "2027-03-01"), {}, app.clock.now()
    )
    headers["Greenhouse-Event-ID"] = "gh-hire-1"
    assert post(vendor_server, "greenhouse", raw, headers).status_code == 202
    assert wait_for(lambda: rows(app)[0].status == "processed")
    dispatch = lambda moment: deliver_due_batch(app=app, now=moment, worker="t", limit=50)  # noqa: E731
    run_until(app, datetime(2027, 2, 10, 11, 0, tzinfo=AMS), dispatch=dispatch)
    before = sorted(outbox.glob("*.eml"))
    assert before
    first = email.message_from_bytes(before[0].read_bytes(), policy=policy.default)
    assert first["To"].addresses[0].addr_spec in ("personal@example.com", "work@example.com")

    raw, headers = support.sign_greenhouse(
        greenhouse_body("unhire_candidate", "2027-03-01"), {}, app.clock.now()
    )
    headers["Greenhouse-Event-ID"] = "gh-unhire-1"
    assert post(vendor_server, "greenhouse", raw, headers).status_code == 202
    assert wait_for(lambda: all(r.status == "processed" for r in rows(app)) and len(rows(app)) == 2)
    run_until(app, datetime(2027, 6, 30, tzinfo=AMS) + timedelta(days=1), dispatch=dispatch)
    new = [p for p in sorted(outbox.glob("*.eml")) if p not in before]
    assert new, "the sent invite must be cancelled"
    for path in new:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert vobject.readOne(part.get_content()).method.value == "CANCEL"
