"""Store webhook deliveries in the inbox: parsed events, id-only notices, pings and bad bodies."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from models.db import one_writer
from models.inbox import InboxEvent, dedupe_key_of

KEPT_HEADER_EXCLUDES = ("authorization", "cookie", "proxy-authorization", "x-api-key")


def safe_headers(headers: Mapping[str, str]) -> str:
    """The headers worth keeping for inspection, as JSON, credentials left out."""
    kept = {
        k.lower(): v
        for k, v in headers.items()
        if k.lower() not in KEPT_HEADER_EXCLUDES and "token" not in k.lower()
    }
    return json.dumps(kept, sort_keys=True)


def store_delivery(
    *,
    engine: Engine,
    source: str,
    dedupe_key: str,
    status: str,
    payload: str,
    raw: bytes,
    headers: Mapping[str, str],
    event_type: str | None,
    error: str | None,
    now: datetime,
) -> tuple[int, bool]:
    """Store one webhook delivery once per dedupe key; returns (inbox id, duplicate).

    One short transaction: INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, and only
    when that inserted nothing (a repeated delivery), a SELECT of the stored row's id. On
    PostgreSQL that one statement is its own transaction (autocommit): one round trip instead of
    BEGIN, INSERT and COMMIT, and just as durable.
    """
    values = _values(source, dedupe_key, status, payload, raw, headers, event_type, error, now)
    if _insert_once(engine.dialect.name) is not None and engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            return _store(conn, values)
    with one_writer(engine), engine.begin() as conn:
        return _store(conn, values)


def store_delivery_in(
    session: Session,
    *,
    source: str,
    dedupe_key: str,
    status: str,
    payload: str,
    raw: bytes,
    headers: Mapping[str, str],
    event_type: str | None,
    error: str | None,
    now: datetime,
) -> tuple[int, bool]:
    """`store_delivery` inside a session's own transaction (which already holds the writer)."""
    values = _values(source, dedupe_key, status, payload, raw, headers, event_type, error, now)
    return _store(session.connection(), values)


def _values(  # noqa: PLR0913
    source: str, dedupe_key: str, status: str, payload: str, raw: bytes,
    headers: Mapping[str, str], event_type: str | None, error: str | None, now: datetime,
) -> dict[str, object]:  # fmt: skip
    return {
        "dedupe_key": dedupe_key_of(dedupe_key), "source": source, "event_type": event_type,
        "status": status, "error": error, "payload": payload, "raw_body": raw,
        "headers": safe_headers(headers), "attempts": 0, "received_at": now,
        "processed_at": now if status in ("ignored", "rejected") else None,
    }  # fmt: skip


def _store(conn: Connection, values: dict[str, object]) -> tuple[int, bool]:
    statement = _insert_once(conn.dialect.name)
    if statement is None:  # another backend: insert, and on a unique violation read it back
        try:
            with conn.begin_nested():
                new_id = conn.execute(insert(_TABLE), values).inserted_primary_key[0]
        except IntegrityError:
            new_id = None
    else:
        new_id = conn.execute(statement, values).scalar()
    if new_id is None:
        return int(conn.execute(_STORED_ID, {"key": values["dedupe_key"]}).scalar_one()), True
    return int(new_id), False


_TABLE = InboxEvent.__table__  # type: ignore[attr-defined]
_STORED_ID = select(_TABLE.c.id).where(_TABLE.c.dedupe_key == bindparam("key"))


@cache
def _insert_once(dialect: str):  # type: ignore[no-untyped-def]
    """The statement per dialect, built once: values come as parameters, so it compiles once."""
    make = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}.get(dialect)
    if make is None:
        return None
    return make(_TABLE).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(_TABLE.c.id)
