"""LEERPAD_PROCESS=deferred: the HTTP app verifies, stores and answers; a processor process
processes what was stored, each event once, and takes over an event whose processor died."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlmodel import select

from flows.processing import process_pending_events, process_received_events
from flows.serve import build_http_app, process_mode
from integrations.intake import take_in
from models.db import session_scope
from models.enrollment import Enrollment
from models.inbox import InboxEvent
from models.inbox_store import take_for_processing
from tests.integration.test_webhooks_http import HIRED, SECRET, free_port, inbox, signed, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def deferred_server(app, monkeypatch) -> Iterator[str]:
    """The webhook app in deferred mode, served by uvicorn on loopback."""
    monkeypatch.setenv("LEERPAD_SECRET_GENERIC", SECRET)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    port = free_port()
    config = uvicorn.Config(
        build_http_app(app, mode="deferred"), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def journeys(app) -> list[str]:
    with session_scope(app.engine) as session:
        return sorted(e.journey_key for e in session.exec(select(Enrollment)).all())


def test_deferred_answers_202_stores_and_leaves_processing_to_the_processor(app, deferred_server):
    body = json.dumps(HIRED).encode()
    url = f"{deferred_server}/webhooks/generic"
    first = httpx.post(url, content=body, headers=signed(body))
    assert first.status_code == 202 and first.json() == {"id": 1, "duplicate": False}
    time.sleep(0.3)  # inline mode would have processed it by now
    assert [row.status for row in inbox(app)] == ["received"] and journeys(app) == []
    again = httpx.post(url, content=body, headers=signed(body))
    assert again.status_code == 202 and again.json() == {"id": 1, "duplicate": True}

    assert process_received_events(app=app, stop=lambda: False, once=True) == {"processed": 1}
    assert [row.status for row in inbox(app)] == ["processed"]
    assert journeys(app) == ["leader", "new-hire"]
    assert process_received_events(app=app, stop=lambda: False, once=True) == {}


def test_an_event_taken_by_a_processor_that_died_is_taken_again_after_the_lease(app):
    now = app.clock.now()
    body = json.dumps(HIRED).encode()
    intake = take_in(engine=app.engine, source="generic", raw=body, headers=signed(body),
                     secret=SECRET, now=now)  # fmt: skip
    assert intake.status == 202
    with session_scope(app.engine) as session:  # a processor took it, then died
        assert take_for_processing(session=session, inbox_id=intake.body["id"],
                                   received_before=now + timedelta(seconds=1), now=now)  # fmt: skip
    lease = timedelta(seconds=60)
    within = now + lease - timedelta(seconds=1)
    assert process_pending_events(app=app, now=within, grace=timedelta(0), lease=lease) == {}
    assert [row.status for row in inbox(app)] == ["received"]
    after = now + lease + timedelta(seconds=1)
    counts = process_pending_events(app=app, now=after, grace=timedelta(0), lease=lease)
    assert counts == {"processed": 1}
    assert process_pending_events(app=app, now=after, grace=timedelta(0), lease=lease) == {}


def test_the_process_mode_comes_from_leerpad_process(monkeypatch):
    monkeypatch.delenv("LEERPAD_PROCESS", raising=False)
    assert process_mode() == "inline"
    monkeypatch.setenv("LEERPAD_PROCESS", "Deferred")
    assert process_mode() == "deferred"
    monkeypatch.setenv("LEERPAD_PROCESS", "later")
    with pytest.raises(ValueError, match="inline or deferred"):
        process_mode()


def children_of(pid: int) -> set[int]:
    """Every live descendant of a process, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if stat[0] != "Z":
                parents[int(entry.name)] = int(stat[1])
    found, grew = set(), {pid}
    while grew:
        grew = {child for child, parent in parents.items() if parent in grew} - found
        found |= grew
    return found


def alive(pids: set[int]) -> set[int]:
    """The processes among `pids` that still run (zombies do not)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_leerpad_serve_deferred_with_two_workers_processes_and_stops_its_processor(tmp_path):
    port = free_port()
    database = tmp_path / "serve.db"
    env = os.environ | {
        "PYTHONPATH": str(ROOT), "LEERPAD_DATABASE_URL": f"sqlite:///{database}",
        "LEERPAD_SECRET_GENERIC": SECRET, "LEERPAD_OUTBOX_DIR": str(tmp_path / "outbox"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }  # fmt: skip
    env.pop("PREFECT_API_URL", None)
    env.pop("LEERPAD_PROCESS", None)
    launch = "import sys; sys.argv[0] = 'leerpad'; from flows.cli import main; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", launch, "serve", "--port", str(port), "--workers", "2",
         "--process", "deferred"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz").status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(up, timeout=180)  # three processes start: slow on a busy machine
        family = children_of(server.pid)
        assert len(family) >= 3  # two HTTP workers and the processor (and spawn's tracker)
        body = json.dumps(HIRED).encode()
        response = httpx.post(f"{base}/webhooks/generic", content=body, headers=signed(body))
        assert response.status_code == 202 and response.json()["duplicate"] is False

        from models.db import make_engine

        engine = make_engine(f"sqlite:///{database}")

        def processed() -> bool:
            with session_scope(engine) as session:
                row = session.exec(select(InboxEvent)).one()
                return row.status == "processed"

        assert wait_for(processed, timeout=60)
        engine.dispose()
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)
    assert server.returncode in (0, -signal.SIGTERM), out[-3000:]
    assert wait_for(lambda: not alive(family), timeout=10), "a child outlived leerpad serve"
