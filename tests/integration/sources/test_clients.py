"""API clients against a real HTTP server on 127.0.0.1 serving the documented response shapes."""

from __future__ import annotations

import base64
import json
import socket
from datetime import UTC, date, datetime

import pytest

from integrations.sources.base import Fetch
from integrations.sources.clients import (
    ApiAuthError,
    ApiNotConfigured,
    ApiNotFound,
    ApiResponseError,
    ApiUnavailable,
    make_client,
    resolve,
    resolve_with_settings,
)
from integrations.sources.registry import adapter_for
from integrations.sources.settings import ApiCredentials
from tests.integration.sources.support import RECEIVED, body, headers_of

OPP = "3410c8b9-5c31-4bab-b7e9-9f710206d647"
POSTING = "f2f01e16-27ab-4b2b-9f3a-4a1f8b8a8c8f"
MANAGER = "df0e5b0d-bd3b-4b7e-a4ab-53c2e0a1e0c2"
WHEN = datetime(2026, 1, 31, 18, 42, tzinfo=UTC)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def client_for(source: str, server, *, path: str = "", user: str | None = None):
    credentials = ApiCredentials(url=server.url + path, token="api-key", user=user)
    return make_client(source, credentials)


def serve_lever(server, *, archived=None) -> None:
    opportunity = {
        "id": OPP,
        "name": "Shane  Smith",
        "headline": "Brickly LLC, Vandelay Industries",
        "contact": "7f23e772-f2cf-4d9a-b1e4-f7b1c4b0d1e2",
        "emails": ["Shane@ExampleQ3.com"],
        "phones": [{"value": "(123) 456-7891"}],
        "archived": archived,
        "stage": {"id": "00922a60-7c15-422b-b086-f62000824fd7", "text": "On-site interview"},
        "applications": [
            {
                "id": "cdb1b7a4-1a8f-4e6d-9f3c-2e0f4c8a0b11",
                "opportunityId": OPP,
                "type": "posting",
                "posting": POSTING,
                "postingHiringManager": MANAGER,
                "requisitionForHire": {
                    "id": "req-1",
                    "requisitionCode": "ENG-145",
                    "hiringManagerOnHire": MANAGER,
                },
            }
        ],
        "createdAt": 1407460071043,
    }
    server.add("GET", f"/v1/opportunities/{OPP}", {"data": opportunity})
    server.add(
        "GET",
        f"/v1/postings/{POSTING}",
        {
            "data": {
                "id": POSTING,
                "text": "Infrastructure Engineer",
                "categories": {"team": "Platform", "department": "Engineering"},
                "state": "published",
            }
        },
    )
    server.add(
        "GET",
        f"/v1/opportunities/{OPP}/offers",
        {
            "data": [
                {"id": "old", "createdAt": 1, "status": "denied", "fields": []},
                {
                    "id": "offer-1",
                    "createdAt": 1529006306433,
                    "status": "signed",
                    "fields": [
                        {"text": "Salary", "identifier": "salary_amount", "value": 100000},
                        {
                            "text": "Anticipated start date",
                            "identifier": "anticipated_start_date",
                            "value": 1531267200000,
                        },
                    ],
                },
            ]
        },
    )
    server.add(
        "GET",
        f"/v1/users/{MANAGER}",
        {"data": {"id": MANAGER, "name": "Chandler Bing", "email": "Chandler@exampleq3.com"}},
    )
    server.add(
        "GET",
        "/v1/archive_reasons/r-withdrew",
        {"data": {"id": "r-withdrew", "text": "Withdrew", "type": "non-hired"}},
    )


