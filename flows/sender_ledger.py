"""Where the sender process (flows/sender_process.py) records a sent message in the ledger.

On PostgreSQL with psycopg: a connection of its own, in autocommit, and the one-statement record
sent ahead as a prepared statement (integrations/postgres_ahead.py) with the parameters the
dispatcher encoded (`SendJob.record_params`). The sender process then imports neither
SQLAlchemy nor the models package, and is ready in a fraction of the time (most of its start-up
was importing them, on the way to the first message of every dispatch run). Elsewhere (SQLite):
the models' `start_record_sent` on an engine of its own, under the one-writer lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from flows.sender_process import SendJob


class Ledger(Protocol):
    """The sender process's end of the ledger."""

    def start(self, job: SendJob) -> Callable[[], bool]:
        """Start recording a sent job; the function returned waits for the end and tells
        whether this worker still held the step. Either may raise: the record failed."""
        ...

    def end_batch(self) -> None:
        """A batch ended: nothing is in flight."""
        ...

    def close(self) -> None:
        """The process ends."""
        ...


def ledger_config(database_url: str) -> dict[str, Any]:
    """What the sender process needs to record (worked out in the dispatcher, which has
    SQLAlchemy and the models loaded): for PostgreSQL with psycopg, the driver's connection
    arguments and the record statement; otherwise the database URL."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "postgresql" or url.get_driver_name() != "psycopg":
        return {"database_url": database_url}
    from models.outbound import RECORD_STATEMENT, record_sql_postgresql

    _, connect = url.get_dialect()().create_connect_args(url)
    return {"postgres": connect, "statement": RECORD_STATEMENT, "sql": record_sql_postgresql()}


def uses_record_params(config: dict[str, Any]) -> bool:
    """Whether jobs for a sender process of this config carry their record encoded."""
    return "postgres" in config


def open_ledger(config: dict[str, Any]) -> Ledger:
    """The ledger of a `ledger_config` (in the sender process)."""
    if uses_record_params(config):
        return _PostgresLedger(config["postgres"], config["statement"], config["sql"])
    return _EngineLedger(config["database_url"])


class _PostgresLedger:
    """A psycopg connection of the sender process's own, checked at each batch's first record
    (as a pool's pre-ping would) and kept between batches."""

    def __init__(self, connect: dict[str, Any], statement: bytes, sql: bytes) -> None:
        self._connect, self._statement, self._sql = connect, statement, sql
        self._connection: Any = None
        self._prepared: dict[bytes, bool] = {}  # as long as the connection lives
        self._checked = False

    def start(self, job: SendJob) -> Callable[[], bool]:
        from integrations.postgres_ahead import PreparedAhead

        assert job.record_params is not None  # the dispatcher encodes them for this ledger

        connection = self._checked_connection()
        record = PreparedAhead(connection, self._statement, self._sql, self._prepared)
        rows = record.start(list(job.record_params))
        return lambda: rows() > 0

    def _checked_connection(self) -> Any:
        import psycopg

        if self._connection is not None and not self._checked:
            try:
                self._connection.execute("SELECT 1")
            except psycopg.Error:
                self._drop()
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(**self._connect, autocommit=True)
            self._prepared = {}
        self._checked = True
        return self._connection

    def _drop(self) -> None:
        try:
            self._connection.close()
        finally:
            self._connection, self._prepared = None, {}

    def end_batch(self) -> None:
        self._checked = False
        if self._connection is not None and self._connection.broken:
            self._drop()

    def close(self) -> None:
        if self._connection is not None:
            self._drop()


class _EngineLedger:
    """An engine of the sender process's own and a connection per batch."""

    def __init__(self, database_url: str) -> None:
        from models.db import make_engine

        self._engine = make_engine(database_url, pool_size=1)
        self._connection: Any = None

    def start(self, job: SendJob) -> Callable[[], bool]:
        from models.db import one_writer
        from models.outbound import recording_connection, start_record_sent

        assert job.record is not None
        if self._connection is None:
            self._connection = recording_connection(self._engine)
        record = {"connection": self._connection, "worker": job.worker, "outcome": job.record,
                  "now": job.now}  # fmt: skip
        if self._connection.dialect.name == "postgresql":  # one statement, autocommit
            return start_record_sent(**record)
        with one_writer(self._engine), self._connection.begin():
            return start_record_sent(**record)

    def end_batch(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        self.end_batch()
        self._engine.dispose()
