"""Commands the lifecycle rules issue: imperative, tiny, immutable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecordVacancy:
    """Create or update the vacancy the event names."""

    status: str  # open|closed


@dataclass(frozen=True)
class RecordApplication:
    """Create or update the candidate and their application."""

    status: str  # active|offered|hired|rejected|unhired


@dataclass(frozen=True)
class TriggerCandidateSteps:
    """Plan the candidate-journey steps that listen to this event type (and stage)."""

    event_type: str
    stage: str | None


@dataclass(frozen=True)
class RecordEmployment:
    """Create or update the employment (start date, role, manager) without planning."""


@dataclass(frozen=True)
class Enroll:
    """Enrol the employment in an onboarding journey anchored on its start date."""

    journey_key: str
    start_date: date


@dataclass(frozen=True)
class Reschedule:
    """Move every journey of the employment to a new start date; pending steps only."""

    start_date: date


@dataclass(frozen=True)
class Reassign:
    """Hand leader steps to a new manager; move the old manager's invites."""


@dataclass(frozen=True)
class Cancel:
    """Cancel pending steps and the sent invites of the employment's journeys."""

    reason: str


@dataclass(frozen=True)
class Erase:
    """Erase the person's personal data here, as it was erased at the source."""


Command = (
    RecordVacancy
    | RecordApplication
    | TriggerCandidateSteps
    | RecordEmployment
    | Enroll
    | Reschedule
    | Reassign
    | Cancel
    | Erase
)
