"""Server-rendered pages (forms, certificates) with the one Jinja2 environment, nl or en."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse

from integrations.rendering import Renderer
from journeys.profile import EmployerProfile

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the token in the URL must not leak to linked sites
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
}
TITLES = {
    "goals": ("Je leerdoelen", "Your learning goals"),
    "reflection": ("Je reflectie", "Your reflection"),
    "done": ("Afvinken", "Tick it off"),
    "share": ("Deel wat je leerde", "Share what you learned"),
    "denied": ("Deze link werkt niet (meer)", "This link does not work (any more)"),
    "badge": ("Certificaat", "Certificate"),
}


def pick_locale(
    preferred: str | None, *, accept_language: str | None, profile: EmployerProfile
) -> str:
    """The person's language if supported, else the browser's, else the employer's default."""
    if preferred in profile.locales:
        return str(preferred)
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in profile.locales:
            return tag
    return profile.default_locale


def render_page(
    renderer: Renderer, name: str, *, locale: str, profile: EmployerProfile, status: int = 200,
    **context: Any,
) -> HTMLResponse:  # fmt: skip
    """Render pages/<locale>/<name>.html.j2 as an HTML response with strict security headers."""
    nl, en = TITLES[name]
    html = renderer.env.get_template(f"pages/{locale}/{name}.html.j2").render(
        lang=locale, title=nl if locale == "nl" else en, org_name=profile.name, **context
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def denied(
    renderer: Renderer, *, reason: str, locale: str, profile: EmployerProfile
) -> HTMLResponse:
    """A friendly page for a link that cannot be used: 403, or 503 when forms are not set up."""
    status = {"unavailable": 503, "gone": 410}.get(reason, 403)
    return render_page(
        renderer, "denied", locale=locale, profile=profile, status=status, reason=reason
    )
