"""A wired app with form links and a badge key, its HTTP server on loopback, and helpers."""

from __future__ import annotations

import email
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from pathlib import Path

import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from integrations.learning.jws import private_key_pem
from integrations.learning.links import LearningLinks
from models.db import session_scope
from models.enrollment import ScheduledStep
from tests.conftest import AMS
from tests.factories import make_event

SIGNING_KEY = "test-signing-key-for-form-links"
XAPI_TOKEN = "xapi-test-token-0123456789"
HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
START = date(2027, 3, 1)  # a Monday
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def badge_key() -> Ed25519PrivateKey:
    """An ephemeral Ed25519 key: every test run signs with a new one."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def lapp(engine, tmp_path: Path, start_clock, port: int, badge_key):
    """The application with signing key, badge key (a PEM file) and xAPI token configured."""
    from flows.bootstrap import bootstrap, reset
    from integrations.settings import LeerpadSettings

    pem = tmp_path / "badge-key.pem"
    pem.write_text(private_key_pem(badge_key), encoding="utf-8")
    settings = LeerpadSettings(
        database_url=str(engine.url),
        outbox_dir=tmp_path / "outbox",
        smtp_url=None,
        signing_key=SIGNING_KEY,
        badge_key=str(pem),
        public_url=f"http://127.0.0.1:{port}",
        xapi_token=XAPI_TOKEN,
    )
    application = bootstrap(settings=settings, clock=start_clock, engine=engine)
    application.composer.learning = LearningLinks.from_settings(settings)
    yield application
    reset()


@pytest.fixture
def learning_overrides() -> dict[str, object]:
    """Fields of LearningDeps a test module replaces (an LRS client, for instance)."""
    return {}


@pytest.fixture
def server(lapp, port: int, learning_overrides) -> Iterator[str]:
    """The HTTP app (webhooks, forms, badges, xAPI) served by uvicorn on 127.0.0.1."""
    from dataclasses import replace

    from integrations.http.app import create_app
    from integrations.http.webhooks import WebhookDeps
    from integrations.learning.wiring import LearningDeps

    learning = LearningDeps.from_settings(lapp.settings, engine=lapp.engine, now=lapp.clock.now)
    learning = replace(learning, **learning_overrides)
    hooks = WebhookDeps(
        engine=lapp.engine, secret_for=lambda s: None, on_stored=lambda i: None, now=lapp.clock.now
    )
    config = uvicorn.Config(
        create_app(hooks, learning=learning), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def hire(app, *, n: int = 1, locale: str = "nl", start: date = START) -> None:
    """A candidate is hired: the new-hire and leader journeys are planned."""
    event = make_event(
        "candidate.hired", at=HIRED_AT, n=n, start=start, person_overrides={"locale": locale}
    )
    app.clock.advance_to(event.occurred_at)
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    assert process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now()) == "processed"


def dispatch_until(app, moment: datetime) -> None:
    """Deliver everything due up to a moment on the simulated clock."""
    run_until(
        app, moment, dispatch=lambda at: deliver_due_batch(app=app, now=at, worker="t", limit=50)
    )


@dataclass(frozen=True)
class Mail:
    """One delivered message, with the step it came from."""

    step_key: str
    to: str
    subject: str
    text: str
    html: str
    message: email.message.EmailMessage


def mails(app) -> list[Mail]:
    """Every message in the outbox, in sending order, labelled with its step key."""
    with session_scope(app.engine) as session:
        keys = {s.uid: s.step_key for s in session.exec(select(ScheduledStep)).all()}
    found = []
    for path in sorted(Path(app.settings.outbox_dir).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        found.append(
            Mail(
                step_key=keys.get(message["X-Leerpad-Step"], "?"),
                to=str(message["To"]),
                subject=str(message["Subject"]),
                text=message.get_body(("plain",)).get_content(),
                html=message.get_body(("html",)).get_content(),
                message=message,
            )
        )
    return found


def mail_of(app, step_key: str) -> Mail:
    """The one message a step sent."""
    (found,) = [m for m in mails(app) if m.step_key == step_key]
    return found


def link(text: str, purpose: str) -> str:
    """The first signed link of a purpose in a message text."""
    match = re.search(rf"https?://\S+/forms/{purpose}/[A-Za-z0-9_.-]+", text)
    assert match, f"no {purpose} link in the message"
    return match.group(0)
