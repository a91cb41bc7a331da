"""`leerpad events parse | ingest | list | replay`: the event inbox from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli_errors import OperationalProblem, UsageProblem

SOURCES_READY = (
    "greenhouse",
    "greenhouse_onboarding",
    "lever",
    "recruitee",
    "teamtailor",
    "workable",
    "smartrecruiters",
    "bamboohr",
    "personio",
    "hibob",
    "generic",
)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise UsageProblem(f"cannot read {file}: {exc.strerror}") from None


def _parse(  # type: ignore[no-untyped-def]
    source: str,
    raw: bytes,
    *,
    headers: tuple[str, ...] = (),
    secret: str | None = None,
    ignored_ok: bool = False,
):
    """Verify (with a secret) and normalise one body; ids-only webhooks are fetched from the API."""
    from datetime import UTC, datetime

    from integrations.sources.base import Fetch, Ignored, SignatureError, SourceError
    from integrations.sources.clients import (
        ApiError,
        ApiNotConfigured,
        ApiResponseError,
        ApiUnavailable,
        resolve_with_settings,
    )
    from integrations.sources.headers import parse_header_lines
    from integrations.sources.registry import adapter_for

    if source not in SOURCES_READY:
        raise UsageProblem(f"unknown source {source!r}; one of: {', '.join(SOURCES_READY)}")
    adapter = adapter_for(source)
    try:
        header_map = parse_header_lines(headers)
    except ValueError as exc:
        raise UsageProblem(f"--header: {exc}") from None
    now = datetime.now(UTC)
    try:
        if secret is not None:
            adapter.verify(raw=raw, headers=header_map, secret=secret, now=now)
        result = adapter.parse(raw=raw, headers=header_map, received_at=now)
    except SignatureError as exc:
        raise UsageProblem(f"signature rejected: {exc}") from None
    except SourceError as exc:
        raise UsageProblem(f"body rejected: {exc}") from None
    if isinstance(result, Fetch):
        try:
            result = resolve_with_settings(result)
        except ApiNotConfigured as exc:
            raise UsageProblem(str(exc)) from None
        except (ApiUnavailable, ApiResponseError) as exc:
            raise OperationalProblem(str(exc)) from None
        except ApiError as exc:
            raise UsageProblem(str(exc)) from None
    if isinstance(result, Ignored) and not ignored_ok:
        raise UsageProblem(f"{source} event ignored, nothing to ingest: {result.reason}")
    return result


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
    from integrations.sources.base import Ignored

    event = _parse(source, _read(file), headers=headers, secret=secret, ignored_ok=True)
    if isinstance(event, Ignored):
        click.echo(json.dumps({"ignored": True, "reason": event.reason}))
        return
    click.echo(event.to_json())


@events.command("ingest")
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--header", "headers", multiple=True, help="'Name: value' as the webhook had it.")
def ingest(source: str, file: Path, headers: tuple[str, ...]) -> None:
    """Do what the webhook endpoint does: verify with LEERPAD_SECRET_<SOURCE>, store, process."""
    from flows.processing import process_stored_event
    from flows.runner import ready_app
    from flows.serve import secret_for
    from integrations.intake import take_in
    from integrations.sources.headers import parse_header_lines

    raw = _read(file)
    try:
        header_map = parse_header_lines(headers)
    except ValueError as exc:
        raise UsageProblem(f"--header: {exc}") from None
    app = ready_app()
    now = app.clock.now()
    intake = take_in(
        engine=app.engine,
        source=source,
        raw=raw,
        headers=dict(header_map),
        secret=secret_for(source),
        now=now,
    )
    if intake.status != 202:
        kept = f" (kept as inbox event {intake.body['id']})" if "id" in intake.body else ""
        raise UsageProblem(f"{source}: {intake.body['error']}{kept}")
    result = dict(intake.body)
    if intake.process_id is not None:
        try:
            result["status"] = process_stored_event(app=app, inbox_id=intake.process_id, now=now)
        except Exception as exc:
            raise OperationalProblem(
                f"event {intake.process_id} stored but failed: {exc}; "
                f"fix the cause, then run `leerpad events replay {intake.process_id}`"
            ) from None
    click.echo(json.dumps(result))


@events.command("work")
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(0.05, 60),
              help="Seconds between looks at an empty inbox.")  # fmt: skip
@click.option("--once", is_flag=True, help="Stop when no event waits instead of watching.")
def work(interval: float, once: bool) -> None:
    """Process stored events as they arrive (for `leerpad serve --process deferred`).

    `leerpad serve --process deferred` starts one such processor itself; run more, or run it on
    another machine, with this command. Stop with Ctrl-C: an event being processed when the
    processor dies is taken again after LEERPAD_LEASE_SECONDS.
    """
    from flows.processing import process_received_events
    from flows.runner import ready_app

    totals = process_received_events(app=ready_app(), stop=lambda: False, interval=interval,
                                     once=once)  # fmt: skip
    click.echo(json.dumps(totals))


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
    from models.hr_inbox import mark_for_replay

    app = ready_app()
    with session_scope(app.engine) as session:  # the HR inbox page's replay does the same
        if not mark_for_replay(session=session, inbox_id=event_id):
            raise UsageProblem(f"no event {event_id}; see `leerpad events list`")
    try:
        status = process_stored_event(app=app, inbox_id=event_id, now=app.clock.now())
    except Exception as exc:
        raise OperationalProblem(f"event {event_id} failed again: {exc}") from None
    click.echo(json.dumps({"id": event_id, "status": status}))
