"""Erase the rows about one person: applications, employments, journeys, deliveries, learning.

Rows about the person are deleted; other people's rows that point at them (as manager, coach,
buddy or one-off recipient) lose the pointer, and any address of theirs a delivery kept is cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, delete, select

from models.consent import RetentionConsent
from models.delivery import CalendarEvent, Delivery
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.invite_responses import InviteResponse
from models.learning import (
    BadgeAward,
    KnowledgeShare,
    LearningGoal,
    LearningPlan,
    PlaylistItem,
    Reflection,
    XapiStatement,
)
from models.people import Person
from models.recruitment import Application
from models.step_history import StepChange


def _ids(session: Session, statement: Any) -> list[int]:
    return [int(i) for i in session.exec(statement).all() if i is not None]


def _run(session: Session, statement: Any) -> int:
    return int(session.exec(statement).rowcount or 0)  # type: ignore[call-overload]


def _delete_in(session: Session, table: Any, column: Any, ids: Iterable[int]) -> int:
    values = list(ids)
    if not values:
        return 0
    return _run(session, delete(table).where(col(column).in_(values)))


def erase_rows_of(*, session: Session, person: Person) -> int:
    """Delete every row about a person and unlink them from others' rows; returns rows touched."""
    pid = int(person.id or 0)
    apps = _ids(session, select(Application.id).where(Application.person_id == pid))
    jobs = _ids(session, select(Employment.id).where(Employment.person_id == pid))
    enrollments = _ids(
        session,
        select(Enrollment.id).where(
            or_(
                col(Enrollment.person_id) == pid,
                col(Enrollment.employment_id).in_(jobs),
                col(Enrollment.application_id).in_(apps),
            )
        ),
    )
    steps = _ids(
        session, select(ScheduledStep.id).where(col(ScheduledStep.enrollment_id).in_(enrollments))
    )
    touched = _erase_learning_rows(session=session, person_id=pid, jobs=jobs, steps=steps)
    touched += _erase_invite_responses(session=session, person_id=pid, steps=steps)
    for table, column in ((Delivery, Delivery.step_id), (CalendarEvent, CalendarEvent.step_id),
                          (StepChange, StepChange.step_id)):  # fmt: skip
        touched += _delete_in(session, table, column, steps)
    if steps:
        touched += _run(
            session,
            update(ScheduledStep)
            .where(col(ScheduledStep.calendar_step_id).in_(steps))
            .values(calendar_step_id=None),
        )
    touched += _delete_in(session, ScheduledStep, ScheduledStep.id, steps)
    touched += _delete_in(session, Enrollment, Enrollment.id, enrollments)
    for role in ("manager_id", "coach_id", "buddy_id"):
        column = getattr(Employment, role)
        touched += _run(session, update(Employment).where(column == pid).values({role: None}))
    touched += _delete_in(session, Employment, Employment.id, jobs)
    touched += _delete_in(session, Application, Application.id, apps)
    touched += _run(session, delete(RetentionConsent).where(col(RetentionConsent.person_id) == pid))
    touched += _unlink_recipient(session=session, person_id=pid)
    touched += _clear_addresses(session=session, person=person)
    session.flush()
    return touched


def _erase_invite_responses(*, session: Session, person_id: int, steps: list[int]) -> int:
    """Their own answers to any invite, and every answer to the invites of their journeys."""
    events = _ids(session, select(CalendarEvent.id).where(col(CalendarEvent.step_id).in_(steps)))
    touched = _delete_in(session, InviteResponse, InviteResponse.calendar_event_id, events)
    return touched + _run(
        session, delete(InviteResponse).where(col(InviteResponse.person_id) == person_id)
    )


def _erase_learning_rows(
    *, session: Session, person_id: int, jobs: list[int], steps: list[int]
) -> int:
    plans = _ids(
        session,
        select(LearningPlan.id).where(
            or_(col(LearningPlan.person_id) == person_id, col(LearningPlan.employment_id).in_(jobs))
        ),
    )
    items = _ids(session, select(PlaylistItem.id).where(col(PlaylistItem.plan_id).in_(plans)))
    touched = _delete_in(session, XapiStatement, XapiStatement.plan_id, plans)
    touched += _delete_in(session, XapiStatement, XapiStatement.playlist_item_id, items)
    touched += _delete_in(session, KnowledgeShare, KnowledgeShare.plan_id, plans)
    touched += _delete_in(session, KnowledgeShare, KnowledgeShare.playlist_item_id, items)
    touched += _delete_in(session, LearningGoal, LearningGoal.plan_id, plans)
    touched += _delete_in(session, BadgeAward, BadgeAward.plan_id, plans)
    touched += _delete_in(session, Reflection, Reflection.step_id, steps)
    touched += _run(session, delete(Reflection).where(col(Reflection.leader_id) == person_id))
    if steps:
        touched += _run(
            session,
            update(PlaylistItem).where(col(PlaylistItem.step_id).in_(steps)).values(step_id=None),
        )
    touched += _delete_in(session, PlaylistItem, PlaylistItem.id, items)
    touched += _delete_in(session, LearningPlan, LearningPlan.id, plans)
    return touched


def _unlink_recipient(*, session: Session, person_id: int) -> int:
    """Others' steps addressed to this person alone: cancelled if unsent, pointer removed."""
    mine = col(ScheduledStep.recipient_person_id) == person_id
    _run(
        session,
        update(ScheduledStep)
        .where(mine, col(ScheduledStep.status).in_(["pending", "claimed", "failed"]))
        .values(status="cancelled", last_error=None),
    )
    return _run(session, update(ScheduledStep).where(mine).values(recipient_person_id=None))


def _clear_addresses(*, session: Session, person: Person) -> int:
    """Messages to this person on others' journeys (as a leader, coach, buddy): address gone.

    Error texts that quote one of their addresses (an SMTP 550 names the recipient) go too.
    """
    addresses = sorted(
        {a.lower() for a in (person.email, person.personal_email, person.work_email) if a}
    )
    if not addresses:
        return 0
    quoted_in_detail = or_(
        *(func.lower(col(Delivery.detail)).contains(a, autoescape=True) for a in addresses)
    )
    touched = _run(
        session,
        update(Delivery)
        .where(or_(func.lower(col(Delivery.address)).in_(addresses), quoted_in_detail))
        .values(address=None, detail=None),
    )
    quoted_in_error = or_(
        *(func.lower(col(ScheduledStep.last_error)).contains(a, autoescape=True) for a in addresses)
    )
    return touched + _run(
        session, update(ScheduledStep).where(quoted_in_error).values(last_error=None)
    )
