"""Journey steps to Slack and Teams through Apprise's real code, against a loopback HTTPS server
that plays the vendors' webhook endpoints; email as the default and the fallback."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from apprise.plugins.slack import NotifySlack
from sqlmodel import select

from flows.bootstrap import bootstrap, reset
from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from integrations.settings import LeerpadSettings
from journeys.catalog import DEFAULTS_DIR
from models.chat import ChatIdentity, set_chat_identity
from models.db import session_scope
from models.delivery import Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.inbox_store import erase_person
from models.learning import LearningPlan
from models.people import Person
from tests.conftest import AMS
from tests.factories import make_event
from tests.integration.chat_endpoint import start_fake_chat_service

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
DAY_60 = datetime(2027, 5, 1, 18, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)
BOT = "slack://xoxb-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"
TEAM_FLOW, DM_FLOW = "643e69f83c8944438d68119179a10a64", "7d1c0f3e2b8a4c6d9e0f1a2b3c4d5e6f"
LEADER_PROMPTS = 7


@pytest.fixture
def chat_service(tmp_path, monkeypatch):
    """The fake Slack/Teams endpoints; Apprise's Slack plugin pointed at them, TLS verified."""
    service, server = start_fake_chat_service(tmp_path)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(service.ca_file))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(NotifySlack, "webhook_url", f"{service.base_url}/services")
    monkeypatch.setattr(NotifySlack, "api_url", f"{service.base_url}/api/{{}}")
    service.server = server
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture
def chat_app(engine, tmp_path, start_clock, chat_service):
    """An app with the file outbox and Slack + Teams (channel and DM workflows) set up."""
    org = tmp_path / "organization.yaml"
    text = (DEFAULTS_DIR / "organization.yaml").read_text(encoding="utf-8")
    org.write_text(text.replace("direct_messages: false", "direct_messages: true"), "utf-8")
    host = chat_service.base_url.removeprefix("https://")
    settings = LeerpadSettings(
        _env_file=None,
        database_url=str(engine.url),
        outbox_dir=tmp_path / "outbox",
        organization=org,
        chat_slack_url=BOT,
        chat_teams_url=f"workflows://{host}/{TEAM_FLOW}/sig-team_1/",
        chat_teams_dm_url=f"workflows://{host}/{DM_FLOW}/sig-dm_2/",
    )
    app = bootstrap(settings=settings, clock=start_clock, engine=engine)
    assert app.chat is not None
    yield app
    reset()


def hire(app) -> None:
    event = make_event("candidate.hired", at=HIRED_AT, n=1, start=date(2027, 3, 1))
    inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
    process_stored_event(app=app, inbox_id=inbox_id, now=HIRED_AT)


def person_id(app, email: str) -> int:
    with session_scope(app.engine) as session:
        return int(session.exec(select(Person.id).where(Person.email == email)).one())


def link(app, email: str, service: str, external_id: str) -> None:
    with session_scope(app.engine) as session:
        set_chat_identity(
            session=session,
            person_id=person_id(app, email),
            service=service,
            external_id=external_id,
            now=HIRED_AT,
        )


def ledger(app) -> dict[str, list[Delivery]]:
    """Ledger rows by step key."""
    with session_scope(app.engine) as session:
        rows = session.exec(
            select(Delivery, ScheduledStep.step_key).join(
                ScheduledStep, ScheduledStep.id == Delivery.step_id
            )
        ).all()
        out: dict[str, list[Delivery]] = {}
        for row, key in rows:
            session.expunge(row)
            out.setdefault(key, []).append(row)
    return out


def steps(app, journey: str) -> dict[str, str]:
    with session_scope(app.engine) as session:
        rows = session.exec(
            select(ScheduledStep.step_key, ScheduledStep.status)
            .join(Enrollment, Enrollment.id == ScheduledStep.enrollment_id)
            .where(Enrollment.journey_key == journey)
        ).all()
    return dict(rows)


def posts(service, path: str) -> list:
    return [r for r in service.received if r.path.startswith(path)]


def slack_text(request) -> str:
    return request.body["attachments"][0]["text"]


def card_text(request) -> str:
    return "\n".join(b["text"] for b in request.body["attachments"][0]["content"]["body"])


