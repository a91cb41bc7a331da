"""One httpx client per vendor API: base URL, credentials, timeouts, and clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from integrations.errors import IntegrationError
from integrations.sources.settings import ApiCredentials, env_prefix

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class ApiError(IntegrationError):
    """A vendor API call failed; the message says which call and what to do."""


class ApiNotConfigured(ApiError):
    """No credentials for a source whose webhooks carry only ids."""


class ApiAuthError(ApiError):
    """The vendor refused the credentials (HTTP 401 or 403)."""


class ApiNotFound(ApiError):
    """The record the webhook names does not exist (HTTP 404)."""


class ApiUnavailable(ApiError):
    """The vendor did not answer, timed out, or answered 5xx: worth retrying later."""


class ApiResponseError(ApiError):
    """The vendor answered with something other than the documented shape."""


@dataclass(frozen=True)
class ApiSpec:
    """How a vendor's API is reached: default base URL, and how credentials are sent."""

    default_url: str | None
    auth: (
        str  # "basic_token" (token as user), "basic_token_x", "basic_user", "bearer", "smarttoken"
    )
    needs_user: bool = False


SPECS: dict[str, ApiSpec] = {
    "lever": ApiSpec("https://api.lever.co/v1", "basic_token"),
    "smartrecruiters": ApiSpec("https://api.smartrecruiters.com", "smarttoken"),
    "bamboohr": ApiSpec(None, "basic_token_x"),
    "personio": ApiSpec("https://api.personio.de", "bearer"),
    "hibob": ApiSpec("https://api.hibob.com/v1", "basic_user", needs_user=True),
    "greenhouse_onboarding": ApiSpec(
        "https://onboarding-api.greenhouse.io", "basic_user", needs_user=True
    ),
}


def required_env(source: str) -> list[str]:
    """Name the environment variables a source's API client needs."""
    spec, prefix = SPECS[source], env_prefix(source)
    names = [f"{prefix}TOKEN"]
    if spec.needs_user:
        names.append(f"{prefix}USER")
    if spec.default_url is None:
        names.append(f"{prefix}URL")
    return names


def make_client(
    source: str, credentials: ApiCredentials, *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """Build the client for a source, or raise ApiNotConfigured naming the variables to set."""
    spec = SPECS[source]
    token = credentials.token.get_secret_value() if credentials.token else ""
    url = credentials.url or spec.default_url
    if not token or not url or (spec.needs_user and not credentials.user):
        raise ApiNotConfigured(
            f"{source} webhooks carry only ids, so Leerpad fetches the record from the {source} "
            f"API; set {', '.join(required_env(source))}"
        )
    headers = {"Accept": "application/json", "User-Agent": "Leerpad"}
    auth: tuple[str, str] | None = None
    if spec.auth == "basic_token":
        auth = (token, "")
    elif spec.auth == "basic_token_x":
        auth = (token, "x")
    elif spec.auth == "basic_user":
        auth = (credentials.user or "", token)
    elif spec.auth == "bearer":
        headers["Authorization"] = f"Bearer {token}"
    else:
        headers["X-SmartToken"] = token
    return httpx.Client(
        base_url=url, auth=auth, headers=headers, timeout=TIMEOUT, transport=transport
    )


def seg(value: str) -> str:
    """Quote an id from a webhook as one path segment (no traversal, no query)."""
    return quote(value, safe="")


def call(client: httpx.Client, method: str, path: str, *, source: str, **kwargs: Any) -> Any:
    """Make one request and return its JSON, mapping failures to named ApiErrors."""
    try:
        response = client.request(method, path, **kwargs)
    except httpx.TimeoutException:
        raise ApiUnavailable(f"{source} API did not answer in time ({method} {path})") from None
    except httpx.HTTPError as exc:
        raise ApiUnavailable(f"{source} API unreachable ({method} {path}): {exc}") from None
    status = response.status_code
    if status in (401, 403):
        raise ApiAuthError(
            f"{source} API refused the credentials (HTTP {status} on {method} {path}); "
            f"check {', '.join(required_env(source))}"
        )
    if status == 404:
        raise ApiNotFound(f"{source} API has no such record (HTTP 404 on {method} {path})")
    if status >= 500 or status == 429:
        raise ApiUnavailable(f"{source} API answered HTTP {status} on {method} {path}; retry later")
    if status >= 300:
        raise ApiError(f"{source} API answered HTTP {status} on {method} {path}")
    try:
        return response.json()
    except ValueError:
        raise ApiResponseError(f"{source} API answered {method} {path} with non-JSON") from None


def record(value: Any, *, source: str, what: str) -> dict[str, Any]:
    """Return a JSON object from a response, or raise ApiResponseError."""
    if not isinstance(value, dict):
        raise ApiResponseError(f"{source} API: {what} is not a JSON object")
    return value
