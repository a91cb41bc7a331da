"""The shape every HRIS resolver returns: an employee created, updated or terminated."""

from __future__ import annotations

from typing import Any

from integrations.sources.base import Fetch

CREATED = ("employee.created", "person.created", "employee:created")
TERMINATING = ("employment.terminated", "employee.left")


def employee_event(
    fetch: Fetch, *, person: dict[str, Any], job: dict[str, Any], ended: bool = False
) -> dict[str, Any]:
    """Return event fields; an end date, an ended status or a terminating event terminates."""
    if ended or job.get("end_date") is not None or fetch.event in TERMINATING:
        kind = "employee.terminated"
    elif fetch.event in CREATED:
        kind = "employee.created"
    else:
        kind = "employee.updated"
    return {"type": kind, "person": person, "employment": job}


def manager_ref(
    external_id: str | None,
    email: str | None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> dict[str, Any] | None:
    """Return a manager reference, or None when nothing identifies one."""
    if external_id is None and email is None:
        return None
    return {
        "external_id": external_id,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
    }