def test_leader_prompts_go_as_slack_dms_and_team_posts_go_to_both_channels(chat_app, chat_service):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "slack", "U0LEADER01")
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)

    dms = [r for r in posts(chat_service, "/api/chat.postMessage") if r.body["channel"] != "#leren"]
    assert len(dms) == LEADER_PROMPTS
    assert {r.body["channel"] for r in dms} == {"U0LEADER01"}
    assert {r.headers["Authorization"] for r in dms} == {f"Bearer {BOT.removeprefix('slack://')}"}
    first = dms[0].body["attachments"][0]
    assert first["title"].startswith("Reflectie") and "Sanne" in first["text"]
    assert "footer" not in first and "icon_url" not in dms[0].body  # no images from elsewhere
    rows = ledger(chat_app)
    prompts = [k for k in steps(chat_app, "leader") if k != "prepare-start"]
    for key in prompts:  # a DM instead of the email: one ledger row, channel slack
        assert [(d.channel, d.transport, d.status) for d in rows[key]] == [
            ("slack", "apprise", "sent")
        ]
    assert set(steps(chat_app, "leader").values()) == {"sent"}
    assert [d.channel for d in rows["prepare-start"]] == ["email"]

    # knowledge-sharing-2: the hire has no Slack id, so the email; plus both team posts
    team_slack = [r for r in posts(chat_service, "/api/chat.postMessage") if r.body["channel"]
                  == "#leren"]  # fmt: skip
    team_flow = posts(chat_service, f"/workflows/{TEAM_FLOW}/")
    assert len(team_slack) == 1 and len(team_flow) == 1
    assert "Kennis delen bij Voorbeeld BV" in slack_text(team_slack[0])
    assert "Sanne" not in slack_text(team_slack[0])  # a team post names no one
    assert team_flow[0].query["sig"] == ["sig-team_1"]
    assert "Kennis delen bij Voorbeeld BV" in card_text(team_flow[0])
    assert sorted(d.channel for d in rows["knowledge-sharing-2"]) == [
        "email", "slack-channel", "teams-channel"
    ]  # fmt: skip
    # the badge step posts nothing: the hire did not opt in to a shout-out
    assert [d.channel for d in rows["onboarding-badge"]] == ["badge"]
    assert not posts(chat_service, f"/workflows/{DM_FLOW}/")  # nobody has a Teams id


def test_a_teams_dm_carries_the_recipient_for_the_workflow(chat_app, chat_service):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "teams", "daan.leider@voorbeeld.example")
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)
    dms = posts(chat_service, f"/workflows/{DM_FLOW}/")
    assert len(dms) == LEADER_PROMPTS
    assert {r.body["recipient"] for r in dms} == {"daan.leider@voorbeeld.example"}
    assert dms[0].query["sig"] == ["sig-dm_2"]
    assert "Sanne" in card_text(dms[0])
    rows = ledger(chat_app)
    assert [d.channel for d in rows["own-learning-goals"]] == ["teams"]


@pytest.mark.parametrize("failure", ["http-500", "invalid-token", "down"])
def test_a_failed_chat_send_falls_back_to_email_and_both_are_recorded(
    chat_app, chat_service, failure
):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "slack", "U0LEADER01")
    if failure == "http-500":
        for _ in range(20):
            chat_service.reply("/api/chat.postMessage", 500, b"internal error")
    elif failure == "invalid-token":
        for _ in range(20):
            chat_service.reply("/api/chat.postMessage", 200, {"ok": False, "error": "invalid_auth"})
    else:
        chat_service.server.shutdown()
        chat_service.server.server_close()
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)
    rows = ledger(chat_app)
    expected = {
        "http-500": "temporary: slack: HTTP 500",
        "invalid-token": "permanent: slack: the API answered ok=false",
        "down": "temporary: slack: unreachable",
    }[failure]
    for key in [k for k in steps(chat_app, "leader") if k != "prepare-start"]:
        by_channel = {d.channel: d for d in rows[key]}
        assert by_channel["slack"].status == "failed"
        assert by_channel["slack"].detail == expected
        assert by_channel["prompt"].status == "sent" and by_channel["prompt"].transport == "outbox"
    assert set(steps(chat_app, "leader").values()) == {"sent"}
    outbox = list(Path(chat_app.settings.outbox_dir).rglob("*.eml"))
    assert len(outbox) == sum(1 for r in rows.values() for d in r if d.transport == "outbox")


class _DiesMidBatch:
    transport = "outbox"

    def send_batch(self, messages):
        raise RuntimeError("the worker died")


def test_nothing_goes_twice_when_a_dispatcher_dies_and_the_batch_runs_again(chat_app, chat_service):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "slack", "U0LEADER01")
    with pytest.raises(RuntimeError):
        deliver_due_batch(app=replace(chat_app, mailer=_DiesMidBatch()), now=DAY_90, worker="a",
                          limit=500)  # fmt: skip
    sent_before = len(chat_service.received)
    assert sent_before == LEADER_PROMPTS + 2  # 7 DMs and the two team posts
    assert set(steps(chat_app, "leader").values()) >= {"sent", "claimed"}

    later = DAY_90 + timedelta(seconds=chat_app.settings.lease_seconds + 60)
    deliver_due_batch(app=chat_app, now=later, worker="b", limit=500)
    assert len(chat_service.received) == sent_before  # no chat message went twice
    rows = ledger(chat_app)
    assert sorted(d.channel for d in rows["knowledge-sharing-2"]) == [
        "email", "slack-channel", "teams-channel"
    ]  # fmt: skip
    assert set(steps(chat_app, "leader").values()) == {"sent"}
    assert set(steps(chat_app, "new-hire").values()) <= {"sent", "skipped"}


