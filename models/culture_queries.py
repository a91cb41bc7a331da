"""Counts for the learning-culture view: GROUP BY team and month, on SQLite and PostgreSQL.

Every query returns aggregates (team, month, count); no row about one person leaves this module.
The team is the department of the hire's employment (the vacancy's, for vacancy counts); months
are UTC months, as the rows store UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, distinct, exists, extract
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, func, select

from journeys.culture import CoachingSeries, CountRow, coaching_rows
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning import BadgeAward, KnowledgeShare, LearningPlan, PlaylistItem, Reflection
from models.recruitment import Vacancy
from models.vacancy_promises import VacancyPromise

TEAM = col(Employment.department)
Source = Callable[[Any], Any]  # adds FROM, JOINs and WHERE to a select of (team, year, month, n)


def team_sizes(*, session: Session) -> dict[str | None, int]:
    """People per team (department) over every employment Leerpad knows; None: no team."""
    rows = session.exec(
        select(TEAM, func.count(distinct(Employment.person_id))).group_by(TEAM)
    ).all()
    return {team: int(n) for team, n in rows}


@dataclass(frozen=True)
class _Counter:
    """Counts rows per team and UTC month of `moment`, within [start, end)."""

    session: Session
    start: datetime
    end: datetime

    def __call__(
        self, measure: str, *, moment: Any, source: Source, team: Any = TEAM
    ) -> list[CountRow]:
        """Run `source(select(team, year, month, count(*)))`, filtered and grouped."""
        year, month = extract("year", moment), extract("month", moment)
        statement = (
            source(select(team, year, month, func.count()))
            .where(moment >= self.start, moment < self.end)
            .group_by(team, year, month)
        )
        return [
            CountRow(measure, t, f"{int(y):04d}-{int(m):02d}", int(n))
            for t, y, m, n in self.session.exec(statement).all()
        ]


def _vacancies(s: Any) -> Any:
    return s.select_from(Vacancy)


def _plans(s: Any) -> Any:
    """From learning plans to the employment (team) they belong to."""
    return s.select_from(LearningPlan).join(
        Employment, col(Employment.id) == col(LearningPlan.employment_id)
    )


def _of_plan(table: Any) -> Source:
    """Rows of a table with a `plan_id`, with their plan's team."""
    return lambda s: _plans(s).join(table, col(table.plan_id) == col(LearningPlan.id))


def _steps(s: Any) -> Any:
    """From scheduled steps to the employment (team) of the journey they belong to."""
    return (
        s.select_from(ScheduledStep)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .join(Employment, col(Employment.id) == col(Enrollment.employment_id))
    )


def _deliveries(s: Any) -> Any:
    """Messages that went out (not updates or cancellations), with their journey's team."""
    joined = s.select_from(Delivery).join(
        ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id)
    )
    return _steps(joined).where(col(Delivery.status) == "sent", col(Delivery.action) == "send")


def _where(source: Source, *conditions: ColumnElement[bool]) -> Source:
    return lambda s: source(s).where(*conditions)


