"""Post signed reply mails to /webhooks/mail-replies, and find the invites they answer."""

from __future__ import annotations

import hashlib
import hmac

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.enrollment import Enrollment, ScheduledStep
from tests.integration.hr.world import REPLY_SECRET


def signed(raw: bytes, secret: str = REPLY_SECRET) -> dict[str, str]:
    """The headers an inbound-mail forwarder sends: the type and the body's HMAC-SHA256."""
    digest = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return {"Content-Type": "message/rfc822", "X-Leerpad-Signature": f"sha256={digest}"}


def post_reply(url: str, raw: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    """POST one raw reply mail, signed unless headers are given."""
    with httpx.Client(base_url=url, timeout=30) as http:
        return http.post("/webhooks/mail-replies", content=raw, headers=headers or signed(raw))


def invite_of(engine: Engine, person_id: int, step_key: str) -> tuple[str, int, str]:
    """(UID, last sent SEQUENCE, address the invite went to) of a person's invite step."""
    with session_scope(engine) as session:
        event, step_id = session.exec(
            select(CalendarEvent, ScheduledStep.id)
            .join(ScheduledStep, col(ScheduledStep.id) == col(CalendarEvent.step_id))
            .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
            .where(Enrollment.person_id == person_id, ScheduledStep.step_key == step_key)
        ).one()
        address = session.exec(
            select(Delivery.address).where(
                Delivery.step_id == step_id, col(Delivery.address).is_not(None)
            )
        ).first()
        sent = event.sent_sequence if event.sent_sequence is not None else event.sequence
        return event.uid, int(sent), str(address)
