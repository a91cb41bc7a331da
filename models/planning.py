"""Turn journeys into scheduled-step rows, and move or cancel them when the facts change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, select

from journeys.catalog import Catalog
from journeys.dsl import Journey, Step
from journeys.lifecycle import matches_stage
from journeys.planner import (
    PlannedMeeting,
    not_before,
    plan_anchor_step,
    plan_event_step,
    plan_meeting,
)
from journeys.profile import EmployerProfile
from journeys.workcalendar import WorkCalendar
from models.base import new_uid
from models.delivery import CalendarEvent
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.people import Person
from models.recruitment import Application
from models.step_history import log_change, log_planned


@dataclass(frozen=True)
class PlanningRules:
    """Everything planning needs besides the database: journeys, employer and calendar."""

    catalog: Catalog
    profile: EmployerProfile
    calendar: WorkCalendar

    @classmethod
    def build(cls, *, catalog: Catalog, profile: EmployerProfile) -> PlanningRules:
        """Wire the work calendar from the profile."""
        return cls(catalog=catalog, profile=profile, calendar=WorkCalendar.from_profile(profile))


def zone_of(person: Person | None, profile: EmployerProfile) -> ZoneInfo:
    """Return a person's IANA zone, else the employer's."""
    if person is not None and person.timezone:
        try:
            return ZoneInfo(person.timezone)
        except (KeyError, ValueError):
            pass
    return profile.zone


def role_people(*, session: Session, employment: Employment) -> dict[str, Person | None]:
    """Return who plays each role around an employment."""

    def load(pid: int | None) -> Person | None:
        return session.get(Person, pid) if pid is not None else None

    leader = load(employment.manager_id)
    return {
        "new_hire": load(employment.person_id),
        "leader": leader,
        "coach": load(employment.coach_id),
        "buddy": load(employment.buddy_id),
    }


def catch_up(moment: datetime, *, now: datetime, zone: ZoneInfo, rules: PlanningRules) -> datetime:
    if moment >= now:
        return moment
    return not_before(
        moment, now=now, zone=zone, calendar=rules.calendar, window=rules.profile.send_window
    )


def _new_step(
    *, enrollment: Enrollment, journey: Journey, step: Step, due_at: datetime, now: datetime
) -> ScheduledStep:
    return ScheduledStep(
        enrollment_id=enrollment.id,
        step_key=step.key,
        channel=step.channel,
        recipient_role=step.to,
        template=step.template_key(journey.key),
        due_at=due_at,
        created_at=now,
        updated_at=now,
    )


def _new_step_values(
    *, enrollment: Enrollment, journey: Journey, step: Step, due_at: datetime, now: datetime
) -> dict[str, object]:
    """The column values of a new pending step, for a bulk insert (see `_insert_steps`)."""
    return {
        "uid": new_uid(),
        "enrollment_id": enrollment.id,
        "step_key": step.key,
        "occurrence": 0,
        "channel": step.channel,
        "recipient_role": step.to,
        "template": step.template_key(journey.key),
        "action": "send",
        "status": "pending",
        "attempts": 0,
        "due_at": due_at,
        "created_at": now,
        "updated_at": now,
    }


def _insert_steps(*, session: Session, values: list[dict[str, object]]) -> list[int]:
    """Insert a new enrollment's steps in one executemany; return their ids in `values` order.

    Core, not one ORM flush per step; the ids are read back by the steps' unique uids.
    """
    if not values:
        return []
    session.flush()
    table = ScheduledStep.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    connection.execute(insert(table), values)
    enrollment_ids = {v["enrollment_id"] for v in values}
    ids = dict(
        connection.execute(
            select(table.c.uid, table.c.id).where(table.c.enrollment_id.in_(enrollment_ids))
        ).all()
    )
    return [int(ids[v["uid"]]) for v in values]


@dataclass(frozen=True)
class StepPlan:
    """When one step of a start-date journey is due (caught up to now) and the meeting it books."""

    step: Step
    due_at: datetime
    meeting: PlannedMeeting | None


def plan_steps(
    *,
    journey: Journey,
    anchor: date,
    zones: Mapping[str, ZoneInfo],
    rules: PlanningRules,
    now: datetime,
) -> list[StepPlan]:
    """Plan every step of a start-date journey, each in its recipient's zone, in journey order.

    `zones` maps a role to its zone; a role left out plans in the employer's zone.
    """
    return [
        plan_step(
            step, anchor=anchor, zone=zones.get(step.to) or rules.profile.zone, rules=rules, now=now
        )
        for step in journey.steps
    ]


def plan_step(
    step: Step, *, anchor: date, zone: ZoneInfo, rules: PlanningRules, now: datetime
) -> StepPlan:
    """Plan one step of a start-date journey in its recipient's zone, caught up to now."""
    planned = plan_anchor_step(
        step, anchor=anchor, zone=zone, calendar=rules.calendar, window=rules.profile.send_window
    )
    due = catch_up(planned.due_utc, now=now, zone=zone, rules=rules)
    return StepPlan(step, due, meeting_for(step, anchor=anchor, zone=zone, rules=rules))


def meeting_for(
    step: Step, *, anchor: date, zone: ZoneInfo, rules: PlanningRules
) -> PlannedMeeting | None:
    if step.invite is None:
        return None
    return plan_meeting(step.invite, anchor=anchor, zone=zone, calendar=rules.calendar)


