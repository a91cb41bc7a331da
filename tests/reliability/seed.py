"""Fast seeding for the reliability tests: hires with due email steps, inserted in bulk."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.people import Person

JOURNEYS_DIR = Path(__file__).parent / "journeys"
STEP_KEYS = ("welcome", "learning-offer", "first-day", "checkin-30", "checkin-60")
SEEDED_AT = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
DUE_FROM = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)


def seed_due_steps(engine: Engine, *, hires: int, tag: str = "r") -> int:
    """Insert `hires` new hires (each with a manager), five due email steps each; returns steps.

    Rows go in per table with the ORM's bulk INSERT … RETURNING, not one hire at a time.
    """
    now = SEEDED_AT
    with Session(engine) as session:
        people = [
            Person(
                source="test",
                external_id=f"{tag}-h{i}",
                email=f"hire{i}@example.org",
                first_name="Noor",
                last_name=f"Test {i}",
                locale="nl" if i % 2 else "en",
                timezone="Europe/Amsterdam",
                created_at=now,
            )
            for i in range(hires)
        ]
        managers = [
            Person(source="test", external_id=f"{tag}-m{i}", email=f"lead{i}@example.org",
                   first_name="Daan", last_name=f"Lead {i}", created_at=now)
            for i in range(hires)
        ]  # fmt: skip
        session.add_all(people + managers)
        session.flush()
        employments = [
            Employment(person_id=p.id, manager_id=m.id, source="test", start_date=date(2027, 3, 1),
                       created_at=now, updated_at=now)
            for p, m in zip(people, managers, strict=True)
        ]  # fmt: skip
        session.add_all(employments)
        session.flush()
        enrollments = [
            Enrollment(journey_key="reliability", subject_key=f"employment:{e.id}",
                       person_id=e.person_id, employment_id=e.id, anchor_date=e.start_date,
                       created_at=now, updated_at=now)
            for e in employments
        ]  # fmt: skip
        session.add_all(enrollments)
        session.flush()
        steps = [
            ScheduledStep(enrollment_id=en.id, step_key=key, channel="email",
                          recipient_role="new_hire", template=f"new-hire/{key}",
                          due_at=DUE_FROM + timedelta(minutes=i), created_at=now, updated_at=now)
            for i, en in enumerate(enrollments)
            for key in STEP_KEYS
        ]  # fmt: skip
        session.add_all(steps)
        session.commit()
    return len(steps)
