"""Vacancies and applications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utc_field


# A vacancy as published by a recruiter; its learning promises seed the hire's journey.
class Vacancy(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_vacancy_source_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40)
    external_id: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=300)
    department: str | None = Field(default=None, max_length=200)
    status: str = Field(default="open", max_length=20)
    created_at: datetime = utc_field(nullable=False)
    language: str | None = Field(default=None, max_length=5)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # the file
    score: int | None = None  # 0-100, from the vacancy check when it was stored
    published_at: datetime | None = utc_field()


# One candidate's application to one vacancy, and where it stands.
class Application(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_application_source_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40)
    external_id: str | None = Field(default=None, max_length=200)
    person_id: int = Field(foreign_key="person.id", index=True)
    vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id")
    stage: str | None = Field(default=None, max_length=200)
    status: str = Field(default="active", max_length=20)  # active|offered|hired|rejected|unhired
    rejection_reason: str | None = Field(default=None, max_length=300)
    applied_at: datetime = utc_field(nullable=False)
    closed_at: datetime | None = utc_field()
    facts_as_of: datetime | None = utc_field()  # occurred_at of the newest event applied