class TestLever:
    def test_a_stage_change_from_the_fixture_is_resolved(self, api_server):
        serve_lever(api_server)
        fetch = adapter_for("lever").parse(
            raw=body("lever/candidateStageChange.json"), headers={}, received_at=RECEIVED
        )
        with client_for("lever", api_server, path="/v1") as client:
            event = resolve(fetch, client=client)
        assert event.id == "lever:be58f711f349c7780e4579cd7c63341ac6f881e4dccc3154"
        assert event.type == "candidate.stage_changed" and event.source == "lever"
        assert event.person.external_id == "7f23e772-f2cf-4d9a-b1e4-f7b1c4b0d1e2"
        assert (event.person.first_name, event.person.last_name) == ("Shane", "Smith")
        assert event.person.email == "shane@exampleq3.com"
        assert event.application.stage == "On-site interview"
        assert event.vacancy.model_dump() == {
            "external_id": POSTING,
            "title": "Infrastructure Engineer",
            "department": "Engineering",
        }
        assert event.employment is None
        first = api_server.requests[0]
        assert first["path"] == f"/v1/opportunities/{OPP}?expand=applications&expand=stage"
        assert first["headers"]["Authorization"] == basic("api-key", "")

    def test_a_fetch_stored_as_json_resolves_the_same(self, api_server):
        serve_lever(api_server)
        fetch = adapter_for("lever").parse(
            raw=body("lever/candidateStageChange.json"), headers={}, received_at=RECEIVED
        )
        stored = json.loads(json.dumps(fetch.to_dict()))
        assert Fetch.from_dict(stored) == fetch
        with client_for("lever", api_server, path="/v1") as client:
            assert resolve(Fetch.from_dict(stored), client=client) == resolve(fetch, client=client)

    def test_a_hire_has_the_offer_start_date_and_the_hiring_manager(self, api_server):
        serve_lever(api_server)
        fetch = Fetch("lever.opportunity", {"opportunity": OPP}, "candidateHired", "lever:t", WHEN)
        with client_for("lever", api_server, path="/v1") as client:
            event = resolve(fetch, client=client)
        assert event.type == "candidate.hired"
        assert event.employment.start_date == date(2018, 7, 11)
        assert event.employment.title == "Infrastructure Engineer"
        assert event.employment.manager.model_dump() == {
            "external_id": MANAGER,
            "email": "chandler@exampleq3.com",
            "first_name": "Chandler",
            "last_name": "Bing",
        }

    def test_an_archive_for_a_withdrawal_is_unhired(self, api_server):
        serve_lever(api_server, archived={"reason": "r-withdrew", "archivedAt": 1})
        fetch = Fetch("lever.opportunity", {"opportunity": OPP}, "candidateArchiveChange", "l:x")
        with client_for("lever", api_server, path="/v1") as client:
            event = resolve(fetch, client=client)
        assert event.type == "candidate.unhired"
        assert event.application.rejection_reason == "Withdrew"


class TestSmartRecruiters:
    def serve(self, server, status: str) -> None:
        server.add(
            "GET",
            "/candidates/cid",
            {
                "id": "cid",
                "internal": False,
                "firstName": "Ann",
                "lastName": "Oak",
                "email": "Ann.Oak@Example.com",
                "phoneNumber": "+31201234567",
            },
        )
        server.add(
            "GET",
            "/candidates/cid/jobs/jid",
            {"status": status, "subStatus": "Accepted", "startsOn": "2026-03-02"},
        )
        server.add(
            "GET",
            "/jobs/jid",
            {"id": "jid", "title": "Sales Rep", "department": {"id": "d1", "label": "Sales"}},
        )
        server.add(
            "GET",
            "/jobs/jid/hiring-team",
            {
                "totalFound": 2,
                "content": [
                    {"id": "u1", "role": "RECRUITER"},
                    {"id": "u2", "role": "HIRING_MANAGER"},
                ],
            },
        )
        server.add(
            "GET",
            "/users/u2",
            {"id": "u2", "firstName": "Mo", "lastName": "Lee", "email": "Mo.Lee@example.com"},
        )

    def test_the_signature_example_resolves_to_a_hire(self, api_server):
        self.serve(api_server, "HIRED")
        raw = body("smartrecruiters/application.created.signature_example.json")
        headers = headers_of("smartrecruiters/application.created.signature_example.headers.txt")
        fetch = adapter_for("smartrecruiters").parse(raw=raw, headers=headers, received_at=RECEIVED)
        fetch = Fetch(fetch.kind, fetch.ids, "application.status.updated", fetch.event_id, WHEN)
        with client_for("smartrecruiters", api_server) as client:
            event = resolve(fetch, client=client)
        assert event.type == "candidate.hired" and event.id == "smartrecruiters:123"
        assert event.person.model_dump(include={"external_id", "email", "first_name"}) == {
            "external_id": "cid",
            "email": "ann.oak@example.com",
            "first_name": "Ann",
        }
        assert event.vacancy.model_dump() == {
            "external_id": "jid",
            "title": "Sales Rep",
            "department": "Sales",
        }
        assert event.employment.start_date == date(2026, 3, 2)
        assert event.employment.manager.email == "mo.lee@example.com"
        assert api_server.requests[0]["headers"]["X-SmartToken"] == "api-key"

    def test_a_withdrawal_is_unhired(self, api_server):
        self.serve(api_server, "WITHDRAWN")
        fetch = Fetch(
            "smartrecruiters.application",
            {"candidate": "cid", "job": "jid"},
            "application.status.updated",
            "smartrecruiters:2",
            WHEN,
        )
        with client_for("smartrecruiters", api_server) as client:
            event = resolve(fetch, client=client)
        assert event.type == "candidate.unhired"
        assert event.application.rejection_reason == "withdrawn"


