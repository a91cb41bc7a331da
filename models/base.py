"""Shared column helpers for the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Field

from models.db import UTCDateTime


def utcnow() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def new_uid() -> str:
    """Return a random, opaque identifier for rows that leave the database (UIDs, links)."""
    return uuid.uuid4().hex


def utc_field(*, nullable: bool = True, index: bool = False, default: Any = None) -> Any:
    """A UTC datetime column."""
    if default is None and not nullable:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)
    return Field(default=default, sa_type=UTCDateTime, nullable=nullable, index=index)
