"""Read the learning side: who an xAPI actor is, and HR's aggregates (never reflection text)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from models.enrollment import Enrollment, ScheduledStep
from models.learning import BadgeAward, KnowledgeShare, LearningPlan, PlaylistItem, Reflection
from models.people import Person


def plan_for_actor(
    *, session: Session, account_name: str | None = None, mbox_sha1: str | None = None
) -> LearningPlan | None:
    """Find a plan by its pseudonymous actor name, or by the SHA-1 of a hire's mailto: IRI."""
    if account_name:
        return session.exec(
            select(LearningPlan).where(LearningPlan.actor_name == account_name)
        ).first()
    if not mbox_sha1:
        return None
    rows = session.exec(
        select(LearningPlan, Person).join(Person, col(Person.id) == col(LearningPlan.person_id))
    ).all()
    for plan, person in rows:
        for email in {person.email, person.work_email, person.personal_email} - {None}:
            if hashlib.sha1(f"mailto:{email}".encode()).hexdigest() == mbox_sha1.lower():  # noqa: S324
                return plan
    return None


@dataclass(frozen=True)
class PeriodRate:
    """Reflection prompts sent and answered in one period; rate None when too few to show."""

    period: str
    prompts: int
    answered: int
    rate: float | None


def reflection_response_rate(
    *, session: Session, start: datetime, end: datetime, min_group: int = 5
) -> list[PeriodRate]:
    """HR's view of reflections: per month, how many prompts were answered. Never the text."""
    sent = session.exec(
        select(ScheduledStep.id, ScheduledStep.sent_at)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(
            Enrollment.journey_key == "leader",
            ScheduledStep.channel == "prompt",
            ScheduledStep.status == "sent",
            col(ScheduledStep.sent_at) >= start,
            col(ScheduledStep.sent_at) < end,
        )
    ).all()
    answered = set(
        session.exec(
            select(Reflection.step_id).where(col(Reflection.step_id).in_([i for i, _ in sent]))
        ).all()
    )
    periods: dict[str, list[int]] = {}
    for step_id, sent_at in sent:
        counts = periods.setdefault(f"{sent_at:%Y-%m}", [0, 0])
        counts[0] += 1
        counts[1] += step_id in answered
    return [
        PeriodRate(p, n, a, round(a / n, 3) if n >= min_group else None)
        for p, (n, a) in sorted(periods.items())
    ]


def learning_totals(*, session: Session) -> dict[str, int]:
    """HR's totals across all hires: plans, goals set, items done, shares, badges. No names."""

    def count(statement) -> int:  # type: ignore[no-untyped-def]
        return int(session.exec(statement).one())

    return {
        "plans": count(select(func.count()).select_from(LearningPlan)),
        "goals_set": count(select(func.count()).where(col(LearningPlan.goals_set_at).is_not(None))),
        "items_done": count(select(func.count()).where(PlaylistItem.status == "completed")),
        "shares": count(select(func.count()).select_from(KnowledgeShare)),
        "badges": count(select(func.count()).select_from(BadgeAward)),
    }