class TestHris:
    def test_bamboohr_employee_from_the_fixture(self, api_server):
        api_server.add(
            "GET",
            "/api/gateway.php/acme/v1/employees/67890",
            {
                "id": "67890",
                "firstName": "Sanne",
                "lastName": "Visser",
                "preferredName": None,
                "workEmail": "S.Visser@acme.example",
                "homeEmail": "sanne@home.example",
                "hireDate": "2026-03-01",
                "terminationDate": "0000-00-00",
                "status": "Active",
                "jobTitle": "Analyst",
                "department": "Finance",
                "supervisorEId": "12",
                "supervisorEmail": "boss@acme.example",
            },
        )
        fetch = adapter_for("bamboohr").parse(
            raw=body("bamboohr/employee.updated.event_based.json"), headers={}, received_at=RECEIVED
        )
        with client_for("bamboohr", api_server, path="/api/gateway.php/acme") as client:
            event = resolve(fetch, client=client)
        assert event.type == "employee.updated"
        assert event.person.work_email == "s.visser@acme.example"
        assert event.person.personal_email == "sanne@home.example"
        assert event.employment.start_date == date(2026, 3, 1)
        assert event.employment.end_date is None
        assert (event.employment.title, event.employment.department) == ("Analyst", "Finance")
        assert event.employment.manager.external_id == "12"
        sent = api_server.requests[0]
        assert "fields=firstName%2ClastName" in sent["path"]
        assert sent["headers"]["Authorization"] == basic("api-key", "x")

    def test_personio_termination_with_supervisor(self, api_server):
        api_server.add(
            "GET",
            "/v2/persons/p-42",
            {
                "id": "p-42",
                "email": "J.deVries@acme.example",
                "first_name": "Jan",
                "last_name": "de Vries",
                "preferred_name": "",
                "status": "ACTIVE",
                "employments": [{"id": "emp-9"}],
            },
        )
        api_server.add(
            "GET",
            "/v2/persons/p-42/employments",
            {
                "_data": [
                    {"id": "emp-1", "start_date": "2019-01-01"},
                    {
                        "id": "emp-9",
                        "person": {"id": "p-42"},
                        "start_date": "2024-05-01",
                        "status": "ACTIVE",
                        "supervisor": {"id": "p-7"},
                        "position": {"title": "Engineer"},
                        "org_units": [{"id": "ou1", "type": "DEPARTMENT"}],
                        "termination": {"termination_date": "2026-02-28", "type": "RESIGNATION"},
                    },
                ]
            },
        )
        api_server.add(
            "GET",
            "/v2/persons/p-7",
            {"id": "p-7", "email": "boss@acme.example", "first_name": "Bea", "last_name": "Baas"},
        )
        fetch = Fetch(
            "personio.person",
            {"person": "p-42", "employment": "emp-9"},
            "employment.terminated",
            "personio:x",
            WHEN,
        )
        with client_for("personio", api_server) as client:
            event = resolve(fetch, client=client)
        assert event.type == "employee.terminated"
        assert (event.person.first_name, event.person.work_email) == (
            "Jan",
            "j.devries@acme.example",
        )
        assert event.employment.start_date == date(2024, 5, 1)
        assert event.employment.end_date == date(2026, 2, 28)
        assert event.employment.title == "Engineer"
        assert event.employment.manager.model_dump() == {
            "external_id": "p-7",
            "email": "boss@acme.example",
            "first_name": "Bea",
            "last_name": "Baas",
        }
        assert api_server.requests[0]["headers"]["Authorization"] == "Bearer api-key"

    def test_hibob_employee_with_readable_names(self, api_server):
        person = "3332883854254932743"
        api_server.add(
            "POST",
            f"/v1/people/{person}",
            {
                "id": person,
                "firstName": "Eva",
                "surname": "Smit",
                "email": "eva.smit@acme.example",
                "home": {"privateEmail": "eva@home.example"},
                "work": {
                    "startDate": "2025-01-08",
                    "title": "123456",
                    "department": "209192163",
                    "reportsTo": {
                        "id": "111",
                        "email": "Bo@acme.example",
                        "firstName": "Bo",
                        "surname": "Baas",
                        "displayName": "Bo Baas",
                    },
                },
                "internal": {"terminationDate": None, "lifecycleStatus": "employed"},
                "humanReadable": {"work": {"title": "Designer", "department": "Design"}},
            },
        )
        fetch = adapter_for("hibob").parse(
            raw=body("hibob/table.entry.created.lifecycle.json"), headers={}, received_at=RECEIVED
        )
        with client_for("hibob", api_server, path="/v1", user="SERVICE-USER") as client:
            event = resolve(fetch, client=client)
        assert event.type == "employee.updated"
        assert event.employment.start_date == date(2025, 1, 8)
        assert (event.employment.title, event.employment.department) == ("Designer", "Design")
        assert event.employment.manager.email == "bo@acme.example"
        assert event.person.personal_email == "eva@home.example"
        sent = api_server.requests[0]
        assert json.loads(sent["body"])["humanReadable"] == "APPEND"
        assert sent["headers"]["Authorization"] == basic("SERVICE-USER", "api-key")

    def test_greenhouse_onboarding_employee_by_graphql(self, api_server):
        api_server.add(
            "POST",
            "/graphql",
            {
                "data": {
                    "employee": {
                        "id": 1234567,
                        "firstName": "Kim",
                        "lastName": "Jansen",
                        "preferredFirstName": None,
                        "email": "kim@acme.example",
                        "personalEmail": "KIM@home.example",
                        "startDate": "2025-11-03",
                        "dateOfTermination": None,
                        "title": "Engineer",
                        "department": {"name": "R&D"},
                        "manager": {
                            "id": 77,
                            "email": "lead@acme.example",
                            "firstName": "Lea",
                            "lastName": "Lead",
                        },
                    }
                }
            },
        )
        fetch = adapter_for("greenhouse_onboarding").parse(
            raw=body("greenhouse_onboarding/employee_updated.json"),
            headers={},
            received_at=RECEIVED,
        )
        with client_for("greenhouse_onboarding", api_server, user="ACCESS") as client:
            event = resolve(fetch, client=client)
        assert event.type == "employee.updated"
        assert event.person.personal_email == "kim@home.example"
        assert event.employment.start_date == date(2025, 11, 3)
        assert event.employment.department == "R&D"
        assert event.employment.manager.external_id == "77"
        assert json.loads(api_server.requests[0]["body"])["variables"] == {"id": 1234567}

    def test_greenhouse_onboarding_graphql_errors_are_reported(self, api_server):
        api_server.add("POST", "/graphql", {"errors": [{"message": "Employee not visible"}]})
        fetch = Fetch("greenhouse_onboarding.employee", {"employee": "5"}, "employee:updated")
        with client_for("greenhouse_onboarding", api_server, user="ACCESS") as client:
            with pytest.raises(ApiResponseError, match="Employee not visible"):
                resolve(fetch, client=client)


