"""Many at once: four dispatcher processes on 2,000 due steps, fifty deliveries of one webhook."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import func, select

from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent
from tests.integration.conftest import free_port
from tests.reliability.conftest import ROOT, start_worker, wait_until, worker_env
from tests.reliability.seed import seed_due_steps
from tests.reliability.test_crash_safety import FIRST_RUN, ledger

S = ScheduledStep
SECRET = "reliability-secret"
HIRED = {
    "id": "generic:hired-once",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "c1", "email": "c1@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}


def test_four_dispatcher_processes_send_each_step_exactly_once(database, sink):
    handler, port = sink()
    total = seed_due_steps(database.engine, hires=400 if database.name == "postgres" else 40)
    workers = [start_worker(database, port, until=FIRST_RUN, batch=50) for _ in range(4)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    claimed = [r["claimed"] for r in results]
    print(f"{total} steps, claimed per dispatcher: {claimed}")
    assert sum(claimed) == total and sum(r.get("sent", 0) for r in results) == total
    assert sum(1 for c in claimed if c) >= 2  # they really worked side by side
    assert not any(r.get("lost_lease") for r in results)
    assert len(handler.ids) == total and handler.duplicates == 0  # on the receiving server
    assert ledger(database) == (total, {"sent": total})
    with session_scope(database.engine) as session:
        unique = session.exec(select(func.count(func.distinct(Delivery.message_id)))).one()
        stepped = session.exec(select(func.count(func.distinct(Delivery.step_id)))).one()
    assert unique == stepped == total


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Leerpad-Signature": f"sha256={digest}", "Content-Type": "application/json"}


@pytest.fixture
def served(database) -> Iterator[str]:
    """`leerpad serve` in its own process on this test's database; yields its base URL."""
    port = free_port()
    env = worker_env(database, None, LEERPAD_SECRET_GENERIC=SECRET)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "leerpad"), "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return server.poll() is not None

    assert wait_until(up, timeout=60) and server.poll() is None, server.stderr.read()[-2000:]
    yield base
    server.terminate()
    server.wait(timeout=30)


async def post_many(url: str, body: bytes, n: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        return await asyncio.gather(
            *(client.post(url, content=body, headers=signed(body)) for _ in range(n))
        )


def test_fifty_concurrent_deliveries_of_one_webhook_store_one_event_and_one_journey(
    database, served
):
    body = json.dumps(HIRED).encode()
    responses = asyncio.run(post_many(f"{served}/webhooks/generic", body, 50))
    assert [r.status_code for r in responses] == [202] * 50
    answers = [r.json() for r in responses]
    assert len({a["id"] for a in answers}) == 1
    assert sorted(a["duplicate"] for a in answers) == [False] + [True] * 49

    def processed() -> bool:
        with session_scope(database.engine) as session:
            rows = session.exec(select(InboxEvent)).all()
        return len(rows) == 1 and rows[0].status == "processed"

    assert wait_until(processed, timeout=30)
    with session_scope(database.engine) as session:
        journeys = sorted(e.journey_key for e in session.exec(select(Enrollment)).all())
        steps = session.exec(select(func.count()).select_from(ScheduledStep)).one()
        distinct = session.exec(
            select(func.count()).select_from(
                select(S.enrollment_id, S.step_key, S.occurrence).distinct().subquery()
            )
        ).one()
    assert journeys == ["leader", "new-hire"]  # one of each, not fifty
    assert steps == distinct > 0
