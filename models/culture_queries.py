"""Counts for the learning-culture view: GROUP BY team and month, on SQLite and PostgreSQL.

Every query returns aggregates (team, month, count); no row about one person leaves this module.
The team is the department of the hire's employment (the vacancy's, for vacancy counts); months
are UTC months, as the rows store UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, distinct, exists, extract, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, func, select

from journeys.culture import CountRow, coaching_rows
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.learning import BadgeAward, KnowledgeShare, LearningPlan, PlaylistItem, Reflection
from models.recruitment import Vacancy
from models.vacancy_promises import VacancyPromise

TEAM = col(Employment.department)


def team_sizes(*, session: Session) -> dict[str | None, int]:
    """People per team (department) over every employment Leerpad knows; None: no team."""
    rows = session.exec(
        select(TEAM, func.count(distinct(Employment.person_id))).group_by(TEAM)
    ).all()
    return {team: int(n) for team, n in rows}


def _by_month(
    session: Session, measure: str, moment: Any, team: Any, query: Callable[[Any], Any],
    start: datetime, end: datetime, counted: Any = None,
) -> list[CountRow]:  # fmt: skip
    """Run `query(select(team, year, month, count))` filtered to [start, end) and grouped."""
    year, month = extract("year", moment), extract("month", moment)
    amount = func.count(distinct(counted)) if counted is not None else func.count()
    statement = query(select(team, year, month, amount))
    statement = statement.where(moment >= start, moment < end).group_by(team, year, month)
    return [
        CountRow(measure, t, f"{int(y):04d}-{int(m):02d}", int(n))
        for t, y, m, n in session.exec(statement).all()
    ]


def _vacancy_counts(session: Session, start: datetime, end: datetime) -> list[CountRow]:
    published, team = col(Vacancy.published_at), col(Vacancy.department)

    def promise(*conditions: ColumnElement[bool]) -> Any:
        return exists().where(col(VacancyPromise.vacancy_id) == col(Vacancy.id), *conditions)

    def select_from(s: Any) -> Any:
        return s.select_from(Vacancy)

    offer = promise(col(VacancyPromise.kind) == "promise")
    value = promise(col(VacancyPromise.categories).contains("learning_value"))
    return (
        _by_month(session, "vacancies_published", published, team, select_from, start, end)
        + _by_month(session, "vacancies_with_offer", published, team,
                    lambda s: select_from(s).where(offer), start, end)
        + _by_month(session, "vacancies_value", published, team,
                    lambda s: select_from(s).where(value), start, end)
    )  # fmt: skip


def _plan_counts(session: Session, start: datetime, end: datetime) -> list[CountRow]:
    def of_plans(s: Any) -> Any:
        return s.select_from(LearningPlan).join(
            Employment, col(Employment.id) == col(LearningPlan.employment_id)
        )

    def of_plans_with(*conditions: ColumnElement[bool]) -> Callable[[Any], Any]:
        return lambda s: of_plans(s).where(*conditions)

    completed, goals = col(LearningPlan.completed_at), col(LearningPlan.goals_set_at)
    item_moment = func.coalesce(col(PlaylistItem.completed_at), col(PlaylistItem.updated_at))
    first = (
        select(col(PlaylistItem.plan_id).label("plan_id"), func.min(item_moment).label("first"))
        .where(col(PlaylistItem.status).in_(("started", "completed")))
        .group_by(col(PlaylistItem.plan_id))
        .subquery()
    )

    def of_started(s: Any) -> Any:
        return of_plans(s).join(first, first.c.plan_id == col(LearningPlan.id))

    started_at = first.c.first  # min() keeps the UTC column type: bounds bind as UTC
    return (
        _by_month(session, "plans_created", col(LearningPlan.created_at), TEAM, of_plans,
                  start, end)
        + _by_month(session, "goals_set", goals, TEAM, of_plans, start, end)
        + _by_month(session, "playlists_completed", completed, TEAM, of_plans, start, end)
        + _by_month(session, "playlists_started", started_at, TEAM, of_started,
                    start, end)
        + _by_month(session, "playlists_started_done", started_at, TEAM,
                    lambda s: of_started(s).where(completed.is_not(None)), start, end)
        + _by_month(session, "badges_issued", col(BadgeAward.issued_at), TEAM,
                    lambda s: of_plans(s).join(
                        BadgeAward, col(BadgeAward.plan_id) == col(LearningPlan.id)),
                    start, end)
        + _by_month(session, "items_completed", col(PlaylistItem.completed_at), TEAM,
                    lambda s: of_plans(s).join(
                        PlaylistItem, col(PlaylistItem.plan_id) == col(LearningPlan.id)
                    ).where(col(PlaylistItem.status) == "completed"),
                    start, end)
        + _by_month(session, "shares", col(KnowledgeShare.created_at), TEAM,
                    lambda s: of_plans(s).join(
                        KnowledgeShare, col(KnowledgeShare.plan_id) == col(LearningPlan.id)),
                    start, end)
    )  # fmt: skip


def _of_steps(s: Any) -> Any:
    """From scheduled steps to the employment (team) of the journey they belong to."""
    return (
        s.select_from(ScheduledStep)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .join(Employment, col(Employment.id) == col(Enrollment.employment_id))
    )


def _step_counts(session: Session, start: datetime, end: datetime) -> list[CountRow]:
    sent_at, step_id = col(ScheduledStep.sent_at), col(ScheduledStep.id)
    prompt = and_(
        col(ScheduledStep.channel) == "prompt", col(ScheduledStep.recipient_role) == "leader",
        col(ScheduledStep.status) == "sent",
    )  # fmt: skip
    answered = exists().where(col(Reflection.step_id) == step_id)
    nudge = and_(
        col(ScheduledStep.step_key).startswith("knowledge-sharing"),
        col(ScheduledStep.status) == "sent", col(ScheduledStep.action) == "send",
    )  # fmt: skip

    def of_deliveries(s: Any) -> Any:
        return _of_steps(s.select_from(Delivery).join(
            ScheduledStep, col(ScheduledStep.id) == col(Delivery.step_id)
        )).where(col(Delivery.status) == "sent", col(Delivery.action) == "send")  # fmt: skip

    return (
        _by_month(session, "prompts_sent", sent_at, TEAM, lambda s: _of_steps(s).where(prompt),
                  start, end)
        + _by_month(session, "prompts_answered", sent_at, TEAM,
                    lambda s: _of_steps(s).where(prompt, answered), start, end)
        + _by_month(session, "sharing_nudges", sent_at, TEAM, lambda s: _of_steps(s).where(nudge),
                    start, end)
        + _by_month(session, "messages_sent", col(Delivery.at), TEAM, of_deliveries, start, end)
    )  # fmt: skip


def _coaching_counts(
    session: Session, start: datetime, end: datetime, now: datetime
) -> list[CountRow]:
    """Meetings of coaching invites that went out and were not cancelled, held before now."""
    first = col(CalendarEvent.start_at)
    every, sessions = col(CalendarEvent.repeat_every_weeks), col(CalendarEvent.repeat_count)
    statement = (
        _of_steps(select(TEAM, first, every, sessions, func.count()))
        .join(CalendarEvent, col(CalendarEvent.step_id) == col(ScheduledStep.id))
        .where(
            col(ScheduledStep.channel) == "invite",
            col(ScheduledStep.step_key).contains("coach"),
            col(CalendarEvent.status) != "cancelled",
            or_(col(CalendarEvent.sent_sequence).is_not(None), col(ScheduledStep.status) == "sent"),
            first < min(end, now),
        )
        .group_by(TEAM, first, every, sessions)
    )
    series = [(t, f, e, c, int(n)) for t, f, e, c, n in session.exec(statement).all()]
    return coaching_rows(series, now=now, start=start, end=end)


def culture_counts(
    *, session: Session, start: datetime, end: datetime, now: datetime
) -> list[CountRow]:
    """Every measure of the learning-culture view, per team and UTC month within [start, end)."""
    return (
        _vacancy_counts(session, start, end)
        + _plan_counts(session, start, end)
        + _step_counts(session, start, end)
        + _coaching_counts(session, start, end, now)
    )
