"""Lifecycle rules: which commands an event leads to, given what is already known."""

from __future__ import annotations

from datetime import date

from journeys.commands import (
    Cancel,
    Enroll,
    Erase,
    Reassign,
    RecordApplication,
    RecordEmployment,
    Reschedule,
    TriggerCandidateSteps,
)
from journeys.events import Event
from journeys.lifecycle import KnownState, decide, matches_stage

TODAY = date(2027, 1, 25)


def event(kind: str, *, start: str | None = None, manager: str | None = None, stage=None) -> Event:
    employment = None
    if start or manager:
        employment = {"start_date": start, "manager": {"external_id": manager} if manager else None}
    return Event.model_validate(
        {
            "id": f"generic:{kind}:{start}:{manager}",
            "source": "generic",
            "type": kind,
            "occurred_at": "2027-01-25T13:00:00Z",
            "person": {"external_id": "c1", "email": "c1@example.org"},
            "application": {"external_id": "a1", "stage": stage},
            "employment": employment,
        }
    )


class TestHired:
    def test_enrols_new_hire_and_leader_from_the_start_date(self):
        commands = decide(
            event("candidate.hired", start="2027-03-01"), known=KnownState(), today=TODAY
        )
        assert RecordApplication(status="hired") in commands
        assert RecordEmployment() in commands
        assert Enroll(journey_key="new-hire", start_date=date(2027, 3, 1)) in commands
        assert Enroll(journey_key="leader", start_date=date(2027, 3, 1)) in commands

    def test_without_a_start_date_records_but_does_not_enrol(self):
        commands = decide(event("candidate.hired"), known=KnownState(), today=TODAY)
        assert not [c for c in commands if isinstance(c, Enroll)]
        assert RecordApplication(status="hired") in commands

    def test_a_duplicate_hire_enrols_nothing_new(self):
        known = KnownState(
            employment_start=date(2027, 3, 1),
            employment_status="planned",
            enrolled_journeys=frozenset({"new-hire", "leader"}),
        )
        commands = decide(event("candidate.hired", start="2027-03-01"), known=known, today=TODAY)
        assert not [c for c in commands if isinstance(c, (Enroll, Reschedule))]


class TestUpdated:
    known = KnownState(
        employment_start=date(2027, 3, 1),
        employment_status="planned",
        enrolled_journeys=frozenset({"new-hire", "leader"}),
        manager_key="m1",
    )

    def test_a_moved_start_date_reschedules(self):
        commands = decide(
            event("employee.updated", start="2027-03-08"), known=self.known, today=TODAY
        )
        assert commands == [RecordEmployment(), Reschedule(start_date=date(2027, 3, 8))]

    def test_the_same_start_date_changes_nothing(self):
        commands = decide(
            event("employee.updated", start="2027-03-01"), known=self.known, today=TODAY
        )
        assert commands == [RecordEmployment()]

    def test_a_new_manager_reassigns(self):
        commands = decide(
            event("employee.updated", start="2027-03-01", manager="m2"),
            known=self.known,
            today=TODAY,
        )
        assert Reassign() in commands

    def test_a_start_date_for_a_hire_without_journeys_enrols(self):
        commands = decide(
            event("employee.updated", start="2027-03-08"), known=KnownState(), today=TODAY
        )
        assert Enroll(journey_key="new-hire", start_date=date(2027, 3, 8)) in commands


class TestEndings:
    def test_unhired_cancels(self):
        commands = decide(event("candidate.unhired"), known=KnownState(), today=TODAY)
        assert commands == [RecordApplication(status="unhired"), Cancel(reason="hire withdrawn")]

    def test_terminated_cancels(self):
        commands = decide(event("employee.terminated"), known=KnownState(), today=TODAY)
        assert Cancel(reason="employment terminated") in commands

    def test_erased_cancels_and_erases(self):
        commands = decide(event("candidate.erased"), known=KnownState(), today=TODAY)
        assert commands == [Cancel(reason="erased at the source"), Erase()]

    def test_an_update_after_termination_does_not_re_enrol(self):
        known = KnownState(employment_start=date(2027, 3, 1), employment_status="terminated")
        commands = decide(event("employee.updated", start="2027-04-01"), known=known, today=TODAY)
        assert commands == [RecordEmployment()]


class TestCandidateSteps:
    def test_a_stage_change_triggers_steps_for_that_stage(self):
        commands = decide(
            event("candidate.stage_changed", stage="Interview 1"), known=KnownState(), today=TODAY
        )
        assert (
            TriggerCandidateSteps(event_type="candidate.stage_changed", stage="Interview 1")
            in commands
        )

    def test_stage_patterns_match_case_insensitively_inside_the_name(self):
        assert matches_stage("Eerste gesprek", ("gesprek",))
        assert matches_stage("Technical Interview", ("interview",))
        assert not matches_stage("Offer", ("interview", "gesprek"))
        assert not matches_stage(None, ("interview",))
        assert matches_stage(None, ())
