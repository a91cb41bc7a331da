"""Engine and sessions from LEERPAD_DATABASE_URL; UTC-aware datetimes on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Session, create_engine

from models.sqlite_writer import WriterLock

DEFAULT_DATABASE_URL = "sqlite:///leerpad.db"
WRITE_LOCK_TIMEOUT = 30.0  # as SQLite's busy timeout; past it SQLite itself decides

# SQLite has one writer at a time and every transaction here starts with BEGIN IMMEDIATE: writers
# queue on a WriterLock (see models/sqlite_writer.py) instead of sleeping in SQLite's busy handler.
_WRITE_LOCKS: WeakKeyDictionary[Engine, WriterLock] = WeakKeyDictionary()


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, hand back aware UTC: rows store UTC on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


DEFAULT_POOL_SIZE = 10


def is_sqlite(engine: Engine) -> bool:
    """Tell whether an engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(
    url: str = DEFAULT_DATABASE_URL, *, echo: bool = False, pool_size: int = DEFAULT_POOL_SIZE
) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys.

    A server database keeps `pool_size` connections open and opens as many more for a burst.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,  # errors must not carry personal data into logs
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get(_READ_ONLY):
                conn.exec_driver_sql("BEGIN")  # a snapshot read: takes no write lock
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        @event.listens_for(engine, "before_cursor_execute")
        def _only_reads(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if conn.get_execution_options().get(_READ_ONLY) and not _is_read(statement):
                raise NeedsWriter(f"a write in a read-only unit of work: {statement[:60]}")

        _WRITE_LOCKS[engine] = WriterLock(engine.url.database)
        return engine
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=pool_size,
        hide_parameters=True,
    )


@contextmanager
def one_writer(engine: Engine) -> Iterator[None]:
    """On a SQLite engine from `make_engine`, write one at a time across threads and processes;
    other backends pass through."""
    lock = _WRITE_LOCKS.get(engine)
    if lock is None:
        yield
        return
    with lock.held(WRITE_LOCK_TIMEOUT):
        yield


_READ_ONLY = "leerpad_read_only"


class NeedsWriter(Exception):
    """A unit of work begun as read-only tried to write; do it again with `session_scope`."""


_READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _is_read(statement: str) -> bool:
    return statement.lstrip()[:9].upper().startswith(_READS)


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work that only reads: on SQLite a snapshot that takes no write lock (writers
    go on meanwhile); any write raises NeedsWriter (redo it in `session_scope`). Elsewhere the
    same as `session_scope`."""
    if not is_sqlite(engine):
        with session_scope(engine) as session:
            yield session
        return
    with _unit_of_work(engine.execution_options(**{_READ_ONLY: True})) as session:
        yield session


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error (one writer at a time on SQLite)."""
    with one_writer(engine), _unit_of_work(engine) as session:
        yield session


@contextmanager
def _unit_of_work(bind: Engine) -> Iterator[Session]:
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
