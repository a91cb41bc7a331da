"""Signed, expiring HR session cookies, CSRF tokens and a failed-login throttle (in process).

A session cookie is `<payload>.<mac>`: base64url JSON {u, iat, exp, sid} and an HMAC-SHA256 with
a key derived from LEERPAD_SIGNING_KEY for this purpose only (form links use another).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as Base64Error
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_COOKIE = 1024


def _b64(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class HrSession:
    """A verified session: who, when it was issued and until when, and its random id."""

    user: str
    issued_at: int
    expires_at: int
    sid: str = field(repr=False)


class SessionSigner:
    """Issue and verify session cookies and CSRF tokens with one derived HMAC key."""

    def __init__(self, signing_key: str, *, hours: int) -> None:
        self._key = hmac.new(
            signing_key.encode(), b"leerpad-hr-session-v1", hashlib.sha256
        ).digest()
        self.lifetime = hours * 3600

    def __repr__(self) -> str:
        return f"SessionSigner(hours={self.lifetime // 3600})"

    def _mac(self, purpose: str, data: str) -> str:
        message = f"{purpose}\n{data}".encode()
        return _b64(hmac.new(self._key, message, hashlib.sha256).digest())

    def issue(self, user: str, *, now: datetime) -> tuple[str, HrSession]:
        """A new cookie value for a user and the session it stands for."""
        issued = int(now.timestamp())
        session = HrSession(user, issued, issued + self.lifetime, secrets.token_hex(16))
        body = {"u": user, "iat": issued, "exp": session.expires_at, "sid": session.sid}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._mac('session', payload)}", session

    def verify(self, cookie: str | None, *, now: datetime) -> HrSession | None:
        """The session of a cookie, or None when it is missing, tampered with or expired."""
        if not cookie or len(cookie) > MAX_COOKIE or cookie.count(".") != 1:
            return None
        payload, mac = cookie.split(".")
        if not hmac.compare_digest(mac.encode(), self._mac("session", payload).encode()):
            return None
        try:
            body = json.loads(_unb64(payload))
            user, issued, expires, sid = body["u"], body["iat"], body["exp"], body["sid"]
        except (Base64Error, ValueError, KeyError, TypeError):
            return None
        if not all(isinstance(v, int) for v in (issued, expires)) or not isinstance(user, str):
            return None
        moment = now.timestamp()
        if not (issued - 60 <= moment < expires) or expires - issued > self.lifetime:
            return None
        return HrSession(user, issued, expires, str(sid))

    def csrf_for_session(self, session: HrSession) -> str:
        """The CSRF token of the forms shown inside a session (bound to its id)."""
        return self._mac("csrf-session", session.sid)

    def csrf_for_login(self, nonce: str) -> str:
        """The CSRF token of the login form, bound to the nonce in its pre-login cookie."""
        return self._mac("csrf-login", nonce)

    @staticmethod
    def same(given: str | None, expected: str) -> bool:
        """Compare a posted token with the expected one in constant time."""
        return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


class Revoked:
    """Session ids logged out before they expired, kept until they would have expired."""

    def __init__(self) -> None:
        self._until: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, session: HrSession, *, now: datetime) -> None:
        """Refuse this session from now on."""
        with self._lock:
            moment = now.timestamp()
            self._until = {s: t for s, t in self._until.items() if t > moment}
            self._until[session.sid] = session.expires_at

    def __contains__(self, session: object) -> bool:
        return isinstance(session, HrSession) and session.sid in self._until


class LoginThrottle:
    """At most `limit` failed logins per (client IP, user name) in a sliding window."""

    def __init__(self, *, limit: int = 5, window: timedelta = timedelta(minutes=15),
                 max_keys: int = 10_000) -> None:  # fmt: skip
        self.limit, self.window, self.max_keys = limit, window.total_seconds(), max_keys
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], moment: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= moment - self.window:
            times.popleft()
        return times

    def retry_after(self, *, client: str, user: str, now: datetime) -> int:
        """Seconds until this pair may try again; 0 when it may try now."""
        moment, key = now.timestamp(), (client, user.lower())
        with self._lock:
            times = self._recent(key, moment)
            if len(times) < self.limit:
                return 0
            return max(1, int(times[0] + self.window - moment) + 1)

    def failed(self, *, client: str, user: str, now: datetime) -> None:
        """Count one failed login."""
        moment, key = now.timestamp(), (client, user.lower())
        with self._lock:
            if key not in self._failures and len(self._failures) >= self.max_keys:
                self._failures.pop(next(iter(self._failures)))
            times = self._recent(key, moment)
            times.append(moment)
            self._failures[key] = times

    def succeeded(self, *, client: str, user: str) -> None:
        """Forget the failures of a pair after a successful login."""
        with self._lock:
            self._failures.pop((client, user.lower()), None)
