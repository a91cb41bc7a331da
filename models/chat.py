"""Chat identities (who is who on Slack or Teams) and the chat part of the delivery ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint, delete, func, or_
from sqlmodel import Field, Session, SQLModel, col, select

from models.base import utc_field
from models.delivery import Delivery
from models.people import Person

CHAT_SERVICES = ("slack", "teams")


# A person's id on a chat service: a Slack member id (U…/W…) or a Teams user principal name.
class ChatIdentity(SQLModel, table=True):
    __tablename__ = "chat_identity"
    __table_args__ = (UniqueConstraint("person_id", "service", name="uq_chat_identity_person"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    service: str = Field(max_length=10)  # slack|teams
    external_id: str = Field(max_length=320)
    updated_at: datetime = utc_field(nullable=False)


def set_chat_identity(
    *, session: Session, person_id: int, service: str, external_id: str, now: datetime
) -> ChatIdentity:
    """Store (or replace) a person's id on a chat service."""
    if service not in CHAT_SERVICES:
        raise ValueError(f"unknown chat service {service!r}; use slack or teams")
    row = session.exec(
        select(ChatIdentity).where(
            ChatIdentity.person_id == person_id, ChatIdentity.service == service
        )
    ).first()
    row = row or ChatIdentity(person_id=person_id, service=service, external_id=external_id)
    row.external_id, row.updated_at = external_id.strip(), now
    session.add(row)
    return row


def chat_identities(*, session: Session, person_ids: set[int]) -> dict[tuple[int, str], str]:
    """Chat ids of some people, by (person id, service)."""
    if not person_ids:
        return {}
    rows = session.exec(
        select(ChatIdentity).where(col(ChatIdentity.person_id).in_(sorted(person_ids)))
    ).all()
    return {(r.person_id, r.service): r.external_id for r in rows}


def forget_chat_identities(*, session: Session, person_id: int) -> int:
    """Delete a person's chat ids (part of erasing them); returns how many went."""
    result = session.exec(  # type: ignore[call-overload]
        delete(ChatIdentity).where(col(ChatIdentity.person_id) == person_id)
    )
    return int(result.rowcount or 0)


def ledger_status(*, session: Session, message_ids: list[str]) -> dict[str, str]:
    """The ledger's status (sent|failed) of each message id already recorded."""
    if not message_ids:
        return {}
    rows = session.exec(
        select(Delivery.message_id, Delivery.status).where(
            col(Delivery.message_id).in_(message_ids)
        )
    ).all()
    return dict(rows)


def record_chat_send(
    *,
    session: Session,
    step_id: int,
    action: str,
    sequence: int,
    message_id: str,
    route: str,
    ok: bool,
    detail: str,
    now: datetime,
) -> None:
    """Record one chat message in the delivery ledger (channel = its route, transport apprise)."""
    session.add(
        Delivery(
            step_id=step_id,
            action=action,
            sequence=sequence,
            message_id=message_id,
            channel=route,
            transport="apprise",
            status="sent" if ok else "failed",
            detail=detail[:500] or None,
            at=now,
        )
    )


def person_by_address(*, session: Session, address: str) -> Person | None:
    """The (not erased) person with this email address, work or personal, case-insensitively."""
    wanted = address.strip().lower()
    columns = (Person.email, Person.work_email, Person.personal_email)
    return session.exec(
        select(Person)
        .where(or_(*(func.lower(col(c)) == wanted for c in columns)))
        .where(col(Person.erased_at).is_(None))
        .order_by(col(Person.id))
    ).first()


def linked_counts(*, session: Session) -> dict[str, int]:
    """How many people have an id on each chat service."""
    rows = session.exec(
        select(ChatIdentity.service, func.count()).group_by(col(ChatIdentity.service))
    ).all()
    return {service: int(n) for service, n in rows}
