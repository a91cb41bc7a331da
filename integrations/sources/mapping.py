"""Total helpers that read untrusted vendor JSON into canonical values, or raise PayloadError."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from integrations.sources.base import PayloadError, utc
from journeys.events import Event


def load_json(raw: bytes, *, source: str) -> Any:
    """Decode a UTF-8 JSON body, naming line and column when it is malformed."""
    try:
        body = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"{source} body is not UTF-8 text (bad byte at {exc.start})") from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        hint = "" if body.lstrip()[:1] in ("{", "[") else " (it does not start with '{')"
        raise PayloadError(
            f"{source} body is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}{hint}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"{source} body is not usable JSON: {str(exc)[:120]}") from None


def load_object(raw: bytes, *, source: str) -> dict[str, Any]:
    """Decode a body that must be a JSON object."""
    data = load_json(raw, source=source)
    if not isinstance(data, dict):
        raise PayloadError(f"{source} body must be a JSON object, not {type(data).__name__}")
    return data


def dig(value: Any, *path: str | int) -> Any:
    """Follow keys and list indexes; None as soon as one is missing or of the wrong type."""
    for step in path:
        if isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        elif isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            value = value[step]
        else:
            return None
    return value


def items(value: Any) -> list[dict[str, Any]]:
    """Return the objects of a JSON list, skipping anything else."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """Return a trimmed string for strings and whole numbers; None for blanks and the rest."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.strip() or None
    return None


def email(value: Any) -> str | None:
    """Return a lower-cased address, or None when the value does not look like one."""
    address = text(value)
    return address.lower() if address and "@" in address else None


def name_of(value: Any) -> str | None:
    """Return the text of a value, or its "name"/"label"/"title"/"text" when it is an object."""
    if isinstance(value, dict):
        for key in ("name", "label", "title", "text", "value"):
            if found := text(value.get(key)):
                return found
        return None
    return text(value)


def split_name(full: Any) -> tuple[str | None, str | None]:
    """Split a single-string name into first name and the rest."""
    words = (text(full) or "").split()
    if not words:
        return None, None
    return words[0], (" ".join(words[1:]) or None)


def as_date(value: Any, *, where: str) -> date | None:
    """Read YYYY-MM-DD, MM/DD/YYYY or an ISO timestamp; None for blanks and 0000-00-00."""
    raw = text(value)
    if raw is None or raw.startswith("0000-00-00"):
        return None
    try:
        if len(raw) == 10 and raw[2] == "/" and raw[5] == "/":
            return datetime.strptime(raw, "%m/%d/%Y").date()
        if len(raw) == 10:
            return date.fromisoformat(raw)
        return as_datetime(raw, where=where).date()  # type: ignore[union-attr]
    except (ValueError, PayloadError):
        raise PayloadError(f"{where} is not a date: {raw[:40]!r}") from None


def date_from_millis(value: Any, *, where: str) -> date | None:
    """Read a Unix timestamp in milliseconds as a UTC date."""
    moment = as_datetime(value, where=where, millis=True)
    return moment.date() if moment else None


def as_datetime(value: Any, *, where: str, millis: bool = False) -> datetime | None:
    """Read an ISO-8601 timestamp (naive is UTC) or a Unix time; None for blanks."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if millis else value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise PayloadError(f"{where} is not a usable Unix time: {value!r}") from None
    raw = text(value)
    if raw is None:
        return None
    try:
        return utc(datetime.fromisoformat(raw))
    except ValueError:
        raise PayloadError(f"{where} is not an ISO-8601 timestamp: {raw[:40]!r}") from None


def first_time(*values: Any, where: str, fallback: datetime) -> datetime:
    """Return the first readable timestamp of the values, else the fallback."""
    for value in values:
        moment = as_datetime(value, where=where)
        if moment is not None:
            return moment
    return utc(fallback)


def build_event(data: dict[str, Any]) -> Event:
    """Validate a canonical event, turning a validation failure into a PayloadError."""
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(event)"
        raise PayloadError(f"cannot build the canonical event: {where}: {first['msg']}") from None
