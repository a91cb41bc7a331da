"""`leerpad events parse | ingest | list | replay`: the event inbox from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli_errors import OperationalProblem, UsageProblem

SOURCES_READY = ("generic",)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise UsageProblem(f"cannot read {file}: {exc.strerror}") from None


def _parse(source: str, raw: bytes):  # type: ignore[no-untyped-def]
    from journeys.errors import InvalidEvent
    from journeys.events import parse_generic

    if source not in SOURCES_READY:
        raise UsageProblem(
            f"source {source!r} is not supported yet; supported: {', '.join(SOURCES_READY)}"
        )
    try:
        return parse_generic(raw)
    except InvalidEvent as exc:
        raise UsageProblem(f"{source} body rejected: {exc}") from None


@click.group()
def events() -> None:
    """Incoming ATS and HR events: parse, ingest, inspect and replay."""


@events.command("parse")
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--header", "headers", multiple=True, help="'Name: value' as the webhook had it.")
@click.option("--secret", help="Verify the signature with this secret.")
def parse(source: str, file: Path, headers: tuple[str, ...], secret: str | None) -> None:
    """Normalise one webhook body and print the canonical event as JSON. Touches no database."""
    event = _parse(source, _read(file))
    click.echo(event.to_json())


@events.command("ingest")
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--header", "headers", multiple=True, help="'Name: value' as the webhook had it.")
def ingest(source: str, file: Path, headers: tuple[str, ...]) -> None:
    """Store one event in the inbox (deduplicated) and process it."""
    from flows.processing import process_stored_event, store
    from flows.runner import ready_app

    event = _parse(source, _read(file))
    app = ready_app()
    now = app.clock.now()
    inbox_id, duplicate = store(app=app, event=event, now=now)
    try:
        status = process_stored_event(app=app, inbox_id=inbox_id, now=now)
    except Exception as exc:
        raise OperationalProblem(
            f"event {inbox_id} stored but failed: {exc}; "
            f"fix the cause, then run `leerpad events replay {inbox_id}`"
        ) from None
    click.echo(json.dumps({"id": inbox_id, "duplicate": duplicate, "status": status}))


@events.command("list")
@click.option("--failed", is_flag=True, help="Only events that failed.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def list_events(failed: bool, limit: int, as_json: bool) -> None:
    """Show the newest events of the inbox with their status."""
    from sqlmodel import col, select

    from flows.runner import ready_app
    from models.db import session_scope
    from models.inbox import InboxEvent

    app = ready_app()
    with session_scope(app.engine) as session:
        query = select(InboxEvent).order_by(col(InboxEvent.id).desc()).limit(limit)
        if failed:
            query = query.where(InboxEvent.status == "failed")
        rows = session.exec(query).all()
    if as_json:
        for row in rows:
            click.echo(
                json.dumps(
                    {
                        "id": row.id,
                        "source": row.source,
                        "type": row.event_type,
                        "status": row.status,
                        "error": row.error,
                        "received_at": row.received_at.isoformat(),
                    }
                )
            )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="event inbox")
    for column in ("id", "received (UTC)", "source", "type", "status", "error"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row.id),
            f"{row.received_at:%Y-%m-%d %H:%M}",
            row.source,
            row.event_type or "",
            row.status,
            (row.error or "")[:60],
        )
    Console().print(table)


@events.command("replay")
@click.argument("event_id", type=int)
def replay(event_id: int) -> None:
    """Process a stored event again (after fixing what made it fail)."""
    from flows.processing import process_stored_event
    from flows.runner import ready_app
    from models.db import session_scope
    from models.inbox import InboxEvent

    app = ready_app()
    with session_scope(app.engine) as session:
        row = session.get(InboxEvent, event_id)
        if row is None:
            raise UsageProblem(f"no event {event_id}; see `leerpad events list`")
        row.status = "received"
    try:
        status = process_stored_event(app=app, inbox_id=event_id, now=app.clock.now())
    except Exception as exc:
        raise OperationalProblem(f"event {event_id} failed again: {exc}") from None
    click.echo(json.dumps({"id": event_id, "status": status}))
