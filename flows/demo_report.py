"""The demo's printed timeline and summary, read from the ledger and the step rows."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table
from sqlmodel import col, select

from flows.bootstrap import App
from integrations.compose import step_of
from models.db import session_scope
from models.delivery import CalendarEvent, Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.outbound import load_bundles

LABELS = {
    "nl": {
        "when": "wanneer (lokaal)",
        "who": "wie",
        "what": "wat",
        "status": "status",
        "title": "Tijdlijn",
        "channel": "kanaal",
        "address": "adres",
        "personal": "privé",
        "work": "werk",
    },
    "en": {
        "when": "when (local)",
        "who": "who",
        "what": "what",
        "status": "status",
        "title": "Timeline",
        "channel": "channel",
        "address": "address",
        "personal": "personal",
        "work": "work",
    },
}


def reschedule_snapshot(app: App) -> dict[int, dict[str, Any]]:
    """Due time, status and invite sequence of every step, to show what a reschedule changed."""
    with session_scope(app.engine) as session:
        rows = session.exec(select(ScheduledStep)).all()
        events = {e.step_id: e for e in session.exec(select(CalendarEvent)).all()}
        return {
            int(r.id or 0): {
                "due_at": r.due_at,
                "status": r.status,
                "sequence": events[r.id].sequence if r.id in events else None,
                "meeting": events[r.id].start_at if r.id in events else None,
            }
            for r in rows
        }


def _rows(app: App, lang: str) -> list[tuple[Any, ...]]:
    with session_scope(app.engine) as session:
        steps = session.exec(select(ScheduledStep).order_by(col(ScheduledStep.due_at))).all()
        bundles = {
            b.step.id: b for b in load_bundles(session=session, step_ids=[s.id for s in steps])
        }
        deliveries = session.exec(select(Delivery).order_by(col(Delivery.at))).all()
        enrollments = {e.id: e for e in session.exec(select(Enrollment)).all()}
    catalog = app.rules.catalog
    out = []
    labels = LABELS[lang]
    for delivery in deliveries:
        bundle = bundles[delivery.step_id]
        used = "—"
        if delivery.address_kind:
            used = f"{labels[delivery.address_kind]}: {delivery.address or '—'}"
        out.append((delivery.at, bundle, delivery.action, delivery.sequence, delivery.status, used))
    for step in steps:
        if step.status in ("skipped", "failed") or (
            step.status == "cancelled" and step.sent_at is None
        ):
            out.append((step.due_at, bundles[step.id], step.action, None, step.status, "—"))
    out.sort(key=lambda r: r[0])
    table_rows = []
    for at, bundle, action, sequence, status, used in out:
        bundle = app.composer.with_default_coach(bundle)
        person = bundle.recipient_override or bundle.people.get(bundle.step.recipient_role)
        zone = ZoneInfo(person.timezone) if person and person.timezone else app.rules.profile.zone
        journey = catalog.get(enrollments[bundle.step.enrollment_id].journey_key)
        title = step_of(journey, bundle.step.step_key).title.get(lang)
        name = " ".join(p for p in (person.first_name, person.last_name) if p) if person else "—"
        what = f"{journey.key} · {title}"
        if bundle.step.channel == "invite":
            what += f"  [{action.upper() if action != 'send' else 'REQUEST'} SEQ {sequence}]"
        table_rows.append(
            (
                f"{at.astimezone(zone):%a %d %b %Y %H:%M}",
                f"{bundle.step.recipient_role}: {name}",
                what,
                bundle.step.channel,
                used,
                status,
            )
        )
    return table_rows


def print_timeline(app: App, *, console: Console, lang: str) -> None:
    """Print every delivery and every skipped, failed or cancelled step in time order."""
    labels = LABELS[lang]
    table = Table(title=labels["title"], show_lines=False, expand=False)
    for key in ("when", "who", "what", "channel", "address", "status"):
        table.add_column(labels[key], overflow="fold")
    for row in _rows(app, lang):
        style = {"sent": "", "failed": "red", "skipped": "yellow", "cancelled": "dim"}.get(
            row[5], ""
        )
        table.add_row(*row, style=style)
    console.print(table)


def print_summary(
    app: App, *, console: Console, before: dict[int, dict], after: dict[int, dict], out: Path
) -> None:
    """Print what went out by kind, and what the moved start date changed."""
    with session_scope(app.engine) as session:
        deliveries = session.exec(select(Delivery)).all()
    kinds = Counter(
        f"{d.channel} ({d.action})" if d.channel == "invite" else d.channel
        for d in deliveries
        if d.status == "sent"
    )
    moved = sum(
        1
        for k, v in before.items()
        if v["status"] == "pending" and after[k]["due_at"] != v["due_at"]
    )
    kept = sum(
        1 for k, v in before.items() if v["status"] == "sent" and after[k]["status"] == "sent"
    )
    bumped = sum(
        1
        for k, v in before.items()
        if v["status"] == "sent"
        and v["sequence"] is not None
        and after[k]["sequence"] == v["sequence"] + 1
    )
    console.print(
        "\n[bold]Messages by kind[/]: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    )
    console.print(
        f"[bold]Start date moved a week later[/]: {moved} pending steps re-planned, "
        f"{kept} sent messages left alone (not re-sent), {bumped} sent invite(s) updated "
        "(same UID, SEQUENCE + 1)."
    )
    files = len(list(out.glob("*.eml")))
    console.print(f"[bold]{files}[/] .eml files in {out.resolve()}")
