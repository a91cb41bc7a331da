"""Stored vacancies and their promises: saving, `vacancy.published`, the offer email, playlists."""

from __future__ import annotations

import email
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from sqlmodel import select

from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from journeys.catalog import DEFAULTS_DIR, load_employer_profile
from journeys.events import Event
from journeys.learning.playlist import Learner, assemble_playlist
from journeys.learning.preview import plan_preview
from journeys.vacancy import check_vacancy, parse_vacancy
from journeys.vacancy.promises import learning_obligations, learning_promises
from models.db import session_scope
from models.employment import Employment
from models.recruitment import Vacancy
from models.vacancy_store import promises_for_employment, promises_of, save_vacancy
from tests.conftest import AMS
from tests.factories import make_event

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vacancies" / "render"
OFFERED_AT = datetime(2027, 1, 13, 10, 0, tzinfo=AMS)  # a Wednesday
HIRED_AT = datetime(2027, 1, 20, 14, 0, tzinfo=AMS)


def vacancy_source(external_id: str = "job-1") -> str:
    """The complete Dutch fixture vacancy, stored under the external id the test events use."""
    source = (FIXTURES / "nl-complete.md").read_text(encoding="utf-8")
    return source.replace("external_id: WZ-2026-031", f"external_id: {external_id}")


def save(session, *, source: str = "generic", text: str | None = None, now=OFFERED_AT) -> Vacancy:
    """Check and store a vacancy the way `leerpad vacancy publish` does."""
    text = text or vacancy_source()
    parsed = parse_vacancy(text)
    profile = load_employer_profile(DEFAULTS_DIR / "organization.yaml")
    check = check_vacancy(parsed, profile=profile, lang="nl")
    return save_vacancy(
        session=session,
        source=source,
        external_id=parsed.meta.external_id or "",
        meta_title=parsed.meta.title,
        department=parsed.meta.department,
        language="nl",
        text=text,
        score=check.score,
        promises=learning_promises(check=check, text=parsed.text, profile=None, language="nl"),
        obligations=learning_obligations(check=check, text=parsed.text),
        now=now,
    )


def ingest(app, event: Event) -> str:
    app.clock.advance_to(event.occurred_at)
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    return process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())


def dispatcher(app):
    return lambda moment: deliver_due_batch(app=app, now=moment, worker="test", limit=50)


def outbox(app) -> list[email.message.EmailMessage]:
    files = sorted(Path(app.settings.outbox_dir).glob("*.eml"))
    return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def body(message, kind: str) -> str:
    return next(p for p in message.walk() if p.get_content_type() == kind).get_content()


class TestSaveVacancy:
    def test_stores_the_text_score_and_promises_in_page_order(self, engine):
        with session_scope(engine) as session:
            vacancy = save(session)
            vacancy_id = vacancy.id
        with session_scope(engine) as session:
            row = session.get(Vacancy, vacancy_id)
            assert (row.title, row.department, row.language) == (
                "Verpleegkundige wijkteam",
                "Wijkzorg Noord",
                "nl",
            )
            assert row.text == vacancy_source() and 0 < row.score <= 100
            assert row.published_at is None
            stored = promises_of(session=session, vacancy_id=vacancy_id)
        promises = [p for p in stored if p.kind == "promise"]
        obligations = [p for p in stored if p.kind == "obligation"]
        assert [p.position for p in promises] == list(range(len(promises)))
        assert any("opleidingsbudget" in p.text for p in promises)
        assert all(p.label and p.category_list for p in promises)
        assert "budget_time" in {c for p in promises for c in p.category_list}
        assert [o.text for o in obligations] == [
            "Je houdt je BIG-registratie bij via onze verplichte scholingen"
        ]
        assert stored.index(promises[-1]) < stored.index(obligations[0])

    def test_saving_again_updates_in_place_and_replaces_the_promises(self, engine):
        with session_scope(engine) as session:
            first_id = save(session).id
        head = vacancy_source().split("## Wat bieden wij")[0]
        poorer = head + "## Wat bieden wij\n- Een vaste buddy in je eerste maanden\n"
        with session_scope(engine) as session:
            again = save(session, text=poorer)
            assert again.id == first_id
            stored = promises_of(session=session, vacancy_id=first_id)
            assert [p.text for p in stored] == ["Een vaste buddy in je eerste maanden"]
            assert len(session.exec(select(Vacancy)).all()) == 1

    def test_the_same_external_id_from_another_source_is_another_vacancy(self, engine):
        with session_scope(engine) as session:
            assert save(session).id != save(session, source="recruitee").id


class TestPublishedEvent:
    def test_vacancy_published_sets_published_at_on_the_stored_vacancy(self, app):
        with session_scope(app.engine) as session:
            vacancy_id = save(session).id
        published = make_event("vacancy.published", at=OFFERED_AT)
        assert ingest(app, published) == "processed"
        with session_scope(app.engine) as session:
            row = session.get(Vacancy, vacancy_id)
            assert row.published_at == OFFERED_AT and row.status == "open"

    def test_an_unknown_vacancy_is_recorded_but_not_marked_published(self, app):
        ingest(app, make_event("vacancy.published", at=OFFERED_AT))
        with session_scope(app.engine) as session:
            (row,) = session.exec(select(Vacancy)).all()
            assert row.external_id == "job-1" and row.published_at is None


