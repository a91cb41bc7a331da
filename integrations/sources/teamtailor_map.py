"""Teamtailor bodies to canonical fields: partner triggers and JSON:API company events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from integrations.sources.base import Ignored, PayloadError
from integrations.sources.html_text import html_to_text
from integrations.sources.mapping import as_date, dig, email, first_time, items, name_of, text

OPEN_JOB = ("open", "published", "unlisted")


def partner_event(body: dict[str, Any], *, received_at: datetime) -> dict[str, Any]:
    """Map a partner trigger: rejected, hired (accepted offer or onboarding), offered, or moved."""
    candidate = dig(body, "partner-event", "candidate")
    if not isinstance(candidate, dict) or text(candidate.get("id")) is None:
        raise PayloadError("teamtailor partner event: partner-event.candidate.id is missing")
    job = candidate.get("job") if isinstance(candidate.get("job"), dict) else {}
    offers = items(candidate.get("job-offers"))
    accepted = [o for o in offers if (text(o.get("status")) or "").lower() == "accepted"]
    onboarding = next(iter(items(candidate.get("onboardings"))), {})
    start = as_date(
        onboarding.get("start_date") or dig(accepted, 0, "start_date"),
        where="teamtailor start_date",
    )
    if dig(job, "status", "rejected") is True:
        kind = "candidate.rejected"
    elif accepted or onboarding:
        kind = "candidate.hired"
    elif offers:
        kind = "candidate.offered"
        start = as_date(dig(offers, 0, "start_date"), where="teamtailor job-offers.start_date")
    else:
        kind = "candidate.stage_changed"
    department = text(onboarding.get("department")) or text(candidate.get("department"))
    data: dict[str, Any] = {
        "type": kind,
        "occurred_at": received_at,
        "person": {
            "external_id": text(candidate.get("id")),
            "email": email(candidate.get("email")),
            "first_name": text(candidate.get("first-name")),
            "last_name": text(candidate.get("last-name")),
        },
        "vacancy": {
            "external_id": text(job.get("id")),
            "title": text(job.get("title")),
            "department": department,
        }
        if job
        else None,
        "application": {"stage": text(job.get("stage"))},
    }
    if kind in ("candidate.hired", "candidate.offered"):
        data["employment"] = {
            "start_date": start,
            "title": text(onboarding.get("role")) or text(candidate.get("role")),
            "department": department,
        }
    return data


def company_event(body: dict[str, Any], *, received_at: datetime) -> dict[str, Any] | Ignored:
    """Map `payload.event_name` with `payload.data` in JSON:API form."""
    event = text(dig(body, "payload", "event_name"))
    data = dig(body, "payload", "data")
    if event is None:
        raise PayloadError("teamtailor body has neither partner-event nor payload.event_name")
    if not isinstance(data, dict) or text(data.get("id")) is None:
        raise PayloadError(f"teamtailor {event}: payload.data.id is missing")
    attrs = data.get("attributes") if isinstance(data.get("attributes"), dict) else {}
    resource, _, action = event.partition(".")
    when = first_time(attrs.get("updated-at"), where=f"teamtailor {event}", fallback=received_at)
    related = data.get("relationships")
    if resource == "job":
        status = (text(attrs.get("status")) or "").lower()
        if action == "destroy" or status == "archived":
            kind = "vacancy.closed"
        elif status in OPEN_JOB:
            kind = "vacancy.published"
        else:
            return Ignored(f"teamtailor {event} for a job with status {status or 'unknown'!r}")
        vacancy = {"external_id": text(data.get("id")), "title": text(attrs.get("title"))}
        if kind == "vacancy.published":
            body = attrs.get("body")
            vacancy["description"] = html_to_text(body) if isinstance(body, str) else None
        return {"type": kind, "occurred_at": when, "vacancy": vacancy}
    if resource == "candidate" and action == "destroy":
        return {
            "type": "candidate.erased",
            "occurred_at": when,
            "person": {"external_id": text(data.get("id"))},
        }
    if resource == "job_application" and action in ("create", "update"):
        if action == "create":
            kind = "candidate.applied"
        elif text(attrs.get("rejected-at")):
            kind = "candidate.rejected"
        else:
            kind = "candidate.stage_changed"
        return {
            "type": kind,
            "occurred_at": when,
            "person": {"external_id": text(dig(related, "candidate", "data", "id"))},
            "vacancy": {"external_id": text(dig(related, "job", "data", "id"))},
            "application": {
                "external_id": text(data.get("id")),
                "stage": name_of(dig(related, "stage", "data", "attributes")),
            },
        }
    return Ignored(f"teamtailor event {event!r} is not used by Leerpad")
