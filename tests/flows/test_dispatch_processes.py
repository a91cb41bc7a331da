"""The dispatch flow with its batches in several processes: every step once, counts summed."""

from __future__ import annotations

import email
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from flows.dispatch import dispatch
from flows.processing import process_stored_event, store
from tests.conftest import AMS
from tests.factories import make_event

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
LATER = datetime(2027, 3, 20, 18, 0, tzinfo=AMS)


@pytest.fixture
def papp(engine, tmp_path: Path, start_clock):
    """The app on a database URL a fresh process can open by itself (the schema in the URL)."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            schema = connection.execute(text("select current_schema()")).scalar_one()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    settings = LeerpadSettings(
        database_url=url.render_as_string(hide_password=False),
        outbox_dir=tmp_path / "outbox",
        smtp_url=None,
    )
    application = bootstrap(settings=settings, clock=start_clock)
    yield application
    reset()


def test_batches_in_two_processes_send_every_due_step_once(papp):
    for n in range(1, 7):
        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), n=n)
        inbox_id, _ = store(app=papp, event=event, now=HIRED_AT)
        process_stored_event(app=papp, inbox_id=inbox_id, now=HIRED_AT)

    totals = dispatch(until=LATER.isoformat(), batch_size=4, processes=2)

    files = list(Path(papp.settings.outbox_dir).glob("*.eml"))
    ids = Counter(email.message_from_bytes(f.read_bytes())["Message-ID"] for f in files)
    assert totals["claimed"] > 8 and totals["sent"] == len(files) == len(ids)
    assert max(ids.values()) == 1
    assert dispatch(until=LATER.isoformat(), batch_size=4, processes=2) == {"claimed": 0}


def hire_six(app) -> None:
    for n in range(1, 7):
        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), n=n)
        inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
        process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT)


def sent_once(app) -> int:
    files = list(Path(app.settings.outbox_dir).glob("*.eml"))
    ids = Counter(email.message_from_bytes(f.read_bytes())["Message-ID"] for f in files)
    assert max(ids.values()) == 1
    return len(files)


@pytest.mark.parametrize("threshold", [10**6, 1])
def test_automatic_processes_start_for_a_large_backlog_on_postgres(papp, monkeypatch, threshold):
    import flows.dispatch as flow_module

    started: list[int] = []
    in_processes = flow_module._batches_in_processes

    def spy(app, as_of, worker, limit, processes):  # type: ignore[no-untyped-def]
        started.append(processes)
        return in_processes(app, as_of, worker, limit, processes)

    monkeypatch.setattr(flow_module, "_batches_in_processes", spy)
    monkeypatch.setattr(flow_module, "AUTO_BACKLOG", threshold)
    monkeypatch.setattr(flow_module.os, "cpu_count", lambda: 2)
    hire_six(papp)

    totals = dispatch(until=LATER.isoformat(), batch_size=4, processes=0)

    large = threshold == 1 and papp.engine.dialect.name == "postgresql"
    assert started == ([2] if large else [])
    assert totals["claimed"] > 8 and totals["sent"] == sent_once(papp)


def test_the_automatic_choice_needs_postgres_a_backlog_and_a_second_core():
    from flows.dispatch import AUTO_BACKLOG, processes_for

    assert processes_for(AUTO_BACKLOG - 1, 8, sqlite=False) == 1
    assert processes_for(AUTO_BACKLOG, 8, sqlite=False) == 2
    assert processes_for(AUTO_BACKLOG * 10, 8, sqlite=True) == 1
    assert processes_for(AUTO_BACKLOG * 10, 1, sqlite=False) == 1
    assert processes_for(AUTO_BACKLOG * 10, None, sqlite=False) == 1
    assert processes_for(AUTO_BACKLOG * 10, 8, sqlite=False, sender_process=True) == 1
