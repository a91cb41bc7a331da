"""xAPI in (POST /xapi/statements) and out (PUT to an LRS, idempotent, pseudonymous)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlmodel import select

from integrations.learning.lrs import LrsClient, LrsError, export_completions
from integrations.learning.xapi import ADL
from models.db import session_scope
from models.learning import LearningPlan, PlaylistItem, XapiStatement
from tests.conftest import AMS
from tests.integration.learning.conftest import (
    XAPI_TOKEN,
    dispatch_until,
    hire,
    link,
    mail_of,
)

AUTH = {"Authorization": f"Bearer {XAPI_TOKEN}", "X-Experience-API-Version": "1.0.3"}


class FakeLrs(BaseHTTPRequestHandler):
    """A Learning Record Store: PUT stores once, repeats are 204, a changed repeat is 409."""

    statements: dict[str, bytes]
    puts: list[str]

    def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
        query = parse_qs(urlparse(self.path).query)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("X-Experience-API-Version") != "1.0.3":
            return self._answer(400)
        if self.headers.get("Authorization") != "Basic bHJzOnNlY3JldA==":  # lrs:secret
            return self._answer(401)
        statement_id = query["statementId"][0]
        assert json.loads(body)["id"] == statement_id
        self.puts.append(statement_id)
        known = self.statements.get(statement_id)
        if known is not None and json.loads(known) != json.loads(body):
            return self._answer(409)
        self.statements[statement_id] = body
        return self._answer(204)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def lrs() -> Iterator[tuple[str, type[FakeLrs]]]:
    handler = type("Lrs", (FakeLrs,), {"statements": {}, "puts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xAPI/", handler
    server.shutdown()


@pytest.fixture
def learning_overrides(lrs):
    endpoint, _ = lrs
    return {"lrs": LrsClient(endpoint=endpoint, username="lrs", password="secret")}


def statement(actor: dict, verb: str, object_id: str, **extra) -> dict:
    return {"actor": actor, "verb": {"id": ADL + verb}, "object": {"id": object_id}, **extra}


def started(lapp) -> tuple[LearningPlan, list[PlaylistItem]]:
    hire(lapp)
    dispatch_until(lapp, datetime(2027, 3, 11, 11, 0, tzinfo=AMS))
    with session_scope(lapp.engine) as session:
        plan = session.exec(select(LearningPlan)).one()
        items = list(session.exec(select(PlaylistItem).order_by(PlaylistItem.position)).all())
    return plan, items


class TestStatementsIn:
    def test_completions_by_account_or_mbox_sha1sum_tick_items_off(self, lapp, server):
        plan, items = started(lapp)
        home = lapp.settings.public_url
        sha1 = hashlib.sha1(b"mailto:hire1@example.org").hexdigest()
        first = str(uuid.uuid4())
        batch = [
            statement({"account": {"homePage": home, "name": plan.actor_name}}, "completed",
                      items[0].url or f"{home}/xapi/activities/{items[0].item_key}", id=first),
            statement({"mbox_sha1sum": sha1}, "attended",
                      items[1].url or f"{home}/xapi/activities/{items[1].item_key}"),
            statement({"mbox": "mailto:hire1@example.org"}, "experienced",
                      items[2].url or f"{home}/xapi/activities/{items[2].item_key}"),
        ]  # fmt: skip
        response = httpx.post(f"{server}/xapi/statements", json=batch, headers=AUTH)
        assert response.status_code == 200 and response.headers["x-experience-api-version"]
        ids = response.json()
        assert ids[0] == first and len(set(ids)) == 3
        with session_scope(lapp.engine) as session:
            rows = session.exec(select(PlaylistItem).order_by(PlaylistItem.position)).all()
            stored = session.exec(select(XapiStatement)).all()
        assert [r.status for r in rows[:3]] == ["completed", "completed", "started"]
        assert {r.completed_via for r in rows[:2]} == {"xapi"}
        assert "hire1@example.org" not in repr([s.model_dump() for s in stored])
        again = httpx.post(f"{server}/xapi/statements", json=batch[0], headers=AUTH)
        assert again.json() == [first]
        with session_scope(lapp.engine) as session:
            assert len(session.exec(select(XapiStatement)).all()) == 3

    def test_without_the_right_credentials_nothing_is_stored(self, lapp, server):
        body = statement({"mbox_sha1sum": "0" * 40}, "completed", "https://x.example/a")
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
            response = httpx.post(f"{server}/xapi/statements", json=body, headers=headers)
            assert response.status_code == 401, headers
        with session_scope(lapp.engine) as session:
            assert session.exec(select(XapiStatement)).all() == []

    def test_a_statement_it_cannot_use_is_a_400(self, lapp, server):
        url = f"{server}/xapi/statements"
        cases = [
            (statement({"mbox_sha1sum": "0" * 40}, "liked", "https://x.example/a"), "verb"),
            (statement({"name": "Sanne"}, "completed", "https://x.example/a"), "actor"),
            ({"verb": {"id": ADL + "completed"}}, "actor"),
            ([], "1 to 100"),
        ]
        for body, reason in cases:
            response = httpx.post(url, json=body, headers=AUTH)
            assert response.status_code == 400 and reason in response.json()["error"], body
        assert httpx.post(url, content=b"{", headers=AUTH).status_code == 400


class TestStatementsOut:
    def test_a_done_link_sends_one_pseudonymous_statement_to_the_lrs(self, lapp, server, lrs):
        _, handler = lrs
        plan, items = started(lapp)
        assert httpx.post(link(mail_of(lapp, "playlist-1").text, "done")).status_code == 303
        deadline = time.monotonic() + 10
        while not handler.statements and time.monotonic() < deadline:
            time.sleep(0.05)
        (body,) = handler.statements.values()
        sent = json.loads(body)
        assert sent["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": lapp.settings.public_url, "name": plan.actor_name},
        }
        assert sent["verb"]["id"] == ADL + "completed"
        assert "hire1" not in body.decode() and "Sanne" not in body.decode()
        uuid.UUID(sent["id"])  # a real UUID (v5, derived from actor, verb and activity)
        assert uuid.UUID(sent["id"]).version == 5

    def test_sending_again_is_idempotent_at_the_lrs(self, lapp, lrs):
        endpoint, handler = lrs
        plan, items = started(lapp)
        client = LrsClient(endpoint=endpoint, username="lrs", password="secret")
        with session_scope(lapp.engine) as session:
            for row in session.exec(select(PlaylistItem).order_by(PlaylistItem.id)).all()[:2]:
                row.status, row.completed_via = "completed", "link"
                row.completed_at = lapp.clock.now()

        def export() -> int:
            return export_completions(
                engine=lapp.engine, lrs=client, home_page=lapp.settings.public_url,
                public_url=lapp.settings.public_url, now=lapp.clock.now,
            )  # fmt: skip

        assert export() == 2 and export() == 0
        with session_scope(lapp.engine) as session:  # a crash between PUT and bookkeeping
            for row in session.exec(select(PlaylistItem)).all():
                row.lrs_sent_at = None
        assert export() == 2
        assert len(handler.puts) == 4 and len(handler.statements) == 2

    def test_a_refusing_lrs_is_an_error_and_nothing_is_marked_sent(self, lapp, lrs):
        endpoint, handler = lrs
        started(lapp)
        client = LrsClient(endpoint=endpoint, username="lrs", password="wrong")
        with pytest.raises(LrsError, match="401"):
            client.put_statement({"id": str(uuid.uuid4())})
        with session_scope(lapp.engine) as session:
            row = session.exec(select(PlaylistItem).order_by(PlaylistItem.id)).first()
            row.status, row.completed_via, row.completed_at = "completed", "link", lapp.clock.now()
        sent = export_completions(
            engine=lapp.engine, lrs=client, home_page="https://x.example",
            public_url="https://x.example", now=lapp.clock.now,
        )  # fmt: skip
        assert sent == 0 and handler.statements == {}
        with session_scope(lapp.engine) as session:
            first = session.exec(select(PlaylistItem).order_by(PlaylistItem.id)).first()
            assert first.lrs_sent_at is None
