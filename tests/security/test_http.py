"""Every route over real HTTP with every feature configured: no input gives a server error, and
form links stay bound to their person and purpose.

tests/integration/test_http_schemathesis.py runs schemathesis with learning unconfigured; here
forms, badges and xAPI are wired (signing key, badge key, xAPI token), two hires have plans,
schemathesis runs its `not_a_server_error` check on every operation of the schema, and the
routes left out of the schema (the forms) are fuzzed with hypothesis.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from sqlmodel import select

from integrations.learning.tokens import FormTokens
from models.db import session_scope
from models.learning import LearningGoal
from tests.integration.sources.test_properties import HEADER_NAMES
from tests.security import site
from tests.security.conftest import fuzz, hostile_text

TOKENS = FormTokens(site.SIGNING_KEY)
PURPOSES = ("goals", "reflection", "done", "share")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app of `leerpad serve` (flows/serve.py) on loopback, secrets set for every source."""
    from flows.bootstrap import reset
    from flows.serve import build_http_app

    patch = pytest.MonkeyPatch()
    for source in site.SOURCES:
        patch.setenv(f"LEERPAD_SECRET_{source.upper()}", site.SECRET)
    patch.setenv("LEERPAD_WEBHOOK_RATE", "off")
    patch.delenv("PREFECT_API_URL", raising=False)
    app = site.build(tmp_path_factory.mktemp("http"))
    with site.serving(build_http_app(app)) as url:
        yield site.Site(url=url, app=app, hires=site.hires_of(app))
    patch.undo()
    reset()


def token(purpose: str, subject: str, ref: str, served, days: int = 30) -> str:
    """A genuine link token, as the server issues them."""
    expires = served.app.clock.now() + timedelta(days=days)
    return TOKENS.issue(purpose=purpose, subject=subject, ref=ref, expires_at=expires)


def test_schemathesis_finds_no_server_error_on_any_operation(served):
    schema = schemathesis.openapi.from_url(f"{served.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert {"/webhooks/{source}", "/healthz", "/xapi/statements", "/badges/{uid}",
            "/badges/issuer", "/badges/achievements/{key}"} <= paths  # fmt: skip
    for operation in operations:

        @fuzz(15)
        @given(case=operation.as_strategy())
        def check(case):
            auth = {"Authorization": f"Bearer {site.XAPI_TOKEN}"}
            case.call_and_validate(checks=[not_a_server_error], headers=auth, timeout=10)

        check()


form_fields = st.dictionaries(
    st.sampled_from(["goal1", "goal2", "goal3", "shout_out", "answer", "kind", "title", "note",
                     "date", "done", "x"]) | st.text(max_size=10),
    hostile_text | st.sampled_from(["yes", "", "2027-03-05", "teach-back", "lunch"]),
    max_size=6,
)  # fmt: skip


@fuzz(40)
@given(
    purpose=st.sampled_from(PURPOSES),
    kind=st.sampled_from(["own", "other-person", "other-purpose", "garbage", "tampered"]),
    garbage=st.text(max_size=60),
    post=st.booleans(),
    fields=form_fields,
    language=st.sampled_from([None, "nl", "en", "de;q=0.9", "*", "x" * 300]),
)
def test_forms_never_fail_and_only_open_for_their_own_person(
    served, purpose, kind, garbage, post, fields, language
):
    hire, other = served.hires
    ref = hire.prompt_uid if purpose == "reflection" else hire.plan_uid
    subject = hire.leader_uid if purpose == "reflection" else hire.person_uid
    value = {
        "own": lambda: token(purpose, subject, ref, served),
        "other-person": lambda: token(purpose, other.person_uid, ref, served),
        "other-purpose": lambda: token("done" if purpose != "done" else "goals", subject, ref,
                                       served),
        "garbage": lambda: quote(garbage, safe="") or "x",
        "tampered": lambda: token(purpose, other.person_uid, ref, served).split(".")[0]
        + "." + token(purpose, subject, ref, served).split(".")[1],
    }[kind]()  # fmt: skip
    headers = {"Accept-Language": language} if language else {}
    url = f"{served.url}/forms/{purpose}/{value}"
    response = (httpx.post(url, data=fields, headers=headers) if post
                else httpx.get(url, headers=headers))  # fmt: skip
    assert response.status_code < 500, response.text[:300]
    if kind != "own":
        # 307: Starlette's trailing-slash redirect for a token that decodes to "/"
        assert response.status_code in (307, 403, 404, 405, 410), (kind, response.status_code)
    else:
        assert response.status_code in (200, 303, 400, 410), response.status_code


