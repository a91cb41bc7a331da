"""HR's list of vacancies with their learning score: what each promises and what it misses."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from journeys.vacancy.scoring import WEIGHTS, missing
from models.recruitment import Vacancy
from models.vacancy_promises import VacancyPromise


@dataclass(frozen=True)
class VacancyRow:
    """One vacancy: its score (None: never checked), categories found and missing."""

    id: int
    title: str | None
    department: str | None
    language: str | None
    score: int | None
    found: tuple[str, ...]
    missing: tuple[str, ...]
    published: bool
    has_page: bool  # its text is stored, so HR can see the rendered page

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self) | {"found": list(self.found), "missing": list(self.missing)}


def vacancy_overview(*, session: Session) -> list[VacancyRow]:
    """Every vacancy, best learning score first (unchecked last), then by title."""
    vacancies = session.exec(select(Vacancy)).all()
    found: dict[int, set[str]] = {}
    for vacancy_id, categories in session.exec(
        select(VacancyPromise.vacancy_id, VacancyPromise.categories)
    ).all():
        found.setdefault(vacancy_id, set()).update(c for c in categories.split(",") if c)
    rows = []
    for v in vacancies:
        categories = found.get(v.id, set()) if v.id is not None else set()
        rows.append(
            VacancyRow(
                id=int(v.id or 0), title=v.title, department=v.department, language=v.language,
                score=v.score, found=tuple(c for c in WEIGHTS if c in categories),
                missing=tuple(missing(categories)) if v.score is not None else (),
                published=v.published_at is not None, has_page=bool(v.text),
            )  # fmt: skip
        )
    return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.title or "", r.id))


def vacancy_text(*, session: Session, vacancy_id: int) -> str | None:
    """The stored file of one vacancy (front matter and text), to render its page."""
    return session.exec(select(Vacancy.text).where(col(Vacancy.id) == vacancy_id)).first()
