"""The `retention` flow: purge everyone whose retention period is over; erasure of one person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from sqlmodel import col, select

from flows.bootstrap import App, current_app
from flows.timeparse import parse_moment


@dataclass(frozen=True)
class Erased:
    """What one erasure did: counts and the opaque uid, nothing personal."""

    person_uid: str
    rows: int
    files: int


def _needles(app: App, person_id: int) -> list[str]:
    """What marks an outbox file as theirs: addresses, full name, their messages' Message-IDs."""
    from models.db import session_scope
    from models.delivery import Delivery
    from models.enrollment import Enrollment, ScheduledStep
    from models.people import Person

    with session_scope(app.engine) as session:
        person = session.get(Person, person_id)
        if person is None:
            return []
        addresses = [a for a in (person.email, person.personal_email, person.work_email) if a]
        full_name = [f"{person.first_name} {person.last_name}"]
        names = full_name if person.first_name and person.last_name else []
        steps = select(ScheduledStep.id).join(
            Enrollment, col(Enrollment.id) == col(ScheduledStep.enrollment_id)
        )
        message_ids = session.exec(
            select(Delivery.message_id).where(
                col(Delivery.step_id).in_(steps.where(col(Enrollment.person_id) == person_id))
            )
        ).all()
    return [*addresses, *names, *(m for m in message_ids if m)]


def _eml_text(raw: bytes) -> str:
    """A message's headers and decoded text parts (base64 and quoted-printable undone)."""
    import email
    from email import policy

    message = email.message_from_bytes(raw, policy=policy.default)
    texts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError):
            continue
        texts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
    return " ".join(" ".join(texts).split())


def erase_outbox_files(directory: Path, needles: list[str]) -> int:
    """Delete the .eml files whose headers or text carry one of the needles (any case)."""
    if not needles or not directory.is_dir():
        return 0
    lowered = [" ".join(n.split()).lower() for n in needles]
    removed = 0
    for path in directory.glob("*.eml"):
        try:
            content = _eml_text(path.read_bytes()).lower()
        except OSError:
            continue
        if any(needle in content for needle in lowered):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def erase_everywhere(*, app: App, person_id: int, now: datetime, path: str) -> Erased | None:
    """Erase one person from the database and, with the file outbox, from its .eml files."""
    from models.db import session_scope
    from models.inbox_store import erase_person
    from models.people import Person

    files = 0
    if app.transport == "outbox":
        files = erase_outbox_files(Path(app.settings.outbox_dir), _needles(app, person_id))
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
