"""`leerpad deliveries list`: what went out, what failed for good, what waits for another try."""

from __future__ import annotations

import json
import re
from datetime import datetime

import click

from flows.cli_errors import OperationalProblem

# SMTP servers often quote the refused address in their reply: never print it.
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")


def redact(detail: str | None) -> str:
    """Return an error detail with any email address replaced by `<address>`."""
    return _ADDRESS.sub("<address>", detail or "")


def _rows(*, failed: bool, retrying: bool, limit: int) -> list[dict[str, object]]:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import col, or_, select

    from flows.runner import ready_app
    from models.db import session_scope
    from models.enrollment import Enrollment, ScheduledStep

    wanted = []
    if failed:
        wanted.append(col(ScheduledStep.status) == "failed")
    if retrying:
        wanted.append(
            (col(ScheduledStep.status) == "pending") & col(ScheduledStep.last_error).is_not(None)
        )
    if not wanted:
        wanted.append(col(ScheduledStep.status).in_(["sent", "failed", "cancelled", "skipped"]))
        wanted.append(
            (col(ScheduledStep.status) == "pending") & col(ScheduledStep.last_error).is_not(None)
        )
    query = (
        select(ScheduledStep, Enrollment.journey_key)
        .join(Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id))
        .where(or_(*wanted))
        .order_by(col(ScheduledStep.updated_at).desc(), col(ScheduledStep.id).desc())
        .limit(limit)
    )
    try:
        app = ready_app()
        with session_scope(app.engine) as session:
            found = session.exec(query).all()
    except OperationalError as exc:
        raise OperationalProblem(
            f"cannot read the delivery ledger ({type(exc.orig).__name__}); "
            "check LEERPAD_DATABASE_URL"
        ) from None
    return [_row(step, journey) for step, journey in found]


def _row(step, journey: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    status = "retrying" if step.status == "pending" else step.status
    at: datetime = step.sent_at or step.updated_at
    return {
        "step_id": step.id,
        "step_uid": step.uid,
        "journey": journey,
        "step": step.step_key,
        "occurrence": step.occurrence,
        "channel": step.channel,
        "action": step.action,
        "status": status,
        "attempts": step.attempts,
        "at": at.isoformat(),
        "next_try": step.due_at.isoformat() if status == "retrying" else None,
        "error": redact(step.last_error) or None,
    }


@click.group()
def deliveries() -> None:
    """The delivery ledger: sent, failed and retrying messages (ids and step keys only)."""


@deliveries.command("list")
@click.option("--failed", is_flag=True, help="Only steps that failed for good (e.g. SMTP 550).")
@click.option("--retrying", is_flag=True, help="Only steps that failed for now and will retry.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
def list_deliveries(failed: bool, retrying: bool, limit: int, as_json: bool) -> None:
    """Show the newest deliveries with their status and error, without addresses.

    A step that failed for good (a 5xx reply such as 550: no such mailbox) is not tried again;
    check the person's address in the HR system. Retrying steps go out at their next try.
    """
    rows = _rows(failed=failed, retrying=retrying, limit=limit)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="deliveries / verzendingen")
    for column in ("step", "journey", "key", "channel", "status", "tries", "at (UTC)", "error"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["step_id"]),
            str(row["journey"]),
            str(row["step"]),
            str(row["channel"]),
            str(row["status"]),
            str(row["attempts"]),
            str(row["at"])[:16].replace("T", " "),
            str(row["error"] or "")[:60],
        )
    Console().print(table)
    if not rows:
        click.echo("no deliveries match / geen verzendingen gevonden")
