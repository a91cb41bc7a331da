"""Signature helpers shared by the adapters: secrets, HMACs, constant-time compare, freshness."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from integrations.sources.base import NotConfigured, SignatureError, utc
from integrations.sources.headers import HeaderMap
from journeys.events import body_hash

REPLAY_WINDOW = timedelta(minutes=5)


def require_secret(source: str, secret: str | None) -> bytes:
    """Return the secret as bytes, or refuse when none is configured."""
    if not secret:
        raise NotConfigured(
            f"no secret configured for {source}; set LEERPAD_SECRET_{source.upper()}"
        )
    return secret.encode("utf-8")


def hmac_hex(key: bytes, message: bytes, digest: Callable[..., object] = hashlib.sha256) -> str:
    """Return the hex HMAC of a message."""
    return hmac.new(key, message, digest).hexdigest()  # type: ignore[arg-type]


def same(expected: str, given: str | None, *, fold_case: bool = True) -> bool:
    """Compare a computed signature with a received one in constant time."""
    value = (given or "").strip()
    if fold_case:
        value = value.lower()
    return hmac.compare_digest(expected.encode("ascii"), value.encode("utf-8", "replace"))


def signed_time(value: object, *, source: str, what: str, millis: bool = False) -> datetime:
    """Read a signed Unix timestamp (seconds, or milliseconds) or raise SignatureError."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        raise SignatureError(f"{source}: {what} is not a Unix timestamp: {str(value)[:40]!r}")
    seconds = int(text) / 1000 if millis else int(text)
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise SignatureError(f"{source}: {what} is out of range: {text}") from None


def check_fresh(
    *, source: str, signed_at: datetime, now: datetime, window: timedelta = REPLAY_WINDOW
) -> None:
    """Refuse a signature whose timestamp is further from now than the window (5 minutes)."""
    if abs(utc(now) - signed_at) > window:
        raise SignatureError(
            f"{source}: signed at {signed_at:%Y-%m-%dT%H:%M:%SZ}, more than "
            f"{int(window.total_seconds() // 60)} minutes from now "
            "(a replayed delivery, or a clock out of sync)"
        )


class BodySignedAdapter:
    """Base for vendors that sign the raw body with an HMAC carried in one header."""

    name: str = ""
    signature_header: str = ""

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Tell whether the header value signs the body."""
        raise NotImplementedError

    def verify(self, *, raw: bytes, headers: Mapping[str, str], secret: str, now: datetime) -> None:
        """Check the HMAC of the raw body in constant time."""
        key = require_secret(self.name, secret)
        given = HeaderMap(headers).get(self.signature_header)
        if not given or not given.strip():
            raise SignatureError(f"{self.name}: missing {self.signature_header} header")
        if not self.signature_ok(key=key, raw=raw, given=given):
            raise SignatureError(
                f"{self.name}: {self.signature_header} does not match the body "
                f"(wrong secret, or the body was changed); check LEERPAD_SECRET_{self.name.upper()}"
            )

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the body hash: this vendor sends no event id."""
        return f"{self.name}:{body_hash(raw)}"
