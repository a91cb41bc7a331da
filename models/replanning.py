"""Re-plan journeys when the facts change: a moved start date, a new manager, a cancellation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from journeys.planner import plan_anchor_step
from models.delivery import CalendarEvent
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.planning import (
    PlanningRules,
    catch_up,
    meeting_for,
    role_people,
    set_meeting,
    zone_of,
)
from models.step_history import log_change


@dataclass
class RescheduleSummary:
    """What a moved start date changed."""

    moved: int = 0
    invites_updated: int = 0
    untouched_sent: int = 0


def reschedule_employment(
    *,
    session: Session,
    rules: PlanningRules,
    employment: Employment,
    start_date: date,
    now: datetime,
) -> RescheduleSummary:
    """Move pending steps to a new start date; sent messages stay sent, sent invites get updated."""
    summary = RescheduleSummary()
    employment.start_date = start_date
    employment.updated_at = now
    people = role_people(session=session, employment=employment)
    enrollments = session.exec(
        select(Enrollment).where(
            Enrollment.employment_id == employment.id, Enrollment.status == "active"
        )
    ).all()
    for enrollment in enrollments:
        journey = rules.catalog.get(enrollment.journey_key)
        enrollment.anchor_date, enrollment.updated_at = start_date, now
        rows = session.exec(
            select(ScheduledStep).where(ScheduledStep.enrollment_id == enrollment.id)
        ).all()
        for row in rows:
            if row.step_key not in {s.key for s in journey.steps}:
                continue
            step = journey.step(row.step_key)
            zone = zone_of(people.get(step.to), rules.profile)
            _reschedule_row(
                session=session,
                row=row,
                step=step,
                anchor=start_date,
                zone=zone,
                rules=rules,
                now=now,
                summary=summary,
            )
    session.flush()
    return summary


def _reschedule_row(*, session, row, step, anchor, zone, rules, now, summary) -> None:  # type: ignore[no-untyped-def]
    event = session.exec(select(CalendarEvent).where(CalendarEvent.step_id == row.id)).first()
    meeting = meeting_for(step, anchor=anchor, zone=zone, rules=rules)
    if row.status == "pending" and row.action == "send":
        planned = plan_anchor_step(
            step,
            anchor=anchor,
            zone=zone,
            calendar=rules.calendar,
            window=rules.profile.send_window,
        )
        old_due = row.due_at
        row.due_at = catch_up(planned.due_utc, now=now, zone=zone, rules=rules)
        row.updated_at = now
        meeting_moved = False
        if event is not None and meeting is not None:
            meeting_moved = set_meeting(event, meeting, step, now)
        if row.due_at != old_due or meeting_moved:
            detail = "start date moved" + ("; meeting moved" if meeting_moved else "")
            log_change(
                session=session,
                step=row,
                change="rescheduled",
                now=now,
                old_due_at=old_due,
                detail=detail,
            )
        summary.moved += 1
        return
    if event is None or meeting is None or event.status == "cancelled":
        if row.status == "sent":
            summary.untouched_sent += 1
        return
    if not set_meeting(event, meeting, step, now):
        return
    if event.sent_sequence is not None and event.sequence <= event.sent_sequence:
        event.sequence = event.sent_sequence + 1
    if row.status in ("sent", "pending", "failed"):
        old_due = row.due_at
        row.action, row.status = "update", "pending"
        row.due_at = catch_up(now, now=now, zone=zone, rules=rules)
        row.updated_at = now
        log_change(
            session=session,
            step=row,
            change="rescheduled",
            now=now,
            old_due_at=old_due,
            detail=f"start date moved; invite update SEQUENCE {event.sequence}",
        )
        summary.invites_updated += 1


def cancel_enrollments(*, session: Session, enrollments: list[Enrollment], now: datetime) -> int:
    """Cancel pending steps; queue METHOD:CANCEL for invites that already went out."""
    cancelled = 0
    for enrollment in enrollments:
        enrollment.status, enrollment.updated_at = "cancelled", now
        rows = session.exec(
            select(ScheduledStep).where(ScheduledStep.enrollment_id == enrollment.id)
        ).all()
        for row in rows:
            event = session.exec(
                select(CalendarEvent).where(CalendarEvent.step_id == row.id)
            ).first()
            if (
                event is not None
                and event.sent_sequence is not None
                and event.status != "cancelled"
            ):
                event.status = "cancelled"
                event.sequence = max(event.sequence, event.sent_sequence + 1)
                event.updated_at = now
                old_due = row.due_at
                row.action, row.status, row.due_at = "cancel", "pending", now
                row.updated_at = now
                log_change(
                    session=session,
                    step=row,
                    change="cancelled",
                    now=now,
                    old_due_at=old_due,
                    detail=f"invite cancel SEQUENCE {event.sequence}",
                )
                cancelled += 1
            elif row.status in ("pending", "claimed", "failed"):
                row.status, row.updated_at = "cancelled", now
                if event is not None:
                    event.status = "cancelled"
                log_change(
                    session=session,
                    step=row,
                    change="cancelled",
                    now=now,
                    old_due_at=row.due_at,
                    still_due=False,
                )
                cancelled += 1
    session.flush()
    return cancelled


def enrollments_of_person(*, session: Session, person_id: int) -> list[Enrollment]:
    """Return every active enrollment about a person."""
    return list(
        session.exec(
            select(Enrollment).where(
                Enrollment.person_id == person_id, Enrollment.status == "active"
            )
        ).all()
    )


HANDOVER_STEP = "handover"
HANDOVER_TEMPLATE = "_handover/brief"


def _next_occurrence(session: Session, enrollment_id: int, step_key: str) -> int:
    used = session.exec(
        select(ScheduledStep.occurrence).where(
            ScheduledStep.enrollment_id == enrollment_id, ScheduledStep.step_key == step_key
        )
    ).all()
    return max(used, default=-1) + 1


def _extra_row(*, session: Session, enrollment_id: int, step_key: str, **fields) -> ScheduledStep:  # type: ignore[no-untyped-def]
    row = ScheduledStep(
        enrollment_id=enrollment_id,
        step_key=step_key,
        occurrence=_next_occurrence(session, enrollment_id, step_key),
        **fields,
    )
    session.add(row)
    return row


@dataclass
class ReassignSummary:
    """What a manager change did."""

    invites_moved: int = 0
    handover_planned: bool = False


def reassign_leader(
    *,
    session: Session,
    rules: PlanningRules,
    employment: Employment,
    old_manager_id: int | None,
    now: datetime,
) -> ReassignSummary:
    """Hand the journeys to the new manager: invites re-sent, the old manager's cancelled, a brief.

    Pending leader steps need nothing: recipients are resolved when a step is sent.
    """
    summary = ReassignSummary()
    enrollments = session.exec(
        select(Enrollment).where(
            Enrollment.employment_id == employment.id, Enrollment.status == "active"
        )
    ).all()
    zone = zone_of(role_people(session=session, employment=employment)["leader"], rules.profile)
    due = catch_up(now, now=now, zone=zone, rules=rules)
    for enrollment in enrollments:
        journey = rules.catalog.get(enrollment.journey_key)
        keys = {s.key for s in journey.steps}
        rows = session.exec(
            select(ScheduledStep).where(ScheduledStep.enrollment_id == enrollment.id)
        ).all()
        for row in rows:
            step = journey.step(row.step_key) if row.step_key in keys else None
            if (row.status, row.action, row.recipient_role) == ("pending", "send", "leader"):
                if row.recipient_person_id is None:  # resolved at send time: the new leader
                    log_change(
                        session=session, step=row, change="reassigned", now=now,
                        old_due_at=row.due_at, detail="new leader",
                    )  # fmt: skip
            if step is None or step.invite is None or "leader" not in step.invite.attendees:
                continue
            event = session.exec(
                select(CalendarEvent).where(CalendarEvent.step_id == row.id)
            ).first()
            if event is None or event.sent_sequence is None or event.status == "cancelled":
                continue
            event.sequence = max(event.sequence, event.sent_sequence + 1)
            event.updated_at = now
            old_due = row.due_at
            row.action, row.status, row.due_at, row.updated_at = "update", "pending", now, now
            log_change(
                session=session,
                step=row,
                change="reassigned",
                now=now,
                old_due_at=old_due,
                detail=f"new leader; invite update SEQUENCE {event.sequence}",
            )
            summary.invites_moved += 1
            if old_manager_id is not None:
                cancel_row = _extra_row(
                    session=session,
                    enrollment_id=int(enrollment.id or 0),
                    step_key=row.step_key,
                    channel="invite",
                    recipient_role="leader",
                    template=row.template,
                    action="cancel",
                    recipient_person_id=old_manager_id,
                    calendar_step_id=row.id,
                    due_at=now,
                    created_at=now,
                    updated_at=now,
                )
                log_change(
                    session=session,
                    step=cancel_row,
                    change="planned",
                    now=now,
                    detail="invite cancel for the previous leader",
                )
    leader_enrollment = next((e for e in enrollments if e.journey_key == "leader"), None)
    target = leader_enrollment or (enrollments[0] if enrollments else None)
    if target is not None:
        handover = _extra_row(
            session=session,
            enrollment_id=int(target.id or 0),
            step_key=HANDOVER_STEP,
            channel="email",
            recipient_role="leader",
            template=HANDOVER_TEMPLATE,
            due_at=due,
            created_at=now,
            updated_at=now,
        )
        log_change(
            session=session, step=handover, change="planned", now=now, detail="handover brief"
        )
        summary.handover_planned = True
    session.flush()
    return summary
