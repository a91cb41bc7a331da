"""Personio: build the event from GET /v2/persons/{id} and its employments."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.employee import employee_event, manager_ref
from integrations.sources.clients.http import call, record, seg
from integrations.sources.mapping import as_date, dig, email, items, name_of, text


def _person(client: httpx.Client, person_id: str) -> dict[str, Any]:
    """Fetch one person as canonical person fields."""
    path = f"v2/persons/{seg(person_id)}"
    found = record(call(client, "GET", path, source="personio"), source="personio", what=path)
    return {
        "external_id": person_id,
        "work_email": email(found.get("email")),
        "first_name": text(found.get("preferred_name")) or text(found.get("first_name")),
        "last_name": text(found.get("last_name")),
        "locale": text(found.get("language_code")),
    }


def resolve_personio(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """Fetch the person, the employment the event names (else the first), and the supervisor."""
    person_id = fetch.ids["person"]
    person = _person(client, person_id)
    listing = call(client, "GET", f"v2/persons/{seg(person_id)}/employments", source="personio")
    employments = items(dig(listing, "_data"))
    wanted = fetch.ids.get("employment")
    employment = next((e for e in employments if text(e.get("id")) == wanted), None)
    employment = employment or next(iter(employments), {})
    boss_id = text(dig(employment, "supervisor", "id"))
    boss = _person(client, boss_id) if boss_id else {}
    units = items(employment.get("org_units"))
    department = next((name_of(u) for u in units if text(u.get("type")) == "DEPARTMENT"), None)
    end = dig(employment, "termination", "termination_date")
    job = {
        "start_date": as_date(employment.get("start_date"), where="personio start_date"),
        "end_date": as_date(end, where="personio termination_date"),
        "title": text(dig(employment, "position", "title")),
        "department": department,
        "manager": manager_ref(
            boss_id, boss.get("work_email"), boss.get("first_name"), boss.get("last_name")
        ),
    }
    return employee_event(fetch, person=person, job=job)
