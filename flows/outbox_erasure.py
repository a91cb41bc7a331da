"""A person's copies in the file outbox: what marks an .eml file as theirs, and deleting them
(`leerpad privacy erase`, the retention purge and an erasure at the source all use it)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from flows.bootstrap import App


def outbox_needles(app: App, person_id: int) -> list[str]:
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


def eml_text(raw: bytes) -> str:
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
            content = eml_text(path.read_bytes()).lower()
        except OSError:
            continue
        if any(needle in content for needle in lowered):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
