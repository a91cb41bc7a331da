"""Reads without the SQLite write lock (`read_scope`), with a fallback when a load writes."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from models.db import NeedsWriter, make_engine, read_scope, session_scope


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'leerpad.db'}")
    with session_scope(engine) as session:
        session.exec(text("create table note (n integer)"))
        session.exec(text("insert into note values (1)"))
    yield engine
    engine.dispose()


def count(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(text("select count(*) from note")).one()[0]


def test_a_writer_gets_in_while_a_read_scope_is_open(sqlite_engine):
    wrote = threading.Event()

    def write() -> None:
        with session_scope(sqlite_engine) as session:
            session.exec(text("insert into note values (2)"))
        wrote.set()

    with read_scope(sqlite_engine) as session:
        assert session.exec(text("select count(*) from note")).one()[0] == 1
        writer = threading.Thread(target=write)
        writer.start()
        assert wrote.wait(timeout=10), "the writer waited for a read"
        # the read keeps its snapshot: the row written meanwhile is not in it
        assert session.exec(text("select count(*) from note")).one()[0] == 1
    writer.join(timeout=10)
    assert count(sqlite_engine) == 2


def test_a_write_in_a_read_scope_raises_needs_writer_and_leaves_nothing(sqlite_engine):
    with pytest.raises(NeedsWriter), read_scope(sqlite_engine) as session:
        session.exec(text("insert into note values (3)"))
    assert count(sqlite_engine) == 1
    with session_scope(sqlite_engine) as session:  # the fallback the caller takes
        session.exec(text("insert into note values (3)"))
    assert count(sqlite_engine) == 2


def test_a_read_scope_on_postgres_is_a_unit_of_work(engine):
    with read_scope(engine) as session:
        assert session.exec(text("select 1")).one()[0] == 1
