"""Signed deliveries with any body reach `take_in`: always 202 or 400 (stored), never an exception.

The adapters' own properties (tests/integration/sources/test_properties.py) fuzz parse and verify
without a valid signature, so most inputs stop at verify. Here every body is signed correctly,
so it gets through to parsing, the dedupe key and the database row, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from integrations.intake import take_in
from models.db import session_scope
from models.inbox import InboxEvent
from tests.integration.sources import support
from tests.integration.sources.test_properties import SEEDS, headers, json_values, mutated
from tests.security.conftest import fuzz, hostile_text

NOW = support.NOW
SIGNERS = {
    "greenhouse": support.sign_greenhouse,
    "greenhouse_onboarding": support.sign_greenhouse,
    "recruitee": support.sign_recruitee,
    "workable": support.sign_workable,
    "generic": support.sign_generic,
    "hibob": support.sign_hibob,
    "personio": support.sign_personio,
    "bamboohr": support.sign_bamboohr,
    "smartrecruiters": support.sign_smartrecruiters,
    "teamtailor": support.sign_teamtailor,
    "lever": support.sign_lever,
}
BODY_SIGNED = [s for s in SIGNERS if s not in ("teamtailor", "lever")]
FIELD_SIGNED = ("teamtailor", "lever")  # their signatures cover body fields a mutation may drop


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db(request, tmp_path_factory):
    """One migrated database per module and backend: examples add rows to it."""
    from tests.conftest import drop_schema, postgres_engine, sqlite_engine

    if request.param == "sqlite":
        engine = sqlite_engine(tmp_path_factory.mktemp("intake"))
        yield engine
        engine.dispose()
        return
    if not request.getfixturevalue("postgres_available"):
        pytest.skip("PostgreSQL not reachable (set LEERPAD_TEST_POSTGRES_URL)")
    engine, schema = postgres_engine()
    yield engine
    engine.dispose()
    drop_schema(schema)


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory):
    """A migrated SQLite database for the many-seed tests."""
    from tests.conftest import sqlite_engine

    engine = sqlite_engine(tmp_path_factory.mktemp("intake-seeds"))
    yield engine
    engine.dispose()


SIGNATURE_HEADERS = {
    "signature", "x-recruitee-signature", "x-workable-signature", "x-leerpad-signature",
    "bob-signature", "authorization", "x-bamboohr-signature", "x-bamboohr-timestamp",
    "smartrecruiters-signature", "smartrecruiters-timestamp", "tt-signature",
    "teamtailor-signature",
}  # fmt: skip


def _take(engine, source: str, raw: bytes, found: dict[str, str]) -> None:
    found = {k: v for k, v in found.items() if k.lower() not in SIGNATURE_HEADERS}
    try:
        raw, signed = SIGNERS[source](raw, found, NOW)
    except (ValueError, KeyError, TypeError, AttributeError):
        return  # a body the signer itself cannot sign (lever/teamtailor sign JSON fields)
    intake = take_in(engine=engine, source=source, raw=raw, headers=signed,
                     secret=support.SECRET, now=NOW)  # fmt: skip
    allowed = (202, 400, 401) if source in FIELD_SIGNED else (202, 400)
    assert intake.status in allowed, (intake.status, intake.body)
    json.dumps(intake.body)
    if intake.status == 400:
        assert intake.body["error"] and intake.body["id"]
        with session_scope(engine) as session:
            row = session.get(InboxEvent, intake.body["id"])
            assert row is not None and row.status == "rejected"


generic_events = st.fixed_dictionaries(
    {
        "id": st.text(min_size=3, max_size=2000) | st.sampled_from(["generic:1", "x" * 400]),
        "type": st.sampled_from(["candidate.hired", "employee.created", "nope"]),
        "occurred_at": st.sampled_from(["2027-01-25T13:00:00Z", "yesterday", "2027-13-01"]),
        "person": st.fixed_dictionaries(
            {"email": hostile_text, "first_name": hostile_text, "last_name": hostile_text,
             "locale": hostile_text, "timezone": hostile_text, "external_id": hostile_text}
        ),
        "employment": st.none() | st.fixed_dictionaries(
            {"start_date": st.sampled_from(["2027-03-01", "2027-02-30", "", "0001-01-01"]),
             "title": hostile_text}
        ),
    }
)  # fmt: skip


@pytest.mark.parametrize("source", BODY_SIGNED)
@fuzz(12)
@given(raw=st.binary(max_size=200) | st.builds(lambda v: json.dumps(v).encode(), json_values),
       found=headers)  # fmt: skip
def test_any_signed_body(db, source, raw, found):
    _take(db, source, raw, found)


@pytest.mark.parametrize(
    ("source", "seed"), SEEDS, ids=[f"{s}-{i}" for i, (s, _) in enumerate(SEEDS)]
)
@fuzz(10)
@given(data=st.data())
def test_signed_mutations_of_every_documented_body(sqlite_db, source, seed, data):
    raw = json.dumps(data.draw(mutated(seed))).encode()
    _take(sqlite_db, source, raw, data.draw(headers))


@fuzz(40)
@given(event=generic_events)
def test_generic_events_with_hostile_fields(db, event):
    raw = json.dumps(event, ensure_ascii=event["id"].isascii()).encode()
    _take(db, "generic", raw, {"Content-Type": "application/json"})


def test_a_nul_character_and_an_overlong_id_are_stored_or_refused(engine):
    event = {"id": "generic:" + "é" * 600, "type": "candidate.hired",
             "occurred_at": "2027-01-25T13:00:00Z",
             "person": {"email": "a\u0000b@example.org", "first_name": "N\u0000ul"}}  # fmt: skip
    _take(engine, "generic", json.dumps(event).encode(), {})
    _take(engine, "generic", b'{"id": "\\u0000\\u0000\\u0000", "type": "x"}', {})
    nul_id = dict(event, id="generic:a\u0000b", person={"first_name": "\u0000"})
    _take(engine, "generic", json.dumps(nul_id).encode(), {})
    with session_scope(engine) as session:
        assert len(session.exec(select(InboxEvent)).all()) == 3


@pytest.mark.parametrize("source", ["greenhouse", "nope", "../etc", "GENERIC"])
def test_unknown_sources_and_missing_secrets_are_answered(engine, source):
    intake = take_in(engine=engine, source=source, raw=b"{}", headers={}, secret=None,
                     now=datetime(2027, 1, 1, tzinfo=UTC))  # fmt: skip
    assert intake.status in (401, 404)
