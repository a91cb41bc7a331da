"""Rendering for the HR people and inbox pages: titles in nl/en, local times, security headers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from integrations.http.hr_auth import HrDeps, HrUser, locale_of
from integrations.learning.pages import SECURITY_HEADERS

PAGE_TITLES = {
    "people": ("Mensen en hun trajecten", "People and their journeys"),
    "timeline": ("Tijdlijn", "Timeline"),
    "inbox": ("Binnenkomende gebeurtenissen", "Event inbox"),
    "inbox_event": ("Gebeurtenis", "Event"),
    "not_found": ("Niet gevonden", "Not found"),
}


def local_time(deps: HrDeps):  # type: ignore[no-untyped-def]
    """A formatter for times in the employer's zone: 2027-03-01 09:00 (None: "—")."""
    zone = deps.profile.zone

    def show(moment: datetime | None, with_time: bool = True) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(zone)
        return f"{local:%Y-%m-%d %H:%M}" if with_time else f"{local:%Y-%m-%d}"

    return show


def render_hr_page(
    deps: HrDeps, request: Request, name: str, *, user: HrUser, current: str, status: int = 200,
    title: str | None = None, suffix: str = "", **context: Any,
) -> HTMLResponse:  # fmt: skip
    """Render pages/hr/<locale>/<name>.html.j2 with the nav, a CSRF token and local times."""
    locale = locale_of(request, deps)
    nl, en = PAGE_TITLES[name]
    assert deps.signer is not None  # require_hr refused the request otherwise
    heading = title or (nl if locale == "nl" else en) + suffix
    html = deps.renderer.env.get_template(f"pages/hr/{locale}/{name}.html.j2").render(
        lang=locale, title=heading, org_name=deps.profile.name,
        current=current, user=user.name, csrf_token=deps.signer.csrf_for_session(user.session),
        at=local_time(deps), **context,
    )  # fmt: skip
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
