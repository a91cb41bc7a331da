"""The canonical event: what every ATS, HRIS, CSV row or CLI call is normalised into."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
)

from journeys.errors import InvalidEvent

Source = Literal[
    "greenhouse",
    "greenhouse_onboarding",
    "lever",
    "recruitee",
    "teamtailor",
    "workable",
    "smartrecruiters",
    "bamboohr",
    "personio",
    "hibob",
    "generic",
    "csv",
    "cli",
]

EventType = Literal[
    "vacancy.published",
    "vacancy.closed",
    "candidate.applied",
    "candidate.stage_changed",
    "candidate.offered",
    "candidate.hired",
    "candidate.rejected",
    "candidate.unhired",
    "candidate.erased",
    "employee.created",
    "employee.updated",
    "employee.terminated",
]

EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_null(cls, value: object) -> object:
        """Unknown fields are null, never the empty string; NUL characters are dropped."""
        if isinstance(value, str):
            value = value.replace("\x00", "")  # no database text column can hold one
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value


class PersonRef(_Part):
    """A person as a source system knows them."""

    external_id: str | None = None
    email: str | None = None
    personal_email: str | None = None
    work_email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    locale: str | None = None
    timezone: str | None = None
    # consent to keep the data for future vacancies: true given, false refused or withdrawn
    retention_consent: bool | None = None


class ManagerRef(_Part):
    """The hiring manager or line manager of an employment."""

    external_id: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class VacancyRef(_Part):
    """The vacancy an application or employment belongs to.

    `description` is the job ad's text (plain text or Markdown) when the source sends it with a
    published vacancy (Teamtailor's job body, a generic payload); it is checked and stored.
    """

    external_id: str | None = None
    title: str | None = None
    department: str | None = None
    description: str | None = Field(default=None, max_length=100_000)

    @model_serializer(mode="wrap")
    def _without_absent_description(self, handler: SerializerFunctionWrapHandler) -> Any:
        """The ad text is an addition to CONTRACTS §2: left out when there is none."""
        data = handler(self)
        if isinstance(data, dict) and data.get("description") is None:
            data.pop("description", None)
        return data


class ApplicationRef(_Part):
    """One application of a candidate to a vacancy."""

    external_id: str | None = None
    stage: str | None = None
    rejection_reason: str | None = None


class EmploymentRef(_Part):
    """The employment that a hire leads to."""

    start_date: date | None = None
    end_date: date | None = None
    title: str | None = None
    department: str | None = None
    manager: ManagerRef | None = None
    coach: ManagerRef | None = None
    buddy: ManagerRef | None = None


class Event(BaseModel):
    """A lifecycle event in canonical form (CONTRACTS.md §2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=3)
    source: Source
    type: EventType
    occurred_at: datetime
    person: PersonRef = Field(default_factory=PersonRef)
    vacancy: VacancyRef | None = None
    application: ApplicationRef | None = None
    employment: EmploymentRef | None = None

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def to_json(self) -> str:
        """Serialise as the canonical JSON of CONTRACTS.md §2."""
        return self.model_dump_json(indent=2)


def body_hash(raw: bytes) -> str:
    """Return the sha256 hex of a body, used as dedupe key when a vendor gives no event id."""
    return hashlib.sha256(raw).hexdigest()


def parse_generic(raw: bytes) -> Event:
    """Parse a body that already is a canonical event (source `generic`).

    Raises:
        InvalidEvent: the body is not JSON or not a valid canonical event.
    """
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InvalidEvent("body must be a JSON object with the canonical event fields")
    data.setdefault("source", "generic")
    if "id" not in data:
        data["id"] = f"{data['source']}:{body_hash(raw)}"
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(body)"
        raise InvalidEvent(f"{where}: {first['msg']}") from None
