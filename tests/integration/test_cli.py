"""The command line: validate, preview, events and db upgrade, with their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from flows.bootstrap import reset
from flows.cli import cli

HIRED = {
    "id": "generic:cli-1",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "c9", "email": "c9@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}

BROKEN_JOURNEY = """\
key: mine
name: {nl: Mijn reis, en: My journey}
audience: new_hire
anchor: start_date
steps:
  - key: hello
    title: {nl: Hallo, en: Hello}
    channel: pigeon
    to: new_hire
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private database and outbox for the CLI, read from the environment like in production."""
    monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.delenv("LEERPAD_SMTP_URL", raising=False)
    reset()
    yield tmp_path
    reset()


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


class TestJourneysValidate:
    def test_the_defaults_are_valid(self, env):
        result = run("journeys", "validate")
        assert result.exit_code == 0, result.output
        assert "3 journeys and their templates are valid" in result.output

    def test_a_bad_user_file_names_file_line_and_field_and_exits_2(self, env):
        (env / "mine.yaml").write_text(BROKEN_JOURNEY, encoding="utf-8")
        result = run("journeys", "validate", str(env))
        assert result.exit_code == 2
        assert f"{env / 'mine.yaml'}:8: steps[0].channel" in result.stderr

    def test_a_step_without_templates_is_reported(self, env):
        (env / "mine.yaml").write_text(BROKEN_JOURNEY.replace("pigeon", "email"), encoding="utf-8")
        result = run("journeys", "validate", str(env), "--json")
        assert result.exit_code == 2
        report = json.loads(result.stdout)
        assert report["valid"] is False
        assert any("mine/hello" in p for p in report["problems"])


class TestJourneysPreview:
    def test_json_follows_the_contract_in_time_order(self, env):
        result = run("journeys", "preview", "new-hire", "--anchor", "2027-03-01", "--json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert {"journey", "step", "channel", "to", "template", "at_local", "at_utc"} <= set(
            rows[0]
        )
        assert [r["at_utc"] for r in rows] == sorted(r["at_utc"] for r in rows)
        welcome = next(r for r in rows if r["step"] == "welcome")
        assert welcome["at_local"] == "2027-02-01T09:00:00+01:00"
        assert welcome["at_utc"] == "2027-02-01T08:00:00+00:00"

    def test_the_recipients_zone_is_used(self, env):
        result = run(
            "journeys",
            "preview",
            "new-hire",
            "--anchor",
            "2027-03-01",
            "--tz",
            "America/New_York",
            "--json",
        )
        welcome = next(r for r in json.loads(result.stdout) if r["step"] == "welcome")
        assert welcome["at_local"] == "2027-02-01T09:00:00-05:00"

    @pytest.mark.parametrize(
        "args",
        [
            ("nope", "--anchor", "2027-03-01"),
            ("new-hire", "--anchor", "1 March"),
            ("new-hire", "--anchor", "2027-03-01", "--tz", "Mars/Base"),
        ],
    )
    def test_bad_input_exits_2_with_a_reason(self, env, args):
        result = run("journeys", "preview", *args)
        assert result.exit_code == 2
        assert result.stderr.strip().startswith("Error:")


class TestEvents:
    def test_parse_prints_the_canonical_event(self, env):
        body = env / "hired.json"
        body.write_text(json.dumps(HIRED), encoding="utf-8")
        result = run("events", "parse", "generic", str(body))
        assert result.exit_code == 0, result.output
        event = json.loads(result.stdout)
        assert event["source"] == "generic" and event["employment"]["start_date"] == "2027-03-01"
        assert event["person"]["last_name"] is None

    def test_parse_refuses_a_bad_body_and_an_unknown_source(self, env):
        body = env / "bad.json"
        body.write_text("{not json", encoding="utf-8")
        assert run("events", "parse", "generic", str(body)).exit_code == 2
        body.write_text(json.dumps(HIRED), encoding="utf-8")
        assert run("events", "parse", "acme", str(body)).exit_code == 2

    def test_ingest_verifies_stores_once_processes_and_can_replay(self, env, monkeypatch):
        import hashlib
        import hmac

        raw = json.dumps(HIRED).encode()
        body = env / "hired.json"
        body.write_bytes(raw)
        monkeypatch.setenv("LEERPAD_SECRET_GENERIC", "s3cret")
        signature = hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
        header = f"X-Leerpad-Signature: sha256={signature}"
        unsigned = run("events", "ingest", "generic", str(body))
        assert unsigned.exit_code == 2 and "X-Leerpad-Signature" in unsigned.stderr
        first = json.loads(run("events", "ingest", "generic", str(body), "--header", header).stdout)
        second = json.loads(
            run("events", "ingest", "generic", str(body), "--header", header).stdout
        )
        assert first["duplicate"] is False and first["status"] == "processed"
        assert second == {"id": first["id"], "duplicate": True}
        listed = [json.loads(line) for line in run("events", "list", "--json").stdout.splitlines()]
        assert [(e["id"], e["type"], e["status"]) for e in listed] == [
            (first["id"], "candidate.hired", "processed")
        ]
        replayed = run("events", "replay", str(first["id"]))
        assert replayed.exit_code == 0 and json.loads(replayed.stdout)["status"] == "processed"
        assert run("events", "replay", "999").exit_code == 2


def test_db_upgrade_creates_every_table(env):
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    tables = set(inspect(create_engine(f"sqlite:///{env / 'cli.db'}")).get_table_names())
    assert {"person", "scheduled_step", "delivery", "calendar_event", "inbox_event"} <= tables
