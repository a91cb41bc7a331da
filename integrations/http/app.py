"""The HTTP app served by `leerpad serve`: webhooks, health, learning forms, badges and xAPI."""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI
from sqlalchemy import text

from integrations.http.badges import badges_router
from integrations.http.forms import forms_router
from integrations.http.hr_auth import HrDeps
from integrations.http.hr_pages import install_hr
from integrations.http.invite_replies import invite_replies_router
from integrations.http.ratelimit import limiter_from_settings
from integrations.http.webhooks import WebhookDeps, webhook_router
from integrations.http.xapi import xapi_router
from integrations.learning.wiring import LearningDeps
from models.db import session_scope


def create_app(
    deps: WebhookDeps, learning: LearningDeps | None = None, hr: HrDeps | None = None
) -> FastAPI:
    """Build the ASGI app around its dependencies (no I/O at import time).

    Without `learning` or `hr`, those routes are wired from the LEERPAD_* environment; without
    `deps.limiter`, the webhook rate limit comes from LEERPAD_WEBHOOK_RATE / _BURST.
    """
    if deps.limiter is None:
        from integrations.settings import LeerpadSettings

        env = LeerpadSettings()
        deps = replace(deps, limiter=limiter_from_settings(env.webhook_rate, env.webhook_burst))
    app = FastAPI(
        title="Leerpad",
        description="Webhooks in from ATS and HRIS systems; learning journeys out.",
        version="0.1.0",
    )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Answer 200 when the database answers."""
        with session_scope(deps.engine) as session:
            session.exec(text("select 1"))  # type: ignore[call-overload]
        return {"status": "ok"}

    app.include_router(invite_replies_router(deps))  # before /webhooks/{source}
    app.include_router(webhook_router(deps))
    if learning is None:
        from integrations.settings import LeerpadSettings

        learning = LearningDeps.from_settings(LeerpadSettings(), engine=deps.engine, now=deps.now)
    app.include_router(forms_router(learning))
    app.include_router(badges_router(learning))
    app.include_router(xapi_router(learning))
    if hr is None:
        from integrations.settings import LeerpadSettings

        hr = HrDeps.from_settings(
            LeerpadSettings(), engine=deps.engine, now=deps.now, profile=learning.profile,
            renderer=learning.renderer,
        )  # fmt: skip
    if hr.process_event is None:  # HR's replay processes events the way the webhooks do
        hr = replace(hr, process_event=deps.on_stored)
    install_hr(app, hr)
    return app
