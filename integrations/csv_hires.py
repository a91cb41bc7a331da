"""CSV exports of new hires (CONTRACTS §4) into canonical `employee.created` events."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from journeys.events import Event

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "start_date",
    "locale",
    "timezone",
    "title",
    "department",
    "manager_email",
    "coach_email",
    "personal_email",
)
REQUIRED = ("email", "start_date")


class CsvFileError(ValueError):
    """The file as a whole cannot be read: no header row, or a required column missing."""


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line number and either an event or the reason it was refused."""

    line: int
    event: Event | None
    error: str | None = None


def _email(value: str, column: str) -> str:
    if value and (
        " " in value or value.count("@") != 1 or value.startswith("@") or value.endswith("@")
    ):
        raise ValueError(f"{column} {value!r} is not an email address")
    return value.lower()


def _row_event(row: dict[str, str], *, now: datetime) -> Event:
    values = {k: (row.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            raise ValueError(f"{column} is empty; it is required")
    for column in ("email", "manager_email", "coach_email", "personal_email"):
        values[column] = _email(values[column], column)
    try:
        start = date.fromisoformat(values["start_date"])
    except ValueError:
        raise ValueError(f"start_date {values['start_date']!r} is not YYYY-MM-DD") from None
    if values["locale"] and values["locale"] not in ("nl", "en"):
        raise ValueError(f"locale {values['locale']!r} must be nl or en")
    if values["timezone"]:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone {values['timezone']!r} is not an IANA zone") from None
    fingerprint = hashlib.sha256("\x1f".join(values[k] for k in COLUMNS).encode()).hexdigest()

    def contact(address: str) -> dict[str, str] | None:
        return {"email": address} if address else None

    try:
        return Event.model_validate(
            {
                "id": f"csv:{fingerprint}",
                "source": "csv",
                "type": "employee.created",
                "occurred_at": now,
                "person": {
                    "email": values["email"],
                    "work_email": values["email"],
                    "personal_email": values["personal_email"],
                    "first_name": values["first_name"],
                    "last_name": values["last_name"],
                    "locale": values["locale"],
                    "timezone": values["timezone"],
                },
                "employment": {
                    "start_date": start,
                    "title": values["title"],
                    "department": values["department"],
                    "manager": contact(values["manager_email"]),
                    "coach": contact(values["coach_email"]),
                },
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ValueError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def read_hires(text: str, *, now: datetime) -> Iterator[CsvRow]:
    """Yield one CsvRow per data row; `;` or `,` separated, header row required.

    Raises:
        CsvFileError: no header row, or the email or start_date column is missing.
    """
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise CsvFileError(f"line {reader.line_num}: {exc}; is this a CSV file?") from None
    missing = [c for c in REQUIRED if c not in header]
    if not header or missing:
        raise CsvFileError(
            f"the header row must name the columns ({', '.join(COLUMNS)}); missing: "
            f"{', '.join(missing or REQUIRED)}"
        )
    reader.fieldnames = header
    for row in _rows(reader):
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue
        try:
            yield CsvRow(line=reader.line_num, event=_row_event(row, now=now))
        except ValueError as exc:
            yield CsvRow(line=reader.line_num, event=None, error=str(exc))


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    """The reader's rows; a line the csv module cannot read stops the file with its number."""
    try:
        yield from reader
    except csv.Error as exc:
        reason = f"line {reader.line_num}: {exc}; fix that line and import again"
        raise CsvFileError(reason) from None
