"""File outbox: every message becomes an .eml file in a directory (the local default)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path

from integrations.mail.message import DeliveryError, DeliveryResult, OnResult, OutgoingMessage
from integrations.mail.mime import build_mime


def _slug(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:16]


def eml_name(message: OutgoingMessage) -> str:
    """Return the file name for message: UTC date + a hash slug of the Message-ID, no PII."""
    stamp = message.date.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{_slug(message.message_id)}.eml"


class FileOutbox:
    """Write messages as .eml files; writing a Message-ID again replaces its earlier file."""

    transport = "outbox"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def send_batch(
        self, messages: Sequence[OutgoingMessage], on_result: OnResult | None = None
    ) -> list[DeliveryResult]:
        """Write each message atomically and return one result per message, in order.

        `on_result` is called with each result right after its file is in place.
        """
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(f"cannot create outbox directory {self.directory}: {exc}") from exc
        results = []
        for message in messages:
            results.append(self._write(message))
            if on_result is not None:
                on_result(results[-1])
        return results

    def _write(self, message: OutgoingMessage) -> DeliveryResult:
        target = self.directory / eml_name(message)
        try:
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".eml")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(build_mime(message))
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, target)
                for older in self.directory.glob(f"*-{_slug(message.message_id)}.eml"):
                    if older != target:  # a retry with a later Date replaces the first attempt
                        older.unlink(missing_ok=True)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            return DeliveryResult(
                message.message_id, ok=False, detail=f"outbox write failed: {exc}"
            )
        return DeliveryResult(message.message_id, ok=True, detail=str(target))
