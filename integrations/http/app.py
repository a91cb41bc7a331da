"""The HTTP app served by `leerpad serve`: webhooks and health; forms and HR pages join later."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import text

from integrations.http.webhooks import WebhookDeps, webhook_router
from models.db import session_scope


def create_app(deps: WebhookDeps) -> FastAPI:
    """Build the ASGI app around its dependencies (no I/O at import time)."""
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

    app.include_router(webhook_router(deps))
    return app
