"""The `leerpad` command line. Commands import what they need when they run: --help stays fast."""

from __future__ import annotations

import sys

import click

from flows.cli_chat import chat
from flows.cli_deliveries import deliveries
from flows.cli_errors import OperationalProblem, UsageProblem
from flows.cli_events import events
from flows.cli_hires import hires
from flows.cli_hr import hr
from flows.cli_invites import invites
from flows.cli_journeys import journeys
from flows.cli_learning import learning
from flows.cli_privacy import privacy
from flows.cli_report import report
from flows.cli_vacancy import vacancy


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="leerpad")
def cli() -> None:
    """Leerpad: recruitment-to-onboarding learning journeys.

    ATS and HR events in; scheduled learning emails, calendar invites and leader
    reflection prompts out. Configure with LEERPAD_* environment variables or a .env file.
    """


@cli.command()
@click.option(
    "--out", "out_dir", default="outbox", show_default=True, help="Folder for the .eml files."
)
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of the demo's people and of the timeline.",
)
def demo(out_dir: str, lang: str) -> None:
    """Run the whole story on SQLite, the file outbox and Prefect's ephemeral mode."""
    from flows.demo import run_demo

    run_demo(out_dir=out_dir, lang=lang)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(1, 64),
    help="HTTP processes (the webhook rate limit applies per process).",
)  # fmt: skip
@click.option(
    "--process", "mode", type=click.Choice(["inline", "deferred"]), envvar="LEERPAD_PROCESS",
    default="inline", show_default=True,
    help="inline: process each webhook right after its 202, in the serving process; deferred: "
    "only store and answer, and process in a separate processor process.",
)  # fmt: skip
def serve(host: str, port: int, workers: int, mode: str) -> None:
    """Serve the HTTP app: webhooks (POST /webhooks/{source}), health, forms and pages."""
    import os

    import uvicorn

    from flows.runner import ready_app
    from flows.serve import (
        build_http_app,
        processor_alongside,
        quiet_tokens_in_access_log,
        use_prefect_events,
    )

    os.environ["LEERPAD_PROCESS"] = mode  # for the worker processes
    app = ready_app()  # migrate once, before any worker starts
    quiet_tokens_in_access_log()
    with processor_alongside(mode == "deferred" and not use_prefect_events()):
        if workers == 1:
            uvicorn.run(build_http_app(app, mode=mode), host=host, port=port, log_level="info")
        else:
            app.engine.dispose()  # the workers open their own connections
            uvicorn.run(
                "flows.serve:worker_app", factory=True, workers=workers, host=host, port=port,
                log_level="info",
            )  # fmt: skip


@cli.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema at LEERPAD_DATABASE_URL."""
    from sqlalchemy.exc import OperationalError

    from integrations.settings import LeerpadSettings
    from models.migrate import upgrade

    url = LeerpadSettings().database_url
    try:
        upgrade(url)
    except OperationalError as exc:
        raise OperationalProblem(
            f"cannot reach the database ({exc.orig}); check LEERPAD_DATABASE_URL"
        ) from None
    click.echo("database schema is up to date")


@cli.command("dispatch")
@click.option("--until", help="Deliver what is due up to this ISO-8601 moment (default: now).")
@click.option("--batch", type=click.IntRange(1, 5000), help="Steps per batch (default 200).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def dispatch_command(until: str | None, batch: int | None, as_json: bool) -> None:
    """Deliver every step due up to --until, once, through the Prefect `dispatch` flow."""
    from flows.timeparse import parse_moment

    if until:
        try:
            until = parse_moment(until).isoformat()
        except ValueError:
            raise UsageProblem(
                f"--until {until!r} is not ISO-8601, e.g. 2027-03-01T09:00+01:00"
            ) from None
    from flows.runner import run_dispatch

    totals = run_dispatch(until=until, batch_size=batch)
    if as_json:
        import json

        click.echo(json.dumps(totals, sort_keys=True))
    else:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))
        click.echo(f"dispatched: {parts}")


cli.add_command(journeys)
cli.add_command(events)
cli.add_command(deliveries)
cli.add_command(hires)
cli.add_command(vacancy)
cli.add_command(learning)
cli.add_command(privacy)
cli.add_command(chat)
cli.add_command(hr)
cli.add_command(invites)
cli.add_command(report)


def main() -> None:
    """Entry point of the `leerpad` console script."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
