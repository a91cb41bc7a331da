"""Links in learning emails: signed, expiring form links and public certificate pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from integrations.learning.tokens import FormTokens
from integrations.settings import LeerpadSettings

# "done" links live longer: a playlist item may wait weeks before it is done.
LIFETIME_DAYS = {"goals": 1, "reflection": 1, "share": 2, "done": 4}  # × form_link_days


@dataclass(frozen=True)
class LearningLinks:
    """Builds the URLs that emails carry; None tokens means forms are not configured."""

    public_url: str
    tokens: FormTokens | None
    days: int = 30

    @classmethod
    def from_settings(cls, settings: LeerpadSettings) -> LearningLinks:
        """Links from LEERPAD_PUBLIC_URL, LEERPAD_SIGNING_KEY and LEERPAD_FORM_LINK_DAYS."""
        key = settings.signing_key.get_secret_value() if settings.signing_key else None
        return cls(
            public_url=settings.public_url.rstrip("/"),
            tokens=FormTokens(key) if key else None,
            days=settings.form_link_days,
        )

    def form(self, purpose: str, *, subject: str | None, ref: str, now: datetime) -> str | None:
        """A signed link to one form for one person, or None without a key or a person."""
        if self.tokens is None or not subject:
            return None
        expires = now + timedelta(days=self.days * LIFETIME_DAYS[purpose])
        token = self.tokens.issue(purpose=purpose, subject=subject, ref=ref, expires_at=expires)
        return f"{self.public_url}/forms/{purpose}/{token}"

    def badge(self, uid: str) -> str:
        """The public certificate page of a badge."""
        return f"{self.public_url}/badges/{uid}"
