"""A `vacancy.published` event that carries the job ad: checked and stored with its promises."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from flows.processing import process_stored_event, store
from integrations.sources.registry import adapter_for
from journeys.events import Event
from models.db import session_scope
from models.recruitment import Vacancy
from models.vacancy_store import promises_of, vacancy_to_publish
from tests.integration.sources.support import body

BODY_HTML = (
    "<p>Word servicemonteur bij ons in Zwolle.</p><h3>Wat bieden wij</h3><ul>"
    "<li>Een persoonlijk opleidingsbudget van &euro; 2.000 per jaar</li>"
    "<li>Een ervaren collega als buddy in je eerste maanden</li>"
    "<li>Binnen zes maanden haal je je VCA; de cursus betalen wij</li></ul>"
)


def published_job(html: str = BODY_HTML) -> Event:
    """Teamtailor's documented job.update body, with the job open and our ad text in it."""
    data = json.loads(body("teamtailor/company_webhook_job.update.json"))
    attributes = data["payload"]["data"]["attributes"]
    attributes |= {"status": "open", "body": html, "title": "Servicemonteur"}
    raw = json.dumps(data).encode()
    parsed = adapter_for("teamtailor").parse(
        raw=raw, headers={}, received_at=datetime(2027, 1, 4, tzinfo=UTC)
    )
    assert isinstance(parsed, Event)
    return parsed


def test_teamtailor_job_body_becomes_the_event_description():
    event = published_job()
    assert event.type == "vacancy.published"
    assert event.vacancy.description.startswith("Word servicemonteur bij ons in Zwolle.")
    assert "- Een persoonlijk opleidingsbudget van € 2.000 per jaar" in event.vacancy.description


def test_the_published_ad_is_checked_and_stored_with_its_promises(app):
    event = published_job()
    app.clock.advance_to(event.occurred_at)
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    assert process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now()) == "processed"
    with session_scope(app.engine) as session:
        (row,) = session.exec(select(Vacancy)).all()
        stored = promises_of(session=session, vacancy_id=row.id)
        assert vacancy_to_publish(session=session, inbox_id=inbox_id) == row.id
    assert (row.source, row.external_id, row.title, row.language) == (
        "teamtailor", "2", "Servicemonteur", "nl",
    )  # fmt: skip
    assert row.published_at is not None and row.score and row.score > 0
    assert "opleidingsbudget" in row.text
    categories = {c for p in stored if p.kind == "promise" for c in p.category_list}
    assert {"budget_time", "coaching"} <= categories
    assert any("VCA" in p.text for p in stored if p.kind == "obligation")


def test_an_event_without_text_stores_no_text(app):
    event = published_job(html="")
    assert event.vacancy.description is None
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())
    with session_scope(app.engine) as session:
        (row,) = session.exec(select(Vacancy)).all()
        assert row.text is None
        assert vacancy_to_publish(session=session, inbox_id=inbox_id) is None
