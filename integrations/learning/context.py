"""The `learning` template variable: goals, playlist, the slot's item, links, shares, badge."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, overload

from integrations.learning.links import LearningLinks
from journeys.learning.credential import ACHIEVEMENTS
from journeys.learning.prompts import SHARE_KIND_TEXT, coaching_agenda
from models.learning import PlaylistItem
from models.learning_snapshot import LearningSnapshot
from models.outbound import StepBundle

EMPTY: dict[str, Any] = {
    "goals": [], "goals_url": None, "playlist": [], "item": None,
    "progress": {"done": 0, "total": 0}, "agenda": [], "share_url": None, "shares": [],
    "shares_new": [], "shares_total": 0, "reflection_url": None, "badge": None,
    "shout_out": False,
}  # fmt: skip


def item_view(
    item: PlaylistItem, *, locale: str, links: LearningLinks | None, subject: str | None,
    now: datetime, total: int = 0,
) -> dict[str, Any]:  # fmt: skip
    """One playlist item as templates see it, with its signed 'done' link."""
    done_url = links.form("done", subject=subject, ref=item.uid, now=now) if links else None
    return {
        "title": item.title, "url": item.url, "minutes": item.minutes, "platform": item.platform,
        "kind": item.kind, "language": item.language, "reason": item.reason,
        "question": item.question_nl if locale == "nl" else item.question_en,
        "done": item.status == "completed", "done_url": done_url, "position": item.position,
        "total": total,
    }  # fmt: skip


class PlaylistViews(Sequence[dict[str, Any]]):
    """The playlist as templates see it (`item_view` of each item), built on first use: most
    messages never show the playlist, and each item's view signs a link."""

    def __init__(self, build: Callable[[], list[dict[str, Any]]], count: int) -> None:
        self._build, self._count = build, count
        self._views: list[dict[str, Any]] | None = None

    def _built(self) -> list[dict[str, Any]]:
        if self._views is None:
            self._views = self._build()
        return self._views

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self._built()[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"PlaylistViews({self._count} items)"


def learning_view(
    bundle: StepBundle, *, locale: str, recipient_uid: str | None, links: LearningLinks | None,
    now: datetime, private: bool = True,
) -> dict[str, Any] | None:  # fmt: skip
    """Build the `learning` variable for one step and recipient; None when there is no plan.

    The hire's own links (goals, done, share) are only made for a message to the hire alone
    (`private`): never for the leader, and never for an invite that goes to the coach too.
    """
    snap: LearningSnapshot | None = bundle.learning
    if snap is None:
        return None
    plan_ref = snap.plan.uid
    hire = snap.hire_uid if private and recipient_uid == snap.hire_uid else None
    total = len(snap.items)
    items = PlaylistViews(
        lambda: [
            item_view(i, locale=locale, links=links, subject=hire, now=now, total=total)
            for i in snap.items
        ],
        total,
    )
    view = dict(EMPTY)
    view |= {
        "goals": list(snap.goals),
        "playlist": items,
        "progress": {"done": sum(i.status == "completed" for i in snap.items), "total": total},
        "agenda": coaching_agenda(
            goals=snap.goals,
            playlist=[i.title for i in snap.items],
            promises=snap.promises,
            locale=locale,
        ),  # fmt: skip
        "shares": [_share(s, locale) for s in snap.shares],
        "shares_new": [_share(s, locale) for s in snap.shares_new],
        "shares_total": len(snap.shares),
        "shout_out": snap.plan.shout_out,
    }
    if snap.item is not None:
        view["item"] = item_view(
            snap.item, locale=locale, links=links, subject=hire, now=now, total=total
        )
    if links is not None and hire is not None:
        view["goals_url"] = links.form("goals", subject=hire, ref=plan_ref, now=now)
        view["share_url"] = links.form("share", subject=hire, ref=plan_ref, now=now)
    if links is not None and bundle.step.channel == "prompt":
        view["reflection_url"] = links.form(
            "reflection", subject=recipient_uid, ref=bundle.step.uid, now=now
        )
    if snap.badge is not None:
        achievement = ACHIEVEMENTS[snap.badge.achievement_key]
        view["badge"] = {
            "name": achievement.name.get(locale),
            "description": achievement.description.get(locale),
            "url": links.badge(snap.badge.uid) if links else None,
        }
    return view


def _share(share: Any, locale: str) -> dict[str, Any]:
    kind = SHARE_KIND_TEXT.get(share.kind)
    return {"kind": kind.get(locale) if kind else share.kind, "title": share.title}
