"""A whole story under a Prefect server leaves no name or address in Prefect's database or files.

Webhooks arrive over HTTP (the app emits the Prefect event that triggers handle-event), the
handle-event, dispatch, publish-vacancy and retention flows run against Prefect's test server;
then its database (flow and task runs, events, logs, artifacts, variables, …) and its home and
result storage are searched for the people's addresses and names.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from sqlmodel import select

from flows.dispatch import dispatch
from flows.handle_event import handle_event
from flows.retention import retention
from models.db import session_scope
from models.inbox import InboxEvent
from models.people import Person
from tests.conftest import AMS, sqlite_engine
from tests.integration.conftest import free_port
from tests.privacy.helpers import traces_in_files

SECRET = "privacy-test-secret"
HIRE = {"external_id": "ext-QZL-5521", "email": "quirijn.zwanenburg@lichtveld-example.org",
        "first_name": "Quirijn", "last_name": "Zwanenburg-Lichtveld", "locale": "nl",
        "timezone": "Europe/Amsterdam"}  # fmt: skip
REJECTED = {"external_id": "ext-YBO-7730", "email": "ysolde.okonkwo@brandsma-example.org",
            "first_name": "Ysolde", "last_name": "Brandsma-Okonkwo", "locale": "en"}  # fmt: skip
MANAGER = {"external_id": "ext-WKF-0042", "email": "w.kastelein-ferreira@example.org",
           "first_name": "Wolter", "last_name": "Kastelein-Ferreira"}  # fmt: skip
RECRUITER = ["ximena.quillfeather@example.org", "Quillfeather"]
NEEDLES = [
    *(p[k] for p in (HIRE, REJECTED, MANAGER) for k in ("email", "first_name", "last_name")),
    "Zwanenburg", "Okonkwo", "Kastelein", "Ximena", *RECRUITER,
]  # fmt: skip
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)
VACANCY = """---
title: Data Engineer
external_id: DE-2027-7
language: en
location: {city: Utrecht, country: NL}
salary: {min: 4000, max: 5600, currency: EUR, unit: MONTH}
---
## About the role
You build our data platform. Every month you get study time, and a coach helps you learn.

## Questions?
Ask Ximena Quillfeather, ximena.quillfeather@example.org, our recruiter.
"""


def event(n: int, kind: str, at: str, person: dict, **parts: object) -> dict:
    return {"id": f"generic:privacy-{n}", "type": kind, "occurred_at": at, "person": person,
            "vacancy": {"external_id": "DE-2027-7", "title": "Data Engineer"},
            "application": {"external_id": f"app-{person['external_id']}"}, **parts}  # fmt: skip


STORY = [
    event(1, "candidate.applied", "2027-01-11T09:00:00+01:00", HIRE),
    event(2, "candidate.applied", "2027-01-12T09:00:00+01:00", REJECTED),
    event(3, "candidate.rejected", "2027-01-20T09:00:00+01:00", REJECTED),
    event(
        4,
        "candidate.hired",
        "2027-01-25T14:00:00+01:00",
        HIRE,
        employment={"start_date": "2027-03-01", "title": "Data Engineer", "manager": MANAGER},
    ),  # fmt: skip
]


@pytest.fixture
def app(tmp_path: Path, start_clock):
    """The wired app on SQLite (Prefect is what is tested), file outbox, simulated clock."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    engine = sqlite_engine(tmp_path)
    settings = LeerpadSettings(
        database_url=str(engine.url), outbox_dir=tmp_path / "outbox", smtp_url=None
    )
    yield bootstrap(settings=settings, clock=start_clock, engine=engine)
    reset()


