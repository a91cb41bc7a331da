"""Every vendor's signature: computed in the test, then wrong, missing, changed and replayed."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from integrations.sources.base import NotConfigured, SignatureError
from integrations.sources.registry import SOURCES, adapter_for
from tests.integration.sources import samples, support
from tests.integration.sources.support import NOW, SECRET, body, headers_of


@dataclass(frozen=True)
class Case:
    source: str
    raw: bytes
    signer: support.Signer
    headers: dict[str, str]
    timestamped: bool
    body_signed: bool = True

    def signed(self, now: datetime = NOW) -> tuple[bytes, dict[str, str]]:
        return self.signer(self.raw, dict(self.headers), now)


SR_HEADERS = {
    "event-id": "123",
    "event-name": "application.created",
    "event-version": "v201910",
    "link": "<http://smartrecruiters.com/endpoint>; rel=self",
}
CASES = [
    Case("greenhouse", body("greenhouse/hire_candidate.json"), support.sign_greenhouse, {}, False),
    Case(
        "greenhouse_onboarding",
        body("greenhouse_onboarding/employee_updated.json"),
        support.sign_greenhouse,
        {},
        False,
    ),
    Case("lever", body("lever/candidateStageChange.json"), support.sign_lever, {}, True, False),
    Case("recruitee", samples.dumps(samples.RECRUITEE_HIRED), support.sign_recruitee, {}, False),
    Case(
        "teamtailor",
        body("teamtailor/company_webhook_job.update.json"),
        support.sign_teamtailor,
        {},
        True,
    ),
    Case(
        "teamtailor",
        body("teamtailor/partner_event_trigger.json"),
        support.sign_teamtailor,
        {},
        True,
        False,
    ),
    Case("workable", samples.dumps(samples.WORKABLE_EMPLOYEE), support.sign_workable, {}, False),
    Case(
        "smartrecruiters",
        body("smartrecruiters/application.created.signature_example.json"),
        support.sign_smartrecruiters,
        SR_HEADERS,
        True,
    ),
    Case(
        "bamboohr",
        body("bamboohr/employee.updated.event_based.json"),
        support.sign_bamboohr,
        {},
        True,
    ),
    Case(
        "personio",
        samples.dumps(samples.PERSONIO_TERMINATED),
        support.sign_personio,
        {},
        False,
        False,
    ),
    Case("hibob", body("hibob/table.entry.created.lifecycle.json"), support.sign_hibob, {}, False),
    Case("generic", samples.dumps(samples.GENERIC_HIRED), support.sign_generic, {}, False),
]
IDS = [f"{c.source}-{i}" for i, c in enumerate(CASES)]
SIGNATURE_HEADERS = (
    "signature",
    "x-recruitee-signature",
    "x-workable-signature",
    "tt-signature",
    "teamtailor-signature",
    "smartrecruiters-signature",
    "x-bamboohr-signature",
    "authorization",
    "bob-signature",
    "x-leerpad-signature",
)


def verify(case: Case, raw: bytes, headers: dict[str, str], *, secret: str = SECRET, now=NOW):
    adapter_for(case.source).verify(raw=raw, headers=headers, secret=secret, now=now)


def test_every_source_has_a_signature_case():
    assert {c.source for c in CASES} == set(SOURCES)


@pytest.mark.parametrize("case", CASES, ids=IDS)
class TestSignatures:
    def test_a_signature_computed_with_the_secret_verifies(self, case):
        raw, headers = case.signed()
        verify(case, raw, headers)

    def test_header_names_are_case_insensitive(self, case):
        raw, headers = case.signed()
        verify(case, raw, {k.upper(): v for k, v in headers.items()})
        verify(case, raw, {k.lower(): v for k, v in headers.items()})

    def test_a_wrong_secret_is_refused(self, case):
        raw, headers = case.signed()
        with pytest.raises(SignatureError):
            verify(case, raw, headers, secret="another-secret")

    def test_a_missing_signature_is_refused(self, case):
        raw, headers = case.signed()
        headers = {k: v for k, v in headers.items() if k.lower() not in SIGNATURE_HEADERS}
        if case.source == "lever":
            data = json.loads(raw)
            del data["signature"]
            raw = json.dumps(data).encode()
        with pytest.raises(SignatureError, match="missing|lacks"):
            verify(case, raw, headers)

    def test_no_configured_secret_is_refused_never_accepted_unsigned(self, case):
        raw, headers = case.signed()
        with pytest.raises(NotConfigured, match=f"LEERPAD_SECRET_{case.source.upper()}"):
            verify(case, raw, headers, secret="")


BODY_SIGNED = [c for c in CASES if c.body_signed]
TIMESTAMPED = [c for c in CASES if c.timestamped]


@pytest.mark.parametrize("case", BODY_SIGNED, ids=[c.source for c in BODY_SIGNED])
def test_a_changed_body_is_refused(case):
    raw, headers = case.signed()
    with pytest.raises(SignatureError):
        verify(case, raw.replace(b"}", b" }", 1), headers)


@pytest.mark.parametrize("case", TIMESTAMPED, ids=[c.source for c in TIMESTAMPED])
def test_a_replayed_delivery_is_refused(case):
    raw, headers = case.signed(NOW)
    verify(case, raw, headers, now=NOW + timedelta(minutes=4, seconds=59))
    with pytest.raises(SignatureError, match="more than 5 minutes"):
        verify(case, raw, headers, now=NOW + timedelta(minutes=6))
    with pytest.raises(SignatureError, match="more than 5 minutes"):
        verify(case, raw, headers, now=NOW - timedelta(minutes=6))


class TestSmartRecruitersTestVector:
    """The documented example, verified with the documented key."""

    RAW = body("smartrecruiters/application.created.signature_example.json")
    HEADERS = headers_of("smartrecruiters/application.created.signature_example.headers.txt")
    SIGNED_AT = datetime.fromtimestamp(1574080897, tz=UTC)

    def test_the_documented_key_verifies_the_documented_signature(self):
        adapter_for("smartrecruiters").verify(
            raw=self.RAW,
            headers=self.HEADERS,
            secret="HeBVky2bccvvkcXPimH8c",
            now=self.SIGNED_AT + timedelta(seconds=30),
        )

    def test_the_vector_fails_with_another_key_or_a_rendered_body(self):
        adapter = adapter_for("smartrecruiters")
        now = self.SIGNED_AT + timedelta(seconds=30)
        with pytest.raises(SignatureError):
            adapter.verify(raw=self.RAW, headers=self.HEADERS, secret="other", now=now)
        rendered = b'{"job_id":"jid","candidate_id": "cid"}'
        with pytest.raises(SignatureError):
            adapter.verify(
                raw=rendered, headers=self.HEADERS, secret="HeBVky2bccvvkcXPimH8c", now=now
            )

    def test_the_vector_today_is_a_replay(self):
        with pytest.raises(SignatureError, match="more than 5 minutes"):
            adapter_for("smartrecruiters").verify(
                raw=self.RAW, headers=self.HEADERS, secret="HeBVky2bccvvkcXPimH8c", now=NOW
            )


class TestDocumentedExampleSignatures:
    """The docs' example signature values are not computed over the sibling bodies."""

    @pytest.mark.parametrize(
        ("source", "fixture", "headers"),
        [
            (
                "greenhouse",
                "greenhouse/hire_candidate.json",
                "greenhouse/hire_candidate.headers.txt",
            ),
            (
                "greenhouse_onboarding",
                "greenhouse_onboarding/employee_updated.json",
                "greenhouse_onboarding/employee_updated.headers.txt",
            ),
            (
                "teamtailor",
                "teamtailor/company_webhook_job.update.json",
                "teamtailor/company_webhook_job.update.headers.txt",
            ),
            (
                "teamtailor",
                "teamtailor/partner_event_trigger.json",
                "teamtailor/partner_event_trigger.headers.txt",
            ),
            (
                "lever",
                "lever/candidateHired.test_request.json",
                "lever/candidateHired.test_request.headers.txt",
            ),
            (
                "smartrecruiters",
                "smartrecruiters/notification_generic.json",
                "smartrecruiters/notification_generic.headers.txt",
            ),
        ],
    )
    def test_they_do_not_verify(self, source, fixture, headers):
        stamps = {"teamtailor/company": 1701234567, "teamtailor/partner": 1539756759}
        at = next((v for k, v in stamps.items() if fixture.startswith(k)), int(NOW.timestamp()))
        with pytest.raises(SignatureError):
            adapter_for(source).verify(
                raw=body(fixture),
                headers=headers_of(headers),
                secret=SECRET,
                now=datetime.fromtimestamp(at + 10, tz=UTC),
            )


