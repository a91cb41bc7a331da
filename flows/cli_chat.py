"""`leerpad chat`: link people to Slack or Teams, see what chat is set up, send a test message."""

from __future__ import annotations

import json
import re
import uuid

import click

from flows.cli_errors import OperationalProblem, UsageProblem

_SLACK_MEMBER = re.compile(r"^[UW][A-Z0-9]{6,20}$")
_TEAMS_USER = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
ROUTES = ("slack", "teams", "slack-channel", "teams-channel")


def _app():  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from flows.runner import ready_app
    from integrations.chat.message import ChatConfigError

    try:
        return ready_app()
    except ChatConfigError as exc:
        raise UsageProblem(str(exc)) from None
    except OperationalError as exc:
        raise OperationalProblem(
            f"cannot reach the database ({type(exc.orig).__name__}); check LEERPAD_DATABASE_URL"
        ) from None


def _person_id(app, address: str) -> int:  # type: ignore[no-untyped-def]
    from models.chat import person_by_address
    from models.db import session_scope

    with session_scope(app.engine) as session:
        person = person_by_address(session=session, address=address)
        if person is None or person.id is None:
            raise UsageProblem(
                "no person with that email address; import or hire them first "
                "(leerpad hires import, or an ATS/HRIS event)"
            )
        return int(person.id)


@click.group()
def chat() -> None:
    """Slack and Microsoft Teams: direct messages and team posts next to (or instead of) email."""


@chat.command("link")
@click.argument("email")
@click.option("--slack", "slack_id", help="The person's Slack member id (U0123ABCD).")
@click.option("--teams", "teams_id", help="The person's Teams/Entra user principal name.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def link(email: str, slack_id: str | None, teams_id: str | None, as_json: bool) -> None:
    """Remember who EMAIL is on Slack and/or Teams, so steps can reach them by direct message.

    Slack: profile → ⋮ → "Copy member ID". Teams: the user principal name (usually the work
    address) that the employer's Power Automate DM workflow posts to.
    """
    if not slack_id and not teams_id:
        raise UsageProblem("give --slack MEMBER_ID and/or --teams USER@DOMAIN")
    if slack_id and not _SLACK_MEMBER.fullmatch(slack_id):
        raise UsageProblem("a Slack member id looks like U0123ABCD (profile → Copy member ID)")
    if teams_id and not _TEAMS_USER.fullmatch(teams_id):
        raise UsageProblem("a Teams user principal name looks like name@company.com")
    from datetime import UTC, datetime

    from models.chat import set_chat_identity
    from models.db import session_scope

    app = _app()
    person_id = _person_id(app, email)
    linked = []
    with session_scope(app.engine) as session:
        for service, value in (("slack", slack_id), ("teams", teams_id)):
            if value:
                set_chat_identity(
                    session=session,
                    person_id=person_id,
                    service=service,
                    external_id=value,
                    now=datetime.now(UTC),
                )
                linked.append(service)
    if as_json:
        click.echo(json.dumps({"person_id": person_id, "linked": linked}))
    else:
        click.echo(f"person {person_id} linked to {', '.join(linked)}")


@chat.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show which chat routes are set up and how many people are linked (never a URL or token)."""
    from models.chat import linked_counts
    from models.db import session_scope

    app = _app()
    channels = app.chat
    with session_scope(app.engine) as session:
        counts = linked_counts(session=session)
    report = {
        "routes": {r: bool(channels and channels.available(r)) for r in ROUTES},
        "slack_mode": channels.slack.mode if channels and channels.slack else None,
        "team_locale": channels.team_locale if channels else None,
        "linked": {"slack": counts.get("slack", 0), "teams": counts.get("teams", 0)},
    }
    if as_json:
        click.echo(json.dumps(report))
        return
    for route, ready in report["routes"].items():
        click.echo(f"{route:14} {'ready' if ready else 'off (email instead)'}")
    linked = report["linked"]
    click.echo(f"linked people: slack {linked['slack']}, teams {linked['teams']}")


@chat.command("test")
@click.argument("route", type=click.Choice(ROUTES))
@click.option("--to", "email", help="For slack/teams: the linked person to message.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def test_message(route: str, email: str | None, as_json: bool) -> None:
    """Send a short test message through ROUTE; exit 1 if the service refused it."""
    from integrations.chat.message import ChatMessage
    from models.chat import chat_identities

    app = _app()
    channels = app.chat
    if channels is None or not channels.available(route):
        raise UsageProblem(
            f"{route} is not set up: add it under chat: in the employer profile and set its "
            "LEERPAD_CHAT_…_URL (leerpad chat status shows what is ready)"
        )
    chat_id = None
    if not route.endswith("-channel"):
        if not email:
            raise UsageProblem(f"{route} is a direct message: add --to EMAIL of a linked person")
        from models.db import session_scope

        person_id = _person_id(app, email)
        with session_scope(app.engine) as session:
            ids = chat_identities(session=session, person_ids={person_id})
        chat_id = ids.get((person_id, route))
        if chat_id is None:
            raise UsageProblem(f"no {route} id for them: leerpad chat link EMAIL --{route} ID")
    target = channels.target(route, chat_id=chat_id)
    if target is None:
        raise UsageProblem(f"{route} has nowhere to go; see leerpad chat status")
    text = "Test van Leerpad: dit kanaal werkt. / Leerpad test: this channel works."
    message = ChatMessage(f"<test-{uuid.uuid4().hex}@leerpad>", target, text, "Leerpad")
    result = channels.send(message)
    if as_json:
        click.echo(json.dumps({"route": route, "outcome": result.outcome, "detail": result.detail}))
    if not result.ok:
        raise OperationalProblem(f"{route}: {result.outcome} failure ({result.detail})")
    if not as_json:
        click.echo(f"{route}: sent")
