"""Every published example body: what it becomes, and that malformed ones get a readable 400."""

from __future__ import annotations

import pytest

from integrations.sources.base import Fetch, Ignored, PayloadError
from integrations.sources.registry import adapter_for
from journeys.events import Event
from tests.integration.sources.support import FIXTURES, RECEIVED, body, headers_of

# fixture → ("event", canonical type) | ("ignored", words) | ("fetch", kind, ids) | ("error", words)
EXPECTED: dict[str, tuple] = {
    "bamboohr/employee.updated.event_based.json": (
        "fetch",
        "bamboohr.employee",
        {"employee": "67890"},
    ),
    "bamboohr/employee.updated.event_based.form.txt": (
        "fetch",
        "bamboohr.employee",
        {"employee": "67890"},
    ),
    "greenhouse/candidate_stage_change.json": ("event", "candidate.stage_changed"),
    "greenhouse/hire_candidate.json": ("event", "candidate.hired"),
    "greenhouse/job_created.json": ("event", "vacancy.published"),
    "greenhouse/new_candidate_application.json": ("event", "candidate.applied"),
    "greenhouse/reject_candidate.json": ("event", "candidate.rejected"),
    "greenhouse/zulip.ping.json": ("ignored", "ping"),
    "greenhouse_onboarding/employee_updated.json": (
        "fetch",
        "greenhouse_onboarding.employee",
        {"employee": "1234567"},
    ),
    "hibob/table.entry.created.lifecycle.json": (
        "fetch",
        "hibob.employee",
        {"employee": "3332883854254932743", "effective_date": "2025-01-08"},
    ),
    "hibob/table.entry.created.lifecycle.verbatim.txt": (
        "error",
        "hibob body is not valid JSON: Extra data at line 2 column 14 (it does not start with '{')",
    ),
    "lever/candidateHired.test_request.json": ("ignored", "test request"),
    "lever/candidateStageChange.json": (
        "fetch",
        "lever.opportunity",
        {"opportunity": "3410c8b9-5c31-4bab-b7e9-9f710206d647"},
    ),
    "lever/candidateStageChange.verbatim.txt": (
        "error",
        "lever body is not valid JSON: Expecting ',' delimiter at line 9 column 5",
    ),
    "personio/webhook_envelope.schema.json": (
        "error",
        "personio body has no `event_name` (it has: $schema, properties, required, type)",
    ),
    "personio/webhook_envelope.schema.verbatim.txt": (
        "error",
        "personio body is not valid JSON: Expecting ',' delimiter at line 2 column 61",
    ),
    "recruitee/test_request.json": ("ignored", "test request"),
    "smartrecruiters/application.created.signature_example.json": (
        "fetch",
        "smartrecruiters.application",
        {"candidate": "cid", "job": "jid"},
    ),
    "smartrecruiters/notification_generic.json": ("error", "no event-name header"),
    "teamtailor/company_webhook_job.update.json": ("event", "vacancy.closed"),
    "teamtailor/partner_event_trigger.json": ("event", "candidate.hired"),
}


def _headers_for(fixture: str):
    stem = fixture.split(".json")[0].removesuffix(".verbatim.txt").removesuffix(".form.txt")
    for candidate in (f"{stem}.headers.txt", f"{stem.rsplit('.', 1)[0]}.headers.txt"):
        if (FIXTURES / candidate).exists():
            return headers_of(candidate)
    return {}


def test_every_fixture_body_has_an_expected_outcome():
    bodies = {
        str(p.relative_to(FIXTURES))
        for p in FIXTURES.glob("*/*")
        if not p.name.endswith(".headers.txt")
    }
    assert bodies == set(EXPECTED)


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fixture_outcome(fixture):
    source = fixture.split("/")[0]
    expected = EXPECTED[fixture]
    adapter = adapter_for(source)
    headers = _headers_for(fixture)
    if expected[0] == "error":
        with pytest.raises(PayloadError) as caught:
            adapter.parse(raw=body(fixture), headers=headers, received_at=RECEIVED)
        assert expected[1] in str(caught.value)
        return
    result = adapter.parse(raw=body(fixture), headers=headers, received_at=RECEIVED)
    key = adapter.dedupe_key(raw=body(fixture), headers=headers)
    assert key.startswith(f"{source}:")
    if expected[0] == "event":
        assert isinstance(result, Event)
        assert (result.type, result.source, result.id) == (expected[1], source, key)
    elif expected[0] == "ignored":
        assert isinstance(result, Ignored) and expected[1] in result.reason
    else:
        assert isinstance(result, Fetch)
        assert (result.kind, result.ids, result.event_id) == (expected[1], expected[2], key)
        assert result.source == source and result.occurred_at is not None
