"""The learning catalog: items with role, skill and level tags, validated from YAML or rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from journeys.dsl import Localized
from journeys.errors import DefinitionError, DefinitionErrors
from journeys.yamlsource import load_yaml, validation_errors

DEFAULT_CATALOG = Path(__file__).resolve().parents[1] / "defaults" / "catalog.yaml"
Level = Literal["beginner", "intermediate", "advanced"]
Kind = Literal["article", "video", "course", "e-learning", "podcast", "book", "practice", "talk"]
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def split_tags(value: object) -> object:
    """Accept a list or a 'a; b | c' string of tags; lower-case them."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = re.split(r"[;|,]", value)
    if isinstance(value, Iterable):
        return tuple(str(v).strip().lower() for v in value if str(v).strip())
    return value


class LearningItem(BaseModel):
    """One thing to learn from: an article, video, course, podcast or a practice assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_TAG.pattern, max_length=80)
    title: str = Field(min_length=3, max_length=200)
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", max_length=500)
    minutes: int = Field(ge=1, le=6000)
    language: Literal["nl", "en"]
    platform: str = Field(min_length=1, max_length=80)
    kind: Kind = "article"
    roles: tuple[str, ...] = ("all",)
    skills: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()
    question: Localized | None = None

    _tags = field_validator("roles", "skills", "levels", mode="before")(
        classmethod(lambda cls, v: split_tags(v))
    )

    @field_validator("roles", "skills")
    @classmethod
    def _valid_tags(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [tag for tag in value if not _TAG.match(tag)]
        if bad:
            raise ValueError(f"tags are lower-case words joined by '-', not {bad!r}")
        return value

    def fits_level(self, level: str) -> bool:
        """Tell whether the item suits a level (items without levels suit all)."""
        return not self.levels or level in self.levels


class LearningCatalog(BaseModel):
    """Every learning item by id, in catalog order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    items: tuple[LearningItem, ...] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _unique(cls, items: tuple[LearningItem, ...]) -> tuple[LearningItem, ...]:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"item id {item.id!r} is used twice")
            seen.add(item.id)
        return items

    def get(self, item_id: str) -> LearningItem | None:
        """Return the item with this id, or None."""
        return next((item for item in self.items if item.id == item_id), None)


def _errors(exc: ValidationError, data: Any, file: str) -> DefinitionErrors:
    return DefinitionErrors(validation_errors(exc, data=data, file=file))


def parse_catalog(text: str, *, file: str) -> LearningCatalog:
    """Validate a catalog YAML text (a mapping with `items:`); errors name file, line and field."""
    data = load_yaml(text, file=file)
    if not isinstance(data, Mapping):
        raise DefinitionErrors(
            [DefinitionError(file=file, line=1, field="(root)", message="expected `items:`")]
        )
    try:
        return LearningCatalog.model_validate(data)
    except ValidationError as exc:
        raise _errors(exc, data, file) from None


def catalog_from_rows(rows: Iterable[Mapping[str, Any]], *, file: str) -> LearningCatalog:
    """Validate table rows (from a CSV file); an error names the row's line (header = line 1)."""
    items: list[LearningItem] = []
    problems: list[DefinitionError] = []
    for line, row in enumerate(rows, start=2):
        data = {k.strip(): v for k, v in row.items() if k and v not in (None, "")}
        if "question_nl" in data or "question_en" in data:
            data["question"] = {
                "nl": data.pop("question_nl", ""),
                "en": data.pop("question_en", ""),
            }
        try:
            items.append(LearningItem.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "(row)"
                problems.append(
                    DefinitionError(file=file, line=line, field=where, message=err["msg"])
                )
    if problems:
        raise DefinitionErrors(problems)
    try:
        return LearningCatalog(items=tuple(items))
    except ValidationError as exc:
        message = exc.errors()[0]["msg"]
        raise DefinitionErrors(
            [DefinitionError(file=file, line=None, field="id", message=message)]
        ) from None


def load_default_catalog() -> LearningCatalog:
    """Read the starter catalog shipped in journeys/defaults/catalog.yaml."""
    return parse_catalog(DEFAULT_CATALOG.read_text(encoding="utf-8"), file=str(DEFAULT_CATALOG))
