"""Find the people whose retention period is over, and purge them (an erasure per person)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from journeys.retention import (
    ApplicationFacts,
    EmploymentFacts,
    PersonFacts,
    RetentionPolicy,
    is_due,
)
from models.consent import RetentionConsent
from models.employment import Employment
from models.people import Person
from models.recruitment import Application


@dataclass(frozen=True)
class DuePerson:
    """A person due for purging: ids only, never a name or an address."""

    person_id: int
    person_uid: str


def _facts_by_person(session: Session) -> dict[int, PersonFacts]:
    """Retention facts of every person who is not erased and ever applied or was employed."""
    alive = select(Person.id).where(col(Person.erased_at).is_(None))
    applications: dict[int, list[ApplicationFacts]] = defaultdict(list)
    for person_id, status, closed_at in session.exec(
        select(Application.person_id, Application.status, Application.closed_at).where(
            col(Application.person_id).in_(alive)
        )
    ).all():
        applications[person_id].append(ApplicationFacts(status=status, closed_at=closed_at))
    employments: dict[int, list[EmploymentFacts]] = defaultdict(list)
    for person_id, status, end_date, updated_at in session.exec(
        select(
            Employment.person_id, Employment.status, Employment.end_date, Employment.updated_at
        ).where(col(Employment.person_id).in_(alive))
    ).all():
        employments[person_id].append(
            EmploymentFacts(status=status, end_date=end_date, updated_at=updated_at)
        )
    consenting = set(session.exec(select(RetentionConsent.person_id)).all())
    return {
        person_id: PersonFacts(
            applications=tuple(applications.get(person_id, ())),
            employments=tuple(employments.get(person_id, ())),
            consent=person_id in consenting,
        )
        for person_id in set(applications) | set(employments)
    }


def due_for_purge(*, session: Session, policy: RetentionPolicy, now: datetime) -> list[DuePerson]:
    """The people whose data is due for purging at `now`, by the retention rule, oldest first."""
    due_ids = sorted(
        person_id
        for person_id, facts in _facts_by_person(session).items()
        if is_due(facts, policy=policy, now=now)
    )
    if not due_ids:
        return []
    uids = dict(
        session.exec(select(Person.id, Person.uid).where(col(Person.id).in_(due_ids))).all()
    )
    return [DuePerson(person_id=i, person_uid=uids[i]) for i in due_ids]


def purge_person(*, session: Session, person_id: int, now: datetime, files: int = 0) -> int:
    """Erase one person due for purging (the same as `leerpad privacy erase`); rows touched."""
    from models.inbox_store import erase_person

    person = session.get(Person, person_id)
    if person is None or person.erased_at is not None:
        return 0
    return erase_person(session=session, person=person, now=now, path="purge", files=files)


def find_people(*, session: Session, key: str) -> list[Person]:
    """The people a key names: a person uid, an external id (any source) or an email address."""
    key = key.strip()
    if not key:
        return []
    by_uid = session.exec(select(Person).where(Person.uid == key)).first()
    if by_uid is not None:
        return [by_uid]
    if "@" in key:
        address = key.lower()
        return list(
            session.exec(
                select(Person).where(
                    (col(Person.email) == address)
                    | (col(Person.work_email) == address)
                    | (col(Person.personal_email) == address)
                )
            ).all()
        )
    return list(session.exec(select(Person).where(Person.external_id == key)).all())
