"""Lever: build the event from GET /opportunities/{id} (+ posting, offers, archive reason, user)."""

from __future__ import annotations

from typing import Any

import httpx

from integrations.sources.base import Fetch
from integrations.sources.clients.http import call, record, seg
from integrations.sources.mapping import date_from_millis, dig, email, items, split_name, text

START_FIELDS = ("anticipated_start_date", "start_date", "startdate")


def _get(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    """Return the `data` object of a Lever GET."""
    body = record(
        call(client, "GET", path, source="lever", params=params), source="lever", what=path
    )
    return record(body.get("data"), source="lever", what=f"{path} data")


def _start_date(client: httpx.Client, opportunity: str) -> Any:
    """Return the start date of the newest offer that has one."""
    offers = call(client, "GET", f"/opportunities/{seg(opportunity)}/offers", source="lever")
    for offer in sorted(items(dig(offers, "data")), key=lambda o: -(o.get("createdAt") or 0)):
        for field in items(offer.get("fields")):
            if (text(field.get("identifier")) or "").lower() in START_FIELDS:
                return date_from_millis(field.get("value"), where="lever offer start date")
    return None


def _kind(client: httpx.Client, fetch: Fetch, opp: dict[str, Any]) -> tuple[str, str | None]:
    """Decide the canonical type; an archive is a hire, a withdrawal or a rejection."""
    if fetch.event == "applicationCreated":
        return "candidate.applied", None
    if fetch.event == "candidateHired":
        return "candidate.hired", None
    if fetch.event == "candidateStageChange":
        return "candidate.stage_changed", None
    reason_id = text(dig(opp, "archived", "reason")) or fetch.ids.get("archive_reason")
    if not reason_id:
        return "candidate.stage_changed", None
    reason = _get(client, f"/archive_reasons/{seg(reason_id)}")
    name = text(reason.get("text"))
    if (text(reason.get("type")) or "").lower() == "hired":
        return "candidate.hired", None
    if "withdr" in (name or "").lower():
        return "candidate.unhired", name
    return "candidate.rejected", name


def resolve_lever(fetch: Fetch, *, client: httpx.Client) -> dict[str, Any]:
    """Fetch the opportunity and what it links to; return canonical event fields."""
    opportunity = fetch.ids["opportunity"]
    opp = _get(client, f"/opportunities/{seg(opportunity)}", expand=["applications", "stage"])
    kind, reason = _kind(client, fetch, opp)
    first, last = split_name(opp.get("name"))
    application = next(iter(items(opp.get("applications"))), {})
    posting_id = text(application.get("posting"))
    posting = _get(client, f"/postings/{seg(posting_id)}") if posting_id else {}
    department = text(dig(posting, "categories", "department")) or text(
        dig(posting, "categories", "team")
    )
    data: dict[str, Any] = {
        "type": kind,
        "person": {
            "external_id": text(opp.get("contact")) or opportunity,
            "email": email(dig(opp, "emails", 0)),
            "first_name": first,
            "last_name": last,
        },
        "vacancy": {
            "external_id": posting_id,
            "title": text(posting.get("text")),
            "department": department,
        }
        if posting_id
        else None,
        "application": {
            "external_id": text(application.get("id")),
            "stage": text(dig(opp, "stage", "text")),
            "rejection_reason": reason,
        },
    }
    if kind == "candidate.hired":
        manager_id = text(dig(application, "requisitionForHire", "hiringManagerOnHire")) or text(
            application.get("postingHiringManager")
        )
        manager = _get(client, f"/users/{seg(manager_id)}") if manager_id else None
        m_first, m_last = split_name(dig(manager, "name"))
        data["employment"] = {
            "start_date": _start_date(client, opportunity),
            "title": text(posting.get("text")),
            "department": department,
            "manager": {
                "external_id": manager_id,
                "email": email(dig(manager, "email")),
                "first_name": m_first,
                "last_name": m_last,
            }
            if manager_id
            else None,
        }
    return data
