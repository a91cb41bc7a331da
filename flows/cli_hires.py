"""`leerpad hires import FILE.csv`: enrol new hires from an HR export, row by row."""

from __future__ import annotations

import json
from pathlib import Path

import click

from flows.cli_errors import UsageProblem


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

    from flows.processing import process_stored_event, store
    from flows.runner import ready_app
    from integrations.csv_hires import CsvFileError, read_hires

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
    with Progress(console=console, transient=True, disable=as_json) as progress:
        task = progress.add_task("importing hires", total=len(rows))
        for row in rows:
            progress.advance(task)
            if row.event is None:
                errors.append({"line": row.line, "error": row.error})
                continue
            inbox_id, duplicate = store(app=app, event=row.event, now=now)
            if duplicate:
                counts["unchanged"] += 1
                continue
            try:
                process_stored_event(app=app, inbox_id=inbox_id, now=now)
                counts["imported"] += 1
            except Exception as exc:
                counts["failed"] += 1
                errors.append({"line": row.line, "error": str(exc)})
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
