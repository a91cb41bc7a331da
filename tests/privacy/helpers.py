"""Helpers for privacy tests: drive journeys, and look for a person's traces everywhere."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from sqlalchemy import select as sa_select
from sqlmodel import SQLModel, select

import models  # noqa: F401  (every table registered in the metadata)
from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from models.db import session_scope
from models.people import Person


def dispatcher(app):
    return lambda moment: deliver_due_batch(app=app, now=moment, worker="test", limit=50)


def ingest(app, event) -> str:
    app.clock.advance_to(event.occurred_at)
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    return process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())


def traces_in_database(engine, needles: list[str]) -> list[str]:
    """Every `table.column` of every table whose text or bytes contain one of the needles."""
    lowered = [n.lower() for n in needles]
    found = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa_select(table)).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if isinstance(value, str) and any(n in value.lower() for n in lowered):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


def readable(path: Path) -> bytes:
    """A file's bytes; for an .eml each part decoded too (base64 and QP hide the text)."""
    raw = path.read_bytes()
    if path.suffix != ".eml":
        return raw
    message = email.message_from_bytes(raw, policy=policy.default)
    decoded = [raw]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if payload:
            decoded.append(payload)
    decoded += [str(value).encode() for value in message.values()]
    return b"\n".join(decoded)


def traces_in_files(folder: Path, needles: list[str]) -> list[str]:
    """Files under a folder whose bytes (decoded, for mail) hold one of the needles, any case."""
    lowered = [n.lower().encode() for n in needles]
    found = []
    for path in folder.rglob("*") if folder.is_dir() else []:
        if path.is_file():
            content = readable(path).lower()
            if any(n in content for n in lowered):
                found.append(str(path))
    return sorted(found)


def person_id(app, email: str) -> int:
    with session_scope(app.engine) as session:
        return int(session.exec(select(Person.id).where(Person.email == email)).one())
