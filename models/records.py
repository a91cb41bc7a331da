"""Create or update people, vacancies, applications and employments from canonical events."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from journeys.events import Event, ManagerRef, PersonRef
from models.employment import Employment
from models.people import Person
from models.recruitment import Application, Vacancy

_PERSON_FIELDS = (
    "email",
    "personal_email",
    "work_email",
    "first_name",
    "last_name",
    "locale",
    "timezone",
)


def find_person(*, session: Session, source: str, external_id: str | None, email: str | None):
    """Find a person by source id, else by any of their addresses."""
    if external_id:
        found = session.exec(
            select(Person).where(Person.source == source, Person.external_id == external_id)
        ).first()
        if found:
            return found
    if email:
        address = email.lower()
        return session.exec(
            select(Person).where(
                (col(Person.email) == address)
                | (col(Person.work_email) == address)
                | (col(Person.personal_email) == address)
            )
        ).first()
    return None


def upsert_person(*, session: Session, source: str, ref: PersonRef | ManagerRef) -> Person | None:
    """Create or update a person; known fields are never overwritten with nulls."""
    email = ref.email or getattr(ref, "work_email", None) or getattr(ref, "personal_email", None)
    if not (ref.external_id or email):
        return None
    person = find_person(session=session, source=source, external_id=ref.external_id, email=email)
    if person is None:
        person = Person(source=source, external_id=ref.external_id)
        session.add(person)
    if person.erased_at is not None:
        return person
    for name, value in person_fields(ref).items():
        setattr(person, name, value)
    if person.email is None:
        person.email = person.work_email or person.personal_email
    session.flush()
    return person


def person_fields(ref: PersonRef | ManagerRef) -> dict[str, str]:
    """The person columns a reference sets (addresses lower-cased); unknown ones are left out."""
    fields = {}
    for name in _PERSON_FIELDS:
        value = getattr(ref, name, None)
        if value is not None:
            fields[name] = value.lower() if name.endswith("email") else value
    return fields


def upsert_vacancy(*, session: Session, event: Event, status: str | None = None) -> Vacancy | None:
    """Create or update the vacancy the event names."""
    ref = event.vacancy
    if ref is None or not (ref.external_id or ref.title):
        return None
    vacancy = None
    if ref.external_id:
        vacancy = session.exec(
            select(Vacancy).where(
                Vacancy.source == event.source, Vacancy.external_id == ref.external_id
            )
        ).first()
    if vacancy is None:
        vacancy = Vacancy(source=event.source, external_id=ref.external_id)
        session.add(vacancy)
    vacancy.title = ref.title or vacancy.title
    vacancy.department = ref.department or vacancy.department
    if status:
        vacancy.status = status
    if event.type == "vacancy.published" and vacancy.id is not None:
        vacancy.published_at = vacancy.published_at or event.occurred_at  # a stored vacancy
    session.flush()
    if event.type == "vacancy.published":
        from models.vacancy_intake import store_published_text

        store_published_text(session=session, vacancy=vacancy, event=event)
    return vacancy


STATUS_RANK = {"active": 0, "offered": 1, "hired": 2, "rejected": 3, "unhired": 3}


def is_stale_for(row: Application | Employment, event: Event) -> bool:
    """Tell whether an event is older than the newest one already applied to a row."""
    return row.facts_as_of is not None and event.occurred_at < row.facts_as_of


def upsert_application(
    *, session: Session, event: Event, person: Person, status: str, now: datetime
) -> Application:
    """Create or update the application; older events than already applied change nothing."""
    ref = event.application
    external_id = ref.external_id if ref else None
    vacancy = upsert_vacancy(session=session, event=event)
    application = None
    if external_id:
        application = session.exec(
            select(Application).where(
                Application.source == event.source, Application.external_id == external_id
            )
        ).first()
    if application is None:
        query = select(Application).where(Application.person_id == person.id)
        if vacancy is not None:
            query = query.where(Application.vacancy_id == vacancy.id)
        application = session.exec(query.order_by(col(Application.id).desc())).first()
    if application is None:
        application = Application(
            source=event.source,
            external_id=external_id,
            person_id=person.id,
            applied_at=event.occurred_at,
        )
        session.add(application)
    if vacancy is not None and application.vacancy_id is None:
        application.vacancy_id = vacancy.id
    if is_stale_for(application, event):
        session.flush()
        return application
    if vacancy is not None:
        application.vacancy_id = vacancy.id
    if ref and ref.stage:
        application.stage = ref.stage
    if ref and ref.rejection_reason:
        application.rejection_reason = ref.rejection_reason
    application.status = status
    application.facts_as_of = event.occurred_at
    if status in ("rejected", "unhired", "hired"):
        application.closed_at = application.closed_at or now
    session.flush()
    return application


def find_employment(*, session: Session, person: Person) -> Employment | None:
    """Return the person's most recent employment."""
    return session.exec(
        select(Employment)
        .where(Employment.person_id == person.id)
        .order_by(col(Employment.id).desc())
    ).first()


def upsert_employment(
    *, session: Session, event: Event, person: Person, now: datetime
) -> Employment | None:
    """Create or update the employment; returns None while no start date is known."""
    ref = event.employment
    employment = find_employment(session=session, person=person)
    if employment is None:
        if ref is None or ref.start_date is None:
            return None
        application = None
        if event.application and event.application.external_id:
            application = session.exec(
                select(Application).where(
                    Application.source == event.source,
                    Application.external_id == event.application.external_id,
                )
            ).first()
        employment = Employment(
            person_id=person.id,
            application_id=application.id if application else None,
            source=event.source,
            start_date=ref.start_date,
            created_at=now,
            updated_at=now,
        )
        session.add(employment)
    if is_stale_for(employment, event):
        session.flush()
        return employment
    employment.facts_as_of = event.occurred_at
    if ref is not None:
        employment.title = ref.title or employment.title
        employment.department = ref.department or employment.department
        employment.end_date = ref.end_date or employment.end_date
        for role in ("manager", "coach", "buddy"):
            person_ref = getattr(ref, role)
            if person_ref is not None:
                found = upsert_person(session=session, source=event.source, ref=person_ref)
                if found is not None:
                    setattr(employment, f"{role}_id", found.id)
    employment.updated_at = now
    session.flush()
    return employment
