"""Recruitee webhooks: hex HMAC-SHA256 of the body in `X-Recruitee-Signature`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.sources.base import Ignored, Parsed, PayloadError
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import (
    build_event,
    dig,
    email,
    first_time,
    load_json,
    load_object,
    name_of,
    split_name,
    text,
)
from integrations.sources.signing import BodySignedAdapter, hmac_hex
from integrations.sources.signing import same as same_digest

TEST_REQUEST = {"test": True}
HIRE_CATEGORIES = ("hire", "hired")


class RecruiteeAdapter(BodySignedAdapter):
    """Recruitee: `{event_type, event_subtype, created_at, payload: {candidate, offer, …}}`."""

    name = "recruitee"
    signature_header = "X-Recruitee-Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check the hex HMAC-SHA256 of the body."""
        return same_digest(
            hmac_hex(key, raw, hashlib.sha256), given.strip().removeprefix("sha256=")
        )

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Verify the body; an unsigned `{"test": true}` request is let through (it is ignored)."""
        if "x-recruitee-signature" not in HeaderMap(headers) and _is_test(raw):
            return
        super().verify(raw=raw, headers=headers, secret=secret, now=now)

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Map candidate events; a move into a stage of category "hire" is a hire."""
        if _is_test(raw):
            return Ignored("recruitee test request")
        body = load_object(raw, source=self.name)
        event = text(body.get("event_type"))
        subtype = text(body.get("event_subtype")) or ""
        payload = body.get("payload")
        if event is None:
            raise PayloadError("recruitee body has no `event_type`")
        if not isinstance(payload, dict):
            raise PayloadError(f"recruitee {event}: `payload` must be an object")
        kind = _kind(event, subtype, payload)
        if kind is None:
            return Ignored(f"recruitee event {event}/{subtype or '-'} is not used by Leerpad")
        candidate = payload.get("candidate")
        if text(dig(candidate, "id")) is None:
            raise PayloadError(f"recruitee {event}: payload.candidate.id is missing")
        first, last = split_name(dig(candidate, "name"))
        to_stage = dig(payload, "details", "to_stage")
        offer = payload.get("offer")
        data: dict[str, Any] = {
            "id": self.dedupe_key(raw=raw, headers=headers),
            "source": self.name,
            "type": kind,
            "occurred_at": first_time(
                body.get("created_at"), where="recruitee", fallback=received_at
            ),
            "person": {
                "external_id": text(dig(candidate, "id")),
                "email": email(dig(candidate, "emails", 0)),
                "first_name": first,
                "last_name": last,
            },
            "vacancy": {
                "external_id": text(dig(offer, "id")),
                "title": text(dig(offer, "title")),
                "department": name_of(dig(offer, "department")),
            }
            if isinstance(offer, dict)
            else None,
        }
        if kind != "candidate.erased":
            reason = name_of(dig(payload, "details", "disqualify_reason"))
            data["application"] = {"stage": name_of(to_stage), "rejection_reason": reason}
        return build_event(data)


def _is_test(raw: bytes) -> bool:
    """Tell whether the body is exactly `{"test": true}`."""
    try:
        data = load_json(raw, source="recruitee")
    except PayloadError:
        return False
    return data == TEST_REQUEST and data["test"] is True


def _kind(event: str, subtype: str, payload: dict[str, Any]) -> str | None:
    """Return the canonical type of a Recruitee event, or None to ignore it."""
    if event == "candidate_created":
        return "candidate.applied"
    if event == "candidate_deleted":
        return "candidate.erased"
    if event != "candidate_moved":
        return None
    if subtype == "disqualified":
        return "candidate.rejected"
    category = (text(dig(payload, "details", "to_stage", "category")) or "").lower()
    if category in HIRE_CATEGORIES:
        return "candidate.hired"
    return "candidate.stage_changed" if subtype in ("stage_changed", "requalified", "") else None
