"""Assemble a personal playlist from role, level, learning goals and the vacancy's promises."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from journeys.learning.catalog import LearningCatalog, LearningItem
from journeys.learning.words import PROMISE_SKILLS, level_of, role_words, skill_tags, words

DEFAULT_SIZE = 10
MAX_LONG = 2  # courses and books (over 4 hours) per playlist
LONG_MINUTES = 240
SHORT_MINUTES = 20
CULTURE = {"learning-to-learn", "feedback", "knowledge-sharing"}
BASICS = 2  # items for everyone (learning to learn, feedback) in every playlist


@dataclass(frozen=True)
class Learner:
    """What a playlist is built from; `promises` are vacancy-promise categories or free texts."""

    title: str | None = None
    department: str | None = None
    locale: str = "nl"
    level: str | None = None
    goals: Sequence[str] = ()
    promises: Sequence[str] = ()

    @property
    def resolved_level(self) -> str:
        """The explicit level, else one inferred from the job title."""
        return self.level or level_of(self.title)


@dataclass(frozen=True)
class Pick:
    """One chosen item and why it was chosen (role, goal, promise or basics)."""

    item: LearningItem
    score: float
    reason: str
    matched: tuple[str, ...] = field(default=())


def readable(item: LearningItem, locale: str) -> bool:
    """English speakers get English items; Dutch speakers get both languages."""
    return item.language == "en" or locale == "nl"


def _role_score(item: LearningItem, roles: set[str]) -> float:
    best = 0.5 if "all" in item.roles else 0.0
    for tag in item.roles:
        parts = set(words(tag))
        if parts and parts <= roles:
            best = max(best, 3.0)
        elif parts & roles:
            best = max(best, 1.0)
    return best


def score(item: LearningItem, learner: Learner) -> Pick | None:
    """Score one item for a learner; None when it does not fit (level, language, role)."""
    if not item.fits_level(learner.resolved_level) or not readable(item, learner.locale):
        return None
    role = _role_score(item, role_words(learner.title, learner.department))
    if role == 0.0:
        return None
    goal_hits = sorted(set(item.skills) & skill_tags(*learner.goals))
    promise_skills = {s for p in learner.promises for s in PROMISE_SKILLS.get(p, ())}
    promise_skills |= skill_tags(*(p for p in learner.promises if p not in PROMISE_SKILLS))
    promise_hits = sorted(set(item.skills) & promise_skills)
    total = role + 4.0 * min(len(goal_hits), 2) + 2.0 * min(len(promise_hits), 2)
    total += 0.5 if item.language == learner.locale else 0.0
    total += 0.75 if set(item.skills) & CULTURE else 0.0
    reason = (
        "goal" if goal_hits else "promise" if promise_hits else "role" if role >= 1 else "basics"
    )
    return Pick(item=item, score=total, reason=reason, matched=tuple(goal_hits or promise_hits))


def stem(item_id: str) -> str:
    """An item id without its language suffix: the nl and en twins of one item share it."""
    return re.sub(r"-(nl|en)$", "", item_id)


def _take(picks: Iterable[Pick], chosen: list[Pick], *, limit: int) -> None:
    """Add picks in order while the limit, the twin rule and the long-item cap allow."""
    for pick in picks:
        if len(chosen) >= limit:
            return
        stems = {stem(p.item.id) for p in chosen}
        long_count = sum(p.item.minutes > LONG_MINUTES for p in chosen)
        if stem(pick.item.id) in stems or pick in chosen:
            continue
        if pick.item.minutes > LONG_MINUTES and long_count >= MAX_LONG:
            continue
        chosen.append(pick)


def assemble_playlist(
    catalog: LearningCatalog,
    learner: Learner,
    *,
    size: int = DEFAULT_SIZE,
    exclude: Sequence[str] = (),
) -> list[Pick]:
    """Choose up to `size` items: goals and role first, two basics, one practice, short openers."""
    skip = {stem(x) for x in exclude}
    ranked = [
        p for p in (score(i, learner) for i in catalog.items) if p and stem(p.item.id) not in skip
    ]
    ranked.sort(key=lambda p: -p.score)  # stable: catalog order breaks ties
    chosen: list[Pick] = []
    basics = (p for p in ranked if p.reason == "basics" and p.item.kind != "practice")
    _take(basics, chosen, limit=min(BASICS, size))
    _take(
        (p for p in ranked if p.item.kind == "practice"), chosen, limit=min(len(chosen) + 1, size)
    )
    _take(ranked, chosen, limit=size)
    chosen.sort(key=lambda p: -p.score)
    openers = sorted((p for p in chosen if p.item.minutes <= SHORT_MINUTES), key=lambda p: -p.score)
    return openers[:2] + [p for p in chosen if p not in openers[:2]]


def refresh_playlist(
    catalog: LearningCatalog, learner: Learner, *, kept: Sequence[str], size: int = DEFAULT_SIZE
) -> list[Pick]:
    """Re-assemble after new goals: kept items (delivered or done) stay, the rest is chosen anew."""
    return assemble_playlist(catalog, learner, size=max(size - len(kept), 0), exclude=kept)
