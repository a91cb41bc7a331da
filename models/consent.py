"""Consent to keep a candidate's data for future vacancies (the talent pool)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Session, SQLModel, select

from models.base import utc_field


# A candidate's consent to keep their data for future vacancies; withdrawn = the row is gone.
class RetentionConsent(SQLModel, table=True):
    __tablename__ = "retention_consent"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    given_at: datetime = utc_field(nullable=False)
    source: str = Field(max_length=40)  # the system that reported it, or "cli"


def has_consent(*, session: Session, person_id: int) -> bool:
    """Tell whether the person consented to a longer retention."""
    row = session.exec(
        select(RetentionConsent).where(RetentionConsent.person_id == person_id)
    ).first()
    return row is not None


def record_consent(
    *, session: Session, person_id: int, given: bool | None, source: str, at: datetime
) -> None:
    """Record consent given (kept from its first moment) or withdrawn; None changes nothing."""
    if given is None:
        return
    row = session.exec(
        select(RetentionConsent).where(RetentionConsent.person_id == person_id)
    ).first()
    if given and row is None:
        session.add(RetentionConsent(person_id=person_id, given_at=at, source=source))
    elif not given and row is not None:
        session.delete(row)
    session.flush()
