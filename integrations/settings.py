"""Settings from the environment (or a .env file), one class per concern."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_RATE_PATTERN = r"(?i)^\s*(off|none|\d+(\.\d+)?\s*(/\s*(s|sec|second|m|min|minute|h|hour))?)\s*$"


class LeerpadSettings(BaseSettings):
    """Core settings: database, mail, employer profile, journeys, signing keys, learning."""

    model_config = SettingsConfigDict(
        env_prefix="LEERPAD_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = "sqlite:///leerpad.db"
    # PostgreSQL connections each process keeps open (as many more for a burst); the webhook
    # endpoint stores at most this many deliveries at once and queues the rest in the event loop
    db_pool_size: int = Field(default=10, ge=1, le=100)
    smtp_url: SecretStr | None = None
    outbox_dir: Path = Path("outbox")
    publish_dir: Path = Path("published")  # vacancy pages rendered on vacancy.published
    mail_from: str | None = None  # default: "<employer name> <onboarding@<mail_domain>>"
    organization: Path | None = None
    journeys_dir: Path | None = None
    signing_key: SecretStr | None = None
    dispatch_batch: int = Field(default=200, ge=1, le=5000)
    # Batches a dispatch run delivers side by side, each in a process of its own (1: in-process;
    # 0: automatic, two processes on a machine with two cores or more once a backlog is large)
    dispatch_processes: int = Field(default=0, ge=0, le=16)
    # Where a dispatcher's SMTP conversation runs: "process" (a sender process sends and records
    # while the dispatcher composes), "inline" (in the dispatcher), or "auto" (a sender process
    # for batches of 50 emails or more)
    dispatch_sender: Literal["auto", "process", "inline"] = "auto"
    lease_seconds: int = Field(default=300, ge=10)
    # Deferred processing waits while webhooks arrive (a burst is answered first, processed right
    # after). Always so on SQLite (one writer); on PostgreSQL turn it off on machines with cores
    # to spare, so events are processed during a long stream of webhooks too.
    processor_yields: bool = True
    # Learning: links in emails point at public_url; forms need signing_key, badges badge_key.
    public_url: str = Field(default="http://127.0.0.1:8000", pattern=r"^https?://[^\s/]+(/\S*)?$")
    form_link_days: int = Field(default=30, ge=1, le=365)
    badge_key: SecretStr | None = None  # Ed25519: a PEM file path, or base64 of PEM/DER/raw
    learning_catalog: Path | None = None  # YAML or CSV; default journeys/defaults/catalog.yaml
    xapi_token: SecretStr | None = None  # bearer token for POST /xapi/statements
    xapi_username: str | None = None  # or basic auth for it
    xapi_password: SecretStr | None = None
    xapi_home_page: str | None = None  # the actor account homePage (default public_url)
    lrs_url: str | None = None  # an LRS endpoint ending in /xAPI/ to send completions to
    lrs_username: str | None = None
    lrs_password: SecretStr | None = None
    lrs_token: SecretStr | None = None
    # Chat (Apprise URLs carry tokens: environment or a Prefect Secret block, never the profile)
    chat_slack_url: SecretStr | None = None  # slack://xoxb-… (bot: DMs + posts) or a webhook
    chat_teams_url: SecretStr | None = None  # Power Automate workflow that posts in the channel
    chat_teams_dm_url: SecretStr | None = None  # workflow that posts to a chat with `recipient`
    chat_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Webhook rate limit per (source, client IP), per app process: "50/s", "600/min" or "off"
    webhook_rate: str = Field(default="50/s", pattern=_RATE_PATTERN)
    webhook_burst: int = Field(default=200, ge=1, le=100_000)
    # HR pages: "name:scrypt$…" pairs from `leerpad hr hash-password`; cookies use signing_key
    hr_users: SecretStr | None = None
    hr_session_hours: int = Field(default=8, ge=1, le=168)
