"""`handle-event` on a `vacancy.published` that carries the ad: stored, and rendered when it can
be published (a webhook rarely carries salary and location: the front matter stored by
`leerpad vacancy publish` is kept and the new text rendered with it)."""

from __future__ import annotations

import json

import pytest

from flows.bootstrap import bootstrap, reset
from flows.handle_event import handle_event
from flows.processing import store
from integrations.settings import LeerpadSettings
from journeys.vacancy.promises import learning_obligations, learning_promises
from models.db import session_scope
from models.vacancy_store import save_vacancy
from tests.integration.vacancy.test_published_event import published_job

FRONT_MATTER = """---
title: Servicemonteur
external_id: '2'
location: {city: Zwolle, region: Overijssel, country: NL}
employment_type: FULL_TIME
salary: {min: 3100, max: 4200, currency: EUR, unit: MONTH}
---
Oude tekst zonder leeraanbod.
"""


@pytest.fixture
def site_app(engine, tmp_path, start_clock):
    settings = LeerpadSettings(
        database_url=str(engine.url),
        outbox_dir=tmp_path / "outbox",
        publish_dir=tmp_path / "site",
        smtp_url=None,
    )
    yield bootstrap(settings=settings, clock=start_clock, engine=engine)
    reset()


def test_a_published_ad_for_a_stored_vacancy_is_rendered_with_its_front_matter(site_app, tmp_path):
    from journeys.vacancy import check_vacancy, parse_vacancy

    parsed = parse_vacancy(FRONT_MATTER)
    check = check_vacancy(parsed, lang="nl")
    with session_scope(site_app.engine) as session:
        save_vacancy(
            session=session, source="teamtailor", external_id="2", meta_title="Servicemonteur",
            department=None, language="nl", text=FRONT_MATTER, score=check.score,
            promises=learning_promises(check=check, text=parsed.text, profile=None, language="nl"),
            obligations=learning_obligations(check=check, text=parsed.text),
            now=site_app.clock.now(),
        )  # fmt: skip
    inbox_id, _ = store(app=site_app, event=published_job(), now=site_app.clock.now())
    assert handle_event(inbox_event_id=inbox_id) == "processed"
    page = (tmp_path / "site" / "teamtailor-2.html").read_text(encoding="utf-8")
    assert "Servicemonteur" in page and "Leren bij ons" in page
    assert "opleidingsbudget" in page and "Oude tekst" not in page
    posting = json.loads((tmp_path / "site" / "teamtailor-2.jsonld").read_text(encoding="utf-8"))
    assert posting["@type"] == "JobPosting" and posting["title"] == "Servicemonteur"
    assert posting["baseSalary"]["currency"] == "EUR"


def test_an_ad_without_location_or_salary_is_stored_but_not_rendered(site_app, tmp_path, caplog):
    inbox_id, _ = store(app=site_app, event=published_job(), now=site_app.clock.now())
    assert handle_event(inbox_event_id=inbox_id) == "processed"
    assert not (tmp_path / "site").exists()
    assert "not rendered" in caplog.text and "location" in caplog.text


def test_an_event_without_text_renders_nothing(site_app, tmp_path):
    inbox_id, _ = store(app=site_app, event=published_job(html=""), now=site_app.clock.now())
    assert handle_event(inbox_event_id=inbox_id) == "processed"
    assert not (tmp_path / "site").exists()
