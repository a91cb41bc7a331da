"""An event processor killed between storing a webhook and processing it loses nothing: the
dispatch flow processes events left unprocessed for longer than the lease."""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from flows.bootstrap import bootstrap, reset
from flows.processing import process_pending_events
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent
from tests.reliability.conftest import LEASE_SECONDS, ROOT, worker_env
from tests.reliability.seed import JOURNEYS_DIR

SECRET = "reliability-secret"
STORED_AT = datetime(2027, 1, 25, 13, 0, 5, tzinfo=UTC)
HIRED = {
    "id": "generic:stored-then-killed",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "k1", "email": "k1@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}


def store_and_die(database, tmp_path: Path) -> int:
    """Take the webhook in (verify, store) in a process that SIGKILLs itself before processing."""
    body = json.dumps(HIRED).encode()
    (tmp_path / "hired.json").write_bytes(body)
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.worker", "store-then-die",
         "--until", STORED_AT.isoformat(), "--body", str(tmp_path / "hired.json"),
         "--signature", signature],
        cwd=ROOT, env=worker_env(database, None, LEERPAD_SECRET_GENERIC=SECRET),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 202 and answer["duplicate"] is False
    return int(answer["id"])


def inbox_status(database, inbox_id: int) -> str:
    with session_scope(database.engine) as session:
        row = session.get(InboxEvent, inbox_id)
        return row.status if row else "missing"


def journeys(database) -> list[str]:
    with session_scope(database.engine) as session:
        return sorted(e.journey_key for e in session.exec(select(Enrollment)).all())


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # Prefect start-up: ~10 s a run
def test_an_event_stored_by_a_killed_processor_is_processed_by_the_next_dispatch(
    database, sink, tmp_path
):
    inbox_id = store_and_die(database, tmp_path)
    assert inbox_status(database, inbox_id) == "received" and journeys(database) == []

    handler, port = sink()
    env = worker_env(database, port, PREFECT_HOME=str(tmp_path / "prefect"))
    leerpad = str(Path(sys.executable).parent / "leerpad")
    after_lease = STORED_AT + timedelta(seconds=LEASE_SECONDS + 1)
    run = subprocess.run(
        [leerpad, "dispatch", "--until", after_lease.isoformat(), "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert json.loads(run.stdout.strip().splitlines()[-1])["events_processed"] == 1
    assert inbox_status(database, inbox_id) == "processed"
    assert journeys(database) == ["leader", "new-hire"]
    with session_scope(database.engine) as session:
        assert session.exec(select(ScheduledStep)).first() is not None


def test_the_sweep_leaves_fresh_events_to_their_processor_and_takes_each_once(database, tmp_path):
    inbox_id = store_and_die(database, tmp_path)
    settings = LeerpadSettings(
        database_url=database.url, journeys_dir=JOURNEYS_DIR, outbox_dir=tmp_path, smtp_url=None
    )
    app = bootstrap(settings=settings, engine=database.engine)
    try:
        lease = timedelta(seconds=LEASE_SECONDS)
        within = STORED_AT + lease - timedelta(seconds=1)
        assert process_pending_events(app=app, now=within, grace=lease) == {}
        assert inbox_status(database, inbox_id) == "received"
        after = STORED_AT + lease + timedelta(seconds=1)
        assert process_pending_events(app=app, now=after, grace=lease) == {"processed": 1}
        assert process_pending_events(app=app, now=after, grace=lease) == {}
        assert inbox_status(database, inbox_id) == "processed"
        assert journeys(database) == ["leader", "new-hire"]
    finally:
        reset()
