"""Greenhouse Recruiting, field by field (CONTRACTS §2 mapping)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from integrations.sources.base import Ignored, PayloadError
from integrations.sources.registry import adapter_for
from tests.integration.sources.support import RECEIVED, body, headers_of

GREENHOUSE = adapter_for("greenhouse")
EVENT_ID = "3ce5180d-9119-4ddc-9ef6-21edb6e76f8a"


def parse(raw: bytes, headers=None):
    return GREENHOUSE.parse(raw=raw, headers=headers or {}, received_at=RECEIVED)


def with_action(fixture: str, action: str, **payload_changes) -> bytes:
    data = json.loads(body(fixture))
    data["action"] = action
    data["payload"].update(payload_changes)
    return json.dumps(data).encode()


class TestHireCandidate:
    def test_maps_person_application_vacancy_and_start_date(self):
        headers = headers_of("greenhouse/hire_candidate.headers.txt")
        event = parse(body("greenhouse/hire_candidate.json"), headers)
        assert event.id == f"greenhouse:{EVENT_ID}"
        assert event.source == "greenhouse" and event.type == "candidate.hired"
        assert event.occurred_at == datetime(2014, 11, 20, 22, 49, 14, tzinfo=UTC)
        person = event.person
        assert person.external_id == "35897443"
        assert (person.first_name, person.last_name) == ("Johnny", "Smith")
        assert person.personal_email == "personal@example.com"
        assert person.work_email == "work@example.com"
        assert person.email is None and person.locale is None and person.timezone is None
        assert event.application.external_id == "46194062"
        assert event.application.stage is None and event.application.rejection_reason is None
        assert event.vacancy.model_dump() == {
            "external_id": "323753",
            "title": "Developer",
            "department": "Technology",
        }
        assert event.employment.start_date == date(2015, 1, 23)
        assert (event.employment.title, event.employment.department) == ("Developer", "Technology")
        assert event.employment.end_date is None and event.employment.manager is None

    def test_unknown_fields_are_null_never_empty_strings(self):
        event = parse(body("greenhouse/hire_candidate.json"))
        dumped = json.loads(event.to_json())

        def strings(value):
            if isinstance(value, dict):
                for v in value.values():
                    yield from strings(v)
            elif isinstance(value, str):
                yield value

        assert "" not in set(strings(dumped))
        assert dumped["occurred_at"].endswith("Z")

    def test_without_the_event_id_header_the_body_hash_is_the_key(self):
        raw = body("greenhouse/hire_candidate.json")
        key = GREENHOUSE.dedupe_key(raw=raw, headers={})
        assert key.startswith("greenhouse:") and len(key) == len("greenhouse:") + 64
        assert parse(raw).id == key


class TestOtherApplicationEvents:
    def test_a_new_application_is_applied_with_work_and_personal_email(self):
        event = parse(body("greenhouse/new_candidate_application.json"))
        assert event.type == "candidate.applied"
        assert event.occurred_at == datetime(2017, 10, 27, 14, 44, 43, tzinfo=UTC)
        assert (event.person.first_name, event.person.last_name) == ("Jane", "Smith")
        assert event.person.work_email == "person@work.com"
        assert event.person.personal_email == "person@example.com"
        assert event.application.stage == "Preliminary Phone Screen"
        assert event.vacancy.title == "Data Scientist"
        assert event.vacancy.department == "Data Science"
        assert event.employment is None

    def test_a_stage_change_carries_the_new_stage(self):
        event = parse(body("greenhouse/candidate_stage_change.json"))
        assert event.type == "candidate.stage_changed"
        assert event.application.model_dump() == {
            "external_id": "265277",
            "stage": "Assessment",
            "rejection_reason": None,
        }
        assert event.person.personal_email == "giuseppe.hurley@example.com"
        assert event.vacancy.model_dump() == {
            "external_id": "3485",
            "title": "Designer",
            "department": "Community",
        }

    def test_a_rejection_carries_the_reason_and_when(self):
        event = parse(body("greenhouse/reject_candidate.json"))
        assert event.type == "candidate.rejected"
        assert event.application.rejection_reason == "Too Junior"
        assert event.application.stage == "Offer"
        assert event.occurred_at == datetime(2015, 2, 11, 15, 50, 41, tzinfo=UTC)
        assert event.person.personal_email == "hector.porter.265788@example.com"

    @pytest.mark.parametrize(
        ("action", "kind"),
        [
            ("new_prospect_application", "candidate.applied"),
            ("unhire_candidate", "candidate.unhired"),
            ("unreject_candidate", "candidate.stage_changed"),
        ],
    )
    def test_the_other_application_actions(self, action, kind):
        event = parse(with_action("greenhouse/hire_candidate.json", action))
        assert event.type == kind and event.person.external_id == "35897443"

    def test_other_typed_email_becomes_email_and_addresses_are_lower_cased(self):
        data = json.loads(body("greenhouse/hire_candidate.json"))
        data["payload"]["application"]["candidate"]["email_addresses"] = [
            {"value": " Johnny.SMITH@Example.COM ", "type": "other"},
            {"value": "", "type": "work"},
        ]
        event = parse(json.dumps(data).encode())
        assert event.person.email == "johnny.smith@example.com"
        assert event.person.work_email is None and event.person.personal_email is None


class TestOffers:
    @pytest.mark.parametrize("action", ["offer_created", "offer_updated", "offer_approved"])
    def test_offers_are_flat_with_an_american_start_date(self, action):
        raw = json.dumps(
            {
                "action": action,
                "payload": {
                    "id": 123,
                    "application_id": 456,
                    "job_id": 789,
                    "offer_status": "Accepted",
                    "start_date": "04/15/2013",
                },
            }
        ).encode()
        event = parse(raw)
        assert event.type == "candidate.offered"
        assert event.employment.start_date == date(2013, 4, 15)
        assert event.application.external_id == "456" and event.vacancy.external_id == "789"
        assert event.occurred_at == RECEIVED

    def test_an_unreadable_offer_date_is_a_payload_error(self):
        raw = b'{"action": "offer_created", "payload": {"application_id": 1, "start_date": "15/4"}}'
        with pytest.raises(PayloadError, match="start_date is not a date"):
            parse(raw)


class TestErasureJobsPings:
    def test_deleted_and_anonymized_candidates_are_erased(self):
        deleted = b'{"action": "delete_candidate", "payload": {"person": {"id": 37031511}}}'
        anonymized = b'{"action": "candidate_anonymized", "payload": {"candidate_id": 7}}'
        assert parse(deleted).type == "candidate.erased"
        assert parse(deleted).person.external_id == "37031511"
        assert parse(anonymized).person.external_id == "7"

    def test_an_open_job_is_published_and_a_closed_or_deleted_one_closed(self):
        event = parse(body("greenhouse/job_created.json"))
        assert event.type == "vacancy.published"
        assert event.vacancy.model_dump() == {
            "external_id": "371417",
            "title": "Software Engineer",
            "department": "Technology",
        }
        data = json.loads(body("greenhouse/job_created.json"))
        data["payload"]["job"]["status"] = "closed"
        assert parse(json.dumps(data).encode()).type == "vacancy.closed"
        data["action"] = "job_deleted"
        assert parse(json.dumps(data).encode()).type == "vacancy.closed"
        data["action"], data["payload"]["job"]["status"] = "job_updated", "draft"
        assert isinstance(parse(json.dumps(data).encode()), Ignored)

    def test_the_ping_and_unused_actions_are_ignored(self):
        assert parse(body("greenhouse/zulip.ping.json")) == Ignored(
            "greenhouse ping (sent when a webhook is saved)"
        )
        ignored = parse(b'{"action": "interview_deleted", "payload": {}}')
        assert isinstance(ignored, Ignored) and "interview_deleted" in ignored.reason


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"payload": {}}', "no `action`"),
        (b'{"action": "hire_candidate", "payload": []}', "`payload` must be an object"),
        (b'{"action": "hire_candidate", "payload": {}}', "payload.application is missing"),
        (
            b'{"action": "hire_candidate", "payload": {"application": {"id": null}}}',
            "id is missing",
        ),
        (b'{"action": "delete_candidate", "payload": {}}', "no candidate id"),
        (b'{"action": "job_created", "payload": {"job": {}}}', "payload.job.id is missing"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_malformed_bodies_get_a_readable_payload_error(raw, words):
    with pytest.raises(PayloadError, match=words.replace("(", r"\(").replace("`", "`")):
        parse(raw)
