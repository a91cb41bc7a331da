"""Names of the learning categories and their leanings, in Dutch and English."""

from __future__ import annotations

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "learning_value": "Leren als kernwaarde",
        "personal_plan": "Persoonlijk ontwikkelplan",
        "coaching": "Coaching en begeleiding",
        "leader_example": "Leidinggevenden geven het voorbeeld",
        "recognition": "Erkenning van leren",
        "budget_time": "Budget en tijd om te leren",
        "learning_environment": "Leeromgeving en trainingen",
        "knowledge_sharing": "Kennis delen",
        "obligations": "Verplichte opleidingen",
    },
    "en": {
        "learning_value": "Learning as a core value",
        "personal_plan": "Personal development plan",
        "coaching": "Coaching and mentoring",
        "leader_example": "Leaders set the example",
        "recognition": "Learning is recognised",
        "budget_time": "Budget and time for learning",
        "learning_environment": "Learning environment and courses",
        "knowledge_sharing": "Knowledge sharing",
        "obligations": "Mandatory training",
    },
}


def category_label(category: str, language: str) -> str:
    """Return the human name of a category in a language (English when unknown)."""
    return CATEGORY_LABELS.get(language, CATEGORY_LABELS["en"]).get(category, category)