BAMBOO = Fetch("bamboohr.employee", {"employee": "67890"}, "employee.updated", "bamboohr:x")
BAMBOO_PATH = "/api/gateway.php/acme/v1/employees/67890"


class TestFailures:
    @pytest.mark.parametrize(
        ("status", "error", "words"),
        [
            (401, ApiAuthError, "LEERPAD_API_BAMBOOHR_TOKEN"),
            (403, ApiAuthError, "refused the credentials"),
            (404, ApiNotFound, "HTTP 404"),
            (500, ApiUnavailable, "retry later"),
            (503, ApiUnavailable, "HTTP 503"),
        ],
    )
    def test_http_errors_are_named(self, api_server, status, error, words):
        api_server.add("GET", BAMBOO_PATH, {"error": "x"}, status=status)
        with client_for("bamboohr", api_server, path="/api/gateway.php/acme") as client:
            with pytest.raises(error, match=words):
                resolve(BAMBOO, client=client)

    def test_non_json_and_wrong_shapes_are_response_errors(self, api_server):
        api_server.add("GET", BAMBOO_PATH, b"<html>login</html>")
        with client_for("bamboohr", api_server, path="/api/gateway.php/acme") as client:
            with pytest.raises(ApiResponseError, match="non-JSON"):
                resolve(BAMBOO, client=client)
        api_server.add("GET", BAMBOO_PATH, {"hireDate": "next week"})
        with client_for("bamboohr", api_server, path="/api/gateway.php/acme") as client:
            with pytest.raises(ApiResponseError, match="hireDate is not a date"):
                resolve(BAMBOO, client=client)

    def test_a_server_that_is_down_is_unavailable(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        credentials = ApiCredentials(url=f"http://127.0.0.1:{port}", token="k")
        with make_client("bamboohr", credentials) as client:
            with pytest.raises(ApiUnavailable, match="unreachable"):
                resolve(BAMBOO, client=client)

    def test_ids_from_webhooks_stay_inside_one_path_segment(self, api_server):
        fetch = Fetch("bamboohr.employee", {"employee": "../../admin?x=1"}, "employee.updated")
        with client_for("bamboohr", api_server, path="/api/gateway.php/acme") as client:
            with pytest.raises(ApiNotFound):
                resolve(fetch, client=client)
        assert api_server.requests[0]["path"].startswith(
            "/api/gateway.php/acme/v1/employees/..%2F..%2Fadmin%3Fx%3D1?"
        )


class TestSettings:
    def test_without_credentials_the_variables_to_set_are_named(self, monkeypatch, tmp_path):
        monkeypatch.chdir(tmp_path)
        for name in ("TOKEN", "URL", "USER"):
            monkeypatch.delenv(f"LEERPAD_API_BAMBOOHR_{name}", raising=False)
            monkeypatch.delenv(f"LEERPAD_API_HIBOB_{name}", raising=False)
        with pytest.raises(
            ApiNotConfigured, match="LEERPAD_API_BAMBOOHR_TOKEN, LEERPAD_API_BAMBOOHR_URL"
        ):
            resolve_with_settings(BAMBOO)
        hibob = Fetch("hibob.employee", {"employee": "1"}, "employee.updated")
        with pytest.raises(
            ApiNotConfigured, match="LEERPAD_API_HIBOB_TOKEN, LEERPAD_API_HIBOB_USER"
        ):
            resolve_with_settings(hibob)

    def test_credentials_come_from_the_environment(self, api_server, monkeypatch, tmp_path):
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("LEERPAD_API_BAMBOOHR_URL", api_server.url + "/api/gateway.php/acme")
        monkeypatch.setenv("LEERPAD_API_BAMBOOHR_TOKEN", "from-env")
        api_server.add("GET", BAMBOO_PATH, {"firstName": "Ada", "status": "Inactive"})
        event = resolve_with_settings(BAMBOO)
        assert event.type == "employee.terminated" and event.person.first_name == "Ada"
        assert api_server.requests[0]["headers"]["Authorization"] == basic("from-env", "x")
