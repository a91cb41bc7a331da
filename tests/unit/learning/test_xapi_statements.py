"""xAPI statements: what is kept of incoming ones, and outgoing ones that are idempotent."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

import pytest

from integrations.learning.xapi import (
    ADL,
    StatementError,
    completion_statement,
    read_statement,
    statement_id,
)

ACCOUNT = {"account": {"homePage": "https://leerpad.example", "name": "abc123"}}


def body(actor: dict, verb: str = "completed", **extra) -> dict:
    return {"actor": actor, "verb": {"id": ADL + verb}, "object": {"id": "https://x.example/a"}} | (
        extra
    )


class TestIncoming:
    def test_keeps_ids_the_verb_and_a_pseudonymous_actor(self):
        given = str(uuid.uuid4())
        incoming = read_statement(body(ACCOUNT, "attended", id=given))
        assert (incoming.statement_id, incoming.verb, incoming.account_name) == (
            given,
            "attended",
            "abc123",
        )

    def test_a_plain_mbox_is_hashed_at_once(self):
        incoming = read_statement(body({"mbox": "mailto:Sanne@Example.org", "name": "Sanne"}))
        expected = hashlib.sha1(b"mailto:sanne@example.org").hexdigest()
        assert incoming.mbox_sha1 == expected and "anne" not in repr(incoming)

    @pytest.mark.parametrize(
        "data",
        [
            body(ACCOUNT, "liked"),
            body({"name": "Sanne"}),
            body({"mbox_sha1sum": "not-a-hash"}),
            {"actor": ACCOUNT},
            "a string",
        ],
    )
    def test_unusable_statements_are_refused(self, data):
        with pytest.raises(StatementError):
            read_statement(data)


class TestOutgoing:
    def test_the_statement_id_is_a_uuid5_of_actor_verb_and_activity(self):
        one = statement_id(home_page="https://a", actor_name="x", verb="completed", object_id="o")
        assert one == statement_id(
            home_page="https://a", actor_name="x", verb="completed", object_id="o"
        )
        assert uuid.UUID(one).version == 5
        assert one != statement_id(
            home_page="https://a", actor_name="y", verb="completed", object_id="o"
        )

    def test_a_completion_is_complete_and_carries_no_personal_data(self):
        statement = completion_statement(
            home_page="https://leerpad.example", actor_name="abc123",
            object_id="https://sqlbolt.com/", title="SQLBolt", language="nl",
            completed_at=datetime(2027, 3, 12, 9, 30, tzinfo=UTC),
        )  # fmt: skip
        assert statement["actor"]["account"] == {"homePage": "https://leerpad.example",
                                                 "name": "abc123"}  # fmt: skip
        assert statement["timestamp"] == "2027-03-12T09:30:00Z"
        assert statement["object"]["definition"]["name"] == {"nl-NL": "SQLBolt"}
        assert read_statement(statement).statement_id == statement["id"]
