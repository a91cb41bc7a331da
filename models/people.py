"""People: candidates, new hires, leaders, coaches and buddies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import new_uid, utc_field


# A person as Leerpad knows them; personal data lives here and only here.
class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_person_source_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, max_length=32)
    source: str = Field(max_length=40)
    external_id: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    personal_email: str | None = Field(default=None, max_length=320, index=True)
    work_email: str | None = Field(default=None, max_length=320, index=True)
    first_name: str | None = Field(default=None, max_length=200)
    last_name: str | None = Field(default=None, max_length=200)
    locale: str | None = Field(default=None, max_length=5)
    timezone: str | None = Field(default=None, max_length=64)
    created_at: datetime = utc_field(nullable=False)
    erased_at: datetime | None = utc_field()
