"""HiBob: build the event from POST /v1/people/{id} (machine values plus human-readable names)."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.employee import employee_event, manager_ref
from integrations.sources.clients.http import call, record, seg
from integrations.sources.mapping import as_date, dig, email, text

FIELDS = [
    "root.id",
    "root.firstName",
    "root.surname",
    "root.email",
    "home.privateEmail",
    "work.startDate",
    "work.title",
    "work.department",
    "work.reportsTo",
    "internal.terminationDate",
    "internal.lifecycleStatus",
]


def resolve_hibob(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """Fetch the employee's fields; list values (department, title) are read as names."""
    employee = fetch.ids["employee"]
    path = f"people/{seg(employee)}"
    body = {"fields": FIELDS, "humanReadable": "APPEND"}
    found = record(call(client, "POST", path, source="hibob", json=body), source="hibob", what=path)
    readable = found.get("humanReadable")
    boss = dig(found, "work", "reportsTo")
    status = (text(dig(found, "internal", "lifecycleStatus")) or "").lower()
    end = as_date(dig(found, "internal", "terminationDate"), where="hibob terminationDate")
    person = {
        "external_id": employee,
        "work_email": email(found.get("email")),
        "personal_email": email(dig(found, "home", "privateEmail")),
        "first_name": text(found.get("firstName")),
        "last_name": text(found.get("surname")),
    }
    job = {
        "start_date": as_date(dig(found, "work", "startDate"), where="hibob work.startDate"),
        "end_date": end,
        "title": text(dig(readable, "work", "title")) or text(dig(found, "work", "title")),
        "department": text(dig(readable, "work", "department"))
        or text(dig(found, "work", "department")),
        "manager": manager_ref(
            text(dig(boss, "id")) or text(boss),
            email(dig(boss, "email")),
            text(dig(boss, "firstName")),
            text(dig(boss, "surname")),
        ),
    }
    return employee_event(fetch, person=person, job=job, ended=status == "terminated")