def _vacancy_counts(count: _Counter) -> list[CountRow]:
    """Vacancies published, those with a learning promise, those naming learning as a value."""
    published, team = col(Vacancy.published_at), col(Vacancy.department)

    def promise(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists().where(col(VacancyPromise.vacancy_id) == col(Vacancy.id), *conditions)

    offer = promise(col(VacancyPromise.kind) == "promise")
    value = promise(col(VacancyPromise.categories).contains("learning_value"))
    return (
        count("vacancies_published", moment=published, source=_vacancies, team=team)
        + count("vacancies_with_offer", moment=published, source=_where(_vacancies, offer),
                team=team)
        + count("vacancies_value", moment=published, source=_where(_vacancies, value), team=team)
    )  # fmt: skip


def _plan_counts(count: _Counter) -> list[CountRow]:
    """Plans, goals, playlists started and completed, items done, badges and shares."""
    completed = col(LearningPlan.completed_at)
    item_moment = func.coalesce(col(PlaylistItem.completed_at), col(PlaylistItem.updated_at))
    first = (
        select(col(PlaylistItem.plan_id).label("plan_id"), func.min(item_moment).label("first"))
        .where(col(PlaylistItem.status).in_(("started", "completed")))
        .group_by(col(PlaylistItem.plan_id))
        .subquery()
    )  # a playlist starts with its first item started or done; min() keeps the UTC type

    def started(s: Any) -> Any:
        return _plans(s).join(first, first.c.plan_id == col(LearningPlan.id))

    done_items = _where(_of_plan(PlaylistItem), col(PlaylistItem.status) == "completed")
    return (
        count("plans_created", moment=col(LearningPlan.created_at), source=_plans)
        + count("goals_set", moment=col(LearningPlan.goals_set_at), source=_plans)
        + count("playlists_completed", moment=completed, source=_plans)
        + count("playlists_started", moment=first.c.first, source=started)
        + count("playlists_started_done", moment=first.c.first,
                source=_where(started, completed.is_not(None)))
        + count("badges_issued", moment=col(BadgeAward.issued_at), source=_of_plan(BadgeAward))
        + count("items_completed", moment=col(PlaylistItem.completed_at), source=done_items)
        + count("shares", moment=col(KnowledgeShare.created_at),
                source=_of_plan(KnowledgeShare))
    )  # fmt: skip


def _step_counts(count: _Counter) -> list[CountRow]:
    """Leaders' prompts sent and answered, knowledge-sharing nudges, messages delivered."""
    sent_at = col(ScheduledStep.sent_at)
    prompt = and_(
        col(ScheduledStep.channel) == "prompt", col(ScheduledStep.recipient_role) == "leader",
        col(ScheduledStep.status) == "sent",
    )  # fmt: skip
    answered = exists().where(col(Reflection.step_id) == col(ScheduledStep.id))
    nudge = and_(
        col(ScheduledStep.step_key).startswith("knowledge-sharing"),
        col(ScheduledStep.status) == "sent", col(ScheduledStep.action) == "send",
    )  # fmt: skip
    return (
        count("prompts_sent", moment=sent_at, source=_where(_steps, prompt))
        + count("prompts_answered", moment=sent_at, source=_where(_steps, prompt, answered))
        + count("sharing_nudges", moment=sent_at, source=_where(_steps, nudge))
        + count("messages_sent", moment=col(Delivery.at), source=_deliveries)
    )


def _coaching_counts(
    session: Session, start: datetime, end: datetime, now: datetime
) -> list[CountRow]:
    """Meetings of coaching invites that went out, held before now and before any cancellation."""
    first, event = col(CalendarEvent.start_at), CalendarEvent
    every, sessions = col(event.repeat_every_weeks), col(event.repeat_count)
    cancelled_at = case((col(event.status) == "cancelled", col(event.updated_at)), else_=None)
    statement = (
        _steps(select(TEAM, first, every, sessions, cancelled_at, func.count()))
        .join(CalendarEvent, col(CalendarEvent.step_id) == col(ScheduledStep.id))
        .where(
            col(ScheduledStep.channel) == "invite",
            col(ScheduledStep.step_key).contains("coach"),
            col(event.sent_sequence).is_not(None),  # the invite reached the calendars
            first < min(end, now),
        )
        .group_by(TEAM, first, every, sessions, cancelled_at)
    )
    series = [
        CoachingSeries(team, start_at, weeks, count, int(n), _utc(stopped))
        for team, start_at, weeks, count, stopped, n in session.exec(statement).all()
    ]
    return coaching_rows(series, now=now, start=start, end=end)


def _utc(value: Any) -> datetime | None:
    """A naive UTC value from a raw CASE column (text on SQLite) as an aware datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def culture_counts(
    *, session: Session, start: datetime, end: datetime, now: datetime
) -> list[CountRow]:
    """Every measure of the learning-culture view, per team and UTC month within [start, end)."""
    count = _Counter(session, start, end)
    return (
        _vacancy_counts(count)
        + _plan_counts(count)
        + _step_counts(count)
        + _coaching_counts(session, start, end, now)
    )
