"""The people list with 10,000 people, on SQLite and PostgreSQL: right totals, pages, filters and
search, and a fixed number of SQL statements per page whatever its size (no query per person)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.engine import Engine

from models.base import new_uid
from models.db import session_scope
from models.delivery import Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.hr_inbox import inbox_page
from models.hr_people import people_page
from models.inbox import InboxEvent
from models.people import Person

NOW = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
PEOPLE = 10_000


def populate(engine: Engine) -> None:
    """Even people will be hires (one journey, two steps), odd ones candidates; every twentieth
    person's journey is cancelled; the welcome of every tenth person failed, the others' went."""
    with session_scope(engine) as session:
        session.execute(
            insert(Person),
            [{"uid": new_uid(), "source": "generic", "external_id": f"p{n}",
              "first_name": "Mila" if n % 2 else "Sem", "last_name": f"Achternaam{n:05d}",
              "created_at": NOW} for n in range(PEOPLE)],
        )  # fmt: skip
        ids = dict(session.execute(select(Person.external_id, Person.id)).all())
        session.execute(
            insert(Employment),
            [{"person_id": ids[f"p{n}"], "source": "generic", "start_date": NOW.date(),
              "created_at": NOW, "updated_at": NOW} for n in range(0, PEOPLE, 2)],
        )  # fmt: skip
        jobs = dict(session.execute(select(Employment.person_id, Employment.id)).all())
        session.execute(
            insert(Enrollment),
            [{"journey_key": "new-hire" if n % 2 == 0 else "candidate",
              "subject_key": f"{'employment' if n % 2 == 0 else 'application'}:{n}",
              "person_id": ids[f"p{n}"], "employment_id": jobs.get(ids[f"p{n}"]),
              "application_id": None,
              "status": "cancelled" if n % 20 == 0 else "active", "created_at": NOW,
              "updated_at": NOW} for n in range(PEOPLE)],
        )  # fmt: skip
        enrollments = dict(session.execute(select(Enrollment.subject_key, Enrollment.id)).all())
        steps = []
        for n in range(0, PEOPLE, 2):
            enrollment = enrollments[f"employment:{n}"]
            for k, (key, status) in enumerate((("welcome", "failed" if n % 10 == 0 else "sent"),
                                               ("first-day", "pending"))):  # fmt: skip
                steps.append({"uid": new_uid(), "enrollment_id": enrollment, "step_key": key,
                              "occurrence": 0, "channel": "email", "recipient_role": "new_hire",
                              "template": key, "action": "send", "status": status,
                              "due_at": NOW + timedelta(days=k - 1), "attempts": 0,
                              "created_at": NOW, "updated_at": NOW})  # fmt: skip
        session.execute(insert(ScheduledStep), steps)
        sent = session.execute(
            select(ScheduledStep.id).where(ScheduledStep.status == "sent")
        ).scalars()
        session.execute(
            insert(Delivery),
            [{"step_id": s, "action": "send", "sequence": 0, "message_id": f"<{s}@x>",
              "channel": "email", "transport": "outbox", "status": "sent",
              "at": NOW - timedelta(days=1)} for s in sent],
        )  # fmt: skip


@pytest.fixture
def big(engine: Engine) -> Engine:
    """10,000 people on a fresh database."""
    populate(engine)
    return engine


def statements(engine: Engine):  # type: ignore[no-untyped-def]
    """A list that collects every SQL statement run on the engine while it is listened to."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(engine, "before_cursor_execute", record)


def test_ten_thousand_people_paged_filtered_and_searched_with_few_queries(big):
    with session_scope(big) as session:
        session.execute(select(1))  # the connection's own set-up statements are not counted
        seen, stop = statements(big)
        try:
            first = people_page(session=session, page=1)
            count_first = len(seen)
            seen.clear()
            middle = people_page(session=session, page=100, size=100)
            count_middle = len(seen)
        finally:
            stop()
    assert first.total == PEOPLE and first.pages == 200 and len(first.rows) == 50
    assert [r.name for r in first.rows[:2]] == ["Sem Achternaam00000", "Mila Achternaam00001"]
    assert len(middle.rows) == 100 and middle.rows[0].name.endswith(f"{99 * 100:05d}")
    assert count_first == count_middle <= 6  # count, page, journeys, next step, last sent, failed
    hire, candidate = first.rows[0], first.rows[1]
    assert (hire.kind, hire.state, hire.failures) == ("hire", "cancelled", 1)
    assert (hire.next_step, hire.last_sent_at) == ("first-day", None)
    assert (candidate.kind, candidate.state, candidate.next_step) == ("candidate", "active", None)
    second_hire = first.rows[2]
    assert second_hire.last_sent_at == NOW - timedelta(days=1) and second_hire.failures == 0
    with session_scope(big) as session:  # filters and search, on the same 10,000
        candidates = people_page(session=session, kind="candidate")
        cancelled = people_page(session=session, state="cancelled")
        cancelled_candidates = people_page(session=session, kind="candidate", state="cancelled")
        found = people_page(session=session, search="achternaam0420")
        by_first = people_page(session=session, search="SEM ACHTERNAAM0042")
    assert candidates.total == PEOPLE // 2
    assert cancelled.total == PEOPLE // 20 and {r.kind for r in cancelled.rows} == {"hire"}
    assert cancelled_candidates.total == 0
    assert found.total == 10 and all("Achternaam0420" in r.name for r in found.rows)
    assert by_first.total == 5 and {r.name[:3] for r in by_first.rows} == {"Sem"}


def test_the_inbox_puts_failures_first_on_every_database(engine):
    with session_scope(engine) as session:
        for n, status in enumerate(["processed", "failed", "ignored", "failed", "received"]):
            session.add(InboxEvent(dedupe_key=f"k{n}", source="generic", status=status,
                                   payload="{}", received_at=NOW))  # fmt: skip
    with session_scope(engine) as session:
        found = inbox_page(session=session)
        failed = inbox_page(session=session, status="failed")
        small = inbox_page(session=session, page=3, size=2)
    assert [r.status for r in found.rows] == ["failed", "failed", "received", "ignored",
                                              "processed"]  # fmt: skip
    assert [r.id for r in found.rows][:2] == [4, 2] and found.failed == 2
    assert failed.total == 2 and small.page == 3 and len(small.rows) == 1
