"""Store the job ad a `vacancy.published` event carries: checked, with its learning promises."""

from __future__ import annotations

from sqlmodel import Session

from journeys.events import Event
from journeys.vacancy import check_vacancy, detect_language, parse_vacancy
from journeys.vacancy.from_event import vacancy_file
from journeys.vacancy.promises import learning_obligations, learning_promises
from models.recruitment import Vacancy
from models.vacancy_store import save_vacancy


def store_published_text(*, session: Session, vacancy: Vacancy, event: Event) -> bool:
    """Check and store the text of a published job ad, as `leerpad vacancy publish` does.

    Returns False when the event carries no text or the vacancy has no external id to key it.
    """
    ref = event.vacancy
    if ref is None or not ref.description or not vacancy.external_id:
        return False
    source = vacancy_file(ref, stored=vacancy.text)
    if source is None:
        return False
    parsed = parse_vacancy(source, file=f"{event.source} vacancy {vacancy.external_id}")
    language = parsed.meta.language or detect_language(parsed.text)
    report = check_vacancy(parsed, lang=language)
    stored = save_vacancy(
        session=session,
        source=vacancy.source,
        external_id=vacancy.external_id,
        meta_title=parsed.meta.title or ref.title,
        department=parsed.meta.department or ref.department,
        language=language,
        text=source,
        score=report.score,
        # The vacancy's own words only: the employer's standing offer is in every email already.
        promises=learning_promises(check=report, text=parsed.text, profile=None, language=language),
        obligations=learning_obligations(check=report, text=parsed.text),
        now=event.occurred_at,
    )
    stored.published_at = stored.published_at or event.occurred_at
    session.flush()
    return True
