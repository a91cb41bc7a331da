"""Personio webhooks: a shared token in `Authorization` (no HMAC); ids only, so fetch the person."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import datetime

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError, SignatureError
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import as_datetime, build_event, dig, load_object, text
from integrations.sources.signing import require_secret
from journeys.events import body_hash

EVENTS = {
    "person.created": "employee.created",
    "person.updated": "employee.updated",
    "employment.created": "employee.updated",
    "employment.updated": "employee.updated",
    "employment.started": "employee.updated",
    "employment.terminated": "employee.terminated",
}


class PersonioAdapter:
    """Personio v2: `{company_id, event_name, occurred_at, payload: {ids}, meta?}`."""

    name = "personio"

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Compare the Authorization header with the configured token in constant time."""
        key = require_secret(self.name, secret)
        given = HeaderMap(headers).get("authorization")
        if not given:
            raise SignatureError("personio: missing Authorization header")
        if not hmac.compare_digest(key, given.strip().encode("utf-8", "replace")):
            raise SignatureError(
                "personio: Authorization does not match the webhook token; "
                "check LEERPAD_SECRET_PERSONIO (the exact token, including any 'Bearer ')"
            )

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the body hash: Personio sends no event id."""
        return f"personio:{body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the person (and employment); erase a deleted person."""
        body = load_object(raw, source=self.name)
        event = text(body.get("event_name"))
        payload = body.get("payload")
        if event is None:
            found = ", ".join(sorted(str(k)[:20] for k in body)[:6]) or "nothing"
            raise PayloadError(f"personio body has no `event_name` (it has: {found})")
        if not isinstance(payload, dict):
            raise PayloadError(f"personio {event}: `payload` must be an object")
        resource = event.partition(".")[0]
        person = (
            text(dig(payload, "person", "id"))
            or text(payload.get("person_id"))
            or (text(payload.get("id")) if resource == "person" else None)
        )
        when = as_datetime(body.get("occurred_at"), where="personio occurred_at") or received_at
        event_id = self.dedupe_key(raw=raw, headers=headers)
        if event == "person.deleted" and person:
            return build_event(
                {
                    "id": event_id,
                    "source": self.name,
                    "type": "candidate.erased",
                    "occurred_at": when,
                    "person": {"external_id": person},
                }
            )
        if event not in EVENTS:
            return Ignored(f"personio event {event!r} is not used by Leerpad")
        if person is None:
            raise PayloadError(f"personio {event}: no person id in the payload")
        ids = {"person": person}
        if resource == "employment" and (employment := text(payload.get("id"))):
            ids["employment"] = employment
        return Fetch(
            kind="personio.person", ids=ids, event=event, event_id=event_id, occurred_at=when
        )
