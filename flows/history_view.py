"""`leerpad journeys history`: a person's steps as JSON or as a table in their own time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.journey_history import ChangeView, StepView


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def history_json(*, person_uid: str, zone: ZoneInfo, steps: list[StepView]) -> dict[str, Any]:
    """The history as plain data: UTC moments, every change with its cause, every message."""
    out = []
    for view in steps:
        used = view.used
        out.append(
            {
                "step_uid": view.uid,
                "journey": view.journey,
                "step": view.step,
                "occurrence": view.occurrence,
                "channel": view.channel,
                "to": view.to,
                "action": view.action,
                "status": view.status,
                "planned_at": _iso(view.planned_at),
                "sent_at": _iso(view.sent_at),
                "address": used.address if used else None,
                "address_kind": used.address_kind if used else None,
                "detail": view.detail,
                "changes": [
                    {
                        "at": _iso(c.at),
                        "change": c.change,
                        "old_due_at": _iso(c.old_due_at),
                        "new_due_at": _iso(c.new_due_at),
                        "action": c.action,
                        "detail": c.detail,
                        "event_id": c.event_id,
                        "inbox_event_id": c.inbox_event_id,
                        "event_type": c.event_type,
                    }
                    for c in view.changes
                ],
                "deliveries": [
                    {
                        "at": _iso(d.at),
                        "action": d.action,
                        "sequence": d.sequence,
                        "status": d.status,
                        "transport": d.transport,
                        "address": d.address,
                        "address_kind": d.address_kind,
                    }
                    for d in view.deliveries
                ],
            }
        )
    return {"person": person_uid, "timezone": zone.key, "steps": out}


def _local(moment: datetime | None, zone: ZoneInfo, *, after: datetime | None = None) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    if after is not None and after.astimezone(zone).date() == local.date():
        return f"{local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def change_text(change: ChangeView, zone: ZoneInfo) -> str:
    """One change on one line: what, from when to when, and the event that caused it."""
    short = "%d %b %H:%M"
    text = change.change
    if change.old_due_at is not None and change.new_due_at is not None:
        if change.old_due_at != change.new_due_at:
            old, new = change.old_due_at.astimezone(zone), change.new_due_at.astimezone(zone)
            text += f" {old:{short}} → {new:{short}}"
    if change.detail:
        text += f" ({change.detail})"
    if change.inbox_event_id is not None:
        text += f" ← {change.event_type or 'event'} #{change.inbox_event_id}"
    elif change.event_id:
        text += f" ← {change.event_id}"
    elif change.change == "retried":
        text += " ← dispatcher"
    return text


def history_table(*, title: str, zone: ZoneInfo, steps: list[StepView]):  # type: ignore[no-untyped-def]
    """A rich table: one row per step in time order, changes listed in the last column."""
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    table.add_column("planned (local)", no_wrap=True)
    table.add_column("sent (local)", no_wrap=True)
    table.add_column("step", overflow="fold")
    table.add_column("address used", overflow="fold")
    table.add_column("outcome", overflow="fold")
    table.add_column("changes (← cause)", overflow="fold")
    for view in steps:
        sent = [
            _local(d.at, zone, after=view.planned_at)
            + (f" {d.action}" if d.action != "send" else "")
            + (f" ({d.status})" if d.status != "sent" else "")
            for d in view.deliveries
        ]
        addresses = [
            f"{d.address_kind}: {d.address or '(erased)'}" if d.address_kind else "—"
            for d in view.deliveries
        ]
        outcome = view.status if view.action == "send" else f"{view.status} ({view.action})"
        if view.detail:
            outcome += f": {view.detail[:60]}"
        step = view.step if view.occurrence == 0 else f"{view.step} #{view.occurrence}"
        table.add_row(
            _local(view.planned_at, zone),
            "\n".join(sent) or _local(view.sent_at, zone, after=view.planned_at),
            f"{view.journey} · {step}\n{view.channel} → {view.to}",
            "\n".join(addresses) or "—",
            outcome,
            "\n".join(change_text(c, zone) for c in view.changes) or "—",
        )
    return table
