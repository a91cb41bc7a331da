"""A small organisation with four teams, its vacancies and half a year of learning.

Plans, playlists, goals, badges and shares go through the models' own functions (ensure_plan,
set_goals, start_item, complete_item, save_share, save_reflection, save_vacancy); journey steps
are rows as the dispatcher leaves them once sent. Names and addresses carry the markers in
SECRETS, so a test can prove none of them reaches a page or the report.

Teams: Data 6 hires, Sales 5, Finance 3, Legal 2 → Data and Sales stand alone; Finance and Legal
together are "other teams" (5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

from journeys.vacancy import check_vacancy, detect_language, parse_vacancy
from journeys.vacancy.promises import learning_obligations, learning_promises
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning_plans import default_sources, ensure_plan, items_of, set_goals
from models.learning_progress import complete_item, start_item
from models.learning_records import save_reflection, save_share
from models.people import Person
from models.vacancy_store import save_vacancy

NOW = datetime(2027, 6, 15, 9, 0, tzinfo=UTC)
TEAMS = {"Data": 6, "Sales": 5, "Finance": 3, "Legal": 2}
HOSTILE_TITLE = '<script>alert("x")</script> Deckhand'  # a title from an ATS is not trusted
SECRETS = ("Geheimnaam", "Verborgen", "example.org", "hire1@", "leider@")
VACANCIES = Path(__file__).resolve().parents[2] / "fixtures" / "vacancies"
VACANCY_FILES = ("render/nl-complete.md", "render/en-remote.md", "tuning/en-ferry-deckhand.txt")


@dataclass
class Seeded:
    """What the seed made, for the tests' expectations."""

    hires: int = 0
    badges: int = 0
    prompts: int = 0
    answered: int = 0
    vacancies: int = 0
    coaching_held: int = 0


def _step(session, enrollment, key, *, channel, role, at, status="sent"):
    step = ScheduledStep(
        enrollment_id=enrollment.id, step_key=key, channel=channel, recipient_role=role,
        template=f"{enrollment.journey_key}/{key}", status=status, due_at=at,
        sent_at=at if status == "sent" else None, created_at=at, updated_at=at,
    )  # fmt: skip
    session.add(step)
    session.flush()
    if status == "sent":
        session.add(Delivery(step_id=step.id, action="send", message_id=f"<{step.uid}@test>",
                             channel=channel, transport="outbox", status="sent", at=at,
                             address="hire1@example.org", address_kind="work"))  # fmt: skip
    return step


def seed_vacancies(session, seeded: Seeded) -> None:
    """Three checked vacancies (two published) through the vacancy check and save_vacancy."""
    for n, name in enumerate(VACANCY_FILES):
        source = (VACANCIES / name).read_text(encoding="utf-8")
        parsed = parse_vacancy(source, file=name)
        language = parsed.meta.language or detect_language(parsed.text)
        report = check_vacancy(parsed, lang=language)
        vacancy = save_vacancy(
            session=session, source="generic", external_id=f"job-{n}",
            meta_title=parsed.meta.title or HOSTILE_TITLE, department=("Data", "Sales", None)[n],
            language=language, text=source, score=report.score,
            promises=learning_promises(check=report, text=parsed.text, profile=None,
                                       language=language),
            obligations=learning_obligations(check=report, text=parsed.text), now=NOW,
        )  # fmt: skip
        if n < 2:
            vacancy.published_at = datetime(2027, 2 + n, 3, 9, 0, tzinfo=UTC)
        seeded.vacancies += 1


