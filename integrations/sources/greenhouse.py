"""Greenhouse Recruiting webhooks: `Signature: sha256 <hex>` over the body."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from integrations.sources.base import Ignored, Parsed, PayloadError
from integrations.sources.greenhouse_map import (
    APPLICATION_ACTIONS,
    ERASE_ACTIONS,
    JOB_ACTIONS,
    OFFER_ACTIONS,
    application_fields,
    erased_fields,
    job_event,
    offer_fields,
)
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import build_event, load_object, text
from integrations.sources.signing import BodySignedAdapter, hmac_hex
from integrations.sources.signing import same as same_digest
from journeys.events import body_hash


def signature_matches(*, key: bytes, raw: bytes, given: str) -> bool:
    """Check a `sha256 <hex>` Signature header (Greenhouse and Greenhouse Onboarding)."""
    scheme, _, digest = given.strip().partition(" ")
    return scheme.lower() == "sha256" and same_digest(hmac_hex(key, raw, hashlib.sha256), digest)


class GreenhouseAdapter(BodySignedAdapter):
    """Greenhouse Recruiting: the body's `action` names the event."""

    name = "greenhouse"
    signature_header = "Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check `Signature: sha256 <hex>`."""
        return signature_matches(key=key, raw=raw, given=given)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the Greenhouse-Event-ID header, else the body hash."""
        event_id = text(HeaderMap(headers).get("greenhouse-event-id"))
        return f"greenhouse:{event_id or body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Map one Greenhouse action to a canonical event, or ignore it."""
        body = load_object(raw, source="greenhouse")
        action = text(body.get("action"))
        payload = body.get("payload")
        if action is None:
            raise PayloadError("greenhouse body has no `action`")
        if action == "ping":
            return Ignored("greenhouse ping (sent when a webhook is saved)")
        if not isinstance(payload, dict):
            raise PayloadError(f"greenhouse {action}: `payload` must be an object")
        base = {"id": self.dedupe_key(raw=raw, headers=headers), "source": "greenhouse"}
        if action in APPLICATION_ACTIONS:
            return build_event(base | application_fields(action, payload, received_at))
        if action in OFFER_ACTIONS:
            return build_event(base | offer_fields(action, payload, received_at))
        if action in ERASE_ACTIONS:
            return build_event(base | erased_fields(action, payload, received_at))
        if action in JOB_ACTIONS:
            return job_event(action, payload, base, received_at)
        return Ignored(f"greenhouse action {action!r} is not used by Leerpad")
