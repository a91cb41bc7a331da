"""BambooHR: build the event from GET /v1/employees/{id}?fields=… (flat fields)."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.employee import employee_event, manager_ref
from integrations.sources.clients.http import call, record, seg
from integrations.sources.mapping import as_date, email, text

FIELDS = (
    "firstName,lastName,preferredName,workEmail,homeEmail,hireDate,terminationDate,status,"
    "jobTitle,department,supervisorEId,supervisorEmail"
)


def resolve_bamboohr(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """Fetch the employee; "Inactive" or a termination date ("0000-00-00" is none) terminates."""
    employee = fetch.ids["employee"]
    path = f"v1/employees/{seg(employee)}"
    answer = call(client, "GET", path, source="bamboohr", params={"fields": FIELDS})
    found = record(answer, source="bamboohr", what=path)
    person = {
        "external_id": employee,
        "work_email": email(found.get("workEmail")),
        "personal_email": email(found.get("homeEmail")),
        "first_name": text(found.get("preferredName")) or text(found.get("firstName")),
        "last_name": text(found.get("lastName")),
    }
    job = {
        "start_date": as_date(found.get("hireDate"), where="bamboohr hireDate"),
        "end_date": as_date(found.get("terminationDate"), where="bamboohr terminationDate"),
        "title": text(found.get("jobTitle")),
        "department": text(found.get("department")),
        "manager": manager_ref(
            text(found.get("supervisorEId")), email(found.get("supervisorEmail"))
        ),
    }
    inactive = (text(found.get("status")) or "").lower() == "inactive"
    return employee_event(fetch, person=person, job=job, ended=inactive)