@pytest.fixture
def webhooks(app, prefect_api, monkeypatch) -> Iterator[str]:
    """The HTTP app on loopback, handing stored events to Prefect as in production."""
    from prefect.settings import PREFECT_API_URL

    from flows.serve import build_http_app

    monkeypatch.setenv("LEERPAD_SECRET_GENERIC", SECRET)
    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    port = free_port()
    config = uvicorn.Config(build_http_app(app), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def post(url: str, body: dict) -> None:
    raw = json.dumps(body).encode()
    digest = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    headers = {"X-Leerpad-Signature": f"sha256={digest}", "Content-Type": "application/json"}
    response = httpx.post(f"{url}/webhooks/generic", content=raw, headers=headers, timeout=30)
    assert response.status_code == 202, response.text


def inbox_ids(app) -> list[int]:
    with session_scope(app.engine) as session:
        return list(session.exec(select(InboxEvent.id).order_by(InboxEvent.id)).all())


async def _flow_run_ids() -> list[str]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return [str(run.id) for run in await client.read_flow_runs(limit=200)]


def prefect_rows(database: Path) -> dict[str, list[tuple]]:
    """Every row of every table of Prefect's database, by table."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        tables = [r[0] for r in connection.execute("select name from sqlite_master "
                                                   "where type = 'table'")]  # fmt: skip
        return {t: connection.execute(f'select * from "{t}"').fetchall() for t in tables}


def traces_in_prefect(database: Path, needles: list[str]) -> list[str]:
    """Tables of Prefect's database holding one of the needles, with the needle."""
    found = []
    for table, rows in prefect_rows(database).items():
        text = json.dumps(rows, default=lambda v: v.decode("utf-8", "replace")).lower()
        found += [f"{table}: {n}" for n in needles if n.lower() in text]
    return found


def wait_until_persisted(database: Path, run_ids: list[str], timeout: float = 60.0) -> None:
    """Let the server write every run's terminal event (events are persisted in batches)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all()
    EventsWorker.drain_all()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = json.dumps(prefect_rows(database).get("events", []), default=str)
        if all(f"prefect.flow-run.{i}" in text for i in run_ids) and "leerpad.inbox" in text:
            return
        time.sleep(0.5)
    raise AssertionError("Prefect did not persist the runs' events in time")


def test_no_name_or_address_reaches_prefect(app, webhooks, prefect_api, tmp_path):
    for body in STORY:
        post(webhooks, body)
    ids = inbox_ids(app)
    assert len(ids) == len(STORY)
    for inbox_id, body in zip(ids, STORY, strict=True):
        assert handle_event(inbox_event_id=inbox_id, as_of=body["occurred_at"]) == "processed"
    delivered = dispatch(until=DAY_90.isoformat())
    assert delivered["sent"] > 10
    outbox = Path(app.settings.outbox_dir)
    assert traces_in_files(outbox, [HIRE["email"]]) and traces_in_files(outbox, [MANAGER["email"]])

    vacancy = tmp_path / "vacancy.md"
    vacancy.write_text(VACANCY, encoding="utf-8")
    from flows.cli_vacancy import vacancy as vacancy_cli

    published = CliRunner().invoke(
        vacancy_cli, ["publish", str(vacancy), "--out", str(tmp_path / "site")]
    )
    assert published.exit_code == 0, published.output
    assert "Quillfeather" in (tmp_path / "site" / "generic-DE-2027-7.html").read_text("utf-8")

    purged = retention(as_of="2027-03-01T03:00:00+01:00")
    assert (purged["due"], purged["purged"]) == (1, 1)
    with session_scope(app.engine) as session:
        assert session.exec(select(Person).where(Person.email == REJECTED["email"])).first() is None

    run_ids = asyncio.run(_flow_run_ids())
    assert len(run_ids) >= len(STORY) + 3
    wait_until_persisted(prefect_api.database, run_ids)
    rows = prefect_rows(prefect_api.database)
    names = json.dumps(rows.get("flow", []), default=str)
    assert all(f in names for f in ("handle-event", "dispatch", "publish-vacancy", "retention"))
    assert rows.get("log") and rows.get("task_run")  # the search reads what the runs left

    assert traces_in_prefect(prefect_api.database, NEEDLES) == []
    places = [prefect_api.home, prefect_api.storage, prefect_api.database.parent]
    assert [p for place in places for p in traces_in_files(place, NEEDLES)] == []
