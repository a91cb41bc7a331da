"""Sample `learning` contexts for template previews and tests, full or sparse, nl and en."""

from __future__ import annotations

from typing import Any

from journeys.learning.credential import ACHIEVEMENTS
from journeys.learning.prompts import ITEM_QUESTIONS, SHARE_KIND_TEXT, coaching_agenda

SAMPLE_URL = "https://leerpad.voorbeeld.example"
_GOALS = {
    "nl": ["Zelfstandig een datapipeline in dbt bouwen", "Beter feedback vragen aan mijn team"],
    "en": ["Build a data pipeline in dbt on my own", "Ask my team for feedback more often"],
}
_ITEMS = (
    ("Carol Dweck: The power of believing that you can improve", "https://www.ted.com/talks/"
     "carol_dweck_the_power_of_believing_that_you_can_improve", 10, "TED", "video", "basics"),
    ("dbt Fundamentals", "https://learn.getdbt.com/courses/dbt-fundamentals", 300, "dbt Labs",
     "course", "goal"),
    ("Practice: ask one colleague for feedback on something you made", None, 15, "Practice",
     "practice", "basics"),
)  # fmt: skip
BADGE_STEPS = {"onboarding-badge": "onboarding", "playlist-badge": "playlist"}


def _item(n: int, locale: str, *, sparse: bool, total: int) -> dict[str, Any]:
    title, url, minutes, platform, kind, reason = _ITEMS[(n - 1) % len(_ITEMS)]
    return {
        "title": title, "url": None if sparse else url, "minutes": minutes, "platform": platform,
        "kind": kind, "language": "en", "reason": reason,
        "question": ITEM_QUESTIONS[n - 1].get(locale), "done": n == 1 and not sparse,
        "done_url": None if sparse else f"{SAMPLE_URL}/forms/done/sample-{n}",
        "position": n, "total": total,
    }  # fmt: skip


def sample_learning(
    *, journey: str, step_key: str, locale: str, channel: str, role: str, sparse: bool
) -> dict[str, Any] | None:
    """The `learning` variable as the composer builds it for one sample step and recipient."""
    if journey == "candidate":
        return None
    total = 10
    items = [] if sparse else [_item(n, locale, sparse=False, total=total) for n in (1, 2, 3)]
    goals = [] if sparse else _GOALS[locale]
    hire_links = role == "new_hire" and channel != "invite" and not sparse
    achievement = BADGE_STEPS.get(step_key) or ("playlist" if journey == "_learning" else None)
    badge = None
    if achievement is not None:
        found = ACHIEVEMENTS[achievement]
        badge = {
            "name": found.name.get(locale),
            "description": found.description.get(locale),
            "url": None if sparse else f"{SAMPLE_URL}/badges/0123456789abcdef0123456789abcdef",
        }
    shares = [] if sparse else [{"kind": SHARE_KIND_TEXT["lunch-session"].get(locale),
                                 "title": "dbt in 20 minutes"}]  # fmt: skip
    is_slot = step_key.startswith("playlist-") and step_key[9:].isdigit()
    return {
        "goals": goals,
        "goals_url": f"{SAMPLE_URL}/forms/goals/sample" if hire_links else None,
        "playlist": items,
        "item": _item(2, locale, sparse=sparse, total=total) if is_slot else None,
        "progress": {"done": 0 if sparse else 1, "total": 0 if sparse else total},
        "agenda": coaching_agenda(goals=goals, playlist=[i["title"] for i in items], locale=locale),
        "share_url": f"{SAMPLE_URL}/forms/share/sample" if hire_links else None,
        "shares": shares,
        "shares_new": shares,
        "shares_total": len(shares),
        "reflection_url": (
            f"{SAMPLE_URL}/forms/reflection/sample" if channel == "prompt" and not sparse else None
        ),
        "badge": badge,
        "shout_out": not sparse,
    }
