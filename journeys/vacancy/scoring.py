"""The 0–100 learning score of a vacancy: weighted coverage of the nine categories.

Weights (they add up to 100) favour concrete, checkable promises over statements of intent:

- budget_time 16: money and time for learning are the most concrete promise a candidate can hold
  an employer to, and the most often missing.
- personal_plan 12, coaching 12, learning_environment 12: the three ways the learning actually
  happens (a plan, a person, a place to learn).
- learning_value 10, knowledge_sharing 10, leader_example 10: the culture around it; they matter,
  but are easy to claim, so they weigh a little less.
- recognition 10: that learning is noticed and rewarded.
- obligations 8: stating mandatory training is transparency rather than an offer; a role without
  any can still say so, which is why it weighs least but not zero.

A category counts fully once it has at least one finding; more evidence for the same category
adds nothing, so repeating a buzzword cannot raise the score.
"""

from __future__ import annotations

from collections.abc import Iterable

WEIGHTS: dict[str, int] = {
    "learning_value": 10,
    "personal_plan": 12,
    "coaching": 12,
    "leader_example": 10,
    "recognition": 10,
    "budget_time": 16,
    "learning_environment": 12,
    "knowledge_sharing": 10,
    "obligations": 8,
}


def score(categories: Iterable[str]) -> int:
    """Return the weighted coverage (0–100) of the categories found."""
    return sum(WEIGHTS[c] for c in set(categories) if c in WEIGHTS)


def missing(categories: Iterable[str]) -> list[str]:
    """Return the categories not found, in contract order."""
    found = set(categories)
    return [c for c in WEIGHTS if c not in found]
