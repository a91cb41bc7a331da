"""A small company for the HR page tests, built through the real code paths, served on loopback.

Events go in through the inbox and the real processing code; steps go out through the real
dispatcher to a loopback aiosmtpd that refuses one hire's address (550: failed deliveries). Hire 1
has her start date moved (rescheduled steps, invites updated); hire 3 is unhired after her invites
went out (a cancelled journey, cancelled invites); person 4 is a candidate; two BambooHR webhooks
that carry only ids wait in the inbox as failed (no API credentials), ready to be replayed. The
HTTP app is `flows.serve.build_http_app`, exactly as `leerpad serve` wires it, HR users included.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from flows.bootstrap import bootstrap, reset
from flows.delivery import deliver_due_batch
from flows.processing import EventProcessingFailed, process_stored_event, store
from flows.serve import build_http_app
from flows.simulation import run_until
from integrations.http.hr_passwords import hash_password
from integrations.intake import take_in
from integrations.mail.smtp import SmtpMailer, SmtpSettings
from integrations.settings import LeerpadSettings
from journeys.clock import SimulatedClock
from models.db import session_scope
from models.people import Person
from tests.conftest import AMS
from tests.factories import make_event
from tests.integration.conftest import free_port
from tests.integration.sources import support
from tests.reliability.conftest import SinkHandler
from tests.security.site import serving

KEY = "hr-pages-test-signing-key-0123456789abcdef"
PASSWORD = "correct horse battery staple"
REPLY_SECRET = "mail-replies-test-secret"
HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
MOVED_AT = datetime(2027, 2, 10, 11, 0, tzinfo=AMS)
NOW = datetime(2027, 3, 3, 10, 0, tzinfo=AMS)  # "today" on the pages
REFUSED = "hire2@example.org"
PERSONAL, WORK = "own1@example.net", "sanne1@voorbeeld.example"
BAMBOO_BODY = "bamboohr/employee.updated.event_based.json"
BAMBOO_PATH = "/api/gateway.php/acme/v1/employees/{id}"


@dataclass(frozen=True)
class World:
    """The served site and what the tests look for in it."""

    url: str
    app: object
    engine: Engine
    hire_id: int  # hire 1: moved start, personal then work address
    refused_id: int  # hire 2: every message to her refused
    unhired_id: int  # hire 3: journey cancelled, invites cancelled
    candidate_id: int
    failed_events: tuple[int, int]  # two BambooHR webhooks that failed for want of API access


def bamboo_webhook(employee: str) -> bytes:
    """The BambooHR fixture body, for another employee id (so another dedupe key)."""
    body = json.loads(support.body(BAMBOO_BODY))
    body["data"]["employeeId"] = employee
    return json.dumps(body).encode()


def bamboo_record(employee: str) -> dict[str, object]:
    """What the BambooHR API answers for an employee: a hire starting in April."""
    return {
        "id": employee, "firstName": "Noor", "lastName": f"Bamboo{employee}",
        "preferredName": None, "workEmail": f"noor{employee}@acme.example",
        "homeEmail": f"noor{employee}@home.example", "hireDate": "2027-04-05",
        "terminationDate": "0000-00-00", "status": "Active", "jobTitle": "Analyst",
        "department": "Finance", "supervisorEId": "12", "supervisorEmail": "boss@acme.example",
    }  # fmt: skip


def ingest(app, event) -> int:  # type: ignore[no-untyped-def]
    app.clock.advance_to(max(event.occurred_at, app.clock.now()))
    inbox_id, _ = store(app=app, event=event, now=app.clock.now())
    assert process_stored_event(app=app, inbox_id=inbox_id, now=app.clock.now()) == "processed"
    return inbox_id


def webhook_that_fails(app, employee: str) -> int:  # type: ignore[no-untyped-def]
    """A signed BambooHR webhook taken in as the endpoint does; processing it fails (no API)."""
    raw, headers = support.sign_bamboohr(bamboo_webhook(employee), {}, app.clock.now())
    intake = take_in(
        engine=app.engine, source="bamboohr", raw=raw, headers=headers, secret=support.SECRET,
        now=app.clock.now(),
    )  # fmt: skip
    assert intake.status == 202 and intake.process_id is not None, intake.body
    with pytest.raises(EventProcessingFailed):
        process_stored_event(app=app, inbox_id=intake.process_id, now=app.clock.now())
    return intake.process_id


def person_id(engine: Engine, email: str) -> int:
    with session_scope(engine) as session:
        return int(
            session.exec(
                select(Person.id).where(
                    (col(Person.email) == email) | (col(Person.work_email) == email)
                )
            ).one()
        )


def populate(app) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Hire, move, unhire, apply and fail, in simulated time up to NOW."""
    both = {"email": PERSONAL, "personal_email": PERSONAL, "work_email": WORK}
    for n, extra in ((1, both), (2, {}), (3, {})):
        event = make_event("candidate.hired", at=HIRED_AT, n=n, manager_n=n,
                           start=date(2027, 3, 1), person_overrides=extra)  # fmt: skip
        ingest(app, event)
    dispatch = lambda at: deliver_due_batch(app=app, now=at, worker="hr", limit=200)  # noqa: E731
    run_until(app, MOVED_AT, dispatch=dispatch)
    ingest(app, make_event("employee.updated", at=MOVED_AT, n=1, start=date(2027, 3, 8),
                           person_overrides=both))  # fmt: skip
    ingest(app, make_event("candidate.unhired", at=MOVED_AT, n=3, manager_n=3))
    kim = {"first_name": "Kim", "last_name": "Kandidaat"}
    ingest(app, make_event("candidate.applied", at=MOVED_AT, n=4, stage="applied",
                           person_overrides=kim))  # fmt: skip
    run_until(app, NOW, dispatch=dispatch)
    app.clock.advance_to(NOW)
    failed = (webhook_that_fails(app, "67890"), webhook_that_fails(app, "67891"))
    engine = app.engine
    return {
        "hire_id": person_id(engine, WORK), "refused_id": person_id(engine, REFUSED),
        "unhired_id": person_id(engine, "hire3@example.org"),
        "candidate_id": person_id(engine, "hire4@example.org"), "failed_events": failed,
    }  # fmt: skip