class TestVendorQuirks:
    def test_teamtailor_v1_company_signatures_are_refused_with_a_reason(self):
        raw = body("teamtailor/company_webhook_job.update.json")
        v1 = base64.b64encode(b"c557aa95029d51b0c96215128794f9f81ecd2cde6a6b1bb6bc76efbd5dfb084f")
        with pytest.raises(SignatureError, match="only v2"):
            adapter_for("teamtailor").verify(
                raw=raw, headers={"TT-Signature": v1.decode()}, secret=SECRET, now=NOW
            )

    def test_teamtailor_signature_that_is_not_base64_is_refused(self):
        with pytest.raises(SignatureError, match="not base64"):
            adapter_for("teamtailor").verify(
                raw=b"{}", headers={"TT-Signature": "t=1,v2=zz!"}, secret=SECRET, now=NOW
            )

    def test_an_unsigned_recruitee_test_request_passes_but_nothing_else_does(self):
        adapter = adapter_for("recruitee")
        adapter.verify(raw=body("recruitee/test_request.json"), headers={}, secret=SECRET, now=NOW)
        with pytest.raises(SignatureError, match="missing"):
            adapter.verify(raw=b'{"test": 1, "x": 2}', headers={}, secret=SECRET, now=NOW)

    def test_lever_docs_example_signature_and_malformed_body_are_refused(self):
        adapter = adapter_for("lever")
        triggered = datetime.fromtimestamp(1431458021951 / 1000, tz=UTC)
        with pytest.raises(SignatureError, match="does not match"):
            adapter.verify(
                raw=body("lever/candidateHired.test_request.json"),
                headers={},
                secret=SECRET,
                now=triggered,
            )
        with pytest.raises(SignatureError, match="not valid JSON"):
            adapter.verify(
                raw=body("lever/candidateStageChange.verbatim.txt"),
                headers={},
                secret=SECRET,
                now=triggered,
            )

    def test_personio_compares_the_whole_token(self):
        adapter = adapter_for("personio")
        with pytest.raises(SignatureError, match="does not match"):
            adapter.verify(
                raw=b"{}", headers={"Authorization": SECRET[:-1]}, secret=SECRET, now=NOW
            )
        with pytest.raises(SignatureError, match="does not match"):
            adapter.verify(
                raw=b"{}", headers={"Authorization": f"Bearer {SECRET}"}, secret=SECRET, now=NOW
            )

    def test_greenhouse_requires_the_sha256_scheme(self):
        raw, headers = support.sign_greenhouse(b"{}", {}, NOW)
        headers["Signature"] = headers["Signature"].replace("sha256", "sha1")
        with pytest.raises(SignatureError):
            adapter_for("greenhouse").verify(raw=b"{}", headers=headers, secret=SECRET, now=NOW)
