"""A wired app with every feature configured and two hires with plans, served on loopback."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import select

from flows.delivery import deliver_due_batch
from flows.processing import process_stored_event, store
from flows.simulation import run_until
from integrations.learning.jws import private_key_pem
from models.db import session_scope
from models.enrollment import Enrollment, ScheduledStep
from models.learning import LearningPlan
from models.people import Person
from tests.conftest import AMS, sqlite_engine
from tests.factories import make_event

SIGNING_KEY = "security-test-signing-key-0123456789"
XAPI_TOKEN = "security-xapi-token-0123456789abcdef"
SECRET = "whsec-security-test-0123456789-do-not-log"
SOURCES = ("generic", "greenhouse", "greenhouse_onboarding", "lever", "recruitee", "teamtailor",
           "workable", "smartrecruiters", "bamboohr", "personio", "hibob")  # fmt: skip
HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
GOALS_SENT = datetime(2027, 3, 4, 15, 0, tzinfo=AMS)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    """Headers of a generic webhook signed with a secret."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Leerpad-Signature": f"sha256={digest}", "Content-Type": "application/json"}


@dataclass(frozen=True)
class Hire:
    """One hired person: their uid, learning plan uid and one reflection step for their leader."""

    person_uid: str
    plan_uid: str
    leader_uid: str
    prompt_uid: str | None


@dataclass(frozen=True)
class Site:
    """The running app: its URL, the wired application and two hires."""

    url: str
    app: object
    hires: tuple[Hire, ...]


def build(folder: Path, *, hires: int = 2):  # type: ignore[no-untyped-def]
    """Bootstrap the app with forms, badges and xAPI configured; hire people and plan to goals."""
    from flows.bootstrap import bootstrap
    from integrations.settings import LeerpadSettings
    from journeys.clock import SimulatedClock

    engine = sqlite_engine(folder)
    pem = folder / "badge.pem"
    pem.write_text(private_key_pem(Ed25519PrivateKey.generate()), encoding="utf-8")
    settings = LeerpadSettings(
        database_url=str(engine.url), outbox_dir=folder / "outbox", smtp_url=None,
        signing_key=SIGNING_KEY, badge_key=str(pem), xapi_token=XAPI_TOKEN,
    )  # fmt: skip
    app = bootstrap(settings=settings, clock=SimulatedClock(HIRED_AT), engine=engine)
    for n in range(1, hires + 1):
        event = make_event("candidate.hired", at=HIRED_AT, n=n, manager_n=n, start=date(2027, 3, 1))
        inbox_id, _ = store(app=app, event=event, now=app.clock.now())
        process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now())
    run_until(
        app,
        GOALS_SENT,
        dispatch=lambda at: deliver_due_batch(app=app, now=at, worker="t", limit=50),
    )
    return app


def hires_of(app) -> tuple[Hire, ...]:  # type: ignore[no-untyped-def]
    """The hires with their plan, leader and a reflection prompt step, from the database."""
    from models.employment import Employment

    found = []
    with session_scope(app.engine) as session:
        for plan in session.exec(select(LearningPlan).order_by(LearningPlan.id)).all():
            person = session.get(Person, plan.person_id)
            employment = session.get(Employment, plan.employment_id)
            leader = session.get(Person, employment.manager_id)
            prompt = session.exec(
                select(ScheduledStep)
                .join(Enrollment, Enrollment.id == ScheduledStep.enrollment_id)
                .where(ScheduledStep.channel == "prompt")
                .where(Enrollment.employment_id == employment.id)
            ).first()
            found.append(Hire(person.uid, plan.uid, leader.uid, prompt.uid if prompt else None))
    return tuple(found)


@contextmanager
def serving(asgi, *, log_level: str = "warning") -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Serve an ASGI app with uvicorn on loopback in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=port, log_level=log_level))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
