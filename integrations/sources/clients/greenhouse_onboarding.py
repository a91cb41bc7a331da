"""Greenhouse Onboarding: build the event from the GraphQL `employee(id:)` query."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.employee import employee_event, manager_ref
from integrations.sources.clients.http import ApiNotFound, ApiResponseError, call, record
from integrations.sources.mapping import as_date, dig, email, items, text

SOURCE = "greenhouse_onboarding"
QUERY = """query Employee($id: Int!) { employee(id: $id) {
  id firstName lastName preferredFirstName email personalEmail startDate dateOfTermination
  title department { name } manager { id email firstName lastName } } }"""


def resolve_greenhouse_onboarding(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """POST /graphql; GraphQL errors (HTTP 200 with `errors`) become ApiResponseError."""
    employee = fetch.ids["employee"]
    if not (employee.isascii() and employee.isdigit()):
        raise ApiResponseError(f"{SOURCE}: employee id {employee[:20]!r} is not a number")
    query = {"query": QUERY, "variables": {"id": int(employee)}}
    answer = record(
        call(client, "POST", "graphql", source=SOURCE, json=query), source=SOURCE, what="graphql"
    )
    if errors := items(answer.get("errors")):
        raise ApiResponseError(f"{SOURCE} API: {text(errors[0].get('message')) or 'error'}")
    if dig(answer, "data", "employee") is None and isinstance(dig(answer, "data"), dict):
        raise ApiNotFound(f"{SOURCE} API has no employee {employee}")
    found = record(dig(answer, "data", "employee"), source=SOURCE, what="data.employee")
    boss = found.get("manager")
    person = {
        "external_id": employee,
        "work_email": email(found.get("email")),
        "personal_email": email(found.get("personalEmail")),
        "first_name": text(found.get("preferredFirstName")) or text(found.get("firstName")),
        "last_name": text(found.get("lastName")),
    }
    job = {
        "start_date": as_date(found.get("startDate"), where=f"{SOURCE} startDate"),
        "end_date": as_date(found.get("dateOfTermination"), where=f"{SOURCE} dateOfTermination"),
        "title": text(found.get("title")),
        "department": text(dig(found, "department", "name")),
        "manager": manager_ref(
            text(dig(boss, "id")),
            email(dig(boss, "email")),
            text(dig(boss, "firstName")),
            text(dig(boss, "lastName")),
        ),
    }
    return employee_event(fetch, person=person, job=job)
