"""Vendor API credentials from the environment: LEERPAD_API_<SOURCE>_{URL,TOKEN,USER}."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiCredentials(BaseSettings):
    """Where and how to call one vendor's REST API when a webhook carries only ids."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    url: str | None = None  # base URL; each vendor has a default except BambooHR
    token: SecretStr | None = None  # API key, access token or secret key
    user: str | None = None  # HiBob service-user id, Greenhouse Onboarding access key

    @classmethod
    def for_source(cls, source: str) -> ApiCredentials:
        """Read the credentials of one source from LEERPAD_API_<SOURCE>_*."""
        return cls(_env_prefix=env_prefix(source))  # type: ignore[call-arg]


def env_prefix(source: str) -> str:
    """Return the environment prefix of a source's API credentials."""
    return f"LEERPAD_API_{source.upper()}_"
