"""`leerpad events parse SOURCE FILE [--header …] [--secret S]` for every source."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli
from flows.cli_events import SOURCES_READY
from integrations.sources.registry import SOURCES
from tests.integration.sources.support import FIXTURES, SECRET


@pytest.fixture(autouse=True)
def no_api_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No .env and no LEERPAD_API_* from the developer's shell."""
    monkeypatch.chdir(tmp_path)
    for source in SOURCES:
        for name in ("URL", "TOKEN", "USER"):
            monkeypatch.delenv(f"LEERPAD_API_{source.upper()}_{name}", raising=False)


def run(*args: str):
    return CliRunner().invoke(cli, ["events", "parse", *args], catch_exceptions=False)


def fixture(relative: str) -> str:
    return str(FIXTURES / relative)


def test_the_cli_knows_every_source():
    assert SOURCES_READY == SOURCES


def test_a_greenhouse_hire_prints_the_canonical_event():
    result = run(
        "greenhouse",
        fixture("greenhouse/hire_candidate.json"),
        "--header",
        "Greenhouse-Event-ID: evt-1",
    )
    assert result.exit_code == 0, result.output
    event = json.loads(result.stdout)
    assert event["id"] == "greenhouse:evt-1" and event["type"] == "candidate.hired"
    assert event["person"]["personal_email"] == "personal@example.com"
    assert event["employment"]["start_date"] == "2015-01-23"
    assert event["vacancy"] == {
        "external_id": "323753",
        "title": "Developer",
        "department": "Technology",
    }


def test_the_signature_is_verified_when_a_secret_is_given():
    raw = (FIXTURES / "greenhouse/hire_candidate.json").read_bytes()
    digest = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    path = fixture("greenhouse/hire_candidate.json")
    good = run("greenhouse", path, "--header", f"Signature: sha256 {digest}", "--secret", SECRET)
    assert good.exit_code == 0, good.output
    bad = run("greenhouse", path, "--header", f"Signature: sha256 {digest}", "--secret", "nope")
    assert bad.exit_code == 2
    assert "signature rejected" in bad.stderr and "does not match" in bad.stderr
    missing = run("greenhouse", path, "--secret", SECRET)
    assert missing.exit_code == 2 and "missing Signature header" in missing.stderr


def test_the_smartrecruiters_vector_is_a_replay_today():
    headers = [
        "smartrecruiters-signature: v1=2e9291f10d44ca10204a4cd81b05d73b"
        "6a316b2b605d4e2e0e0b37b40198ce1f",
        "smartrecruiters-timestamp: 1574080897",
        "event-id: 123",
        "link: <http://smartrecruiters.com/endpoint>; rel=self",
        "event-name: application.created",
        "event-version: v201910",
    ]
    args = [a for h in headers for a in ("--header", h)]
    result = run(
        "smartrecruiters",
        fixture("smartrecruiters/application.created.signature_example.json"),
        *args,
        "--secret",
        "HeBVky2bccvvkcXPimH8c",
    )
    assert result.exit_code == 2 and "more than 5 minutes" in result.stderr


@pytest.mark.parametrize(
    ("source", "relative", "reason"),
    [
        ("greenhouse", "greenhouse/zulip.ping.json", "greenhouse ping"),
        ("recruitee", "recruitee/test_request.json", "recruitee test request"),
        ("lever", "lever/candidateHired.test_request.json", "lever test request"),
    ],
)
def test_pings_and_test_requests_print_ignored(source, relative, reason):
    result = run(source, fixture(relative))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["ignored"] is True and printed["reason"].startswith(reason)


@pytest.mark.parametrize(
    ("source", "relative", "variables"),
    [
        ("lever", "lever/candidateStageChange.json", "LEERPAD_API_LEVER_TOKEN"),
        ("bamboohr", "bamboohr/employee.updated.event_based.json", "LEERPAD_API_BAMBOOHR_URL"),
        ("hibob", "hibob/table.entry.created.lifecycle.json", "LEERPAD_API_HIBOB_USER"),
        (
            "greenhouse_onboarding",
            "greenhouse_onboarding/employee_updated.json",
            "LEERPAD_API_GREENHOUSE_ONBOARDING_TOKEN",
        ),
    ],
)
def test_ids_only_webhooks_without_credentials_name_the_variables(source, relative, variables):
    result = run(source, fixture(relative))
    assert result.exit_code == 2
    assert "carry only ids" in result.stderr and variables in result.stderr


def test_ids_only_webhooks_are_fetched_with_credentials(api_server, monkeypatch):
    monkeypatch.setenv("LEERPAD_API_BAMBOOHR_URL", api_server.url + "/acme")
    monkeypatch.setenv("LEERPAD_API_BAMBOOHR_TOKEN", "k")
    api_server.add(
        "GET",
        "/acme/v1/employees/67890",
        {"firstName": "Sanne", "workEmail": "s@acme.example", "hireDate": "2026-03-01"},
    )
    result = run("bamboohr", fixture("bamboohr/employee.updated.event_based.json"))
    assert result.exit_code == 0, result.output
    event = json.loads(result.stdout)
    assert event["type"] == "employee.updated" and event["employment"]["start_date"] == "2026-03-01"


def test_an_api_that_is_down_exits_1(monkeypatch):
    monkeypatch.setenv("LEERPAD_API_BAMBOOHR_URL", "http://127.0.0.1:9/acme")
    monkeypatch.setenv("LEERPAD_API_BAMBOOHR_TOKEN", "k")
    result = run("bamboohr", fixture("bamboohr/employee.updated.event_based.json"))
    assert result.exit_code == 1 and "unreachable" in result.stderr


@pytest.mark.parametrize(
    ("source", "relative", "words"),
    [
        ("lever", "lever/candidateStageChange.verbatim.txt", "line 9 column 5"),
        ("hibob", "hibob/table.entry.created.lifecycle.verbatim.txt", "does not start with '{'"),
        ("personio", "personio/webhook_envelope.schema.json", "no `event_name`"),
        ("personio", "personio/webhook_envelope.schema.verbatim.txt", "not valid JSON"),
        ("smartrecruiters", "smartrecruiters/notification_generic.json", "no event-name header"),
    ],
)
def test_malformed_examples_exit_2_with_one_readable_line(source, relative, words):
    result = run(source, fixture(relative))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_usage_exits_2():
    path = fixture("greenhouse/hire_candidate.json")
    assert "unknown source 'acme'" in run("acme", path).stderr
    bad_header = run("greenhouse", path, "--header", "no colon here")
    assert bad_header.exit_code == 2 and "Name: value" in bad_header.stderr
    assert run("greenhouse", "/nonexistent.json").exit_code == 2
