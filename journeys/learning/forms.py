"""What the learning forms accept: goals, reflections and knowledge shares, with nl/en errors."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

MAX_GOALS = 3
GOAL_MIN, GOAL_MAX = 5, 300
ANSWER_MAX = 4000
SHARE_KINDS = ("teach-back", "lunch-session", "write-up", "pairing")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MESSAGES = {
    "goals_none": ("Schrijf minstens één leerdoel op.", "Write down at least one learning goal."),
    "goal_short": (
        "Dit doel is te kort: gebruik minstens 5 tekens.",
        "Too short: use 5 characters or more.",
    ),
    "goal_long": (
        "Dit doel is te lang: houd het onder 300 tekens.",
        "Too long: keep it under 300 characters.",
    ),
    "answer_none": (
        "Schrijf een antwoord; een kort antwoord is ook goed.",
        "Write an answer; a short one is fine.",
    ),
    "answer_long": (
        "Je antwoord is te lang (meer dan 4000 tekens).",
        "Your answer is too long (over 4000 characters).",
    ),
    "kind": ("Kies hoe je je kennis deelt.", "Choose how you share what you learned."),
    "title": (
        "Geef je sessie of stuk een titel (3 tot 200 tekens).",
        "Give it a title (3 to 200 characters).",
    ),
    "date": (
        "Gebruik een datum als 2027-04-16, vandaag of later.",
        "Use a date like 2027-04-16, today or later.",
    ),
}


def clean(text: str | None) -> str:
    """Strip control characters and outer whitespace; keep newlines."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n")).strip()


def message(code: str, locale: str) -> str:
    """Return the error text for a code in a language."""
    nl, en = _MESSAGES[code]
    return nl if locale == "nl" else en


@dataclass
class Checked:
    """Cleaned values and per-field error codes."""

    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Tell whether nothing is wrong."""
        return not self.errors


def check_goals(goals: Sequence[str | None], *, shout_out: bool = False) -> Checked:
    """Accept one to three goals (empty boxes are ignored) and the shout-out opt-in."""
    result = Checked()
    kept: list[str] = []
    for n, raw in enumerate(list(goals)[:MAX_GOALS], start=1):
        text = " ".join(clean(raw).split())
        if not text:
            continue
        if len(text) < GOAL_MIN:
            result.errors[f"goal{n}"] = "goal_short"
        elif len(text) > GOAL_MAX:
            result.errors[f"goal{n}"] = "goal_long"
        kept.append(text)
    if not kept:
        result.errors["goal1"] = "goals_none"
    result.values = {"goals": kept, "shout_out": bool(shout_out)}
    return result


def check_reflection(answer: str | None) -> Checked:
    """Accept a non-empty answer of at most ANSWER_MAX characters."""
    text = clean(answer)
    result = Checked(values={"answer": text})
    if not text:
        result.errors["answer"] = "answer_none"
    elif len(text) > ANSWER_MAX:
        result.errors["answer"] = "answer_long"
    return result


def check_share(form: Mapping[str, str | None], *, today: date) -> Checked:
    """Accept a knowledge share: kind, title, optional summary and optional planned date."""
    result = Checked()
    kind = clean(form.get("kind"))
    title = " ".join(clean(form.get("title")).split())
    summary = clean(form.get("summary"))[:ANSWER_MAX]
    planned: date | None = None
    if kind not in SHARE_KINDS:
        result.errors["kind"] = "kind"
    if not 3 <= len(title) <= 200:
        result.errors["title"] = "title"
    raw_date = clean(form.get("planned_on"))
    if raw_date:
        try:
            planned = date.fromisoformat(raw_date)
        except ValueError:
            result.errors["planned_on"] = "date"
        else:
            if planned < today:
                result.errors["planned_on"] = "date"
    result.values = {"kind": kind, "title": title, "summary": summary, "planned_on": planned}
    return result
