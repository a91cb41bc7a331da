"""Greenhouse Recruiting bodies to canonical fields (CONTRACTS §2 mapping)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from integrations.sources.base import Ignored, Parsed, PayloadError
from integrations.sources.mapping import as_date, build_event, dig, email, first_time, items, text

APPLICATION_ACTIONS = {
    "new_candidate_application": "candidate.applied",
    "new_prospect_application": "candidate.applied",
    "candidate_stage_change": "candidate.stage_changed",
    "unreject_candidate": "candidate.stage_changed",
    "hire_candidate": "candidate.hired",
    "reject_candidate": "candidate.rejected",
    "unhire_candidate": "candidate.unhired",
}
OFFER_ACTIONS = ("offer_created", "offer_updated", "offer_approved")
ERASE_ACTIONS = ("candidate_anonymized", "delete_candidate")
JOB_ACTIONS = ("job_created", "job_updated", "job_approved", "job_deleted")
EMAIL_FIELDS = {"personal": "personal_email", "work": "work_email"}
# When it happened: the application's own timestamp for the event, else its last activity.
MOMENTS = {
    "candidate.applied": ("applied_at",),
    "candidate.rejected": ("rejected_at",),
    "candidate.hired": ("offer", "resolved_at"),
}


def person_of(candidate: Any) -> dict[str, Any]:
    """Map a Greenhouse candidate to a canonical person; emails by type."""
    person: dict[str, Any] = {
        "external_id": text(dig(candidate, "id")),
        "first_name": text(dig(candidate, "first_name")),
        "last_name": text(dig(candidate, "last_name")),
    }
    for entry in items(dig(candidate, "email_addresses")):
        field = EMAIL_FIELDS.get(text(entry.get("type")) or "", "email")
        if person.get(field) is None:
            person[field] = email(entry.get("value"))
    return person


def application_fields(
    action: str, payload: dict[str, Any], received_at: datetime
) -> dict[str, Any]:
    """Map an application event: person, vacancy (jobs[0]), application, start date on hire."""
    app = payload.get("application")
    if not isinstance(app, dict):
        raise PayloadError(f"greenhouse {action}: payload.application is missing")
    if text(app.get("id")) is None:
        raise PayloadError(f"greenhouse {action}: payload.application.id is missing")
    kind = APPLICATION_ACTIONS[action]
    job = dig(app, "jobs", 0) or app.get("job")
    job = job if isinstance(job, dict) else None
    department = text(dig(job, "departments", 0, "name"))
    vacancy = {"external_id": text(dig(job, "id")), "title": text(dig(job, "name"))}
    where = f"greenhouse {action}"
    data: dict[str, Any] = {
        "type": kind,
        "occurred_at": first_time(
            dig(app, *MOMENTS.get(kind, ("last_activity_at",))),
            dig(app, "last_activity_at"),
            where=f"{where}: application timestamp",
            fallback=received_at,
        ),
        "person": person_of(app.get("candidate")),
        "vacancy": vacancy | {"department": department} if job else None,
        "application": {
            "external_id": text(app.get("id")),
            "stage": text(dig(app, "current_stage", "name")),
            "rejection_reason": text(dig(app, "rejection_reason", "name")),
        },
    }
    if kind == "candidate.hired":
        start = as_date(dig(app, "offer", "starts_at"), where=f"{where}: offer.starts_at")
        data["employment"] = {
            "start_date": start,
            "title": vacancy["title"],
            "department": department,
        }
    return data


def offer_fields(action: str, payload: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    """Map a flat offer payload; its start_date is MM/DD/YYYY."""
    if text(payload.get("application_id")) is None:
        raise PayloadError(f"greenhouse {action}: payload.application_id is missing")
    start = as_date(payload.get("start_date"), where=f"greenhouse {action}: start_date")
    return {
        "type": "candidate.offered",
        "occurred_at": first_time(payload.get("updated_at"), where="offer", fallback=received_at),
        "vacancy": {"external_id": text(payload.get("job_id"))},
        "application": {"external_id": text(payload.get("application_id"))},
        "employment": {"start_date": start},
    }


def erased_fields(action: str, payload: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    """Map a deleted or anonymised candidate to an erasure of that person."""
    who = (
        text(dig(payload, "person", "id"))
        or text(dig(payload, "candidate", "id"))
        or text(payload.get("candidate_id"))
        or text(dig(payload, "application", "candidate", "id"))
    )
    if who is None:
        raise PayloadError(f"greenhouse {action}: no candidate id in the payload")
    return {"type": "candidate.erased", "occurred_at": received_at, "person": {"external_id": who}}


def job_event(
    action: str, payload: dict[str, Any], base: dict[str, Any], received_at: datetime
) -> Parsed:
    """Map a job event: open is published, closed or deleted is closed, the rest ignored."""
    job = payload.get("job")
    if not isinstance(job, dict) or text(job.get("id")) is None:
        raise PayloadError(f"greenhouse {action}: payload.job.id is missing")
    status = (text(job.get("status")) or "").lower()
    if action == "job_deleted" or status == "closed":
        kind = "vacancy.closed"
    elif status == "open":
        kind = "vacancy.published"
    else:
        return Ignored(f"greenhouse {action} for a job with status {status or 'unknown'!r}")
    when = first_time(
        job.get("closed_at") if kind == "vacancy.closed" else job.get("opened_at"),
        where=f"greenhouse {action}: job timestamp",
        fallback=received_at,
    )
    vacancy = {
        "external_id": text(job.get("id")),
        "title": text(job.get("name")),
        "department": text(dig(job, "departments", 0, "name")),
    }
    return build_event(base | {"type": kind, "occurred_at": when, "vacancy": vacancy})
