"""A preview of a candidate's first learning playlist, for the offer email: role and promises."""

from __future__ import annotations

from collections.abc import Sequence

from journeys.learning.catalog import LearningCatalog
from journeys.learning.playlist import Learner, assemble_playlist

PREVIEW_SIZE = 3


def plan_preview(
    catalog: LearningCatalog,
    *,
    title: str | None,
    department: str | None,
    locale: str,
    promises: Sequence[str],
    size: int = PREVIEW_SIZE,
) -> list[dict[str, object]]:
    """The first items the hire's playlist would hold, chosen the way the week-2 playlist is."""
    learner = Learner(title=title, department=department, locale=locale, promises=promises)
    return [
        {
            "title": pick.item.title,
            "minutes": pick.item.minutes,
            "platform": pick.item.platform,
            "kind": pick.item.kind,
            "reason": pick.reason,
        }
        for pick in assemble_playlist(catalog, learner, size=size)
    ]