class TestFormLinkBinding:
    """A link for person A and purpose goals opens only A's goals form (over real HTTP)."""

    def test_the_own_link_opens(self, served):
        hire = served.hires[0]
        assert (
            httpx.get(
                f"{served.url}/forms/goals/{token('goals', hire.person_uid, hire.plan_uid, served)}"
            ).status_code
            == 200
        )  # noqa: E501

    def test_a_link_for_person_a_is_refused_for_person_b_and_saves_nothing(self, served):
        a, b = served.hires
        crossed = token("goals", b.person_uid, a.plan_uid, served)
        before = self._goals(served)
        response = httpx.post(f"{served.url}/forms/goals/{crossed}", data={"goal1": "Pwned goal"})
        assert response.status_code == 410 and self._goals(served) == before
        spliced = (
            crossed.split(".")[0]
            + "."
            + token("goals", a.person_uid, a.plan_uid, served).split(".")[1]
        )
        response = httpx.post(f"{served.url}/forms/goals/{spliced}", data={"goal1": "Pwned goal"})
        assert response.status_code == 403 and self._goals(served) == before

    def test_a_goals_link_is_refused_as_a_reflection_and_the_other_way_round(self, served):
        a = served.hires[0]
        goals = token("goals", a.person_uid, a.plan_uid, served)
        assert httpx.get(f"{served.url}/forms/reflection/{goals}").status_code == 403
        assert httpx.post(f"{served.url}/forms/reflection/{goals}",
                          data={"answer": "x" * 50}).status_code == 403  # fmt: skip
        reflection = token("reflection", a.leader_uid, a.prompt_uid, served)
        assert httpx.get(f"{served.url}/forms/reflection/{reflection}").status_code == 200
        for purpose in ("goals", "done", "share"):
            assert httpx.get(f"{served.url}/forms/{purpose}/{reflection}").status_code == 403

    def test_an_expired_link_is_refused(self, served):
        a = served.hires[0]
        expired = token("goals", a.person_uid, a.plan_uid, served, days=-1)
        response = httpx.post(f"{served.url}/forms/goals/{expired}", data={"goal1": "Late goal"})
        assert response.status_code == 403 and "Late goal" not in self._goals(served)

    @staticmethod
    def _goals(served) -> list[str]:
        with session_scope(served.app.engine) as session:
            return [g.text for g in session.exec(select(LearningGoal)).all()]


statements = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
shaped = st.fixed_dictionaries(
    {"actor": st.fixed_dictionaries({}, optional={
        "account": st.fixed_dictionaries({"name": hostile_text, "homePage": hostile_text}),
        "mbox": hostile_text, "mbox_sha1sum": hostile_text, "objectType": hostile_text}),
     "verb": st.fixed_dictionaries({"id": st.sampled_from(
         ["http://adlnet.gov/expapi/verbs/completed", "x", ""])}),
     "object": st.fixed_dictionaries({"id": hostile_text})},
    optional={"id": hostile_text, "timestamp": hostile_text, "result": statements},
)  # fmt: skip


@fuzz(40)
@given(body=statements | shaped | st.lists(shaped, max_size=3))
def test_xapi_statements_never_fail(served, body):
    response = httpx.post(
        f"{served.url}/xapi/statements",
        content=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {site.XAPI_TOKEN}", "Content-Type": "application/json"},
    )
    assert response.status_code in (200, 400), response.text[:300]


@fuzz(30)
@given(body=st.binary(max_size=300) | st.builds(lambda s: json.dumps(s).encode(), statements),
       source=st.sampled_from(site.SOURCES))  # fmt: skip
def test_signed_webhooks_over_http_are_202_or_400(served, body, source):
    headers = site.signed(body) if source == "generic" else {}
    response = httpx.post(f"{served.url}/webhooks/{source}", content=body, headers=headers)
    allowed = (202, 400) if source == "generic" else (202, 400, 401)
    assert response.status_code in allowed, response.text[:300]


header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=120,
)


@fuzz(30)
@given(
    source=st.sampled_from(site.SOURCES + ("nope",)),
    found=st.dictionaries(st.sampled_from(HEADER_NAMES), header_values, max_size=6),
    body=st.binary(max_size=200),
)
def test_any_headers_over_http_never_give_a_server_error(served, source, found, body):
    response = httpx.post(
        f"{served.url}/webhooks/{source}",
        content=body,
        headers={k: v.strip().encode("latin-1") for k, v in found.items()},  # h11: no edge spaces
    )
    assert response.status_code in (202, 400, 401, 404), response.text[:300]
