"""Aggregates for the HR overview page: counts only, never a name, address or event body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from models.delivery import Delivery
from models.enrollment import Enrollment
from models.inbox import InboxEvent

JOURNEY_STATES = ("active", "cancelled", "completed")


@dataclass(frozen=True)
class HrOverview:
    """Journeys per state, inbox events that failed, and deliveries that failed recently."""

    journeys: dict[str, int]
    inbox_failed: int
    deliveries_failed: int
    since: datetime


def hr_overview(*, session: Session, now: datetime, days: int = 7) -> HrOverview:
    """Count journeys by state, failed inbox events, and deliveries failed in the last `days`."""
    rows = session.exec(
        select(Enrollment.status, func.count()).group_by(col(Enrollment.status))
    ).all()
    found = {status: int(count) for status, count in rows}
    journeys = {state: found.get(state, 0) for state in JOURNEY_STATES}
    inbox_failed = session.exec(
        select(func.count()).select_from(InboxEvent).where(InboxEvent.status == "failed")
    ).one()
    since = now - timedelta(days=days)
    deliveries_failed = session.exec(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.status == "failed")
        .where(col(Delivery.at) >= since)
    ).one()
    return HrOverview(journeys, int(inbox_failed), int(deliveries_failed), since)
