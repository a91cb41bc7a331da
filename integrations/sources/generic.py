"""Our own canonical JSON, for any system that can post it: `X-Leerpad-Signature: sha256=<hex>`."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from integrations.sources.base import Parsed, PayloadError
from integrations.sources.mapping import load_object, text
from integrations.sources.signing import BodySignedAdapter, hmac_hex, same
from journeys.errors import InvalidEvent
from journeys.events import body_hash, parse_generic


class GenericAdapter(BodySignedAdapter):
    """A body that already is a canonical event (CONTRACTS §2)."""

    name = "generic"
    signature_header = "X-Leerpad-Signature"

    def signature_ok(self, *, key: bytes, raw: bytes, given: str) -> bool:
        """Check `sha256=<hex>` of the body."""
        scheme, _, digest = given.strip().partition("=")
        return scheme.strip().lower() == "sha256" and same(
            hmac_hex(key, raw, hashlib.sha256), digest
        )

    def dedupe_key(self, *, raw: bytes, headers: Mapping[str, str]) -> str:
        """Return the body's `id` (prefixed "generic:" when it is not), else the body hash."""
        try:
            given = text(load_object(raw, source=self.name).get("id"))
        except PayloadError:
            given = None
        if given is None:
            return f"generic:{body_hash(raw)}"
        return given if given.startswith("generic:") else f"generic:{given}"

    def parse(self, *, raw: bytes, headers: Mapping[str, str], received_at: datetime) -> Parsed:
        """Validate the canonical event; its id becomes the dedupe key."""
        try:
            event = parse_generic(raw)
        except InvalidEvent as exc:
            raise PayloadError(f"generic body rejected: {exc}") from None
        except (ValueError, TypeError, RecursionError) as exc:
            raise PayloadError(f"generic body rejected: {str(exc)[:120]}") from None
        return event.model_copy(update={"id": self.dedupe_key(raw=raw, headers=headers)})