@contextmanager
def hr_environment() -> Iterator[None]:
    """The environment `leerpad serve` reads the HR users and signing key from."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEERPAD_HR_USERS", f"anna:{hash_password(PASSWORD)}")
        patch.setenv("LEERPAD_SIGNING_KEY", KEY)
        patch.setenv("LEERPAD_SECRET_BAMBOOHR", support.SECRET)
        patch.setenv("LEERPAD_SECRET_MAIL_REPLIES", REPLY_SECRET)
        patch.delenv("PREFECT_API_URL", raising=False)
        for name in ("URL", "TOKEN", "USER"):
            patch.delenv(f"LEERPAD_API_BAMBOOHR_{name}", raising=False)
        yield


@contextmanager
def world_on(engine: Engine, folder: Path) -> Iterator[World]:
    """Build the company on a migrated database and serve it; yields the World."""
    handler = SinkHandler(
        rcpt_reply=lambda a: f"550 5.1.1 <{a}>: no such user" if a == REFUSED else None,
        replies=["451 4.3.0 try later"] * 2,  # the first message: tried again later (retried)
    )
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp://127.0.0.1:{port}?timeout=5"
    try:
        with hr_environment():
            settings = LeerpadSettings(
                database_url=str(engine.url), smtp_url=url, outbox_dir=folder / "outbox",
                signing_key=KEY,
            )  # fmt: skip
            mailer = SmtpMailer(SmtpSettings.from_url(url), retry_delays=(0,), sleep=lambda s: None)
            app = bootstrap(settings=settings, clock=SimulatedClock(HIRED_AT), engine=engine,
                            mailer=mailer)  # fmt: skip
            found = populate(app)
            with serving(build_http_app(app)) as site:
                yield World(url=site, app=app, engine=engine, **found)  # type: ignore[arg-type]
    finally:
        controller.stop()
        reset()


def api_environment(patch: pytest.MonkeyPatch, api_url: str) -> None:
    """Give the server BambooHR API access (a loopback stand-in for the vendor's API)."""
    patch.setenv("LEERPAD_API_BAMBOOHR_URL", api_url + "/api/gateway.php/acme")
    patch.setenv("LEERPAD_API_BAMBOOHR_TOKEN", "api-key")
    os.environ.pop("LEERPAD_API_BAMBOOHR_USER", None)
