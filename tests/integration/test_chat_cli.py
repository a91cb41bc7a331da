"""`leerpad chat`: link, status and test, configured from the environment as in production."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from apprise.plugins.slack import NotifySlack
from click.testing import CliRunner

from flows.bootstrap import reset
from flows.cli_chat import chat
from journeys.catalog import DEFAULTS_DIR
from tests.integration.chat_endpoint import start_fake_chat_service

HIRED = {
    "id": "generic:chat-cli-1",
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00Z",
    "person": {"external_id": "c9", "email": "c9@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01", "manager": {"email": "boss@example.org"}},
}
TOKEN = "xoxb-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A private database, the default profile, Slack (bot) set up against the fake endpoint."""
    fake, server = start_fake_chat_service(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(fake.ca_file))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(NotifySlack, "api_url", f"{fake.base_url}/api/{{}}")
    monkeypatch.setenv("LEERPAD_DATABASE_URL", f"sqlite:///{tmp_path / 'chat.db'}")
    monkeypatch.setenv("LEERPAD_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("LEERPAD_ORGANIZATION", str(DEFAULTS_DIR / "organization.yaml"))
    monkeypatch.setenv("LEERPAD_CHAT_SLACK_URL", f"slack://{TOKEN}")
    for name in ("LEERPAD_SMTP_URL", "LEERPAD_CHAT_TEAMS_URL", "LEERPAD_CHAT_TEAMS_DM_URL"):
        monkeypatch.delenv(name, raising=False)
    reset()
    yield fake
    reset()
    server.shutdown()
    server.server_close()


def run(*args: str):
    return CliRunner().invoke(chat, list(args), catch_exceptions=False)


def hire_someone() -> None:
    from datetime import UTC, datetime

    from flows.processing import process_stored_event, store
    from flows.runner import ready_app
    from journeys.events import Event

    app = ready_app()
    event = Event.model_validate(HIRED | {"source": "generic"})
    inbox_id, _ = store(app=app, event=event, now=datetime(2027, 1, 25, 13, tzinfo=UTC))
    process_stored_event(app=app, inbox_id=inbox_id, now=datetime(2027, 1, 25, 13, tzinfo=UTC))


def test_link_status_and_a_test_message(service):
    hire_someone()
    result = run("link", "C9@example.org", "--slack", "U0NOOR0001", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["linked"] == ["slack"]

    status = json.loads(run("status", "--json").output)
    assert status["routes"] == {
        "slack": True, "teams": False, "slack-channel": True, "teams-channel": False
    }  # fmt: skip
    assert status["linked"] == {"slack": 1, "teams": 0} and status["slack_mode"] == "bot"
    assert TOKEN not in run("status").output

    assert run("test", "slack", "--to", "c9@example.org").exit_code == 0
    assert run("test", "slack-channel").exit_code == 0
    dm, post = service.received
    assert dm.body["channel"] == "U0NOOR0001" and post.body["channel"] == "#leren"
    assert "this channel works" in dm.body["attachments"][0]["text"]


def test_a_refused_test_message_exits_1(service):
    service.reply("/api/chat.postMessage", 200, {"ok": False, "error": "not_in_channel"})
    result = run("test", "slack-channel")
    assert result.exit_code == 1
    assert "permanent failure" in result.output and TOKEN not in result.output


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("link", "c9@example.org"), "--slack"),
        (("link", "c9@example.org", "--slack", "noor"), "member id"),
        (("link", "c9@example.org", "--teams", "noor"), "principal name"),
        (("link", "nobody@example.org", "--slack", "U0NOOR0001"), "no person"),
        (("test", "teams-channel"), "not set up"),
        (("test", "slack"), "--to"),
        (("test", "slack", "--to", "boss@example.org"), "leerpad chat link"),
    ],
)
def test_bad_input_exits_2_and_says_what_to_do(service, args, says):
    hire_someone()
    result = run(*args)
    assert result.exit_code == 2
    assert says in result.output
