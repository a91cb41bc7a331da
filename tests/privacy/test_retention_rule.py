"""The retention rule: rejected candidates, candidates who consented, and former hires."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from journeys.profile import EmployerProfile
from journeys.retention import (
    ApplicationFacts,
    EmploymentFacts,
    PersonFacts,
    RetentionPolicy,
    add_months,
    candidate_purge_after,
    is_due,
    purge_after,
)

POLICY = RetentionPolicy()
ENDED = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)


def rejected(at: datetime = ENDED, status: str = "rejected") -> ApplicationFacts:
    return ApplicationFacts(status=status, closed_at=at)


class TestCandidates:
    def test_a_rejected_candidate_is_kept_four_weeks_after_the_procedure(self):
        facts = PersonFacts(applications=(rejected(),))
        assert purge_after(facts, policy=POLICY) == ENDED + timedelta(weeks=4)
        assert not is_due(facts, policy=POLICY, now=ENDED + timedelta(weeks=4, seconds=-1))
        assert is_due(facts, policy=POLICY, now=ENDED + timedelta(weeks=4))

    def test_with_consent_a_year(self):
        facts = PersonFacts(applications=(rejected(),), consent=True)
        assert purge_after(facts, policy=POLICY) == datetime(2028, 3, 10, 14, 0, tzinfo=UTC)
        assert not is_due(facts, policy=POLICY, now=ENDED + timedelta(weeks=51))

    def test_an_open_application_keeps_everything(self):
        facts = PersonFacts(
            applications=(rejected(), ApplicationFacts(status="active", closed_at=None))
        )
        assert purge_after(facts, policy=POLICY) is None

    def test_the_latest_procedure_counts(self):
        later = ENDED + timedelta(days=20)
        facts = PersonFacts(applications=(rejected(), rejected(later, "unhired")))
        assert purge_after(facts, policy=POLICY) == later + timedelta(weeks=4)

    def test_a_withdrawn_hire_is_a_procedure_that_ended(self):
        facts = PersonFacts(
            applications=(ApplicationFacts(status="hired", closed_at=ENDED),),
            employments=(EmploymentFacts(status="cancelled", end_date=None, updated_at=ENDED),),
        )
        assert purge_after(facts, policy=POLICY) == ENDED + timedelta(weeks=4)

    def test_the_employer_sets_the_periods(self):
        policy = RetentionPolicy(candidate_weeks=2, consent_months=6)
        assert candidate_purge_after(
            procedure_end=ENDED, consent=False, policy=policy
        ) == ENDED + timedelta(weeks=2)
        assert candidate_purge_after(procedure_end=ENDED, consent=True, policy=policy) == (
            datetime(2027, 9, 10, 14, 0, tzinfo=UTC)
        )


class TestEmployees:
    def test_a_running_employment_keeps_the_hire(self):
        facts = PersonFacts(
            applications=(ApplicationFacts(status="hired", closed_at=ENDED),),
            employments=(EmploymentFacts(status="planned", end_date=None, updated_at=ENDED),),
        )
        assert purge_after(facts, policy=POLICY) is None

    def test_a_former_hire_goes_months_after_the_end_date(self):
        facts = PersonFacts(
            employments=(
                EmploymentFacts(status="terminated", end_date=date(2028, 1, 31), updated_at=ENDED),
            )
        )
        assert purge_after(facts, policy=POLICY) == datetime(2028, 7, 31, tzinfo=UTC)

    def test_without_an_end_date_the_termination_counts(self):
        facts = PersonFacts(
            employments=(EmploymentFacts(status="terminated", end_date=None, updated_at=ENDED),)
        )
        assert purge_after(facts, policy=RetentionPolicy(employee_months=3)) == datetime(
            2027, 6, 10, tzinfo=UTC
        )

    def test_people_known_only_as_leaders_are_never_purged(self):
        assert purge_after(PersonFacts(), policy=POLICY) is None


class TestProfile:
    def test_defaults_match_the_rejection_email(self):
        retention = EmployerProfile(name="X").retention
        assert (retention.candidate_weeks, retention.consent_months) == (4, 12)
        assert retention.policy() == RetentionPolicy(4, 12, 6)

    @pytest.mark.parametrize("field", ["candidate_weeks", "consent_months"])
    def test_a_period_must_be_positive(self, field):
        with pytest.raises(ValueError, match=field):
            EmployerProfile(name="X", retention={field: 0})


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2027, 1, 31, tzinfo=UTC), 1, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2027, 11, 15, tzinfo=UTC), 3, datetime(2028, 2, 15, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2029, 2, 28, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(start, months, expected):
    assert add_months(start, months) == expected
