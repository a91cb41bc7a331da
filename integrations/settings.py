"""Settings from the environment (or a .env file), one class per concern."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class LeerpadSettings(BaseSettings):
    """Core settings: database, mail, employer profile, journeys, signing key."""

    model_config = SettingsConfigDict(
        env_prefix="LEERPAD_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///leerpad.db"
    smtp_url: SecretStr | None = None
    outbox_dir: Path = Path("outbox")
    mail_from: str | None = None  # default: "<employer name> <onboarding@<mail_domain>>"
    organization: Path | None = None
    journeys_dir: Path | None = None
    signing_key: SecretStr | None = None
    dispatch_batch: int = Field(default=200, ge=1, le=5000)
    lease_seconds: int = Field(default=300, ge=10)
