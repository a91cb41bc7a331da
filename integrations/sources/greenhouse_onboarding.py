"""Greenhouse Onboarding webhooks (beta): ids only, so the employee is fetched from its API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from integrations.sources.base import Fetch, Ignored, Parsed, PayloadError
from integrations.sources.greenhouse import signature_matches
from integrations.sources.mapping import as_datetime, build_event, dig, items, load_object, text
from integrations.sources.signing import BodySignedAdapter
from journeys.events import body_hash

# Fields whose change matters to journeys; any other update (allergies, desk) is ignored.
RELEVANT_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "preferred_first_name",
        "preferred_last_name",
        "email",
        "work_email",
        "personal_email",
        "start_date",
        "title",
        "department",
        "manager",
        "location",
        "date_of_termination",
        "employment_status",
    }
)
EVENTS = {"employee:created": "employee.created", "employee:updated": "employee.updated"}


class GreenhouseOnboardingAdapter(BodySignedAdapter):
    """Greenhouse Onboarding: `{event_type, id, payload: {updated_employee_id, …}}`."""

    name = "greenhouse_onboarding"
    signature_header = "Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check `Signature: sha256 <hex>`, as Greenhouse Recruiting does."""
        return signature_matches(key=key, raw=raw, given=given)

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the body's `id`, else the body hash."""
        try:
            event_id = text(load_object(raw, source=self.name).get("id"))
        except PayloadError:
            event_id = None
        return f"{self.name}:{event_id or body_hash(raw)}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Ask for the employee record, or ignore updates of fields Leerpad does not use."""
        body = load_object(raw, source=self.name)
        event = text(body.get("event_type"))
        payload = body.get("payload")
        if event is None:
            raise PayloadError("greenhouse_onboarding body has no `event_type`")
        if not isinstance(payload, dict):
            raise PayloadError(f"greenhouse_onboarding {event}: `payload` must be an object")
        employee = text(payload.get("updated_employee_id")) or text(payload.get("employee_id"))
        if event == "employee:deleted" and employee:
            return build_event(
                {
                    "id": self.dedupe_key(raw=raw, headers=headers),
                    "source": self.name,
                    "type": "candidate.erased",
                    "occurred_at": received_at,
                    "person": {"external_id": employee},
                }
            )
        if event not in EVENTS:
            return Ignored(f"greenhouse_onboarding event {event!r} is not used by Leerpad")
        if employee is None:
            raise PayloadError(
                f"greenhouse_onboarding {event}: payload.updated_employee_id missing"
            )
        changed = {text(f.get("id")) for f in items(payload.get("updated_fields"))}
        if event == "employee:updated" and changed and not changed & RELEVANT_FIELDS:
            names = ", ".join(sorted(c for c in changed if c))
            return Ignored(f"greenhouse_onboarding update of fields Leerpad does not use: {names}")
        when = as_datetime(dig(payload, "updated_at"), where="greenhouse_onboarding updated_at")
        return Fetch(
            kind="greenhouse_onboarding.employee",
            ids={"employee": employee},
            event=event,
            event_id=self.dedupe_key(raw=raw, headers=headers),
            occurred_at=when or received_at,
        )
