"""Parse moments given on the command line or as flow parameters."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_moment(text: str) -> datetime:
    """Parse ISO-8601; a moment without offset is taken as UTC.

    Raises:
        ValueError: the text is not an ISO-8601 date or date-time.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
