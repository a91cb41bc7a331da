"""The contract every webhook source implements: verify, dedupe, parse; its errors and results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from integrations.errors import IntegrationError
from journeys.events import Event


class SourceError(IntegrationError):
    """A webhook delivery that cannot be accepted as it is."""


class SignatureError(SourceError):
    """The signature is missing, wrong or replayed (HTTP 401, nothing stored)."""


class PayloadError(SourceError):
    """The body is not what the vendor documents (HTTP 400, kept for inspection)."""


class NotConfigured(SourceError):
    """No secret is configured for the source: refused, never accepted unsigned."""


class UnknownSource(SourceError):
    """No adapter has that source name (HTTP 404)."""


@dataclass(frozen=True)
class Ignored:
    """A ping or an event type Leerpad does not use: acknowledged and recorded as ignored."""

    reason: str


@dataclass(frozen=True)
class Fetch:
    """The webhook carries only ids: fetch the record from the vendor API to build the event."""

    kind: str  # "<source>.<record>", e.g. "lever.opportunity"
    ids: dict[str, str]
    event: str = ""  # the vendor's event name; decides the canonical type with the record
    event_id: str = ""  # the dedupe key the resolved event carries as its id
    occurred_at: datetime | None = field(default=None)

    @property
    def source(self) -> str:
        """Return the source name the kind starts with."""
        return self.kind.partition(".")[0]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready form, so an inbox can store the fetch and resolve it later."""
        when = self.occurred_at.isoformat() if self.occurred_at else None
        return {
            "kind": self.kind,
            "ids": dict(self.ids),
            "event": self.event,
            "event_id": self.event_id,
            "occurred_at": when,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fetch:
        """Rebuild a fetch stored with to_dict."""
        when = data.get("occurred_at")
        return cls(
            kind=str(data["kind"]),
            ids={str(k): str(v) for k, v in dict(data.get("ids") or {}).items()},
            event=str(data.get("event") or ""),
            event_id=str(data.get("event_id") or ""),
            occurred_at=utc(datetime.fromisoformat(when)) if when else None,
        )


Parsed = Event | Ignored | Fetch


class SourceAdapter(Protocol):
    """One ATS or HRIS: verify a delivery, name its dedupe key, normalise its body."""

    name: str

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check the signature on the raw bytes; raise SignatureError or NotConfigured."""
        ...

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return "<source>:<vendor event id>", else "<source>:<sha256 of the body>"."""
        ...

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Normalise the body; raise PayloadError when it cannot be read."""
        ...


def utc(moment: datetime) -> datetime:
    """Return an aware UTC datetime (naive ones are taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
