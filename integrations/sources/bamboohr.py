"""BambooHR webhooks: hex HMAC-SHA256 of body ‖ timestamp; ids only, so the employee is fetched."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError, SignatureError
from integrations.sources.headers import HeaderMap
from integrations.sources.mapping import as_datetime, build_event, dig, items, load_object, text
from integrations.sources.signing import check_fresh, hmac_hex, require_secret, same, signed_time
from journeys.events import body_hash

EVENTS = ("employee.created", "employee.updated")
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def read_body(raw: bytes) -> dict[str, Any]:
    """Read a JSON body, or the form-encoded variant (`data[employeeId]=…`) as nested dicts."""
    if raw.lstrip()[:1] in (b"{", b"["):
        return load_object(raw, source="bamboohr")
    try:
        pairs = re.split(r"[&\n]", raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        raise PayloadError("bamboohr body is neither JSON nor form-encoded UTF-8 text") from None
    body: dict[str, Any] = {}
    for pair in filter(None, (p.strip() for p in pairs)):
        key, sep, value = pair.partition("=")
        match = _KEY.match(unquote_plus(key))
        if not sep or not match:
            raise PayloadError(f"bamboohr body is neither JSON nor a form field: {pair[:40]!r}")
        path = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        node = body
        for step in path[:-1]:
            child = node.setdefault(step, {})
            if not isinstance(child, dict):
                raise PayloadError(f"bamboohr form field {key[:40]!r} clashes with another")
            node = child
        node[path[-1]] = unquote_plus(value)
    return body


class BambooHRAdapter:
    """BambooHR event-based webhooks (`{type, timestamp, data: {employeeId, changedFields}}`)."""

    name = "bamboohr"

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check the HMAC of raw body ‖ X-BambooHR-Timestamp, then the 5-minute window."""
        key = require_secret(self.name, secret)
        found = HeaderMap(headers)
        signature, stamp = found.get("x-bamboohr-signature"), found.get("x-bamboohr-timestamp")
        if not signature or not stamp:
            raise SignatureError("bamboohr: missing X-BambooHR-Signature or X-BambooHR-Timestamp")
        signed_at = signed_time(stamp, source=self.name, what="X-BambooHR-Timestamp")
        expected = hmac_hex(key, raw + stamp.strip().encode("ascii"), hashlib.sha256)
        if not same(expected, signature):
            raise SignatureError(
                "bamboohr: X-BambooHR-Signature does not match; check LEERPAD_SECRET_BAMBOOHR"
            )
        check_fresh(source=self.name, signed_at=signed_at, now=now)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the body hash: BambooHR sends no event id."""
        return f"bamboohr:{body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the employee record; erase a deleted employee."""
        body = read_body(raw)
        event_id = self.dedupe_key(raw=raw, headers=headers)
        if "employees" in body:
            return _legacy(body, event_id=event_id, received_at=received_at)
        event = text(body.get("type"))
        if event is None:
            raise PayloadError("bamboohr body has no `type` (nor legacy `employees`)")
        employee = text(dig(body, "data", "employeeId"))
        when = as_datetime(body.get("timestamp"), where="bamboohr timestamp") or received_at
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
            return Ignored(f"bamboohr event {event!r} is not used by Leerpad")
        if employee is None:
            raise PayloadError(f"bamboohr {event}: data.employeeId is missing")
        return Fetch(
            kind="bamboohr.employee",
            ids={"employee": employee},
            event=event,
            event_id=event_id,
            occurred_at=when,
        )


def _legacy(body: dict[str, Any], *, event_id: str, received_at: datetime) -> Parsed:
    """Field-based (legacy) webhooks: one employee per delivery is supported."""
    employees = items(body.get("employees"))
    if len(employees) != 1 or text(employees[0].get("id")) is None:
        raise PayloadError(
            f"bamboohr legacy webhook with {len(employees)} employees; "
            "configure an event-based webhook (one employee per delivery)"
        )
    when = as_datetime(employees[0].get("timestamp"), where="bamboohr timestamp") or received_at
    return Fetch(
        kind="bamboohr.employee",
        ids={"employee": text(employees[0]["id"]) or ""},
        event="employee.updated",
        event_id=event_id,
        occurred_at=when,
    )
