"""API clients for webhooks that carry only ids: fetch the record, build the canonical event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from integrations.sources.base import Fetch, PayloadError
from integrations.sources.clients.bamboohr import resolve_bamboohr
from integrations.sources.clients.greenhouse_onboarding import resolve_greenhouse_onboarding
from integrations.sources.clients.hibob import resolve_hibob
from integrations.sources.clients.http import (
    SPECS,
    ApiAuthError,
    ApiError,
    ApiNotConfigured,
    ApiNotFound,
    ApiResponseError,
    ApiUnavailable,
    make_client,
    required_env,
)
from integrations.sources.clients.lever import resolve_lever
from integrations.sources.clients.personio import resolve_personio
from integrations.sources.clients.smartrecruiters import resolve_smartrecruiters
from integrations.sources.mapping import build_event
from integrations.sources.settings import ApiCredentials
from journeys.events import Event

Resolver = Callable[..., dict[str, Any]]
RESOLVERS: dict[str, Resolver] = {
    "lever.opportunity": resolve_lever,
    "smartrecruiters.application": resolve_smartrecruiters,
    "bamboohr.employee": resolve_bamboohr,
    "personio.person": resolve_personio,
    "hibob.employee": resolve_hibob,
    "greenhouse_onboarding.employee": resolve_greenhouse_onboarding,
}

__all__ = [
    "SPECS",
    "ApiAuthError",
    "ApiError",
    "ApiNotConfigured",
    "ApiNotFound",
    "ApiResponseError",
    "ApiUnavailable",
    "make_client",
    "required_env",
    "resolve",
    "resolve_with_settings",
]


def resolve(fetch: Fetch, *, client: httpx.Client) -> Event:
    """Fetch the record a webhook names and build its canonical event."""
    resolver = RESOLVERS.get(fetch.kind)
    if resolver is None:
        raise ApiError(f"no API client for {fetch.kind!r}")
    try:
        fields = resolver(fetch, client=client)
        return build_event(
            {
                "id": fetch.event_id or f"{fetch.source}:{fetch.kind}",
                "source": fetch.source,
                "occurred_at": fetch.occurred_at or datetime.now(UTC),
            }
            | fields
        )
    except PayloadError as exc:
        raise ApiResponseError(f"{fetch.source} API answer not as documented: {exc}") from None


def resolve_with_settings(fetch: Fetch, *, transport: httpx.BaseTransport | None = None) -> Event:
    """Resolve with credentials from LEERPAD_API_<SOURCE>_*; ApiNotConfigured names them."""
    credentials = ApiCredentials.for_source(fetch.source)
    with make_client(fetch.source, credentials, transport=transport) as client:
        return resolve(fetch, client=client)
