"""The vacancy check (CONTRACTS §6): findings, score, missing categories, suggestions, wording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from journeys.profile import EmployerProfile
from journeys.vacancy.classifier import SentenceModel, default_model, with_model
from journeys.vacancy.document import Vacancy, parse_vacancy
from journeys.vacancy.gender import GenderCoding, gender_coding
from journeys.vacancy.language import Language, detect_language
from journeys.vacancy.matcher import CATEGORIES, Finding, find_learning
from journeys.vacancy.scoring import missing, score
from journeys.vacancy.suggestions import suggestions


@dataclass(frozen=True)
class VacancyCheck:
    """The result of checking one vacancy text."""

    language: Language
    score: int
    found: tuple[Finding, ...]
    missing: tuple[str, ...]
    suggestions: tuple[str, ...]
    gender_coded: GenderCoding

    @property
    def categories(self) -> list[str]:
        """The categories found, in contract order."""
        have = {f.category for f in self.found}
        return [c for c in CATEGORIES if c in have]

    def as_dict(self) -> dict[str, Any]:
        """CONTRACTS §6 JSON, plus the `gender_coded` section."""
        return {
            "language": self.language,
            "score": self.score,
            "found": [f.as_dict() for f in self.found],
            "missing": list(self.missing),
            "suggestions": list(self.suggestions),
            "gender_coded": self.gender_coded.as_dict(),
        }


def check_vacancy(
    vacancy: Vacancy | str,
    *,
    profile: EmployerProfile | None = None,
    lang: Language | Literal["auto"] = "auto",
    model: SentenceModel | None | Literal["default"] = "default",
) -> VacancyCheck:
    """Check a vacancy (or its raw file text) for learning offers and obligations.

    `lang="auto"` takes the front matter's `language`, else detects it from the text. Suggestions
    draw on the employer profile's learning offer when one is given. The rules find phrases; the
    sentence `model` (the shipped one by default, None for rules only) adds categories they missed.
    """
    if isinstance(vacancy, str):
        vacancy = parse_vacancy(vacancy)
    language: Language = (
        lang if lang != "auto" else vacancy.meta.language or detect_language(vacancy.text)
    )
    found = find_learning(vacancy.text, language=language)
    sentence_model = default_model() if model == "default" else model
    if sentence_model is not None:
        found = with_model(
            vacancy.text, language=language, rule_findings=found, model=sentence_model
        )
    categories = {f.category for f in found}
    absent = missing(categories)
    return VacancyCheck(
        language=language,
        score=score(categories),
        found=tuple(found),
        missing=tuple(absent),
        suggestions=tuple(suggestions(absent, profile=profile, language=language)),
        gender_coded=gender_coding(vacancy.text, language=language),
    )
