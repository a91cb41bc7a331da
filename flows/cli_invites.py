"""`leerpad invites replies`: record attendees' answers to invites from saved reply mails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from flows.cli_errors import UsageProblem

OUTCOMES = ("matched", "stale", "late", "duplicate", "unmatched", "no_reply")


@click.group()
def invites() -> None:
    """Calendar invites: the answers attendees send back."""


def _read(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as exc:
        reason = f"cannot read {file}: {exc.strerror}; give an .eml, .ics or mbox"
        raise UsageProblem(reason) from None


@invites.command("replies")
@click.argument("file", metavar="FILE|-")
@click.option("--json", "as_json", is_flag=True, help="One JSON line per reply (ids only).")
def replies(file: str, as_json: bool) -> None:
    """Record the invite replies in FILE: one .eml, a bare .ics, or an mbox of many (`-` reads
    standard input, e.g. from `fetchmail --mda "leerpad invites replies -"`).

    Replies that match one of our invites are stored (a reply to an older version as stale, one
    to a cancelled meeting as late); the rest are kept in the event inbox with the reason. Exit 0
    once every mail is recorded or kept (so a mail delivery agent may drop it), 2 on bad input.
    """
    from flows.runner import ready_app
    from integrations.invite_replies.intake import take_in_replies
    from integrations.invite_replies.parse import split_messages

    raw = _read(file)
    messages = split_messages(raw)
    if not messages or not any(m.strip() for m in messages):
        raise UsageProblem(f"{file} is empty; give a reply mail (.eml), a .ics or an mbox")
    app = ready_app()
    rows: list[dict[str, object]] = []
    with click.progressbar(
        messages, label="reading replies", file=sys.stderr, hidden=as_json or len(messages) < 20
    ) as bar:
        for number, message in enumerate(bar, start=1):
            for outcome in take_in_replies(
                engine=app.engine, raw=message, headers={}, now=app.clock.now()
            ):
                rows.append({"message": number, **outcome.as_dict()})
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, sort_keys=True))
    else:
        _table(rows)
    if not any("response_id" in r for r in rows):  # still exit 0: the mail is kept, not lost
        click.echo(
            "no reply matched an invite of ours; the mails are kept in the event inbox with "
            "the reason: see `leerpad events list`",
            err=True,
        )


def _table(rows: list[dict[str, object]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="invite replies")
    for column in ("mail", "outcome", "answer", "version", "calendar event", "person", "role",
                   "kept as inbox event / reason"):  # fmt: skip
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["message"]), str(row["outcome"]), str(row.get("partstat", "")).lower(),
            str(row.get("sequence", "")), str(row.get("calendar_event_id", "")),
            str(row.get("person_id", "")), str(row.get("role", "")),
            f"{row.get('inbox_id', '')} {row.get('reason', '')}".strip(),
        )  # fmt: skip
    counts = {k: sum(1 for r in rows if r["outcome"] == k) for k in OUTCOMES}
    table.caption = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    Console().print(table)
