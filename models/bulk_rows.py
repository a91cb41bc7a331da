"""Insert many rows fast: ids reserved up front, one driver-level executemany per table.

SQLAlchemy's executemany runs its bind processing per row and per value (about half the time of
a bulk import went there). `insert_rows` converts each distinct value of a typed column once
(the same dates and times recur across thousands of rows) and hands plain tuples to the driver.
`reserve_ids` hands out primary keys before the insert, so rows that point at each other (steps,
their step changes and calendar events) are built without reading ids back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
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


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows that each give a value for every column of `table`; returns how many.

    Values go through the columns' own bind processing (UTC datetimes, dates), once per distinct
    value, then to the driver's executemany as tuples.
    """
    if not rows:
        return 0
    columns = [c.name for c in table.columns]
    missing = set(columns) - set(rows[0])
    if missing:
        raise ValueError(f"{table.name} rows lack {', '.join(sorted(missing))}")
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=columns)
    names = list(compiled.positiontup or []) if compiled.positional else columns
    convert: list[Callable[[Any], Any] | None] = []
    for name in names:
        processor = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        convert.append(_memoized(processor) if processor is not None else None)
    params: list[Any] = []
    for row in rows:
        values = tuple(
            row[name] if f is None or row[name] is None else f(row[name])
            for name, f in zip(names, convert, strict=True)
        )
        params.append(values if compiled.positional else dict(zip(names, values, strict=True)))
    connection.exec_driver_sql(compiled.string, params)
    return len(rows)


def _memoized(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def process(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = processor(value)
            return result
        except TypeError:  # unhashable
            return processor(value)

    return process
