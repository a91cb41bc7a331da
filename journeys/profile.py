"""The employer profile: calendar, send window and learning offer, from YAML."""

from __future__ import annotations

from datetime import date
from datetime import time as LocalTime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from journeys.errors import DefinitionError, DefinitionErrors
from journeys.retention import RetentionPolicy
from journeys.yamlsource import load_yaml, validation_errors

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _time_of(value: object) -> object:
    if isinstance(value, int):  # YAML 1.1 reads 09:00 as sexagesimal 540
        return LocalTime(value // 60, value % 60)
    return value


class HolidayRules(_Strict):
    """Public holidays of a country, plus the employer's own added and removed days."""

    country: str = Field(default="NL", min_length=2, max_length=2)
    subdivision: str | None = None
    add: tuple[date, ...] = ()
    remove: tuple[date, ...] = ()
    ignore: tuple[str, ...] = ()  # public holidays worked here, by name, e.g. "Good Friday"


class SendWindow(_Strict):
    """Local hours in which messages may go out."""

    start: LocalTime = LocalTime(9, 0)
    end: LocalTime = LocalTime(17, 0)

    _parse = field_validator("start", "end", mode="before")(classmethod(lambda cls, v: _time_of(v)))

    @model_validator(mode="after")
    def _ordered(self) -> SendWindow:
        if self.end <= self.start:
            raise ValueError("send window end must be after its start")
        return self


LocalizedText = str | dict[Literal["nl", "en"], str]


class Academy(_Strict):
    """The employer's learning environment."""

    name: str
    url: str | None = None


class CoachContact(_Strict):
    """Who coaches new hires when the HR system names no coach: a person or a coaching team."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)


class Coaching(_Strict):
    """The 1:1 career-coaching offer to new hires."""

    coach: CoachContact | None = None
    sessions: int = Field(default=6, ge=2, le=26)
    every_weeks: int = Field(default=2, ge=1, le=12)
    duration_minutes: int = Field(default=45, ge=15, le=240)


class LearningOffer(_Strict):
    """What the employer offers for learning; feeds texts and suggestions."""

    budget_per_year: int | None = Field(default=None, ge=0)
    currency: str = "EUR"
    study_hours_per_month: int | None = Field(default=None, ge=0)
    training_days_per_year: int | None = Field(default=None, ge=0)
    academy: Academy | None = None
    coaching: Coaching = Field(default_factory=Coaching)
    knowledge_sharing: LocalizedText | None = None

    def knowledge_sharing_text(self, locale: str) -> str | None:
        """The knowledge-sharing practice in a language (a plain string serves every language)."""
        value = self.knowledge_sharing
        if value is None or isinstance(value, str):
            return value
        return value.get(locale) or value.get("en") or next(iter(value.values()), None)


class Retention(_Strict):
    """How long personal data is kept; the rejected-candidate email states these numbers."""

    candidate_weeks: int = Field(default=4, ge=1, le=26)  # after a rejected procedure ends
    consent_months: int = Field(default=12, ge=1, le=24)  # instead, when the candidate consents
    employee_months: int = Field(default=6, ge=0, le=120)  # after a hire's employment ends

    def policy(self) -> RetentionPolicy:
        """The retention rule's policy."""
        return RetentionPolicy(
            candidate_weeks=self.candidate_weeks,
            consent_months=self.consent_months,
            employee_months=self.employee_months,
        )


class SlackChat(_Strict):
    """Slack as the employer set it up; the Apprise URL with the token comes from the env."""

    team_channel: str | None = Field(default=None, pattern=r"^#?[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
    direct_messages: bool = True  # to people with a Slack member id; needs a bot token URL


class TeamsChat(_Strict):
    """Teams through Power Automate workflows; their URLs come from the environment."""

    team_channel: str | None = Field(default=None, max_length=200)  # name shown to HR only
    direct_messages: bool = False  # needs a second workflow that posts to a chat with a user


class ChatSetup(_Strict):
    """Chat services the employer uses; steps that name chat go by email where this is empty."""

    slack: SlackChat | None = None
    teams: TeamsChat | None = None
    team_locale: Literal["nl", "en"] | None = None  # team posts; default: default_locale


class EmployerProfile(_Strict):
    """One employer: name, zone, languages, calendar, send window and learning offer."""

    name: str = Field(min_length=1)
    timezone: str = "Europe/Amsterdam"
    locales: tuple[Literal["nl", "en"], ...] = ("nl", "en")
    default_locale: Literal["nl", "en"] = "nl"
    working_days: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri")
    holidays: HolidayRules = Field(default_factory=HolidayRules)
    send_window: SendWindow = Field(default_factory=SendWindow)
    probation_months: int = Field(default=1, ge=0, le=24)
    learning: LearningOffer = Field(default_factory=LearningOffer)
    retention: Retention = Field(default_factory=Retention)
    chat: ChatSetup = Field(default_factory=ChatSetup)
    mail_domain: str = Field(default="leerpad.example", pattern=r"^[A-Za-z0-9.-]+$")
    website: str | None = None
    hr_min_group: int = Field(default=5, ge=2, le=100)  # HR figures: smaller teams are folded

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}, e.g. Europe/Amsterdam") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> EmployerProfile:
        if not self.working_days:
            raise ValueError("working_days needs at least one day")
        if self.default_locale not in self.locales:
            raise ValueError("default_locale must be one of locales")
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The employer's IANA zone."""
        return ZoneInfo(self.timezone)


def is_known_zone(name: str | None) -> bool:
    """Tell whether a name is an IANA zone this machine knows."""
    return bool(name) and name in available_timezones()


def parse_profile(text: str, *, file: str) -> EmployerProfile:
    """Validate an employer profile YAML text; errors name file, line and field."""
    data = load_yaml(text, file=file)
    if not isinstance(data, dict):
        raise DefinitionErrors(
            [DefinitionError(file=file, line=1, field="(root)", message="expected a mapping")]
        )
    try:
        return EmployerProfile.model_validate(data)
    except ValidationError as exc:
        raise DefinitionErrors(validation_errors(exc, data=data, file=file)) from None


def load_profile(path: Path) -> EmployerProfile:
    """Read and validate an employer profile file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = DefinitionError(file=str(path), line=None, field="(file)", message=str(exc))
        raise DefinitionErrors([error]) from None
    return parse_profile(text, file=str(path))
