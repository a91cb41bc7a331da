"""The SQLite writer lock: one writer across threads and across processes (separate opens)."""

from __future__ import annotations

import threading

import pytest

from models.sqlite_writer import WriterLock, fcntl

pytestmark = pytest.mark.skipif(fcntl is None, reason="file locks need fcntl")


def test_a_second_process_waits_until_the_first_writer_is_done(tmp_path):
    database = str(tmp_path / "leerpad.db")
    first, second = WriterLock(database), WriterLock(database)  # two opens: as two processes
    done_writing, order = threading.Event(), []

    def other() -> None:
        with second.held(timeout=30):
            order.append(("second in", done_writing.is_set()))

    with first.held(timeout=30):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=0.3)  # it cannot get in while the first holds the lock
        order.append(("first done", thread.is_alive()))
        done_writing.set()
    thread.join(timeout=30)
    assert order == [("first done", True), ("second in", True)]
    assert (tmp_path / "leerpad.db-writer.lock").exists()


def test_the_lock_is_reentrant_in_one_thread_and_freed_after_the_outer_block(tmp_path):
    database = str(tmp_path / "leerpad.db")
    lock, other = WriterLock(database), WriterLock(database)
    with lock.held(timeout=30), lock.held(timeout=30):
        pass
    got_in = []

    def write() -> None:
        with other.held(timeout=30):
            got_in.append(1)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)
    assert got_in == [1]


def test_past_the_timeout_a_writer_goes_on_and_leaves_the_decision_to_sqlite(tmp_path):
    database = str(tmp_path / "leerpad.db")
    first, second = WriterLock(database), WriterLock(database)
    entered = []
    with first.held(timeout=30):
        with second.held(timeout=0.01):
            entered.append("second")
    assert entered == ["second"]


def test_an_in_memory_database_has_no_lock_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with WriterLock(":memory:").held(timeout=1):
        pass
    assert list(tmp_path.iterdir()) == []
