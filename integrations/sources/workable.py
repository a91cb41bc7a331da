"""Workable webhooks: hex HMAC-SHA256 of the body in `X-Workable-Signature`; full resources."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from integrations.sources.base import Ignored, Parsed, PayloadError
from integrations.sources.mapping import (
    as_date,
    build_event,
    dig,
    email,
    first_time,
    load_object,
    name_of,
    split_name,
    text,
)
from integrations.sources.signing import BodySignedAdapter, hmac_hex
from integrations.sources.signing import same as same_digest

EMPLOYEE_EVENTS = {
    "employee_created": "employee.created",
    "employee_updated": "employee.updated",
    "employee_published": "employee.updated",
}
ENDED = ("terminated", "inactive", "offboarded", "former")


class WorkableAdapter(BodySignedAdapter):
    """Workable: `{id, event_type, fired_at, resource_type, data}` with the resource as sent."""

    name = "workable"
    signature_header = "X-Workable-Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check the hex HMAC-SHA256 of the body."""
        return same_digest(
            hmac_hex(key, raw, hashlib.sha256), given.strip().removeprefix("sha256=")
        )

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Map candidate and employee events; ignore time off and onboarding tasks."""
        body = load_object(raw, source=self.name)
        event = text(body.get("event_type"))
        data = body.get("data")
        if event is None:
            raise PayloadError("workable body has no `event_type`")
        if not isinstance(data, dict) or text(data.get("id")) is None:
            raise PayloadError(f"workable {event}: data.id is missing")
        base: dict[str, Any] = {
            "id": self.dedupe_key(raw=raw, headers=headers),
            "source": self.name,
            "occurred_at": first_time(body.get("fired_at"), where="workable", fallback=received_at),
        }
        if event in ("candidate_created", "candidate_moved"):
            return build_event(base | _candidate(event, data))
        if event == "candidate_deleted":
            person = {"external_id": text(data.get("id"))}
            return build_event(base | {"type": "candidate.erased", "person": person})
        if event in EMPLOYEE_EVENTS:
            return build_event(base | _employee(event, data))
        return Ignored(f"workable event {event!r} is not used by Leerpad")


def _person(data: dict[str, Any]) -> dict[str, Any]:
    """Map a Workable candidate or employee to a canonical person."""
    first, last = split_name(data.get("name"))
    return {
        "external_id": text(data.get("id")),
        "email": email(data.get("email")),
        "first_name": text(data.get("firstname")) or text(data.get("first_name")) or first,
        "last_name": text(data.get("lastname")) or text(data.get("last_name")) or last,
    }


def _candidate(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """Map a candidate event: applied, moved, hired or disqualified."""
    stage = name_of(data.get("stage"))
    if event == "candidate_created":
        kind = "candidate.applied"
    elif data.get("disqualified") is True:
        kind = "candidate.rejected"
    elif text(data.get("hired_at")) or (stage or "").lower() == "hired":
        kind = "candidate.hired"
    else:
        kind = "candidate.stage_changed"
    job = data.get("job") if isinstance(data.get("job"), dict) else None
    vacancy = {
        "external_id": text(dig(job, "shortcode")) or text(dig(job, "id")),
        "title": text(dig(job, "title")),
        "department": name_of(dig(job, "department")),
    }
    reason = name_of(data.get("disqualification_reason"))
    return {
        "type": kind,
        "person": _person(data),
        "vacancy": vacancy if job else None,
        "application": {
            "stage": stage,
            "rejection_reason": reason if kind == "candidate.rejected" else None,
        },
    }


def _employee(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """Map an employee event; a termination date or ended state terminates."""
    where = f"workable {event}"
    end = as_date(data.get("termination_date") or data.get("end_date"), where=f"{where}: end")
    status = (name_of(data.get("state")) or name_of(data.get("status")) or "").lower()
    kind = "employee.terminated" if end or status in ENDED else EMPLOYEE_EVENTS[event]
    manager = data.get("reports_to") or data.get("manager")
    first, last = split_name(dig(manager, "name"))
    person = _person(data) | {
        "work_email": email(data.get("work_email")),
        "personal_email": email(data.get("personal_email")),
    }
    return {
        "type": kind,
        "person": person,
        "employment": {
            "start_date": as_date(data.get("start_date") or data.get("hired_at"), where=where),
            "end_date": end,
            "title": name_of(data.get("job_title")) or name_of(data.get("title")),
            "department": name_of(data.get("department")),
            "manager": {
                "external_id": text(dig(manager, "id")),
                "email": email(dig(manager, "email")),
                "first_name": text(dig(manager, "firstname")) or first,
                "last_name": text(dig(manager, "lastname")) or last,
            }
            if isinstance(manager, dict)
            else None,
        },
    }