def test_an_opted_in_badge_is_shouted_out_in_both_team_channels(chat_app, chat_service):
    hire(chat_app)
    deliver_due_batch(app=chat_app, now=DAY_60, worker="w", limit=500)
    with session_scope(chat_app.engine) as session:
        plan = session.exec(select(LearningPlan)).one()
        plan.shout_out = True
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)
    slack = [r for r in posts(chat_service, "/api/chat.postMessage") if "onboarding" in
             slack_text(r)]  # fmt: skip
    teams = [r for r in posts(chat_service, f"/workflows/{TEAM_FLOW}/") if "onboarding" in
             card_text(r)]  # fmt: skip
    assert len(slack) == 1 and len(teams) == 1
    assert slack[0].body["channel"] == "#leren"
    assert "Sanne heeft de onboarding bij Voorbeeld BV afgerond" in slack_text(slack[0])
    rows = ledger(chat_app)
    assert sorted(d.channel for d in rows["onboarding-badge"]) == [
        "badge", "slack-channel", "teams-channel"
    ]  # fmt: skip


def test_without_chat_urls_every_step_goes_by_email(engine, tmp_path, start_clock):
    settings = LeerpadSettings(
        _env_file=None, database_url=str(engine.url), outbox_dir=tmp_path / "outbox"
    )
    app = bootstrap(settings=settings, clock=start_clock, engine=engine)
    try:
        assert app.chat is None
        hire(app)
        deliver_due_batch(app=app, now=DAY_90, worker="w", limit=500)
        channels = {d.channel for r in ledger(app).values() for d in r}
        assert channels <= {"email", "invite", "prompt", "badge"}
    finally:
        reset()


def test_erasing_a_person_forgets_their_chat_ids(chat_app):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "slack", "U0LEADER01")
    link(chat_app, "manager1@example.org", "teams", "daan@voorbeeld.example")
    with session_scope(chat_app.engine) as session:
        manager = session.exec(select(Person).where(Person.email == "manager1@example.org")).one()
        erase_person(session=session, person=manager, now=DAY_90)
    with session_scope(chat_app.engine) as session:
        assert session.exec(select(ChatIdentity)).all() == []


def test_a_refused_teams_dm_falls_back_to_email_for_good(chat_app, chat_service):
    hire(chat_app)
    link(chat_app, "manager1@example.org", "teams", "nobody@voorbeeld.example")
    for _ in range(LEADER_PROMPTS):
        chat_service.reply(f"/workflows/{DM_FLOW}/", 400, {"error": {"code": "InvalidRequest"}})
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)
    rows = ledger(chat_app)["ask-for-feedback"]
    assert {(d.channel, d.status, d.detail) for d in rows} == {
        ("teams", "failed", "permanent: teams: HTTP 400"),
        ("prompt", "sent", None),
    }


def test_slack_control_sequences_in_a_name_are_escaped(engine, chat_app, chat_service):
    event = make_event(
        "candidate.hired", at=HIRED_AT, n=1, start=date(2027, 3, 1),
        person_overrides={"first_name": "<!channel>"},
    )  # fmt: skip
    inbox_id, _ = store(app=chat_app, event=event, now=HIRED_AT)
    process_stored_event(app=chat_app, inbox_id=inbox_id, now=HIRED_AT)
    link(chat_app, "manager1@example.org", "slack", "U0LEADER01")
    deliver_due_batch(app=chat_app, now=DAY_90, worker="w", limit=500)
    dms = [r for r in posts(chat_service, "/api/chat.postMessage") if r.body["channel"] != "#leren"]
    assert dms and all("<!channel>" not in slack_text(r) for r in dms)
    assert any("&lt;!channel&gt;" in slack_text(r) for r in dms)


def test_the_workflow_url_teams_shows_can_be_pasted_as_it_is(chat_service):
    from pydantic import SecretStr

    from integrations.chat.apprise_sender import AppriseChat
    from integrations.chat.message import ChatMessage, ChatTarget

    url = (
        f"{chat_service.base_url}/powerautomate/automations/direct/workflows/{TEAM_FLOW}"
        "/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
        "&sig=sig-native_3"
    )
    teams = AppriseChat(url=SecretStr(url), service="teams", setting="LEERPAD_CHAT_TEAMS_URL")
    assert "sig-native_3" not in repr(teams)
    result = teams.send(ChatMessage("<t@x>", ChatTarget("teams", "post"), "Hallo team", "Leerpad"))
    assert result.ok
    (request,) = chat_service.received
    assert request.path == (
        f"/powerautomate/automations/direct/workflows/{TEAM_FLOW}/triggers/manual/paths/invoke"
    )
    assert request.query["sig"] == ["sig-native_3"] and request.query["api-version"] == ["1"]
    assert card_text(request) == "Leerpad\nHallo team"
