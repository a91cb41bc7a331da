"""The erasure log: that a person was erased, when and by which path; never who or what."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel

from models.base import utc_field

ERASURE_PATHS: tuple[str, ...] = ("cli", "purge", "vendor")


# One erasure: when, by which path, how many rows it touched, and the person's opaque uid.
class ErasureLog(SQLModel, table=True):
    __tablename__ = "erasure_log"

    id: int | None = Field(default=None, primary_key=True)
    person_uid: str = Field(max_length=32, index=True)  # random, no name or address in it
    path: str = Field(max_length=10)  # cli|purge|vendor
    rows: int = 0
    files: int = 0  # outbox .eml files removed
    at: datetime = utc_field(nullable=False, index=True)


def record_erasure(
    *, session: Session, person_uid: str, path: str, rows: int, at: datetime, files: int = 0
) -> ErasureLog:
    """Record that an erasure happened (not what was erased)."""
    if path not in ERASURE_PATHS:
        raise ValueError(f"erasure path must be one of {', '.join(ERASURE_PATHS)}, not {path!r}")
    entry = ErasureLog(person_uid=person_uid, path=path, rows=rows, files=files, at=at)
    session.add(entry)
    session.flush()
    return entry
