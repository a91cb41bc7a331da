"""Webhook fixtures, signers computing each vendor's signature, the local API server state."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from integrations.sources.headers import HeaderMap, read_header_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "webhooks"
SECRET = "test-secret-Ünïcode-ok"
NOW = datetime(2026, 1, 31, 18, 43, tzinfo=UTC)
RECEIVED = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def body(relative: str) -> bytes:
    """Return a fixture body as raw bytes."""
    return (FIXTURES / relative).read_bytes()


def headers_of(relative: str) -> HeaderMap:
    """Return a fixture's documented headers (comments and request line skipped)."""
    return read_header_file(FIXTURES / relative)


def _hex(message: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _stamp(now: datetime) -> str:
    return str(int(now.timestamp()))


Signer = Callable[[bytes, dict[str, str], datetime], tuple[bytes, dict[str, str]]]


def sign_greenhouse(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Greenhouse and Greenhouse Onboarding: `Signature: sha256 <hex>`."""
    return raw, headers | {"Signature": f"sha256 {_hex(raw)}"}


def sign_recruitee(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Recruitee: hex HMAC of the body."""
    return raw, headers | {"X-Recruitee-Signature": _hex(raw)}


def sign_workable(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Workable: hex HMAC of the body."""
    return raw, headers | {"X-Workable-Signature": _hex(raw)}


def sign_generic(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Our own: `X-Leerpad-Signature: sha256=<hex>`."""
    return raw, headers | {"X-Leerpad-Signature": f"sha256={_hex(raw)}"}


def sign_hibob(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """HiBob: base64 HMAC-SHA512 of the body."""
    digest = hmac.new(SECRET.encode(), raw, hashlib.sha512).digest()
    return raw, headers | {"Bob-Signature": base64.b64encode(digest).decode()}


def sign_personio(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Personio: the shared token, verbatim, in Authorization."""
    return raw, headers | {"Authorization": SECRET}


def sign_bamboohr(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """BambooHR: hex HMAC of body ‖ timestamp."""
    stamp = _stamp(now)
    signature = _hex(raw + stamp.encode())
    return raw, headers | {"X-BambooHR-Timestamp": stamp, "X-BambooHR-Signature": signature}


def sign_smartrecruiters(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """SmartRecruiters: HMAC of timestamp.body.event-id.event-name.event-version.link."""
    found = HeaderMap(headers)
    stamp = _stamp(now)
    parts = [stamp.encode(), raw] + [
        found.get(n, "").encode() for n in ("event-id", "event-name", "event-version", "link")
    ]
    signed = {"smartrecruiters-timestamp": stamp, "smartrecruiters-signature": ""}
    signed["smartrecruiters-signature"] = f"v1=deadbeef;v1={_hex(b'.'.join(parts))}"
    return raw, {k: v for k, v in headers.items() if "smartrecruiters-" not in k.lower()} | signed


def sign_teamtailor(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Teamtailor: partner `t=…,v1=…` over t.partner-event.id, or company v2 over t.body."""
    stamp = _stamp(now)
    data = json.loads(raw)
    if "partner-event" in data:
        signature = _hex(f"{stamp}.{data['partner-event']['id']}".encode())
        return raw, headers | {"Teamtailor-Signature": f"t={stamp},v1={signature},v0=00"}
    value = f"t={stamp},v2={_hex(stamp.encode() + b'.' + raw)}"
    return raw, headers | {"TT-Signature": base64.b64encode(value.encode()).decode()}


def sign_lever(raw: bytes, headers: dict[str, str], now: datetime) -> tuple[bytes, dict]:
    """Lever: put hex HMAC(token + triggeredAt) into the body, triggeredAt set to now."""
    data = json.loads(raw)
    data["triggeredAt"] = int(now.timestamp() * 1000)
    data["signature"] = _hex(f"{data['token']}{data['triggeredAt']}".encode())
    return json.dumps(data).encode(), headers


@dataclass
class ApiServer:
    """A real HTTP server on 127.0.0.1 answering routes with documented response shapes."""

    routes: dict[tuple[str, str], tuple[int, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def add(self, method: str, path: str, payload: Any, status: int = 200) -> None:
        """Answer METHOD path (query string ignored) with a status and a JSON payload."""
        self.routes[(method, path)] = (status, payload)
