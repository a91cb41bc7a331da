"""Signed, expiring form links: HMAC-SHA256 over purpose, person uid, reference and expiry.

A token is `<payload>.<signature>`, both base64url without padding. The payload is readable (it
holds opaque uids, no names); the signature makes it tamper-proof and binds it to one purpose,
so a "done" link can never be used to post goals. Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from integrations.errors import IntegrationError

PURPOSES = ("goals", "reflection", "done", "share")
_SHAPE = re.compile(r"[A-Za-z0-9_-]{8,800}\.[A-Za-z0-9_-]{43}")
_DOMAIN = b"leerpad.form-link.v1:"


class TokenError(IntegrationError):
    """A form link that cannot be used; `reason` is invalid, expired or purpose."""

    reason = "invalid"

    def __init__(self, message: str, claims: Claims | None = None) -> None:
        super().__init__(message)
        self.claims = claims


class TokenExpired(TokenError):
    """A genuine link whose time is up; its claims tell whose it was."""

    reason = "expired"


class TokenWrongPurpose(TokenError):
    """A genuine link used for another form than it was made for."""

    reason = "purpose"


@dataclass(frozen=True)
class Claims:
    """What a verified link says: for which form, whom, what, until when."""

    purpose: str
    subject: str
    ref: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FormTokens:
    """Issues and verifies form-link tokens with one secret key."""

    def __init__(self, key: str | bytes) -> None:
        raw = key.encode("utf-8") if isinstance(key, str) else key
        if len(raw) < 16:
            raise ValueError("LEERPAD_SIGNING_KEY must be at least 16 characters")
        self._key = hashlib.sha256(b"leerpad-form-links:" + raw).digest()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, _DOMAIN + payload.encode("ascii"), "sha256").digest())

    def issue(self, *, purpose: str, subject: str, ref: str, expires_at: datetime) -> str:
        """Return a token for one purpose, person uid and reference, valid until expires_at."""
        if purpose not in PURPOSES:
            raise ValueError(f"unknown purpose {purpose!r}")
        body = {"p": purpose, "s": subject, "r": ref, "x": int(expires_at.timestamp())}
        payload = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str, *, purpose: str, now: datetime) -> Claims:
        """Return the claims of a genuine, unexpired token made for this purpose.

        Raises:
            TokenError: tampered or malformed; TokenWrongPurpose; TokenExpired.
        """
        if not _SHAPE.fullmatch(token):
            raise TokenError("malformed link")
        payload, _, signature = token.partition(".")
        if not hmac.compare_digest(self._sign(payload).encode(), signature.encode()):
            raise TokenError("signature does not match")
        try:
            body = json.loads(_unb64(payload))
            claims = Claims(
                purpose=str(body["p"]),
                subject=str(body["s"]),
                ref=str(body["r"]),
                expires_at=datetime.fromtimestamp(int(body["x"]), UTC),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise TokenError("unreadable link") from exc
        if claims.purpose != purpose:
            raise TokenWrongPurpose(f"a {claims.purpose} link used for {purpose}", claims)
        if now >= claims.expires_at:
            raise TokenExpired("link expired", claims)
        return claims
