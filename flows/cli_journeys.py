"""`leerpad journeys validate | preview`: check definitions and see a journey's timeline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from flows.cli_errors import UsageProblem


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
