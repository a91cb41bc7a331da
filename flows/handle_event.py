"""The `handle-event` flow: process one stored inbox event by id."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from flows.bootstrap import current_app
from flows.processing import process_stored_event
from flows.publish_vacancy import publish_vacancy
from flows.timeparse import parse_moment


@task(name="process-event", persist_result=False, retries=2, retry_delay_seconds=[1, 5])
def process_event(inbox_event_id: int, as_of: str | None) -> str:
    """Apply one stored event to people and journeys; returns the inbox status."""
    app = current_app()
    now = parse_moment(as_of) if as_of else app.clock.now()
    return process_stored_event(app=app, inbox_id=inbox_event_id, now=now)


@flow(name="handle-event", persist_result=False, log_prints=False)
def handle_event(inbox_event_id: int, as_of: str | None = None) -> str:
    """Process the inbox event with this id (the only parameter: no personal data)."""
    status = process_event(inbox_event_id, as_of)
    get_run_logger().info("inbox event %s: %s", inbox_event_id, status)
    if status == "processed":
        vacancy_id = stored_vacancy_to_publish(inbox_event_id)
        if vacancy_id is not None:
            publish_vacancy(vacancy_id=vacancy_id, out_dir=str(current_app().settings.publish_dir))
    return status


@task(name="find-vacancy-to-publish", persist_result=False)
def stored_vacancy_to_publish(inbox_event_id: int) -> int | None:
    """The stored vacancy a processed `vacancy.published` event brought text for, when it can be
    published as it is; else None, with the reason in the log (what to add, no personal data)."""
    from journeys.vacancy import parse_vacancy
    from journeys.vacancy.publish import VacancyNotPublishable, ensure_publishable
    from models.db import session_scope
    from models.recruitment import Vacancy
    from models.vacancy_store import vacancy_to_publish

    with session_scope(current_app().engine) as session:
        vacancy_id = vacancy_to_publish(session=session, inbox_id=inbox_event_id)
        row = session.get(Vacancy, vacancy_id) if vacancy_id is not None else None
        text = row.text if row is not None else None
    if vacancy_id is None or not text:
        return None
    try:
        ensure_publishable(parse_vacancy(text, file=f"vacancy {vacancy_id}"))
    except VacancyNotPublishable as exc:
        get_run_logger().warning(
            "vacancy %s stored with its promises but not rendered: %s; add it with "
            "`leerpad vacancy publish` (its front matter is kept for later updates)",
            vacancy_id,
            "; ".join(str(exc).splitlines()),
        )
        return None
    return vacancy_id
