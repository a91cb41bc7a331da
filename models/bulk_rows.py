"""Insert many rows fast: ids reserved up front, one driver-level executemany per table.

SQLAlchemy's executemany runs its bind processing per row and per value (about half the time of
a bulk import went there). `insert_rows` converts each distinct value of a typed column once
(the same dates and times recur across thousands of rows) and hands plain tuples to the driver.
PostgreSQL (psycopg) gets the rows by COPY. Identifiers are quoted by the dialect; values are
always parameters or COPY data, never SQL text.
`reserve_ids` hands out primary keys before the insert, so rows that point at each other (steps,
their step changes and calendar events) are built without reading ids back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column, Table, text
from sqlalchemy.engine import Connection


def reserve_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """Reserve `count` new primary keys of `table` for rows this transaction inserts.

    PostgreSQL: taken from the id sequence, so concurrent writers never get the same ones.
    SQLite: the ones after the largest id; safe because the transaction holds the write lock
    (`models.db` begins every SQLite transaction IMMEDIATE).
    """
    if count <= 0:
        return []
    name = table.name
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"table": name, "count": count},
        )
        return [int(i) for (i,) in rows]
    if connection.dialect.name != "sqlite":
        raise NotImplementedError(f"no id reservation for {connection.dialect.name}")
    if not connection.in_transaction():
        raise RuntimeError("reserve ids inside the transaction that inserts the rows")
    largest = connection.exec_driver_sql(f'SELECT coalesce(max(id), 0) FROM "{name}"').scalar()
    # a table declared AUTOINCREMENT never reuses ids, not even those of deleted rows
    has_sequence = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"
    ).scalar()
    if has_sequence:
        used = connection.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)
        ).scalar()
        largest = max(int(largest or 0), int(used or 0))
    first = int(largest or 0) + 1
    return list(range(first, first + count))


def bind_value(connection: Connection, column: Column[Any]) -> Callable[[Any], Any]:
    """The column's bind processing (UTC datetimes, dates) as the driver wants the value.

    Each distinct value is converted once. For rows `insert_rows(..., converted=True)` takes.
    """
    dialect = connection.dialect
    processor = column.type.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return lambda value: value
    seen: dict[Any, Any] = {None: None}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = processor(value)
            return result

    return convert


def insert_rows(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    converted: bool = False,
) -> int:
    """Insert rows, given as tuples of `columns` (every column of `table`); returns how many.

    Values go through the columns' own bind processing (see `bind_value`) unless the rows come
    `converted` already, then to the driver's executemany as tuples.
    """
    if not rows:
        return 0
    if sorted(columns) != sorted(c.name for c in table.columns):
        raise ValueError(f"give every column of {table.name} once, not {', '.join(columns)}")
    dialect = connection.dialect
    converters = []
    if not converted:
        for index, name in enumerate(columns):
            column = table.c[name]
            if column.type.dialect_impl(dialect).bind_processor(dialect) is not None:
                converters.append((index, bind_value(connection, column)))
    params = rows
    if converters:
        params = []
        for row in rows:
            values = list(row)
            for index, convert in converters:
                values[index] = convert(values[index])
            params.append(values)
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        # COPY: one stream instead of a statement per row, several times faster
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
            for values in params:
                copy.write_row(values)
        return len(rows)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (
        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([marker] * len(columns))})"
    )
    connection.exec_driver_sql(statement, params if converted else [tuple(p) for p in params])
    return len(rows)


def insert_dicts(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """`insert_rows` for rows given as dicts with a value for every column."""
    columns = [c.name for c in table.columns]
    missing = set(columns) - set(rows[0]) if rows else set()
    if missing:
        raise ValueError(f"{table.name} rows lack {', '.join(sorted(missing))}")
    return insert_rows(connection, table, columns, [tuple(r[c] for c in columns) for r in rows])


def random_uids(count: int) -> list[str]:
    """`count` random opaque identifiers of 32 hex digits, like `models.base.new_uid` gives."""
    pool = os.urandom(16 * count).hex()
    return [pool[i : i + 32] for i in range(0, 32 * count, 32)]