def seed_hire(session, *, n: int, team: str, leader: Person, seeded: Seeded) -> None:
    """One hire of a team: plan, some progress, the leader's prompts, coaching, shares."""
    start = date(2027, 1 + n % 5, 4)
    at = datetime(start.year, start.month, start.day, 9, 0, tzinfo=UTC)
    person = Person(source="generic", external_id=f"h{n}", email=f"hire{n}@example.org",
                    first_name=f"Geheimnaam{n}", last_name="Verborgen", locale="nl",
                    created_at=at)  # fmt: skip
    session.add(person)
    session.flush()
    employment = Employment(person_id=person.id, source="generic", start_date=start,
                            title="Data Engineer", department=team, manager_id=leader.id,
                            created_at=at, updated_at=at)  # fmt: skip
    session.add(employment)
    session.flush()
    journeys = {}
    for key in ("new-hire", "leader"):
        journeys[key] = Enrollment(journey_key=key, subject_key=f"employment:{employment.id}",
                                   person_id=person.id, employment_id=employment.id,
                                   anchor_date=start, created_at=at, updated_at=at)  # fmt: skip
        session.add(journeys[key])
    session.flush()
    plan = ensure_plan(session=session, employment=employment, sources=default_sources(), now=at)
    if n % 2 == 0:
        set_goals(
            session=session,
            plan=plan,
            employment=employment,
            goals=["SQL", "dbt"],
            shout_out=False,
            sources=default_sources(),
            now=at + timedelta(days=3),
        )
    items = items_of(session, plan.id)
    if n % 3 != 2:  # two in three start their playlist; of those, every other one finishes it
        start_item(session=session, item=items[0], now=at + timedelta(days=10))
        if n % 2 == 0:
            for day, item in enumerate(items, start=20):
                complete_item(session=session, item=item, via="link", due_at=at,
                              now=at + timedelta(days=day))  # fmt: skip
            seeded.badges += 1
    for k, prompt in enumerate(("own-learning-goals", "training-followed")):
        step = _step(session, journeys["leader"], prompt, channel="prompt", role="leader",
                     at=at + timedelta(days=7 + 14 * k))  # fmt: skip
        seeded.prompts += 1
        if (n + k) % 3:
            save_reflection(session=session, step=step, leader=leader, prompt_key=prompt,
                            answer="Geheimnaam reflecteert", now=step.sent_at)  # fmt: skip
            seeded.answered += 1
    nudge = _step(session, journeys["new-hire"], "knowledge-sharing-1", channel="email",
                  role="new_hire", at=at + timedelta(days=30))  # fmt: skip
    if n % 2:
        save_share(session=session, plan=plan, kind="lunch", title="Geheimnaam deelt",
                   summary=None, planned_on=None, item=None, now=nudge.sent_at)  # fmt: skip
    coaching = _step(session, journeys["new-hire"], "coaching-series", channel="invite",
                     role="new_hire", at=at - timedelta(days=21))  # fmt: skip
    first = at + timedelta(days=7, hours=4)
    # every fourth hire left after three weeks: the series was cancelled, two meetings were held
    stopped = first + timedelta(weeks=3) if n % 4 == 0 else None
    session.add(CalendarEvent(step_id=coaching.id, uid=f"{coaching.uid}@test", sequence=0,
                              start_at=first, end_at=first + timedelta(minutes=45),
                              tzid="Europe/Amsterdam", repeat_every_weeks=2, repeat_count=6,
                              status="cancelled" if stopped else "confirmed", sent_sequence=0,
                              updated_at=stopped or at))  # fmt: skip
    seeded.coaching_held += sum(
        1 for k in range(6) if first + timedelta(weeks=2 * k) < min(NOW, stopped or NOW)
    )
    seeded.hires += 1


def seed(engine: Engine) -> Seeded:
    """Fill a migrated database; returns the counts the tests expect."""
    seeded = Seeded()
    with session_scope(engine) as session:
        leader = Person(source="generic", external_id="lead", email="leider@example.org",
                        first_name="Verborgen", created_at=NOW)  # fmt: skip
        session.add(leader)
        session.flush()
        seed_vacancies(session, seeded)
        n = 0
        for team, size in TEAMS.items():
            for _ in range(size):
                n += 1
                seed_hire(session, n=n, team=team, leader=leader, seeded=seeded)
    return seeded
