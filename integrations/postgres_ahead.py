"""A prepared statement sent ahead on a psycopg connection: it goes out now, its answer is read
later (libpq's asynchronous send), so the caller does something else meanwhile.

Plain psycopg, no SQLAlchemy and no models: the sender process (flows/sender_process.py) uses it
on a connection of its own and starts in a fraction of the time the models package takes to
import; models/outbound.py uses it on a SQLAlchemy connection's driver connection.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

NO_SUCH_STATEMENT = "26000"  # invalid_sql_statement_name: the statement was deallocated


class StatementRefused(RuntimeError):
    """The database refused a statement sent ahead; `sqlstate` tells why (the code only: the
    values may be personal data)."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"the database refused the statement (SQLSTATE {sqlstate})")
        self.sqlstate = sqlstate


class PreparedAhead:
    """One named statement on one psycopg connection, prepared on first use. `prepared`
    remembers that it is, and must live exactly as long as the database connection (a pool
    record's info, or a dict made with the connection)."""

    def __init__(
        self, raw: Any, name: bytes, sql: bytes, prepared: MutableMapping[Any, Any]
    ) -> None:
        self._raw, self._pgconn = raw, raw.pgconn
        self._name, self._sql, self._prepared = name, sql, prepared

    def start(self, params: list[bytes | None]) -> Callable[[], int]:
        """Send one execution (text parameters, None for NULL) and return a function that waits
        for its answer: the rows it returned, or `StatementRefused`. A statement deallocated
        since it was prepared (a pooler's DISCARD ALL) did not run: it is prepared again and
        run once more. Call the function before using the connection for anything else."""
        self._send(params)

        def rows() -> int:
            try:
                return self._rows()
            except StatementRefused as exc:
                if exc.sqlstate != NO_SUCH_STATEMENT:
                    raise
                self._prepared.pop(self._name, None)
                self._send(params)
                return self._rows()

        return rows

    def _send(self, params: list[bytes | None]) -> None:
        from psycopg import generators

        if not self._prepared.get(self._name):
            self._pgconn.send_prepare(self._name, self._sql)
            self._raw.wait(generators.send(self._pgconn))
            self._rows()
            self._prepared[self._name] = True
        self._pgconn.send_query_prepared(self._name, params)
        self._raw.wait(generators.send(self._pgconn))

    def _rows(self) -> int:
        from psycopg import generators, pq

        rows, error = 0, None
        for res in self._raw.wait(generators.fetch_many(self._pgconn)):
            if res.status == pq.ExecStatus.TUPLES_OK:
                rows += res.ntuples
            elif res.status != pq.ExecStatus.COMMAND_OK:
                error = res.error_field(pq.DiagnosticField.SQLSTATE) or b"?"
        if error is not None:
            raise StatementRefused(error.decode())
        return rows
