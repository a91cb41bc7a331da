"""Lifecycle rules: what a canonical event means for the journeys of one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from journeys.commands import (
    Cancel,
    Command,
    Enroll,
    Erase,
    Reassign,
    RecordApplication,
    RecordEmployment,
    RecordVacancy,
    Reschedule,
    TriggerCandidateSteps,
)
from journeys.events import Event

ONBOARDING_JOURNEYS: tuple[str, ...] = ("new-hire", "leader")


@dataclass(frozen=True)
class KnownState:
    """What Leerpad already knows about the event's employment, loaded before deciding."""

    employment_start: date | None = None
    employment_status: str | None = None  # planned|cancelled|terminated
    enrolled_journeys: frozenset[str] = frozenset()
    manager_key: str | None = None  # external id or email of the current manager
    facts_as_of: datetime | None = None  # occurred_at of the newest employment event applied

    def is_stale(self, event: Event) -> bool:
        """Tell whether an event is older than facts already applied (it arrived out of order)."""
        return self.facts_as_of is not None and event.occurred_at < self.facts_as_of


def manager_key_of(event: Event) -> str | None:
    """Return the identity of the manager an event names, if any."""
    manager = event.employment.manager if event.employment else None
    if manager is None:
        return None
    return manager.external_id or (manager.email.lower() if manager.email else None)


def decide(event: Event, *, known: KnownState, today: date) -> list[Command]:
    """Turn one event into the commands that bring the journeys in line with it."""
    kind = event.type
    if kind in ("vacancy.published", "vacancy.closed"):
        return [RecordVacancy(status="open" if kind == "vacancy.published" else "closed")]
    if kind == "candidate.erased":
        return [Cancel(reason="erased at the source"), Erase()]
    if kind == "candidate.applied":
        return [RecordApplication(status="active"), _trigger(event)]
    if kind == "candidate.stage_changed":
        return [RecordApplication(status="active"), _trigger(event)]
    if kind == "candidate.offered":
        return [RecordApplication(status="offered"), _trigger(event)]
    if kind == "candidate.rejected":
        return [RecordApplication(status="rejected"), _trigger(event)]
    if kind == "candidate.unhired":
        return [RecordApplication(status="unhired"), Cancel(reason="hire withdrawn")]
    if kind == "employee.terminated":
        return [RecordEmployment(), Cancel(reason="employment terminated")]
    commands: list[Command] = []
    if kind == "candidate.hired":
        commands += [RecordApplication(status="hired"), _trigger(event)]
    commands.append(RecordEmployment())
    return commands + _onboarding(event, known=known, today=today)


def _trigger(event: Event) -> TriggerCandidateSteps:
    stage = event.application.stage if event.application else None
    return TriggerCandidateSteps(event_type=event.type, stage=stage)


def _onboarding(event: Event, *, known: KnownState, today: date) -> list[Command]:
    """Hired, created or updated: enrol, reschedule or reassign as the facts changed."""
    start = event.employment.start_date if event.employment else None
    if known.employment_status in ("cancelled", "terminated") and event.type != "candidate.hired":
        return []
    commands: list[Command] = []
    stale = known.is_stale(event)
    if start is not None:
        missing = [key for key in ONBOARDING_JOURNEYS if key not in known.enrolled_journeys]
        if stale:
            start = known.employment_start or start
        elif known.enrolled_journeys and known.employment_start not in (None, start):
            commands.append(Reschedule(start_date=start))
        commands += [Enroll(journey_key=key, start_date=start) for key in missing]
    new_manager = manager_key_of(event)
    if stale:
        return commands
    if known.enrolled_journeys and new_manager and new_manager != known.manager_key:
        if known.manager_key is not None:
            commands.append(Reassign())
    return commands


def matches_stage(stage: str | None, patterns: tuple[str, ...]) -> bool:
    """Tell whether an ATS stage name matches one of a step's stage patterns."""
    if not patterns:
        return True
    if not stage:
        return False
    name = stage.casefold()
    return any(pattern.casefold() in name for pattern in patterns)
