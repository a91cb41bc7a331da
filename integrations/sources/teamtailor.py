"""Teamtailor company webhooks (v2 `TT-Signature`) and partner webhooks (`Teamtailor-Signature`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.sources.base import Ignored, Parsed, PayloadError, SignatureError
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import build_event, dig, load_object, text
from integrations.sources.signing import check_fresh, hmac_hex, require_secret, same, signed_time
from integrations.sources.teamtailor_map import company_event, partner_event
from journeys.events import body_hash


def _fields(value: str) -> dict[str, list[str]]:
    """Split `t=…,v1=…,v1=…` into lists of values per key."""
    found: dict[str, list[str]] = {}
    for part in value.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            found.setdefault(key.strip(), []).append(val.strip())
    return found


def _partner_id(raw: bytes) -> str | None:
    """Return the partner-event id of a partner body, if it has one."""
    try:
        return text(dig(load_object(raw, source="teamtailor"), "partner-event", "id"))
    except PayloadError:
        return None


class TeamtailorAdapter:
    """Teamtailor: company events in JSON:API form, or a partner trigger with the candidate."""

    name = "teamtailor"

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check the v2 company signature or the partner signature, with a 5-minute window."""
        key = require_secret(self.name, secret)
        found = HeaderMap(headers)
        if partner := found.get("teamtailor-signature"):
            event_id = _partner_id(raw)
            if event_id is None:
                raise SignatureError("teamtailor: partner body has no partner-event.id to verify")
            self._check(key, _fields(partner), f".{event_id}".encode(), "v1", now)
            return
        company = found.get("tt-signature")
        if not company or not company.strip():
            raise SignatureError(
                "teamtailor: missing TT-Signature (or Teamtailor-Signature) header"
            )
        try:
            decoded = base64.b64decode(company.strip(), validate=True).decode("ascii")
        except (binascii.Error, ValueError):
            raise SignatureError("teamtailor: TT-Signature is not base64") from None
        fields = _fields(decoded)
        if "v2" not in fields:
            raise SignatureError(
                "teamtailor: only v2 signatures are accepted (v1 signs just the resource id); "
                "switch the company webhook to v2 signatures"
            )
        self._check(key, fields, b"." + raw, "v2", now)

    def _check(
        self, key: bytes, fields: dict[str, list[str]], tail: bytes, scheme: str, now: datetime
    ) -> None:
        """Check one signature scheme over `t` + tail, then the 5-minute window."""
        stamp = (fields.get("t") or [""])[0]
        signed_at = signed_time(stamp, source=self.name, what="signature timestamp t")
        expected = hmac_hex(key, stamp.encode("ascii") + tail, hashlib.sha256)
        if not any(same(expected, given) for given in fields.get(scheme, [])):
            raise SignatureError(
                f"teamtailor: {scheme} signature does not match; check LEERPAD_SECRET_TEAMTAILOR"
            )
        check_fresh(source=self.name, signed_at=signed_at, now=now)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the partner-event id for partner webhooks, else the body hash."""
        return f"teamtailor:{_partner_id(raw) or body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Map a partner trigger or a company event."""
        body = load_object(raw, source=self.name)
        base: dict[str, Any] = {
            "id": self.dedupe_key(raw=raw, headers=headers),
            "source": self.name,
        }
        if "partner-event" in body:
            return build_event(base | partner_event(body, received_at=received_at))
        mapped = company_event(body, received_at=received_at)
        if isinstance(mapped, Ignored):
            return mapped
        return build_event(base | mapped)
