"""bootstrap(): the one place that wires settings, database, journeys, renderer and mailer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine

from integrations.chat.channels import ChatChannels, build_chat
from integrations.compose import Composer, parse_sender
from integrations.learning.links import LearningLinks
from integrations.learning.wiring import PlaylistSources, playlist_sources
from integrations.mail.message import DeliveryResult, OutgoingMessage
from integrations.rendering import Renderer
from integrations.settings import LeerpadSettings
from journeys.catalog import load_catalog, load_employer_profile
from journeys.clock import Clock, SystemClock
from models.db import make_engine
from models.planning import PlanningRules
from models.vacancy_store import promises_for_employment


class Mailer(Protocol):
    """Anything that delivers a batch of messages and reports per message."""

    def send_batch(self, messages: list[OutgoingMessage]) -> list[DeliveryResult]:
        """Deliver messages in order, one result each."""
        ...


@dataclass
class App:
    """The wired application: what flows and commands work with."""

    settings: LeerpadSettings
    engine: Engine
    rules: PlanningRules
    composer: Composer
    mailer: Mailer
    transport: str
    clock: Clock
    learning: PlaylistSources | None = None
    chat: ChatChannels | None = None  # Slack/Teams the employer set up; None: email only


_current: App | None = None


def build_mailer(settings: LeerpadSettings) -> Mailer:
    """SMTP when LEERPAD_SMTP_URL is set, else the file outbox."""
    if settings.smtp_url is not None:
        from integrations.mail.smtp import SmtpMailer, SmtpSettings

        return SmtpMailer(SmtpSettings.from_url(settings.smtp_url.get_secret_value()))
    from integrations.mail.outbox import FileOutbox

    return FileOutbox(Path(settings.outbox_dir))


def bootstrap(
    *,
    settings: LeerpadSettings | None = None,
    clock: Clock | None = None,
    mailer: Mailer | None = None,
    engine: Engine | None = None,
    chat: ChatChannels | None = None,
) -> App:
    """Build the application from settings (the environment by default) and make it current."""
    global _current
    settings = settings or LeerpadSettings()
    extra = [settings.journeys_dir] if settings.journeys_dir else []
    catalog = load_catalog(*extra)
    profile = load_employer_profile(settings.organization)
    rules = PlanningRules.build(catalog=catalog, profile=profile)
    learning = playlist_sources(settings, promises_for=promises_for_employment)
    composer = Composer(
        renderer=Renderer(),
        catalog=catalog,
        profile=profile,
        learning=LearningLinks.from_settings(settings),
        learning_catalog=learning.catalog,
        sender=parse_sender(
            settings.mail_from or f"{profile.name} <onboarding@{profile.mail_domain}>"
        ),
    )
    mailer = mailer or build_mailer(settings)
    _current = App(
        settings=settings,
        engine=engine or make_engine(settings.database_url, pool_size=settings.db_pool_size),
        rules=rules,
        composer=composer,
        mailer=mailer,
        transport=str(getattr(mailer, "transport", type(mailer).__name__)),
        clock=clock or SystemClock(),
        learning=learning,
        chat=chat or build_chat(settings, profile),
    )
    return _current


def current_app() -> App:
    """Return the app wired by bootstrap(), wiring it from the environment on first use."""
    return _current or bootstrap()


def reset() -> None:
    """Forget the current app (tests, or after settings changed)."""
    global _current
    if _current is not None:
        _current.engine.dispose()
    _current = None
