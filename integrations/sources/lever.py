"""Lever webhooks: only `token + triggeredAt` is signed, so the opportunity is always re-fetched."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError, SignatureError
from integrations.sources.mapping import as_datetime, build_event, load_object, text
from integrations.sources.signing import (
    REPLAY_WINDOW,
    check_fresh,
    hmac_hex,
    require_secret,
    same,
    signed_time,
)
from journeys.events import body_hash

OPPORTUNITY_EVENTS = (
    "applicationCreated",
    "candidateStageChange",
    "candidateArchiveChange",
    "candidateHired",
)


def _triggered_text(value: Any) -> str | None:
    """Render triggeredAt as Lever concatenates it: the integer milliseconds."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text(value)


class LeverAdapter:
    """Lever: `{event, triggeredAt, token, signature, data}`; the body itself is not signed."""

    name = "lever"
    # Lever may re-send a delivery unchanged; widen this if its retries arrive later than this.
    replay_window = REPLAY_WINDOW

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check the HMAC of token + triggeredAt and that triggeredAt is fresh."""
        key = require_secret(self.name, secret)
        try:
            body = load_object(raw, source=self.name)
        except PayloadError as exc:
            raise SignatureError(f"cannot read token and triggeredAt to verify: {exc}") from None
        token, triggered = text(body.get("token")), _triggered_text(body.get("triggeredAt"))
        signature = body.get("signature")
        if token is None or triggered is None or not isinstance(signature, str):
            raise SignatureError("lever: body lacks token, triggeredAt or signature")
        message = (token + triggered).encode("utf-8")
        if not same(hmac_hex(key, message, hashlib.sha256), signature):
            raise SignatureError(
                "lever: signature does not match token + triggeredAt; "
                "check LEERPAD_SECRET_LEVER (the webhook's signature token)"
            )
        signed_at = signed_time(triggered, source=self.name, what="triggeredAt", millis=True)
        check_fresh(source=self.name, signed_at=signed_at, now=now, window=self.replay_window)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the delivery token, else the body hash."""
        try:
            token = text(load_object(raw, source=self.name).get("token"))
        except PayloadError:
            token = None
        return f"lever:{token or body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the opportunity (the body is unsigned), or erase a deleted candidate."""
        body = load_object(raw, source=self.name)
        event = text(body.get("event"))
        data = body.get("data")
        if event is None:
            raise PayloadError("lever body has no `event`")
        if not isinstance(data, dict):
            raise PayloadError(f"lever {event}: `data` must be an object")
        when = as_datetime(body.get("triggeredAt"), where="lever triggeredAt", millis=True)
        event_id = self.dedupe_key(raw=raw, headers=headers)
        if event == "candidateDeleted":
            who = text(data.get("contactId")) or text(data.get("candidateId"))
            if who is None:
                raise PayloadError("lever candidateDeleted: data has no contactId or candidateId")
            return build_event(
                {
                    "id": event_id,
                    "source": self.name,
                    "type": "candidate.erased",
                    "occurred_at": when or received_at,
                    "person": {"external_id": who},
                }
            )
        if event not in OPPORTUNITY_EVENTS:
            return Ignored(f"lever event {event!r} is not used by Leerpad")
        opportunity = text(data.get("opportunityId")) or text(data.get("candidateId"))
        if opportunity is None:
            if not data:
                return Ignored(f"lever test request for {event} (no opportunity in it)")
            raise PayloadError(f"lever {event}: data.opportunityId is missing")
        ids = {"opportunity": opportunity}
        if isinstance(data.get("toArchived"), dict):
            ids["archive_reason"] = text(data["toArchived"].get("reason")) or ""
        return Fetch(
            kind="lever.opportunity",
            ids=ids,
            event=event,
            event_id=event_id,
            occurred_at=when or received_at,
        )
