"""`leerpad journeys validate | preview`: check definitions and see a journey's timeline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from flows.cli_errors import OperationalProblem, UsageProblem


@click.group()
def journeys() -> None:
    """Journey definitions: validate them, preview their timeline."""


@journeys.command("validate")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
def validate(directory: Path | None, as_json: bool) -> None:
    """Validate journey YAML (defaults, plus DIRECTORY) and every template the steps name."""
    from flows.journey_checks import check_journeys

    report = check_journeys(directory)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        for key, path in sorted(report.files.items()):
            click.echo(f"ok    {key:<12} {path}")
        for problem in report.problems:
            click.echo(f"error {problem}", err=True)
    if report.problems:
        raise UsageProblem(
            f"{len(report.problems)} problem(s) found; fix the file and line named above"
        )
    if not as_json:
        click.echo(f"{len(report.files)} journeys and their templates are valid")


@journeys.command("preview")
@click.argument("key")
@click.option("--anchor", required=True, help="Start date (YYYY-MM-DD); event date for candidate.")
@click.option("--tz", "zone_name", help="Recipient's IANA zone (default: the employer's).")
@click.option("--locale", type=click.Choice(["nl", "en"]), default="en", show_default=True)
@click.option("--dir", "directory", type=click.Path(path_type=Path), help="Extra journeys folder.")
@click.option("--json", "as_json", is_flag=True, help="Print CONTRACTS §5 JSON.")
def preview(
    key: str, anchor: str, zone_name: str | None, locale: str, directory: Path | None, as_json: bool
) -> None:
    """Dry-run the timeline of one journey from an anchor date; nothing is stored or sent."""
    from flows.journey_checks import preview_rows
    from journeys.errors import JourneyError

    try:
        anchor_date = date.fromisoformat(anchor)
    except ValueError:
        raise UsageProblem(f"--anchor {anchor!r} is not a date like 2027-03-01") from None
    try:
        rows = preview_rows(
            key=key, anchor=anchor_date, zone_name=zone_name, locale=locale, directory=directory
        )
    except (JourneyError, ValueError) as exc:
        raise UsageProblem(str(exc)) from None
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{key} · anchor {anchor_date.isoformat()}", show_lines=False)
    for column in ("when (local)", "to", "channel", "step", "title"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["at_local"][:16].replace("T", " "),
            row["to"],
            row["channel"],
            row["step"],
            row["title"],
        )
    Console().print(table)


@journeys.command("history")
@click.argument("person")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON (UTC moments).")
def history(person: str, as_json: bool) -> None:
    """Show every step of PERSON's journeys (uid, external id or email) in time order.

    Per step: planned and actual time, channel, the address used (personal or work), the
    outcome, and each change (planned, rescheduled, cancelled, reassigned) with the event
    that caused it. Times are in the person's own time zone; --json gives UTC.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from integrations.settings import LeerpadSettings
    from models.db import make_engine, session_scope
    from models.journey_history import PersonNotFound, find_person_by_key, journey_history

    settings = LeerpadSettings()
    _require_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            found = find_person_by_key(session=session, key=person)
            steps = journey_history(session=session, person_id=int(found.id or 0))
    except PersonNotFound as exc:
        raise UsageProblem(
            f"{exc}: {person!r}; give a person's uid, external id or email "
            "(see `leerpad events list` for what came in)"
        ) from None
    except (OperationalError, ProgrammingError):
        raise OperationalProblem(
            "cannot read the journeys database; run `leerpad db upgrade` and check "
            "LEERPAD_DATABASE_URL"
        ) from None
    finally:
        engine.dispose()
    zone = _zone_of(found.timezone, settings.organization)
    from flows.history_view import history_json, history_table

    if as_json:
        data = history_json(person_uid=found.uid, zone=zone, steps=steps)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    from rich.console import Console

    title = f"journeys of {found.uid} · {zone.key}"
    console = Console(width=None if Console().is_terminal else 160)
    console.print(history_table(title=title, zone=zone, steps=steps))
    if not steps:
        click.echo("no journey steps for this person yet")


def _zone_of(name: str | None, organization: Path | None):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    if name:
        try:
            return ZoneInfo(name)
        except (KeyError, ValueError):
            pass
    from journeys.catalog import load_employer_profile

    return load_employer_profile(organization).zone


def _require_database(url: str) -> None:
    """Refuse to create an empty SQLite file just to find nobody in it."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            raise OperationalProblem(
                f"no database at {parsed.database}; set LEERPAD_DATABASE_URL or run "
                "`leerpad db upgrade` first"
            )