def set_meeting(event: CalendarEvent, meeting: PlannedMeeting, step: Step, now: datetime) -> bool:
    """Write a meeting's times onto its calendar event; tell whether anything changed."""
    changed = (event.start_at, event.end_at, event.tzid) != (
        meeting.start_utc,
        meeting.end_utc,
        meeting.tzid,
    )
    event.start_at, event.end_at, event.tzid = meeting.start_utc, meeting.end_utc, meeting.tzid
    repeat = step.invite.repeat if step.invite else None
    event.repeat_every_weeks = repeat.every_weeks if repeat else None
    event.repeat_count = repeat.count if repeat else None
    event.updated_at = now
    return changed


def calendar_event_values(
    *,
    step_id: int,
    step_uid: str,
    meeting: PlannedMeeting,
    step: Step,
    rules: PlanningRules,
    now: datetime,
) -> dict[str, object]:
    """The column values of a new step's calendar event, for a bulk insert.

    The same row `_add_calendar_event` adds through the ORM.
    """
    repeat = step.invite.repeat if step.invite else None
    return {
        "step_id": step_id,
        "uid": f"{step_uid}@{rules.profile.mail_domain}",
        "sequence": 0,
        "start_at": meeting.start_utc,
        "end_at": meeting.end_utc,
        "tzid": meeting.tzid,
        "repeat_every_weeks": repeat.every_weeks if repeat else None,
        "repeat_count": repeat.count if repeat else None,
        "status": "tentative",
        "sent_sequence": None,
        "updated_at": now,
    }  # fmt: skip


def _add_calendar_event(
    *,
    session: Session,
    step_id: int,
    step_uid: str,
    meeting: PlannedMeeting,
    step: Step,
    rules: PlanningRules,
    now: datetime,
) -> None:
    event = CalendarEvent(
        step_id=step_id,
        uid=f"{step_uid}@{rules.profile.mail_domain}",
        start_at=meeting.start_utc,
        end_at=meeting.end_utc,
        tzid=meeting.tzid,
        updated_at=now,
    )
    set_meeting(event, meeting, step, now)
    session.add(event)


def enroll_employment(
    *,
    session: Session,
    rules: PlanningRules,
    journey_key: str,
    employment: Employment,
    now: datetime,
) -> Enrollment | None:
    """Enrol an employment in a start-date journey and plan every step; None if already enrolled."""
    journey = rules.catalog.get(journey_key)
    subject = f"employment:{employment.id}"
    existing = session.exec(
        select(Enrollment).where(
            Enrollment.journey_key == journey.key, Enrollment.subject_key == subject
        )
    ).first()
    if existing is not None:
        return None
    enrollment = Enrollment(
        journey_key=journey.key,
        subject_key=subject,
        person_id=employment.person_id,
        employment_id=employment.id,
        anchor_date=employment.start_date,
        created_at=now,
        updated_at=now,
    )
    session.add(enrollment)
    session.flush()
    people = role_people(session=session, employment=employment)
    zones = {role: zone_of(person, rules.profile) for role, person in people.items()}
    values: list[dict[str, object]] = []
    meetings: list[tuple[Step, PlannedMeeting | None]] = []
    for planned_step in plan_steps(
        journey=journey, anchor=employment.start_date, zones=zones, rules=rules, now=now
    ):
        step = planned_step.step
        values.append(
            _new_step_values(
                enrollment=enrollment, journey=journey, step=step, due_at=planned_step.due_at,
                now=now,
            )
        )  # fmt: skip
        meetings.append((step, planned_step.meeting))
    ids = _insert_steps(session=session, values=values)
    planned_rows = [(i, v["due_at"], v["action"]) for i, v in zip(ids, values, strict=True)]
    log_planned(session=session, steps=planned_rows, now=now)  # type: ignore[arg-type]
    for step_id, v, (step, meeting) in zip(ids, values, meetings, strict=True):
        if meeting is not None:
            _add_calendar_event(
                session=session, step_id=step_id, step_uid=str(v["uid"]), meeting=meeting,
                step=step, rules=rules, now=now,
            )  # fmt: skip
    session.flush()
    return enrollment


def trigger_candidate_steps(
    *,
    session: Session,
    rules: PlanningRules,
    application: Application,
    event_type: str,
    stage: str | None,
    event_at: datetime,
    now: datetime,
    journey_key: str = "candidate",
) -> int:
    """Plan the candidate-journey steps that listen to an event; each step at most once."""
    if journey_key not in rules.catalog.journeys:
        return 0
    journey = rules.catalog.get(journey_key)
    listening = [s for s in journey.steps if s.on == event_type and matches_stage(stage, s.stages)]
    if not listening:
        return 0
    subject = f"application:{application.id}"
    enrollment = session.exec(
        select(Enrollment).where(
            Enrollment.journey_key == journey.key, Enrollment.subject_key == subject
        )
    ).first()
    if enrollment is None:
        enrollment = Enrollment(
            journey_key=journey.key,
            subject_key=subject,
            person_id=application.person_id,
            application_id=application.id,
            created_at=now,
            updated_at=now,
        )
        session.add(enrollment)
        session.flush()
    existing = set(
        session.exec(
            select(ScheduledStep.step_key).where(ScheduledStep.enrollment_id == enrollment.id)
        ).all()
    )
    person = session.get(Person, application.person_id)
    zone = zone_of(person, rules.profile)
    planned_count = 0
    for step in listening:
        if step.key in existing:
            continue
        planned = plan_event_step(
            step,
            event_at=max(event_at, now),
            zone=zone,
            calendar=rules.calendar,
            window=rules.profile.send_window,
        )
        row = _new_step(
            enrollment=enrollment, journey=journey, step=step, due_at=planned.due_utc, now=now
        )
        session.add(row)
        log_change(session=session, step=row, change="planned", now=now)
        planned_count += 1
    session.flush()
    return planned_count
