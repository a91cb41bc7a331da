"""`leerpad hires import FILE.csv`: enrol new hires from an HR export, in chunks of rows."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli_errors import UsageProblem

CHUNK = 500  # rows per bulk write: a few inserts and one commit per chunk


@click.group()
def hires() -> None:
    """New hires from HR exports."""


@hires.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def import_hires(file: Path, as_json: bool) -> None:
    """Import hires from CSV (header row; email and start_date required) and enrol each.

    A bad row is reported with its line number; the other rows are still imported.
    Importing the same file again changes nothing.
    """
    from rich.console import Console
    from rich.progress import Progress

    from flows.hire_import import import_hire_events
    from flows.runner import ready_app
    from integrations.csv_hires import CsvFileError, read_hires
    from models.hire_import import HireBatch
    from models.statistics import refresh_statistics

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"cannot read {file}: {exc}; save it as UTF-8 CSV") from None
    app = ready_app()
    now = app.clock.now()
    try:
        rows = list(read_hires(text, now=now))
    except CsvFileError as exc:
        raise UsageProblem(f"{file}: {exc}") from None
    counts = {"imported": 0, "unchanged": 0, "failed": 0}
    errors: list[dict[str, object]] = []
    console = Console(stderr=True)
    batch = HireBatch(rules=app.rules, now=now)  # one plan cache for the whole file
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("importing hires", total=len(rows))
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            for row in chunk:
                if row.event is None:
                    progress.advance(task)
                    errors.append({"line": row.line, "error": row.error})
            good = [row for row in chunk if row.event is not None]
            results = import_hire_events(
                app=app,
                events=[row.event for row in good if row.event is not None],
                now=now,
                on_done=lambda: progress.advance(task),
                batch=batch,
            )
            for row, (status, error) in zip(good, results, strict=True):
                if status == "duplicate":
                    counts["unchanged"] += 1
                elif status == "failed":
                    counts["failed"] += 1
                    errors.append({"line": row.line, "error": error})
                else:
                    counts["imported"] += 1
    refresh_statistics(app.engine)  # PostgreSQL plans the next queries by the new rows
    errors.sort(key=lambda e: int(str(e["line"])))
    if as_json:
        click.echo(json.dumps({**counts, "errors": errors}))
    else:
        for error in errors:
            console.print(f"[red]line {error['line']}[/]: {error['error']}")
        click.echo(
            f"{counts['imported']} imported, {counts['unchanged']} unchanged, "
            f"{len(errors)} with errors"
        )
    if errors:
        raise UsageProblem(f"{len(errors)} row(s) of {file} were not imported; fix them and re-run")
