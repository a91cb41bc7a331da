"""Employments: the start date every onboarding journey is anchored on."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.base import utc_field


# A hire's employment: start date, role, and the people around them.
class Employment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    application_id: int | None = Field(default=None, foreign_key="application.id", unique=True)
    source: str = Field(max_length=40)
    start_date: date
    end_date: date | None = None
    title: str | None = Field(default=None, max_length=300)
    department: str | None = Field(default=None, max_length=200)
    manager_id: int | None = Field(default=None, foreign_key="person.id")
    coach_id: int | None = Field(default=None, foreign_key="person.id")
    buddy_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="planned", max_length=20)  # planned|cancelled|terminated
    facts_as_of: datetime | None = utc_field()  # occurred_at of the newest event applied
    created_at: datetime = utc_field(nullable=False)
    updated_at: datetime = utc_field(nullable=False)
