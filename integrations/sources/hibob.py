"""HiBob webhooks: base64 HMAC-SHA512 in `Bob-Signature`; ids only, so the person is fetched."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError
from integrations.sources.mapping import as_datetime, build_event, dig, load_json, text
from integrations.sources.signing import BodySignedAdapter

EVENTS = {
    "employee.created": "employee.created",
    "employee.updated": "employee.updated",
    "employee.joined": "employee.updated",
    "employee.left": "employee.terminated",
    "table.entry.created": "employee.updated",
    "table.entry.updated": "employee.updated",
}
# Tables whose entries change the start date, title, department, manager or end of employment.
TABLES = ("lifecycle", "work", "employment")


def _is_ping(body: Any) -> bool:
    """Tell whether the body is the "Ping test" sent when a webhook is created."""
    ping = body if isinstance(body, str) else dig(body, "text")
    return isinstance(ping, str) and ping.strip().lower() == "ping test"


class HiBobAdapter(BodySignedAdapter):
    """HiBob v2: `{companyId, type, triggeredAt, version, data: {employeeId, tableId?, …}}`."""

    name = "hibob"
    signature_header = "Bob-Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check the base64 HMAC-SHA512 of the body."""
        expected = base64.b64encode(hmac.new(key, raw, hashlib.sha512).digest())
        return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the person; ignore pings and tables Leerpad does not use."""
        body = load_json(raw, source=self.name)
        if _is_ping(body):
            return Ignored("hibob ping test")
        if not isinstance(body, dict):
            raise PayloadError(f"hibob body must be a JSON object, not {type(body).__name__}")
        event = text(body.get("type"))
        if event is None:
            raise PayloadError("hibob body has no `type`")
        employee = text(dig(body, "data", "employeeId"))
        when = as_datetime(body.get("triggeredAt"), where="hibob triggeredAt") or received_at
        event_id = self.dedupe_key(raw=raw, headers=headers)
        if event == "employee.deleted" and employee:
            return build_event(
                {
                    "id": event_id,
                    "source": self.name,
                    "type": "candidate.erased",
                    "occurred_at": when,
                    "person": {"external_id": employee},
                }
            )
        if event not in EVENTS:
            return Ignored(f"hibob event {event!r} is not used by Leerpad")
        table = text(dig(body, "data", "tableId"))
        if event.startswith("table.") and table not in TABLES:
            return Ignored(f"hibob {event} in table {table or 'unknown'!r} is not used by Leerpad")
        if employee is None:
            raise PayloadError(f"hibob {event}: data.employeeId is missing")
        ids = {"employee": employee}
        if effective := text(dig(body, "data", "effectiveDate")):
            ids["effective_date"] = effective
        return Fetch(
            kind="hibob.employee", ids=ids, event=event, event_id=event_id, occurred_at=when
        )
