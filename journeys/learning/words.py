"""Words to tags: roles from job titles, skills from goals and vacancy promises (nl and en)."""

from __future__ import annotations

import re

ROLE_WORDS: dict[str, str] = {
    "analist": "analyst",
    "analyst": "analyst",
    "ontwikkelaar": "developer",
    "developer": "developer",
    "programmeur": "developer",
    "engineer": "engineer",
    "ingenieur": "engineer",
    "data": "data",
    "software": "software",
    "teamleider": "manager",
    "leidinggevende": "manager",
    "manager": "manager",
    "recruiter": "hr",
    "hr": "hr",
    "personeelszaken": "hr",
    "verkoop": "sales",
    "sales": "sales",
    "accountmanager": "sales",
    "klantenservice": "customer",
    "customer": "customer",
    "support": "customer",
    "marketing": "marketing",
    "designer": "designer",
    "ontwerper": "designer",
}
SKILL_WORDS: dict[str, str] = {
    "sql": "sql",
    "python": "python",
    "pandas": "python",
    "dbt": "data-modelling",
    "datamodel": "data-modelling",
    "modelleren": "data-modelling",
    "modelling": "data-modelling",
    "modeling": "data-modelling",
    "pipeline": "data-pipelines",
    "pipelines": "data-pipelines",
    "cloud": "cloud",
    "azure": "cloud",
    "aws": "cloud",
    "ai": "ai",
    "machine": "ai",
    "visualisatie": "visualisation",
    "visualisation": "visualisation",
    "visualization": "visualisation",
    "dashboard": "visualisation",
    "dashboards": "visualisation",
    "power": "visualisation",
    "git": "git",
    "versiebeheer": "git",
    "feedback": "feedback",
    "presenteren": "presenting",
    "presenting": "presenting",
    "presentatie": "presenting",
    "presentation": "presenting",
    "schrijven": "writing",
    "writing": "writing",
    "privacy": "privacy",
    "avg": "privacy",
    "gdpr": "privacy",
    "security": "security",
    "beveiliging": "security",
    "phishing": "security",
    "scrum": "agile",
    "agile": "agile",
    "toegankelijkheid": "accessibility",
    "accessibility": "accessibility",
    "luisteren": "listening",
    "listening": "listening",
    "samenwerken": "teamwork",
    "teamwork": "teamwork",
    "coaching": "coaching",
    "kennis": "knowledge-sharing",
    "delen": "knowledge-sharing",
    "sharing": "knowledge-sharing",
}
# Vacancy-promise categories (CONTRACTS §6) and the skills a playlist answers them with.
PROMISE_SKILLS: dict[str, tuple[str, ...]] = {
    "learning_value": ("learning-to-learn",),
    "personal_plan": ("learning-to-learn",),
    "coaching": ("coaching", "feedback"),
    "leader_example": ("feedback", "psychological-safety"),
    "recognition": ("learning-to-learn",),
    "budget_time": ("learning-to-learn",),
    "learning_environment": ("learning-to-learn",),
    "knowledge_sharing": ("knowledge-sharing", "presenting"),
    "obligations": ("security", "privacy"),
}
SENIOR = {"senior", "lead", "principal", "staff", "hoofd", "head", "architect"}
JUNIOR = {"junior", "trainee", "stagiair", "intern", "starter", "werkstudent", "leerling"}


def words(text: str | None) -> list[str]:
    """Split text into lower-case words (hyphens and punctuation split too)."""
    return re.findall(r"[a-z0-9]+", (text or "").lower().replace("-", " "))


def role_words(*texts: str | None) -> set[str]:
    """Return the role words (English, normalised) found in titles and departments."""
    return {ROLE_WORDS[w] for text in texts for w in words(text) if w in ROLE_WORDS}


def skill_tags(*texts: str | None) -> set[str]:
    """Return the skill tags that words in free text point to."""
    found = set()
    for text in texts:
        for word in words(text):
            if word in SKILL_WORDS:
                found.add(SKILL_WORDS[word])
    return found


def level_of(title: str | None) -> str:
    """Infer a level from a job title: senior/lead → advanced, junior/trainee → beginner."""
    found = set(words(title))
    if found & SENIOR:
        return "advanced"
    if found & JUNIOR:
        return "beginner"
    return "intermediate"
