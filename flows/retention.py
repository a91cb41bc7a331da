"""The `retention` flow: purge everyone whose retention period is over; erasure of one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.bootstrap import App, current_app
from flows.outbox_erasure import erase_outbox_files, outbox_needles
from flows.timeparse import parse_moment


@dataclass(frozen=True)
class Erased:
    """What one erasure did: counts and the opaque uid, nothing personal."""

    person_uid: str
    rows: int
    files: int


def erase_everywhere(*, app: App, person_id: int, now: datetime, path: str) -> Erased | None:
    """Erase one person from the database and, with the file outbox, from its .eml files."""
    from models.db import session_scope
    from models.inbox_store import erase_person
    from models.people import Person

    files = 0
    if app.transport == "outbox":
        files = erase_outbox_files(Path(app.settings.outbox_dir), outbox_needles(app, person_id))
    with session_scope(app.engine) as session:
        person = session.get(Person, person_id)
        if person is None or person.erased_at is not None:
            return None
        rows = erase_person(session=session, person=person, now=now, path=path, files=files)
        return Erased(person_uid=person.uid, rows=rows, files=files)


@task(name="find-due-for-purge", persist_result=False)
def find_due(as_of: str) -> list[int]:
    """Return the ids of the people whose retention period is over."""
    from models.db import session_scope
    from models.retention import due_for_purge

    app = current_app()
    policy = app.composer.profile.retention.policy()
    with session_scope(app.engine) as session:
        due = due_for_purge(session=session, policy=policy, now=parse_moment(as_of))
    return [d.person_id for d in due]


class PurgeFailed(RuntimeError):
    """Erasing one person failed; the next run tries again (the message names no one)."""


@task(name="purge-person", persist_result=False, retries=1, retry_delay_seconds=5)
def purge_one(person_id: int, as_of: str) -> dict[str, int]:
    """Erase one person due for purging; returns counts only."""
    try:
        erased = erase_everywhere(
            app=current_app(), person_id=person_id, now=parse_moment(as_of), path="purge"
        )
    except Exception as exc:  # database errors may quote row values: keep them out of Prefect
        raise PurgeFailed(f"purging person {person_id} failed: {type(exc).__name__}") from None
    if erased is None:
        return {"purged": 0, "rows": 0, "files": 0}
    return {"purged": 1, "rows": erased.rows, "files": erased.files}


@flow(name="retention", persist_result=False, log_prints=False)
def retention(as_of: str | None = None, dry_run: bool = False) -> dict[str, int]:
    """Purge everyone whose retention period is over (ids and counts only, no personal data)."""
    app = current_app()
    moment = parse_moment(as_of) if as_of else app.clock.now()
    due = find_due(moment.isoformat())
    totals = {"due": len(due), "purged": 0, "rows": 0, "files": 0}
    failed = 0
    for person_id in [] if dry_run else due:
        state = purge_one(person_id, moment.isoformat(), return_state=True)
        if state.is_failed():  # the others are still purged; this one waits for the next run
            failed += 1
            continue
        for key, value in state.result().items():
            totals[key] += value
    get_run_logger().info("retention as of %s: %s", moment.isoformat(), totals)
    if failed:
        raise PurgeFailed(f"{failed} of {len(due)} purges failed; the next run tries them again")
    return totals
