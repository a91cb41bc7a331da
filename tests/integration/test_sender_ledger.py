"""The sender process's ledger (flows/sender_ledger.py): on PostgreSQL a psycopg connection of
its own, the record encoded by the dispatcher, no SQLAlchemy and no models in the process."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from flows.sender_ledger import ledger_config, open_ledger, uses_record_params
from models.outbound import StepOutcome, encoded_record_params
from tests.integration.test_record_sent import LATER, _seed, _status

ROOT = Path(__file__).resolve().parents[2]
on_postgresql = pytest.mark.parametrize("engine", ["postgres"], indirect=True)


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _job(step_id: int, sequence: int | None = None) -> SimpleNamespace:
    """What the ledger reads of a SendJob the dispatcher made for a PostgreSQL sender."""
    outcome = StepOutcome(step_id, "sent", f"<{step_id}@x>", sequence)
    params = tuple(encoded_record_params("w1", outcome, LATER))
    return SimpleNamespace(record=None, record_params=params, worker="w1", now=LATER)


_CHILD = """
import pickle, sys
from types import SimpleNamespace
from flows.sender_ledger import open_ledger
config, jobs = pickle.load(sys.stdin.buffer)
ledger = open_ledger(config)
held = [ledger.start(SimpleNamespace(record=None, record_params=p))() for p in jobs]
ledger.close()
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sqlalchemy", "sqlmodel", "models"})
print(held, heavy)
"""


@on_postgresql
def test_the_sender_records_on_postgresql_without_sqlalchemy_or_the_models(engine):
    email, invite, cancel = _seed(engine)
    config = ledger_config(_url(engine))
    assert uses_record_params(config)
    jobs = [_job(email).record_params, _job(invite, 3).record_params, _job(cancel, 3).record_params]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], input=pickle.dumps((config, jobs)), capture_output=True,
        cwd=ROOT, check=True,
    )  # fmt: skip
    assert done.stdout.decode().split() == ["[True,", "True,", "True]", "[]"]
    assert [_status(engine, i) for i in (email, invite, cancel)] == ["sent", "sent", "cancelled"]
    with engine.connect() as connection:
        ledger = connection.execute(text("SELECT step_id, message_id FROM delivery")).all()
        event = connection.execute(
            text("SELECT status, sent_sequence FROM calendar_event WHERE step_id = :s"),
            {"s": invite},
        ).one()
    assert sorted(ledger) == sorted((i, f"<{i}@x>") for i in (email, invite, cancel))
    assert tuple(event) == ("confirmed", 3)


@on_postgresql
def test_a_step_the_worker_no_longer_holds_is_not_recorded(engine):
    email, _, _ = _seed(engine)
    ledger = open_ledger(ledger_config(_url(engine)))
    try:
        assert ledger.start(_job(email))() is True
        assert ledger.start(_job(email))() is False  # sent already: not held any more
    finally:
        ledger.close()


@on_postgresql
def test_a_connection_dropped_between_batches_is_replaced(engine):
    """As a pool's pre-ping would: the next batch's first record opens a new connection, so a
    message sent after a database restart is still recorded."""
    email, invite, _ = _seed(engine)
    ledger = open_ledger(ledger_config(_url(engine)))
    try:
        assert ledger.start(_job(email))() is True
        ledger.end_batch()
        with engine.connect() as connection, connection.begin():
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        assert killed >= 1
        assert ledger.start(_job(invite, 3))() is True
    finally:
        ledger.close()
    assert _status(engine, invite) == "sent"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_on_sqlite_the_sender_records_through_the_models(engine):
    email, _, _ = _seed(engine)
    config = ledger_config(_url(engine))
    assert not uses_record_params(config)
    ledger = open_ledger(config)
    try:
        job = SimpleNamespace(
            record=StepOutcome(email, "sent", "<e@x>", None), record_params=None, worker="w1",
            now=LATER,
        )  # fmt: skip
        assert ledger.start(job)() is True
    finally:
        ledger.close()
    assert _status(engine, email) == "sent"


def test_the_sender_process_module_loads_neither_sqlalchemy_nor_the_models():
    """Its start-up is on the way to every dispatch run's first message."""
    probe = (
        "import sys, flows.sender_process; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', "
        "'models', 'prefect'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"
