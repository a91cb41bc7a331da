"""`leerpad learning …`: badge key, catalog check, playlist preview, HR aggregate, xAPI export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from flows.cli_errors import OperationalProblem, UsageProblem


@click.group()
def learning() -> None:
    """Learning: catalog and playlists, badges, reflections (aggregates only), xAPI."""


@learning.command("badge-key")
@click.option("--base64", "as_base64", is_flag=True, help="Print base64 (for an env variable).")
def badge_key(as_base64: bool) -> None:
    """Print a new Ed25519 private key for LEERPAD_BADGE_KEY; keep it as a secret."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from integrations.learning.jws import private_key_pem

    pem = private_key_pem(Ed25519PrivateKey.generate())
    click.echo(base64.b64encode(pem.encode()).decode() if as_base64 else pem.rstrip())
    click.echo("store this as a secret; badges signed with it verify with its public key", err=True)


@learning.command("catalog")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def catalog(file: Path | None, as_json: bool) -> None:
    """Validate a learning catalog (YAML or CSV; default LEERPAD_LEARNING_CATALOG or starter)."""
    from integrations.learning.catalog_files import load_catalog_file
    from integrations.settings import LeerpadSettings
    from journeys.errors import DefinitionErrors

    try:
        found = load_catalog_file(file or LeerpadSettings().learning_catalog)
    except DefinitionErrors as exc:
        for error in exc.errors:
            click.echo(f"error {error}", err=True)
        raise UsageProblem(
            f"{len(exc.errors)} problem(s); fix the file and line named above"
        ) from None
    counts = {
        "items": len(found.items),
        "nl": sum(i.language == "nl" for i in found.items),
        "en": sum(i.language == "en" for i in found.items),
        "roles": sorted({r for i in found.items for r in i.roles}),
    }
    click.echo(json.dumps(counts) if as_json else f"{counts['items']} items are valid")


@learning.command("playlist")
@click.option("--title", help="Job title, e.g. 'Data Engineer'.")
@click.option("--department")
@click.option("--goal", "goals", multiple=True, help="A learning goal (repeatable).")
@click.option("--promise", "promises", multiple=True, help="A vacancy promise (repeatable).")
@click.option("--locale", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--json", "as_json", is_flag=True)
def playlist(
    title: str | None, department: str | None, goals: tuple[str, ...],
    promises: tuple[str, ...], locale: str, as_json: bool,
) -> None:  # fmt: skip
    """Preview the playlist a hire would get; nothing is stored."""
    from integrations.learning.catalog_files import load_catalog_file
    from integrations.settings import LeerpadSettings
    from journeys.learning.playlist import Learner, assemble_playlist

    learner = Learner(
        title=title, department=department, locale=locale, goals=goals, promises=promises
    )
    picks = assemble_playlist(load_catalog_file(LeerpadSettings().learning_catalog), learner)
    rows = [
        {"id": p.item.id, "title": p.item.title, "minutes": p.item.minutes, "reason": p.reason}
        for p in picks
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"level: {learner.resolved_level}")
    for n, row in enumerate(rows, start=1):
        click.echo(f"{n:>2}. {row['title']} ({row['minutes']} min, {row['reason']})")


@learning.command("response-rate")
@click.option("--since", default="2000-01-01", help="From this date (YYYY-MM-DD).")
@click.option("--until", "until", default="2100-01-01", help="Up to this date (YYYY-MM-DD).")
@click.option("--min-group", default=5, show_default=True, help="Hide rates of smaller groups.")
@click.option("--json", "as_json", is_flag=True)
def response_rate(since: str, until: str, min_group: int, as_json: bool) -> None:
    """HR's view of leader reflections: prompts answered per month. Never the answers."""
    from flows.runner import ready_app
    from models.db import session_scope
    from models.learning_queries import reflection_response_rate

    try:
        start, end = (datetime.fromisoformat(v).replace(tzinfo=UTC) for v in (since, until))
    except ValueError:
        raise UsageProblem("--since and --until are dates like 2027-03-01") from None
    app = ready_app()
    with session_scope(app.engine) as session:
        rates = reflection_response_rate(session=session, start=start, end=end, min_group=min_group)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rates]))
        return
    for r in rates:
        shown = f"{r.rate:.0%}" if r.rate is not None else f"hidden (fewer than {min_group})"
        click.echo(f"{r.period}  {r.answered}/{r.prompts} answered  {shown}")


@learning.command("export-xapi")
@click.option("--limit", default=500, show_default=True, help="Statements per run.")
def export_xapi(limit: int) -> None:
    """Send completions ticked off in Leerpad to the LRS at LEERPAD_LRS_URL (idempotent)."""
    from flows.runner import ready_app
    from integrations.learning.lrs import export_completions
    from integrations.learning.wiring import LearningDeps

    app = ready_app()
    deps = LearningDeps.from_settings(app.settings, engine=app.engine, now=app.clock.now)
    if deps.lrs is None:
        raise UsageProblem("no LRS configured; set LEERPAD_LRS_URL (and its credentials)")
    sent = export_completions(
        engine=app.engine, lrs=deps.lrs, home_page=deps.home_page,
        public_url=deps.links.public_url, now=app.clock.now, limit=limit,
    )  # fmt: skip
    if sent == 0:
        pending = _pending(app)
        if pending:
            raise OperationalProblem(f"the LRS refused or was unreachable; {pending} waiting")
    click.echo(f"sent {sent} statement(s) to the LRS")


def _pending(app) -> int:  # type: ignore[no-untyped-def]
    from sqlmodel import col, func, select

    from models.db import session_scope
    from models.learning import PlaylistItem

    with session_scope(app.engine) as session:
        statement = select(func.count()).where(
            PlaylistItem.status == "completed", PlaylistItem.completed_via == "link",
            col(PlaylistItem.lrs_sent_at).is_(None),
        )  # fmt: skip
        return int(session.exec(statement).one())
