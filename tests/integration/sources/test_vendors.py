"""The other vendors' bodies, field by field: what maps directly and what asks for a fetch."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from integrations.sources.base import Fetch, Ignored, PayloadError
from integrations.sources.registry import SOURCES, adapter_for
from journeys.events import Event
from tests.integration.sources import samples
from tests.integration.sources.support import RECEIVED, body, headers_of


def parse(source: str, raw: bytes, headers=None):
    return adapter_for(source).parse(raw=raw, headers=headers or {}, received_at=RECEIVED)


class TestLever:
    def test_a_stage_change_asks_for_the_opportunity(self):
        fetch = parse("lever", body("lever/candidateStageChange.json"))
        assert fetch == Fetch(
            kind="lever.opportunity",
            ids={"opportunity": "3410c8b9-5c31-4bab-b7e9-9f710206d647"},
            event="candidateStageChange",
            event_id="lever:be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154",
            occurred_at=datetime(2015, 5, 12, 18, 12, 10, 72000, tzinfo=UTC),
        )

    def test_an_archive_change_keeps_the_archive_reason(self):
        data = {
            "event": "candidateArchiveChange",
            "triggeredAt": 1431454330072,
            "token": "t1",
            "signature": "x",
            "data": {"opportunityId": "o1", "toArchived": {"archivedAt": 1, "reason": "r-9"}},
        }
        fetch = parse("lever", samples.dumps(data))
        assert fetch.ids == {"opportunity": "o1", "archive_reason": "r-9"}

    def test_a_deleted_candidate_is_erased_without_a_fetch(self):
        data = {"event": "candidateDeleted", "token": "t2", "data": {"contactId": "c-1"}}
        event = parse("lever", samples.dumps(data))
        assert (event.type, event.person.external_id, event.id) == (
            "candidate.erased",
            "c-1",
            "lever:t2",
        )

    def test_interview_events_are_ignored(self):
        data = {"event": "interviewCreated", "token": "t3", "data": {"opportunityId": "o"}}
        assert isinstance(parse("lever", samples.dumps(data)), Ignored)


class TestRecruitee:
    def test_a_move_into_a_hire_stage_is_a_hire(self):
        event = parse("recruitee", samples.dumps(samples.RECRUITEE_HIRED))
        assert event.type == "candidate.hired"
        assert event.person.model_dump() | {"locale": None} == {
            "external_id": "4711",
            "email": "sanne.devries@example.org",
            "personal_email": None,
            "work_email": None,
            "first_name": "Sanne",
            "last_name": "de Vries",
            "locale": None,
            "timezone": None,
            "retention_consent": None,  # Recruitee's webhook carries no consent
        }
        assert event.vacancy.model_dump() == {
            "external_id": "91",
            "title": "Backend Developer",
            "department": "Tech",
        }
        assert event.application.stage == "Hired"
        assert event.occurred_at == datetime(2026, 1, 30, 10, 15, tzinfo=UTC)

    def test_disqualified_created_and_deleted(self):
        data = json.loads(samples.dumps(samples.RECRUITEE_HIRED))
        data["event_subtype"] = "disqualified"
        data["payload"]["details"] = {"disqualify_reason": {"name": "Not a fit"}}
        rejected = parse("recruitee", samples.dumps(data))
        assert rejected.type == "candidate.rejected"
        assert rejected.application.rejection_reason == "Not a fit"
        data["event_type"] = "candidate_created"
        assert parse("recruitee", samples.dumps(data)).type == "candidate.applied"
        data["event_type"] = "candidate_deleted"
        assert parse("recruitee", samples.dumps(data)).type == "candidate.erased"
        data["event_type"] = "candidate_assigned"
        assert isinstance(parse("recruitee", samples.dumps(data)), Ignored)

    def test_the_test_request_is_ignored(self):
        assert parse("recruitee", body("recruitee/test_request.json")) == Ignored(
            "recruitee test request"
        )


class TestTeamtailor:
    def test_the_partner_trigger_is_a_hire_with_the_onboarding_start_date(self):
        headers = headers_of("teamtailor/partner_event_trigger.headers.txt")
        event = parse("teamtailor", body("teamtailor/partner_event_trigger.json"), headers)
        assert event.id == "teamtailor:f3d7e8e2-da33-4c10-ae5f-0e7f4d46f6d7"
        assert event.type == "candidate.hired"
        assert event.person.external_id == "54321"
        assert (event.person.first_name, event.person.last_name) == ("Juston", "Becker")
        assert event.person.email == "applicant100@example.com"
        assert event.vacancy.model_dump() == {
            "external_id": "12345",
            "title": "Full-stack web developer",
            "department": "Product development",
        }
        assert event.application.stage == "After Interview"
        assert event.employment.start_date == date(2025, 1, 15)
        assert event.employment.title == "Designer"
        assert event.employment.department == "Product development"
        assert event.occurred_at == RECEIVED

    def test_a_rejected_partner_candidate_is_rejected(self):
        data = json.loads(body("teamtailor/partner_event_trigger.json"))
        data["partner-event"]["candidate"]["job"]["status"]["rejected"] = True
        assert parse("teamtailor", samples.dumps(data)).type == "candidate.rejected"

    def test_an_offer_not_yet_accepted_is_offered(self):
        data = json.loads(body("teamtailor/partner_event_trigger.json"))
        candidate = data["partner-event"]["candidate"]
        candidate["onboardings"] = []
        candidate["job-offers"][0]["status"] = "sent"
        event = parse("teamtailor", samples.dumps(data))
        assert event.type == "candidate.offered"
        assert event.employment.start_date == date(2025, 1, 15)

    def test_an_archived_job_closes_the_vacancy(self):
        event = parse("teamtailor", body("teamtailor/company_webhook_job.update.json"))
        assert event.type == "vacancy.closed"
        assert (event.vacancy.external_id, event.vacancy.title) == ("2", "IT Designer 1")
        assert event.occurred_at == datetime(2023, 2, 22, 21, 10, 48, 705000, tzinfo=UTC)

    def test_job_applications_and_candidates(self):
        application = {
            "payload": {
                "event_name": "job_application.update",
                "data": {
                    "id": "77",
                    "type": "job-applications",
                    "attributes": {"rejected-at": "2026-01-02T10:00:00+01:00"},
                    "relationships": {
                        "candidate": {"data": {"id": "5", "type": "candidates"}},
                        "job": {"data": {"id": "2", "type": "jobs"}},
                    },
                },
            }
        }
        event = parse("teamtailor", samples.dumps(application))
        assert event.type == "candidate.rejected"
        assert (event.person.external_id, event.vacancy.external_id) == ("5", "2")
        assert event.application.external_id == "77"
        destroyed = {"payload": {"event_name": "candidate.destroy", "data": {"id": 5}}}
        assert parse("teamtailor", samples.dumps(destroyed)).person.external_id == "5"
        updated = {"payload": {"event_name": "candidate.update", "data": {"id": 5}}}
        assert isinstance(parse("teamtailor", samples.dumps(updated)), Ignored)


class TestSmartRecruiters:
    HEADERS = headers_of("smartrecruiters/application.created.signature_example.headers.txt")

    def test_an_application_asks_for_candidate_and_job(self):
        raw = body("smartrecruiters/application.created.signature_example.json")
        fetch = parse("smartrecruiters", raw, self.HEADERS)
        assert fetch == Fetch(
            kind="smartrecruiters.application",
            ids={"candidate": "cid", "job": "jid"},
            event="application.created",
            event_id="smartrecruiters:123",
            occurred_at=datetime(2019, 11, 18, 12, 41, 37, tzinfo=UTC),
        )

    def test_deleted_candidates_are_erased_and_job_events_ignored(self):
        headers = {"event-name": "candidate.deleted", "event-id": "e9"}
        event = parse("smartrecruiters", b'{"candidate_id": "c-3"}', headers)
        assert (event.type, event.person.external_id, event.id) == (
            "candidate.erased",
            "c-3",
            "smartrecruiters:e9",
        )
        ignored = parse("smartrecruiters", b'{"id": "j"}', {"event-name": "job.created"})
        assert isinstance(ignored, Ignored)

    def test_the_generic_notification_without_event_name_is_a_payload_error(self):
        headers = headers_of("smartrecruiters/notification_generic.headers.txt")
        with pytest.raises(PayloadError, match="no event-name header"):
            parse("smartrecruiters", body("smartrecruiters/notification_generic.json"), headers)


class TestWorkable:
    def test_an_employee_created_maps_names_emails_and_manager(self):
        event = parse("workable", samples.dumps(samples.WORKABLE_EMPLOYEE))
        assert event.type == "employee.created"
        assert event.person.email == "daan.jansen@example.com"
        assert event.person.personal_email == "daan@home.example"
        assert (event.person.first_name, event.person.last_name) == ("Daan", "Jansen")
        assert event.employment.start_date == date(2026, 3, 2)
        assert (event.employment.title, event.employment.department) == ("Planner", "Logistics")
        assert event.employment.manager.model_dump() == {
            "external_id": "e-12",
            "email": "f.elamrani@example.com",
            "first_name": "Fatima",
            "last_name": "El Amrani",
        }

    def test_a_termination_date_terminates(self):
        data = json.loads(samples.dumps(samples.WORKABLE_EMPLOYEE))
        data["event_type"] = "employee_updated"
        data["data"]["termination_date"] = "2026-06-30"
        event = parse("workable", samples.dumps(data))
        assert event.type == "employee.terminated"
        assert event.employment.end_date == date(2026, 6, 30)

    def test_candidates_move_get_hired_and_disqualified(self):
        data = json.loads(samples.dumps(samples.WORKABLE_CANDIDATE))
        moved = parse("workable", samples.dumps(data))
        assert (moved.type, moved.application.stage) == ("candidate.stage_changed", "Interview")
        assert (moved.vacancy.external_id, moved.vacancy.title) == ("ABC123", "Nurse")
        data["data"]["hired_at"] = "2026-01-30T09:00:00Z"
        assert parse("workable", samples.dumps(data)).type == "candidate.hired"
        data["data"] |= {"disqualified": True, "disqualification_reason": "Salary"}
        rejected = parse("workable", samples.dumps(data))
        assert (rejected.type, rejected.application.rejection_reason) == (
            "candidate.rejected",
            "Salary",
        )
        data["event_type"] = "timeoff_updated"
        assert isinstance(parse("workable", samples.dumps(data)), Ignored)


class TestHris:
    def test_bamboohr_json_and_form_bodies_ask_for_the_same_employee(self):
        from_json = parse("bamboohr", body("bamboohr/employee.updated.event_based.json"))
        from_form = parse("bamboohr", body("bamboohr/employee.updated.event_based.form.txt"))
        assert from_json.ids == from_form.ids == {"employee": "67890"}
        assert from_json.event == from_form.event == "employee.updated"
        assert from_json.occurred_at == datetime(2026, 1, 31, 18, 42, tzinfo=UTC)

    def test_bamboohr_deleted_legacy_and_clashing_forms(self):
        deleted = b'{"type": "employee.deleted", "data": {"employeeId": "5"}}'
        assert parse("bamboohr", deleted).type == "candidate.erased"
        legacy = b'{"employees": [{"id": "8", "changedFields": ["hireDate"], "fields": {}}]}'
        assert parse("bamboohr", legacy).ids == {"employee": "8"}
        two = b'{"employees": [{"id": "8"}, {"id": "9"}]}'
        with pytest.raises(PayloadError, match="configure an event-based webhook"):
            parse("bamboohr", two)
        with pytest.raises(PayloadError, match="clashes"):
            parse("bamboohr", b"type=a&type[x]=b")

    def test_personio_terminations_ask_for_person_and_employment(self):
        fetch = parse("personio", samples.dumps(samples.PERSONIO_TERMINATED))
        assert fetch.kind == "personio.person"
        assert fetch.ids == {"person": "p-42", "employment": "emp-9"}
        assert fetch.event == "employment.terminated"
        erased = {**samples.PERSONIO_TERMINATED, "event_name": "person.deleted"}
        erased["payload"] = {"id": "p-42"}
        assert parse("personio", samples.dumps(erased)).type == "candidate.erased"
        docs = {**samples.PERSONIO_TERMINATED, "event_name": "document.created"}
        assert isinstance(parse("personio", samples.dumps(docs)), Ignored)

    @pytest.mark.parametrize("ping", [b'"Ping test"', b'{"text": "Ping test"}'])
    def test_hibob_pings_are_ignored(self, ping):
        assert parse("hibob", ping) == Ignored("hibob ping test")

    def test_hibob_tables_that_do_not_matter_are_ignored(self):
        data = json.loads(body("hibob/table.entry.created.lifecycle.json"))
        data["data"]["tableId"] = "payroll"
        assert isinstance(parse("hibob", samples.dumps(data)), Ignored)
        data["type"], data["data"] = "employee.left", {"employeeId": "3"}
        assert parse("hibob", samples.dumps(data)).event == "employee.left"

    def test_greenhouse_onboarding_ignores_updates_of_unused_fields(self):
        data = json.loads(body("greenhouse_onboarding/employee_updated.json"))
        data["payload"]["updated_fields"] = [{"id": "food_allergies", "name": "Food Allergies"}]
        ignored = parse("greenhouse_onboarding", samples.dumps(data))
        assert isinstance(ignored, Ignored) and "food_allergies" in ignored.reason
        fetch = parse("greenhouse_onboarding", body("greenhouse_onboarding/employee_updated.json"))
        assert fetch.event_id == "greenhouse_onboarding:692df651-4558-453b-8745-1e75d4543efb"
        assert fetch.occurred_at == datetime(2025, 10, 15, 23, 37, 17, tzinfo=UTC)


class TestGeneric:
    def test_the_canonical_body_is_taken_as_it_is_with_a_generic_id(self):
        event = parse("generic", samples.dumps(samples.GENERIC_HIRED))
        assert event.id.startswith("generic:") and event.type == "candidate.hired"
        assert event.occurred_at == datetime(2027, 1, 25, 12, 0, tzinfo=UTC)
        given = samples.dumps({**samples.GENERIC_HIRED, "id": "hr-system:42"})
        assert parse("generic", given).id == "generic:hr-system:42"
        kept = samples.dumps({**samples.GENERIC_HIRED, "id": "generic:7"})
        assert parse("generic", kept).id == "generic:7"

    def test_a_bad_canonical_body_says_which_field(self):
        bad = samples.dumps({**samples.GENERIC_HIRED, "type": "candidate.teleported"})
        with pytest.raises(PayloadError, match="type"):
            parse("generic", bad)


def test_dedupe_keys_are_prefixed_with_the_source_and_stable():
    raw = b'{"some": "body"}'
    for source in SOURCES:
        adapter = adapter_for(source)
        first = adapter.dedupe_key(raw=raw, headers={})
        assert first.startswith(f"{source}:")
        assert first == adapter.dedupe_key(raw=raw, headers={})


def test_parsed_events_round_trip_through_canonical_json():
    for source, raw in [
        ("greenhouse", body("greenhouse/hire_candidate.json")),
        ("teamtailor", body("teamtailor/partner_event_trigger.json")),
        ("workable", samples.dumps(samples.WORKABLE_EMPLOYEE)),
        ("recruitee", samples.dumps(samples.RECRUITEE_HIRED)),
    ]:
        event = parse(source, raw)
        assert Event.model_validate_json(event.to_json()) == event
