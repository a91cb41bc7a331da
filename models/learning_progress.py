"""Learning progress: items done or started, badges awarded, learning messages queued."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from journeys.learning.credential import identity_hash
from models.delivery import CalendarEvent
from models.enrollment import Enrollment, ScheduledStep
from models.learning import BadgeAward, LearningPlan, PlaylistItem
from models.learning_plans import items_of
from models.people import Person

# Messages a learning event adds to a journey (system steps of the composer).
BADGE_STEP = {"playlist": "playlist-badge", "onboarding": "onboarding-badge"}
SHOUT_OUT_STEP = {"playlist": "shout-out-playlist", "onboarding": "shout-out-onboarding"}
BADGE_TEMPLATE = "_learning/playlist-badge"
SHOUT_OUT_TEMPLATE = "_learning/shout-out"


@dataclass(frozen=True)
class Completion:
    """What marking an item done changed."""

    newly_done: bool
    playlist_done: bool
    award: BadgeAward | None = None


def queue_message(
    *, session: Session, employment_id: int, step_key: str, template: str, role: str,
    channel: str, due_at: datetime, now: datetime,
) -> ScheduledStep | None:  # fmt: skip
    """Add a one-off message to the employment's new-hire journey (or its first journey)."""
    enrollments = session.exec(
        select(Enrollment)
        .where(Enrollment.employment_id == employment_id, Enrollment.status == "active")
        .order_by(col(Enrollment.journey_key) != "new-hire", col(Enrollment.id))
    ).all()
    if not enrollments:
        return None
    target = enrollments[0]
    used = session.exec(
        select(ScheduledStep.occurrence).where(
            ScheduledStep.enrollment_id == target.id, ScheduledStep.step_key == step_key
        )
    ).all()
    row = ScheduledStep(
        enrollment_id=target.id, step_key=step_key, occurrence=max(used, default=-1) + 1,
        channel=channel, recipient_role=role, template=template, due_at=due_at,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _award_of(session: Session, plan: LearningPlan, key: str) -> BadgeAward | None:
    return session.exec(
        select(BadgeAward).where(BadgeAward.plan_id == plan.id, BadgeAward.achievement_key == key)
    ).first()


def ensure_award(
    *, session: Session, plan: LearningPlan, achievement_key: str, now: datetime
) -> tuple[BadgeAward | None, bool]:
    """Award a badge once per plan and achievement; returns (award, newly created)."""
    found = _award_of(session, plan, achievement_key)
    if found is not None:
        return found, False
    person = session.get(Person, plan.person_id)
    if person is None or person.erased_at is not None:
        return None, False
    email = person.email or person.work_email or person.personal_email
    if not email:
        return None, False
    salt = secrets.token_hex(16)
    award = BadgeAward(
        plan_id=plan.id, achievement_key=achievement_key, identity_salt=salt,
        identity_hash=identity_hash(email, salt), locale=person.locale or "nl", issued_at=now,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(award)
            session.flush()
    except IntegrityError:  # awarded at the same moment by another transaction
        return _award_of(session, plan, achievement_key), False
    return award, True


def queue_shout_out(
    *, session: Session, plan: LearningPlan, achievement_key: str, due_at: datetime, now: datetime
) -> None:
    """Tell the team (through the leader) about a badge, only when the hire opted in."""
    if plan.shout_out:
        queue_message(
            session=session, employment_id=plan.employment_id,
            step_key=SHOUT_OUT_STEP[achievement_key], template=SHOUT_OUT_TEMPLATE, role="leader",
            channel="email", due_at=due_at, now=now,
        )  # fmt: skip


def complete_item(
    *, session: Session, item: PlaylistItem, via: str, due_at: datetime, now: datetime
) -> Completion:
    """Mark an item done; the last one completes the playlist, awards a badge and queues mail."""
    if item.status == "completed":
        return Completion(newly_done=False, playlist_done=False)
    item.status, item.completed_at, item.completed_via, item.updated_at = "completed", now, via, now
    session.flush()
    plan = session.get(LearningPlan, item.plan_id)
    if plan is None or plan.completed_at is not None:
        return Completion(newly_done=True, playlist_done=False)
    if any(i.status != "completed" for i in items_of(session, plan.id)):
        return Completion(newly_done=True, playlist_done=False)
    plan.completed_at, plan.updated_at = now, now
    award, created = ensure_award(session=session, plan=plan, achievement_key="playlist", now=now)
    if created:
        queue_message(
            session=session, employment_id=plan.employment_id, step_key=BADGE_STEP["playlist"],
            template=BADGE_TEMPLATE, role="new_hire", channel="badge", due_at=due_at, now=now,
        )  # fmt: skip
        queue_shout_out(session=session, plan=plan, achievement_key="playlist", due_at=due_at,
                        now=now)  # fmt: skip
    return Completion(newly_done=True, playlist_done=True, award=award)


def start_item(*, session: Session, item: PlaylistItem, now: datetime) -> None:
    """Record that the hire started an item (xAPI experienced/answered)."""
    if item.status == "planned":
        item.status, item.updated_at = "started", now


def queue_invite_update(
    *, session: Session, employment_id: int, step_key: str, due_at: datetime, now: datetime
) -> bool:
    """Re-send a sent invite (SEQUENCE + 1) so its agenda shows new goals; False if not needed."""
    row = session.exec(
        select(ScheduledStep)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(
            Enrollment.employment_id == employment_id,
            ScheduledStep.step_key == step_key,
            ScheduledStep.occurrence == 0,
        )
    ).first()
    event = (
        row and session.exec(select(CalendarEvent).where(CalendarEvent.step_id == row.id)).first()
    )
    if row is None or event is None or event.sent_sequence is None or event.status == "cancelled":
        return False  # not sent yet: the invite will carry the goals when it goes out
    if row.status not in ("sent", "failed"):
        return False  # already queued or in flight
    event.sequence = max(event.sequence, event.sent_sequence + 1)
    event.updated_at = now
    old_due = row.due_at
    row.action, row.status, row.due_at, row.updated_at = "update", "pending", due_at, now
    from models.step_history import log_change

    log_change(
        session=session,
        step=row,
        change="rescheduled",
        now=now,
        old_due_at=old_due,
        detail="agenda: new learning goals",
    )
    return True