class TestCandidateToHire:
    def test_the_offer_email_lists_the_promises_and_the_hire_playlist_uses_them(self, app):
        with session_scope(app.engine) as session:
            vacancy_id = save(session).id
            texts = [
                p.text
                for p in promises_of(session=session, vacancy_id=vacancy_id)
                if p.kind == "promise"
            ]
        assert ingest(app, make_event("candidate.offered", at=OFFERED_AT)) == "processed"
        run_until(app, OFFERED_AT + timedelta(days=3), dispatch=dispatcher(app))
        (offer,) = [m for m in outbox(app) if m["To"] and "hire1@example.org" in m["To"]]
        text, html = body(offer, "text/plain"), body(offer, "text/html")
        assert "Wat we je in de vacature beloofden" in text
        assert "Wat we je in de vacature beloofden" in html
        for line in texts:
            assert line in text
        assert "verplichte scholingen" not in text  # an obligation is not a promise
        assert "Een eerste blik op je leerplaylist" in text and "eerste blik" in html
        with session_scope(app.engine) as session:
            rows = [
                p for p in promises_of(session=session, vacancy_id=vacancy_id)
                if p.kind == "promise"
            ]  # fmt: skip
        categories = list(dict.fromkeys(c for p in rows for c in p.category_list))
        expected = plan_preview(
            app.learning.catalog, title="Verpleegkundige wijkteam", department=None,
            locale="nl", promises=categories + [p.text for p in rows],
        )  # fmt: skip
        assert len(expected) == 3
        for item in expected:
            assert str(item["title"]) in text
        generic = plan_preview(
            app.learning.catalog, title=None, department=None, locale="nl", promises=[]
        )
        assert [i["title"] for i in expected] != [i["title"] for i in generic]

        hire = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        assert ingest(app, hire) == "processed"
        with session_scope(app.engine) as session:
            (employment,) = session.exec(select(Employment)).all()
            promises = list(app.learning.promises_for(session, employment))
            assert promises == promises_for_employment(session, employment)
        assert "budget_time" in promises and set(texts) <= set(promises)
        learner = Learner(title="Verpleegkundige wijkteam", locale="nl", promises=promises)
        picks = assemble_playlist(app.learning.catalog, learner)
        assert any(p.reason == "promise" for p in picks)
        plain = assemble_playlist(app.learning.catalog, Learner(title=learner.title, locale="nl"))
        assert [p.item.id for p in picks] != [p.item.id for p in plain]

    def test_the_first_coaching_agenda_carries_the_vacancy_promises(self, app):
        with session_scope(app.engine) as session:
            vacancy_id = save(session).id
            texts = [
                p.text
                for p in promises_of(session=session, vacancy_id=vacancy_id)
                if p.kind == "promise"
            ]
        ingest(app, make_event("candidate.offered", at=OFFERED_AT))
        ingest(app, make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1)))
        run_until(app, datetime(2027, 3, 20, tzinfo=AMS), dispatch=dispatcher(app))
        invites = [
            m
            for m in outbox(app)
            if any(p.get_content_type() == "text/calendar" for p in m.walk())
            and "coach" in (m["Subject"] or "").lower()
        ]
        assert invites, "the coaching series invite was not sent"
        first = invites[0]
        text = body(first, "text/plain")
        calendar = body(first, "text/calendar")
        assert "Beloofd in de vacature" in text
        unfolded = calendar.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
        for line in texts:
            assert line in text
            assert line[:40] in unfolded

    def test_an_offer_without_a_stored_vacancy_has_no_promises_section(self, app):
        ingest(app, make_event("candidate.offered", at=OFFERED_AT))
        run_until(app, OFFERED_AT + timedelta(days=3), dispatch=dispatcher(app))
        (offer,) = outbox(app)
        assert "beloofden" not in body(offer, "text/plain")
        assert "eerste blik op je leerplaylist" in body(offer, "text/plain")  # from the role alone

    def test_a_hire_without_an_application_has_no_promises(self, engine):
        with session_scope(engine) as session:
            assert (
                promises_for_employment(
                    session, Employment(person_id=1, source="generic", start_date=date(2027, 3, 1))
                )
                == []
            )


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_the_offer_template_renders_with_and_without_promises(locale):
    from integrations.rendering import Renderer
    from integrations.sample_context import sample_context

    renderer = Renderer()
    heading = {"nl": "Wat we je in de vacature beloofden", "en": "What the vacancy promised you"}
    for promises in (True, False):
        context = sample_context(
            journey="candidate", step_key="offer", locale=locale, channel="email", promises=promises
        )
        rendered = renderer.render_email(template="candidate/offer", locale=locale, context=context)
        assert (heading[locale] in rendered.text) is promises
        assert (heading[locale] in rendered.html) is promises
