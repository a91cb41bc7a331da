"""`leerpad privacy purge|erase`: the retention purge, and erasure of one person."""

from __future__ import annotations

import json

import click

from flows.cli_errors import OperationalProblem, UsageProblem


@click.group()
def privacy() -> None:
    """Retention and erasure of personal data (GDPR)."""


def _echo(result: dict[str, object], *, as_json: bool, line: str) -> None:
    click.echo(json.dumps(result, sort_keys=True) if as_json else line)


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Count who is due; erase nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
def purge(dry_run: bool, as_json: bool) -> None:
    """Erase everyone whose retention period is over, through the Prefect `retention` flow.

    Rejected candidates go 4 weeks after their procedure ended (1 year with consent), former
    hires N months after their employment ended; the employer profile's `retention` sets both.
    """
    from sqlalchemy.exc import OperationalError

    from flows.runner import prefect_session, ready_app

    try:
        ready_app()
        with prefect_session():
            from flows.retention import retention

            totals = retention(dry_run=dry_run)
    except OperationalError as exc:
        raise OperationalProblem(
            f"cannot reach the database ({type(exc.orig).__name__}); check LEERPAD_DATABASE_URL"
        ) from None
    verb = "would purge" if dry_run else "purged"
    count = totals["due"] if dry_run else totals["purged"]
    _echo(
        totals | {"dry_run": dry_run},
        as_json=as_json,
        line=f"{verb} {count} people ({totals['rows']} rows, {totals['files']} outbox files)",
    )


@privacy.command("erase")
@click.argument("person")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def erase(person: str, as_json: bool) -> None:
    """Erase one PERSON everywhere: a person uid, an external id from the ATS/HRIS, or an email.

    Their data, their journeys and messages, the stored events that carried them and (with the
    file outbox) their .eml files go; the erasure log keeps when, how and how many rows, no name.
    Runs here, not through Prefect: PERSON may be an address and must not reach Prefect.
    """
    from flows.retention import erase_everywhere
    from flows.runner import ready_app
    from models.db import session_scope
    from models.retention import find_people

    app = ready_app()
    with session_scope(app.engine) as session:
        found = [(p.id, p.uid, p.erased_at) for p in find_people(session=session, key=person)]
    if not found:
        raise UsageProblem(
            "no person matches that key; pass a person uid, an external id or an email address"
        )
    if len(found) > 1:
        uids = ", ".join(uid for _, uid, _ in found)
        raise UsageProblem(f"{len(found)} people match that key ({uids}); pass one person uid")
    person_id, uid, erased_at = found[0]
    if erased_at is not None:
        result = {"person_uid": uid, "erased": False, "already_erased": True, "rows": 0, "files": 0}
        _echo(result, as_json=as_json, line=f"person {uid} was already erased")
        return
    done = erase_everywhere(app=app, person_id=int(person_id or 0), now=app.clock.now(), path="cli")
    rows, files = (done.rows, done.files) if done else (0, 0)
    result = {"person_uid": uid, "erased": True, "already_erased": False, "rows": rows,
              "files": files}  # fmt: skip
    _echo(result, as_json=as_json, line=f"erased person {uid}: {rows} rows, {files} outbox files")


@privacy.command("consent")
@click.argument("person")
@click.option("--given/--withdrawn", required=True, help="Consent given, or withdrawn.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
def consent(person: str, given: bool, as_json: bool) -> None:
    """Record that PERSON consents (or no longer consents) to a longer retention.

    What the rejection email asks candidates to tell their contact person: with consent their
    data is kept for the profile's `retention.consent_months` (12) instead of `candidate_weeks`.
    """
    from flows.runner import ready_app
    from models.consent import has_consent, record_consent
    from models.db import session_scope
    from models.retention import find_people

    app = ready_app()
    with session_scope(app.engine) as session:
        found = [p for p in find_people(session=session, key=person) if p.erased_at is None]
        if len(found) != 1:
            raise UsageProblem(
                f"{len(found)} people match that key; pass one person uid, external id or email"
            )
        pid, uid = int(found[0].id or 0), found[0].uid
        record_consent(
            session=session, person_id=pid, given=given, source="cli", at=app.clock.now()
        )
        now_given = has_consent(session=session, person_id=pid)
    state = "given" if now_given else "withdrawn"
    _echo({"person_uid": uid, "consent": now_given}, as_json=as_json,
          line=f"person {uid}: consent {state}")  # fmt: skip
