"""What the learning routes need, built once from settings (no I/O at import time)."""

from __future__ import annotations

import hmac
from base64 import b64decode
from binascii import Error as Base64Error
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy.engine import Engine

from integrations.learning.badges import BadgeSigner
from integrations.learning.catalog_files import load_catalog_file
from integrations.learning.jws import load_private_key
from integrations.learning.links import LearningLinks
from integrations.learning.lrs import LrsClient
from integrations.rendering import Renderer
from integrations.settings import LeerpadSettings
from journeys.catalog import load_employer_profile
from journeys.profile import EmployerProfile
from journeys.workcalendar import WorkCalendar
from models.learning_plans import PlaylistSources, PromisesFor, no_promises
from models.vacancy_store import promises_for_employment


def playlist_sources(
    settings: LeerpadSettings, *, promises_for: PromisesFor = no_promises
) -> PlaylistSources:
    """The catalog from LEERPAD_LEARNING_CATALOG (or the starter one) and a promises lookup."""
    return PlaylistSources(
        catalog=load_catalog_file(settings.learning_catalog), promises_for=promises_for
    )


@dataclass(frozen=True)
class XapiAuth:
    """Credentials a learning platform uses for POST /xapi/statements."""

    token: str | None = field(default=None, repr=False)  # never in a repr or a log line
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def configured(self) -> bool:
        """Tell whether any credential is set."""
        return bool(self.token or (self.username and self.password))

    def allows(self, authorization: str | None) -> bool:
        """Check a Bearer token or Basic credentials, in constant time."""
        scheme, _, value = (authorization or "").partition(" ")
        if self.token and scheme.lower() == "bearer":
            return hmac.compare_digest(value.strip().encode(), self.token.encode())
        if self.username and self.password and scheme.lower() == "basic":
            try:
                given = b64decode(value.strip(), validate=True)
            except (Base64Error, ValueError):
                return False
            expected = f"{self.username}:{self.password}".encode()
            return hmac.compare_digest(given, expected)
        return False


@dataclass(frozen=True)
class LearningDeps:
    """Everything the form, badge and xAPI routes use, wired by the caller."""

    engine: Engine
    now: Callable[[], datetime]
    profile: EmployerProfile
    links: LearningLinks
    sources: PlaylistSources
    renderer: Renderer
    badges: BadgeSigner | None = None
    xapi_auth: XapiAuth = XapiAuth()
    lrs: LrsClient | None = None
    home_page: str = ""

    @cached_property
    def calendar(self) -> WorkCalendar:
        """The employer's working days, for when queued messages may go out."""
        return WorkCalendar.from_profile(self.profile)

    @classmethod
    def from_settings(
        cls, settings: LeerpadSettings, *, engine: Engine, now: Callable[[], datetime],
        profile: EmployerProfile | None = None,
    ) -> LearningDeps:  # fmt: skip
        """Wire from LEERPAD_* settings: signing key, badge key, catalog, xAPI and LRS."""
        profile = profile or load_employer_profile(settings.organization)
        links = LearningLinks.from_settings(settings)
        secret = lambda value: value.get_secret_value() if value else None  # noqa: E731
        badge_key = secret(settings.badge_key)
        lrs = None
        if settings.lrs_url:
            lrs = LrsClient(
                endpoint=settings.lrs_url, username=settings.lrs_username,
                password=secret(settings.lrs_password), token=secret(settings.lrs_token),
            )  # fmt: skip
        return cls(
            engine=engine,
            now=now,
            profile=profile,
            links=links,
            sources=playlist_sources(settings, promises_for=promises_for_employment),
            renderer=Renderer(),
            badges=(
                BadgeSigner(load_private_key(badge_key), profile, links.public_url)
                if badge_key
                else None
            ),
            xapi_auth=XapiAuth(
                token=secret(settings.xapi_token),
                username=settings.xapi_username,
                password=secret(settings.xapi_password),
            ),  # fmt: skip
            lrs=lrs,
            home_page=settings.xapi_home_page or links.public_url,
        )
