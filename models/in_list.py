"""`column IN (values)` that PostgreSQL gets as one array parameter: `column = ANY(:values)`.

An IN list is one parameter per value, so its statement's text differs with every list length:
the driver parses each new text again (psycopg's query conversion was a tenth of a dispatch
batch's CPU time) and PostgreSQL plans it again. With one array parameter the text is the same
for every batch, so both reuse their work (psycopg prepares a statement it has run five times on
a connection), and no list is too long for the protocol's 65,535 parameters. SQLite keeps IN.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, col


def dialect_of(bind: Session | Connection) -> str:
    """The name of the database dialect a session or connection talks to."""
    return bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name


def one_of(
    bind: Session | Connection | str, column: Any, values: Iterable[Any]
) -> ColumnElement[bool]:
    """`column IN values`, as `column = ANY(array)` on PostgreSQL (`bind`: a session, a
    connection or a dialect name). Values are ints or strings, like the column."""
    dialect = bind if isinstance(bind, str) else dialect_of(bind)
    wanted = list(values)
    if dialect != "postgresql":
        return col(column).in_(wanted)
    element = Integer() if isinstance(col(column).type, Integer) else String()
    return col(column) == any_(bindparam(None, wanted, type_=ARRAY(element)))
