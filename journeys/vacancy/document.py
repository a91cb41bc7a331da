"""A vacancy file (CONTRACTS §6b): optional YAML front matter and the vacancy text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from journeys.errors import DefinitionError, DefinitionErrors
from journeys.vacancy.frontmatter import split_front_matter
from journeys.yamlsource import load_yaml, validation_errors

EmploymentType = Literal[
    "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Location(_Strict):
    """Where the job is: city, region and ISO 3166 country code."""

    city: str | None = None
    region: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$")

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class Salary(_Strict):
    """The pay range: schema.org MonetaryAmount with a QuantitativeValue."""

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    unit: Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"] = "MONTH"

    @model_validator(mode="after")
    def _range(self) -> Salary:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.max < self.min:
            raise ValueError("max must not be below min")
        return self


class VacancyMeta(_Strict):
    """The front matter keys; all optional for `check`, `title` required for `render`."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    department: str | None = None
    location: Location | None = None
    remote: Literal[True, False, "hybrid"] | None = None
    employment_type: EmploymentType | tuple[EmploymentType, ...] | None = None
    hours_per_week: float | None = Field(default=None, gt=0, le=80)
    salary: Salary | None = None
    date_posted: date | None = None
    valid_through: date | datetime | None = None
    language: Literal["nl", "en"] | None = None
    external_id: str | None = None

    @field_validator("external_id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class Vacancy(_Strict):
    """One vacancy: its front matter and its text (the body findings point into)."""

    meta: VacancyMeta = Field(default_factory=VacancyMeta)
    text: str
    file: str = "<text>"
    body_line: int = 1  # the file line the text starts on


def parse_vacancy(source: str, *, file: str = "<text>") -> Vacancy:
    """Parse a vacancy file's text; front matter errors name the file, line and field.

    Raises:
        DefinitionErrors: the front matter is unclosed, not YAML, not a mapping or invalid.
    """
    split = split_front_matter(source, file=file)
    body_line = source.count("\n", 0, split.body_offset) + 1
    if split.front_matter is None:
        return Vacancy(text=split.body, file=file, body_line=body_line)
    shift = split.front_matter_line - 1
    try:
        data = load_yaml(split.front_matter, file=file)
    except DefinitionErrors as exc:
        raise DefinitionErrors([_shifted(e, shift) for e in exc.errors]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        error = DefinitionError(
            file=file,
            line=split.front_matter_line,
            field="(front matter)",
            message="expected keys like 'title: …', found a single value",
        )
        raise DefinitionErrors([error])
    try:
        meta = VacancyMeta.model_validate(data)
    except ValidationError as exc:
        errors = validation_errors(exc, data=data, file=file)
        raise DefinitionErrors([_shifted(e, shift) for e in errors]) from None
    return Vacancy(meta=meta, text=split.body, file=file, body_line=body_line)


def _shifted(error: DefinitionError, lines: int) -> DefinitionError:
    line = error.line + lines if error.line else error.line
    return DefinitionError(file=error.file, line=line, field=error.field, message=error.message)
