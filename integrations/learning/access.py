"""Open a signed form link: verify it, find the person it is for, choose their language."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, select

from integrations.learning.pages import denied, pick_locale
from integrations.learning.tokens import Claims, TokenError, TokenExpired
from integrations.learning.wiring import LearningDeps
from journeys.planner import next_allowed
from models.db import session_scope
from models.people import Person
from models.planning import zone_of

log = logging.getLogger("leerpad.forms")


@dataclass(frozen=True)
class Opened:
    """A verified link: its claims, the person (id only) and the page language."""

    claims: Claims
    person_id: int
    locale: str


def person_by_uid(session: Session, uid: str) -> Person | None:
    """A person who is still here (not erased), by their opaque uid."""
    person = session.exec(select(Person).where(Person.uid == uid)).first()
    return person if person is not None and person.erased_at is None else None


def open_link(
    deps: LearningDeps, *, token: str, purpose: str, request: Request
) -> Opened | HTMLResponse:
    """Verify a link for one purpose; a friendly 403/410/503 page when it cannot be used."""
    browser = request.headers.get("accept-language")
    fallback = pick_locale(None, accept_language=browser, profile=deps.profile)
    tokens = deps.links.tokens
    if tokens is None:
        return denied(deps.renderer, reason="unavailable", locale=fallback, profile=deps.profile)
    try:
        claims = tokens.verify(token, purpose=purpose, now=deps.now())
    except TokenError as exc:
        log.info("form link refused: %s (%s)", exc.reason, purpose)
        locale = fallback
        if isinstance(exc, TokenExpired) and exc.claims is not None:
            with session_scope(deps.engine) as session:
                person = person_by_uid(session, exc.claims.subject)
                locale = pick_locale(
                    person.locale if person else None, accept_language=browser,
                    profile=deps.profile,
                )  # fmt: skip
        reason = "expired" if isinstance(exc, TokenExpired) else "invalid"
        return denied(deps.renderer, reason=reason, locale=locale, profile=deps.profile)
    with session_scope(deps.engine) as session:
        person = person_by_uid(session, claims.subject)
        if person is None or person.id is None:
            return denied(deps.renderer, reason="gone", locale=fallback, profile=deps.profile)
        locale = pick_locale(person.locale, accept_language=browser, profile=deps.profile)
        return Opened(claims=claims, person_id=person.id, locale=locale)


def send_moment(deps: LearningDeps, person: Person | None) -> datetime:
    """When a message queued now may go out: now, or the next moment in the send window."""
    zone = zone_of(person, deps.profile)
    return next_allowed(
        deps.now(), zone=zone, calendar=deps.calendar, window=deps.profile.send_window
    )


def display_name(person: Person | None, locale: str, fallback: tuple[str, str]) -> str:
    """A first name for a page, or a neutral word ('je leidinggevende' / 'your manager')."""
    if person is not None and person.erased_at is None and person.first_name:
        return person.first_name
    return fallback[0] if locale == "nl" else fallback[1]
