"""Take invite replies in: parse, match, store; refused ones kept in the inbox for inspection.

Shared by `POST /webhooks/mail-replies` and `leerpad invites replies`. Logs carry ids only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from integrations.invite_replies.parse import NoReply, Reply, replies_in_message
from models.db import session_scope
from models.invite_responses import Matched, match_reply, record_response
from models.webhook_store import store_delivery_in

SOURCE = "mail_replies"  # the secret is LEERPAD_SECRET_MAIL_REPLIES, like every webhook source
EVENT_TYPE = "invite.reply"
log = logging.getLogger("leerpad.invite_replies")


@dataclass(frozen=True)
class ReplyOutcome:
    """What became of one reply (or of a message without one). Ids only, never an address."""

    outcome: str  # matched|stale|late|duplicate|unmatched|no_reply
    partstat: str | None = None
    sequence: int | None = None
    calendar_event_id: int | None = None
    person_id: int | None = None
    role: str | None = None
    response_id: int | None = None
    inbox_id: int | None = None  # where a refused message is kept
    reason: str | None = None

    @property
    def stored(self) -> bool:
        """Whether the answer is on record (now or before)."""
        return self.response_id is not None

    def as_dict(self) -> dict[str, object]:
        """The outcome as JSON-ready fields."""
        return {k: v for k, v in asdict(self).items() if v is not None}


_STATE_OUTCOME = {"current": "matched", "stale": "stale", "late": "late"}


def _keep(
    session: Session, raw: bytes, headers: Mapping[str, str], reason: str, code: str, now: datetime
) -> int:
    """Keep a refused message in the inbox as `rejected`, like a webhook body that failed."""
    inbox_id, _ = store_delivery_in(
        session, source=SOURCE, status="rejected",
        dedupe_key=f"{SOURCE}:rejected:{hashlib.sha256(raw).hexdigest()}",
        payload=json.dumps({"refused": code}), raw=raw, headers=headers,
        event_type=EVENT_TYPE, error=reason[:1000], now=now,
    )  # fmt: skip
    return inbox_id


def _one(session: Session, reply: Reply, now: datetime) -> ReplyOutcome | tuple[str, str]:
    found = match_reply(
        session=session, uid=reply.uid, attendee=reply.attendee, sequence=reply.sequence
    )
    if not isinstance(found, Matched):
        return found.code, found.reason
    response_id, duplicate = record_response(
        session=session, matched=found, partstat=reply.partstat, sequence=reply.sequence,
        replied_at=reply.dtstamp or now, occurrence_at=reply.occurrence, now=now,
    )  # fmt: skip
    return ReplyOutcome(
        outcome="duplicate" if duplicate else _STATE_OUTCOME[found.state],
        partstat=reply.partstat, sequence=reply.sequence,
        calendar_event_id=found.calendar_event_id, person_id=found.invitee.person_id,
        role=found.invitee.role, response_id=response_id,
    )  # fmt: skip


def take_in_replies(
    *, engine: Engine, raw: bytes, headers: Mapping[str, str], now: datetime
) -> list[ReplyOutcome]:
    """Read one message (or .ics), record every reply in it that matches one of our invites.

    A message without a reply, or with replies that match nothing, is kept once in the inbox
    (status `rejected`, source `mail_replies`) with the reason.
    """
    with session_scope(engine) as session:
        try:
            replies = replies_in_message(raw)
        except NoReply as exc:
            inbox_id = _keep(session, raw, headers, f"no invite reply: {exc}", "no_reply", now)
            log.info("invite reply refused: inbox event %s (no_reply)", inbox_id)
            return [ReplyOutcome("no_reply", inbox_id=inbox_id, reason=str(exc))]
        outcomes: list[ReplyOutcome] = []
        refused: list[tuple[Reply, str, str]] = []
        for reply in replies:
            result = _one(session, reply, now)
            if isinstance(result, ReplyOutcome):
                outcomes.append(result)
                log.info(
                    "invite reply %s: response %s for calendar event %s, person %s",
                    result.outcome, result.response_id, result.calendar_event_id, result.person_id,
                )  # fmt: skip
            else:
                refused.append((reply, *result))
        if refused:
            reasons = "; ".join(dict.fromkeys(reason for _, _, reason in refused))
            inbox_id = _keep(session, raw, headers, reasons, refused[0][1], now)
            for reply, code, reason in refused:
                log.info("invite reply refused: inbox event %s (%s)", inbox_id, code)
                outcomes.append(ReplyOutcome(
                    "unmatched", partstat=reply.partstat, sequence=reply.sequence,
                    inbox_id=inbox_id, reason=reason,
                ))  # fmt: skip
        return outcomes
