"""The journey DSL: YAML definitions validated into frozen pydantic models."""

from __future__ import annotations

import re
from datetime import time as LocalTime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from journeys.errors import DefinitionError, DefinitionErrors
from journeys.yamlsource import load_yaml, validation_errors

Channel = Literal["email", "invite", "prompt", "badge"]
# Where a step's message goes: email, a direct message (slack, teams) or a post in the employer's
# team channel (slack-channel, teams-channel). Chat the employer did not configure goes by email.
Route = Literal["email", "slack", "teams", "slack-channel", "teams-channel"]
CHAT_ROUTES: tuple[str, ...] = ("slack", "teams", "slack-channel", "teams-channel")
Role = Literal["candidate", "new_hire", "leader", "coach", "buddy"]
OffsetUnit = Literal["days", "working_days", "weeks"]
LOCALES: tuple[str, ...] = ("nl", "en")

_OFFSET = re.compile(
    r"^\s*(?P<sign>[+-])?\s*(?P<n>\d{1,3})\s*"
    r"(?P<unit>days?|working[ _]days?|weeks?|d|wd|w)\s*$",
    re.IGNORECASE,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Strict):
    """A short text in every supported language."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, locale: str) -> str:
        """Return the text for a locale, falling back to English."""
        return self.nl if locale == "nl" else self.en


class Offset(_Strict):
    """A distance from the anchor: `-10 working days`, `+2 weeks`, `0 days`."""

    amount: int
    unit: OffsetUnit

    @classmethod
    def parse(cls, text: str | int) -> Offset:
        """Parse the compact form used in YAML."""
        if isinstance(text, int):
            return cls(amount=text, unit="days")
        match = _OFFSET.match(str(text))
        if not match:
            raise ValueError(
                f"offset {text!r} is not like '-10 working days', '+2 weeks' or '0 days'"
            )
        amount = int(match["n"]) * (-1 if match["sign"] == "-" else 1)
        raw = match["unit"].lower().replace(" ", "_")
        unit: OffsetUnit
        if raw.startswith("working") or raw == "wd":
            unit = "working_days"
        elif raw.startswith("w"):
            unit = "weeks"
        else:
            unit = "days"
        return cls(amount=amount, unit=unit)

    def __str__(self) -> str:
        label = self.unit.replace("_", " ")
        return f"{self.amount:+d} {label}"


class Repeat(_Strict):
    """A bounded series: one recurring invite, never an open-ended one."""

    every_weeks: int = Field(ge=1, le=12)
    count: int = Field(ge=2, le=26)


class InviteSpec(_Strict):
    """What a calendar invite step books: the meeting is planned apart from when it is sent."""

    meeting_offset: Offset
    meeting_time: LocalTime = LocalTime(10, 0)
    duration_minutes: int = Field(ge=5, le=480)
    attendees: tuple[Role, ...] = Field(min_length=1)
    location: Localized | None = None
    repeat: Repeat | None = None

    @field_validator("meeting_offset", mode="before")
    @classmethod
    def _parse_offset(cls, value: object) -> object:
        if isinstance(value, (str, int)):
            return Offset.parse(value)
        return value

    @field_validator("meeting_time", mode="before")
    @classmethod
    def _parse_time(cls, value: object) -> object:
        if isinstance(value, int):  # YAML 1.1 reads 10:00 as sexagesimal 600
            return LocalTime(value // 60, value % 60)
        return value


class Step(_Strict):
    """One touchpoint of a journey."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    title: Localized
    channel: Channel
    to: Role
    offset: Offset = Field(default_factory=lambda: Offset(amount=0, unit="days"))
    time: LocalTime | None = None
    on: str | None = None
    stages: tuple[str, ...] = ()
    template: str | None = None
    invite: InviteSpec | None = None
    channels: tuple[Route, ...] = ()  # empty: email only, as before

    @field_validator("offset", mode="before")
    @classmethod
    def _parse_offset(cls, value: object) -> object:
        if isinstance(value, (str, int)):
            return Offset.parse(value)
        return value

    @field_validator("time", mode="before")
    @classmethod
    def _parse_time(cls, value: object) -> object:
        if isinstance(value, int):  # YAML 1.1 reads 09:00 as sexagesimal 540
            return LocalTime(value // 60, value % 60)
        return value

    @model_validator(mode="after")
    def _invite_needs_spec(self) -> Step:
        if self.channel == "invite" and self.invite is None:
            raise ValueError("a step with channel 'invite' needs an 'invite:' block")
        if self.channel != "invite" and self.invite is not None:
            raise ValueError("'invite:' is only allowed when channel is 'invite'")
        return self

    @field_validator("channels", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("channels")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        doubles = sorted({v for v in value if value.count(v) > 1})
        if doubles:
            raise ValueError(f"channel {doubles[0]!r} is named twice")
        return value

    @model_validator(mode="after")
    def _invites_go_by_email(self) -> Step:
        if self.channel == "invite" and any(r in CHAT_ROUTES for r in self.channels):
            raise ValueError("an invite goes by email only: remove the chat channels")
        return self

    @property
    def chat_routes(self) -> tuple[str, ...]:
        """The chat channels this step names, in order (none: email only)."""
        return tuple(r for r in self.channels if r in CHAT_ROUTES)

    @property
    def email_always(self) -> bool:
        """Whether the email goes whatever happens in chat (else email is only the fallback)."""
        return not self.chat_routes or "email" in self.channels

    def template_key(self, journey_key: str) -> str:
        """Return the template name, `<journey>/<step>` unless set."""
        return self.template or f"{journey_key}/{self.key}"


class Journey(_Strict):
    """A journey definition: who is enrolled, from what anchor, and which steps."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Localized
    description: Localized | None = None
    audience: Role
    anchor: Literal["start_date", "event"]
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Journey:
        seen: set[str] = set()
        for step in self.steps:
            if step.key in seen:
                raise ValueError(f"step key {step.key!r} is used twice")
            seen.add(step.key)
            if self.anchor == "event" and not step.on:
                raise ValueError(f"step {step.key!r}: journeys anchored on events need 'on:'")
            if self.anchor == "start_date" and step.on:
                raise ValueError(f"step {step.key!r}: 'on:' only fits journeys with anchor: event")
        return self

    def step(self, key: str) -> Step:
        """Return the step with this key."""
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


def parse_journey(text: str, *, file: str) -> Journey:
    """Validate one journey YAML text.

    Raises:
        DefinitionErrors: every problem found, each with file, line and field.
    """
    data = load_yaml(text, file=file)
    if not isinstance(data, dict):
        raise DefinitionErrors(
            [DefinitionError(file=file, line=1, field="(root)", message="expected a mapping")]
        )
    try:
        return Journey.model_validate(data)
    except ValidationError as exc:
        raise DefinitionErrors(validation_errors(exc, data=data, file=file)) from None


def load_journey(path: Path) -> Journey:
    """Read and validate one journey file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionErrors(
            [DefinitionError(file=str(path), line=None, field="(file)", message=str(exc))]
        ) from None
    return parse_journey(text, file=str(path))
