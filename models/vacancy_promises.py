"""The learning promises and obligations a stored vacancy makes, in its own words."""

from __future__ import annotations

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


# One promise ("promise") or mandatory training ("obligation") of a vacancy, in page order.
class VacancyPromise(SQLModel, table=True):
    __tablename__ = "vacancy_promise"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "kind", "position", name="uq_vacancy_promise_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    kind: str = Field(max_length=12)  # promise|obligation
    categories: str = Field(default="", max_length=300)  # CONTRACTS §6 names, comma-separated
    label: str | None = Field(default=None, max_length=200)
    text: str = Field(sa_column=Column(Text, nullable=False))
    position: int

    @property
    def category_list(self) -> list[str]:
        """The categories as a list (empty for an obligation without one)."""
        return [c for c in self.categories.split(",") if c]
