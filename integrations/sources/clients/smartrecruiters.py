"""SmartRecruiters: build the event from the candidate, its application to the job, and the job."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.http import call, record, seg
from integrations.sources.mapping import as_date, dig, email, items, name_of, text

STATUS_TYPES = {
    "HIRED": "candidate.hired",
    "OFFERED": "candidate.offered",
    "REJECTED": "candidate.rejected",
    "WITHDRAWN": "candidate.unhired",
}


def _get(client: httpx.Client, path: str) -> dict[str, Any]:
    """Return the JSON object of a SmartRecruiters GET."""
    found = call(client, "GET", path, source="smartrecruiters")
    return record(found, source="smartrecruiters", what=path)


def _manager(client: httpx.Client, job: str) -> dict[str, Any] | None:
    """Return the job's hiring manager from its hiring team, if it has one."""
    team = _get(client, f"/jobs/{seg(job)}/hiring-team")
    member = next(
        (m for m in items(team.get("content")) if text(m.get("role")) == "HIRING_MANAGER"), None
    )
    user_id = text(dig(member, "id"))
    if user_id is None:
        return None
    user = _get(client, f"/users/{seg(user_id)}")
    return {
        "external_id": user_id,
        "email": email(user.get("email")),
        "first_name": text(user.get("firstName")),
        "last_name": text(user.get("lastName")),
    }


def resolve_smartrecruiters(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """Fetch candidate, application and job; the application status decides the type."""
    candidate_id, job_id = fetch.ids["candidate"], fetch.ids["job"]
    candidate = _get(client, f"/candidates/{seg(candidate_id)}")
    application = _get(client, f"/candidates/{seg(candidate_id)}/jobs/{seg(job_id)}")
    job = _get(client, f"/jobs/{seg(job_id)}")
    status = (text(application.get("status")) or "").upper()
    if fetch.event == "application.created":
        kind = "candidate.applied"
    elif fetch.event.startswith("offer.") and status not in STATUS_TYPES:
        kind = "candidate.offered"
    else:
        kind = STATUS_TYPES.get(status, "candidate.stage_changed")
    department = name_of(job.get("department"))
    reason = name_of(application.get("reasonOfRejection")) or name_of(
        application.get("rejectionReason")
    )
    data: dict[str, Any] = {
        "type": kind,
        "person": {
            "external_id": candidate_id,
            "email": email(candidate.get("email")),
            "first_name": text(candidate.get("firstName")),
            "last_name": text(candidate.get("lastName")),
        },
        "vacancy": {
            "external_id": job_id,
            "title": text(job.get("title")),
            "department": department,
        },
        "application": {
            "external_id": f"{candidate_id}/{job_id}",
            "stage": " / ".join(filter(None, [status.lower(), text(application.get("subStatus"))]))
            or None,
            "rejection_reason": "withdrawn" if status == "WITHDRAWN" else reason,
        },
    }
    if kind in ("candidate.hired", "candidate.offered"):
        data["employment"] = {
            "start_date": as_date(application.get("startsOn"), where="smartrecruiters startsOn"),
            "title": text(job.get("title")),
            "department": department,
            "manager": _manager(client, job_id) if kind == "candidate.hired" else None,
        }
    return data
