"""Store a checked vacancy with its learning promises, and read the promises back for a hire."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlmodel import Session, col, delete, select

from models.employment import Employment
from models.recruitment import Application, Vacancy
from models.vacancy_promises import VacancyPromise


class PromiseLike(Protocol):
    """What save_vacancy needs of a promise (journeys.vacancy.promises.LearningPromise fits)."""

    @property
    def category(self) -> str: ...  # noqa: D102

    @property
    def label(self) -> str: ...  # noqa: D102

    @property
    def text(self) -> str: ...  # noqa: D102

    @property
    def categories(self) -> tuple[str, ...]: ...  # noqa: D102


def save_vacancy(
    *,
    session: Session,
    source: str,
    external_id: str,
    meta_title: str | None,
    department: str | None,
    language: str | None,
    text: str,
    score: int | None,
    promises: Sequence[PromiseLike],
    obligations: Sequence[str],
    now: datetime,
) -> Vacancy:
    """Create or update the vacancy (by source and external id) and replace its promises."""
    vacancy = session.exec(
        select(Vacancy).where(Vacancy.source == source, Vacancy.external_id == external_id)
    ).first()
    if vacancy is None:
        vacancy = Vacancy(source=source, external_id=external_id, created_at=now)
        session.add(vacancy)
    vacancy.title = meta_title or vacancy.title
    vacancy.department = department or vacancy.department
    vacancy.language, vacancy.text, vacancy.score = language, text, score
    session.flush()
    session.exec(delete(VacancyPromise).where(col(VacancyPromise.vacancy_id) == vacancy.id))  # type: ignore[call-overload]
    for position, promise in enumerate(promises):
        categories = promise.categories or (promise.category,)
        session.add(
            VacancyPromise(
                vacancy_id=vacancy.id,  # type: ignore[arg-type]
                kind="promise",
                categories=",".join(categories)[:300],
                label=promise.label[:200] if promise.label else None,
                text=promise.text,
                position=position,
            )
        )
    for position, line in enumerate(obligations):
        session.add(
            VacancyPromise(
                vacancy_id=vacancy.id,  # type: ignore[arg-type]
                kind="obligation",
                categories="obligations",
                text=line,
                position=position,
            )
        )
    session.flush()
    return vacancy


def promises_of(*, session: Session, vacancy_id: int) -> list[VacancyPromise]:
    """A vacancy's stored promises and obligations: promises first, each in page order."""
    return list(
        session.exec(
            select(VacancyPromise)
            .where(VacancyPromise.vacancy_id == vacancy_id)
            .order_by(col(VacancyPromise.kind).desc(), col(VacancyPromise.position))
        ).all()
    )


def promises_by_vacancy(
    *, session: Session, vacancy_ids: set[int | None]
) -> dict[int, list[VacancyPromise]]:
    """The promises (not the obligations) of several vacancies in one query, in page order."""
    wanted = sorted(i for i in vacancy_ids if i is not None)
    out: dict[int, list[VacancyPromise]] = {i: [] for i in wanted}
    if not wanted:
        return out
    rows = session.exec(
        select(VacancyPromise)
        .where(col(VacancyPromise.vacancy_id).in_(wanted), VacancyPromise.kind == "promise")
        .order_by(col(VacancyPromise.vacancy_id), col(VacancyPromise.position))
    ).all()
    for row in rows:
        out[row.vacancy_id].append(row)
    return out


def promises_for_employment(session: Session, employment: Employment) -> list[str]:
    """The promise categories, then the promise texts, of the vacancy a hire applied for.

    Fits `PlaylistSources.promises_for`; empty when the application or vacancy is unknown.
    """
    if employment.application_id is None:
        return []
    application = session.get(Application, employment.application_id)
    if application is None or application.vacancy_id is None:
        return []
    promises = [
        p for p in promises_of(session=session, vacancy_id=application.vacancy_id)
        if p.kind == "promise"
    ]  # fmt: skip
    categories: list[str] = []
    for promise in promises:
        categories += [c for c in promise.category_list if c not in categories]
    return categories + [p.text for p in promises]


def vacancy_to_publish(*, session: Session, inbox_id: int) -> int | None:
    """The stored vacancy (with text) that a processed `vacancy.published` inbox event names."""
    from journeys.events import Event
    from models.inbox import InboxEvent

    row = session.get(InboxEvent, inbox_id)
    if row is None or row.event_type != "vacancy.published":
        return None
    event = Event.model_validate_json(row.payload)
    if event.vacancy is None or not event.vacancy.external_id:
        return None
    vacancy = session.exec(
        select(Vacancy).where(
            Vacancy.source == event.source, Vacancy.external_id == event.vacancy.external_id
        )
    ).first()
    return vacancy.id if vacancy is not None and vacancy.text else None
