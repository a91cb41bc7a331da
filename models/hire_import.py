"""Bulk import of new hires: many CSV hires planned in memory and written with a few inserts.

The per-event path (`models.inbox_store.apply_event`) spends ~9 ms per hire on ORM work: finding
and upserting the person, the manager and the coach, flushing the employment and two enrolments.
A new hire whose address nobody in the database has needs none of that. `HireBatch` loads every
person a chunk of rows names with one query, decides per row whether it is such a plain new hire,
plans its steps with the pure planner (cached per start date and zones) and writes the whole batch
with one executemany per table: inbox rows, people, employments, enrolments, steps, step changes
and calendar events. The rows are the ones the per-event path would write.

A row `HireBatch` cannot take (the hire is known, an address matches two people, a manager's
stored details differ, any other event than `employee.created`) goes through the per-event path;
the caller keeps file order by writing the batch before it (see `flows/hire_import.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Table, or_, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from journeys.commands import Enroll, RecordEmployment
from journeys.dsl import Journey
from journeys.events import Event, ManagerRef
from journeys.lifecycle import KnownState, decide
from models.base import new_uid, utcnow
from models.bulk_rows import bind_value, insert_dicts, insert_rows, random_uids, reserve_ids
from models.delivery import CalendarEvent
from models.employment import Employment
from models.enrollment import Enrollment, ScheduledStep
from models.inbox import InboxEvent, dedupe_key_of
from models.people import Person
from models.planning import PlanningRules, StepPlan, calendar_event_values, plan_step
from models.records import person_fields
from models.step_history import StepChange

ROLES = ("manager", "coach", "buddy")  # employment columns <role>_id
ROLE_OF = {"manager": "leader", "coach": "coach", "buddy": "buddy"}  # the journeys' role names
_PLAN_CACHE_LIMIT = 50_000
SQLITE_CACHE_KIB = 65_536  # SQLite's page cache for the import's connection (default 2 MiB)
STEP_COLUMNS = (
    "id", "uid", "enrollment_id", "step_key", "occurrence", "channel", "recipient_role",
    "template", "action", "recipient_person_id", "calendar_step_id", "status", "due_at",
    "claimed_by", "lease_expires_at", "attempts", "last_error", "sent_at", "created_at",
    "updated_at",
)  # fmt: skip
CHANGE_COLUMNS = (
    "step_id", "at", "change", "old_due_at", "new_due_at", "action", "detail", "event_id",
    "inbox_event_id",
)  # fmt: skip


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


@dataclass(eq=False)
class _Person:
    """A person the batch knows: loaded from the database (id set) or new in this batch."""

    id: int | None
    email: str | None
    work_email: str | None = None
    personal_email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    timezone: str | None = None
    values: dict[str, object | None] | None = None  # the row to insert, for a new person
    taken: bool = False  # a new person already in the batch's list to insert

    def addresses(self) -> set[str]:
        return {a for a in (self.email, self.work_email, self.personal_email) if a}


@dataclass(eq=False)
class _Hire:
    """One new hire the batch writes: its event, its people and its planned journeys."""

    event: Event
    dedupe_key: str
    person: _Person
    roles: dict[str, _Person]  # employment role (manager|coach|buddy) → person
    start_date: date
    journeys: list[tuple[Journey, list[StepPlan]]]
    inbox_id: int | None = None


@dataclass
class HireBatch:
    """New hires of one chunk, taken in file order, then written in one transaction."""

    rules: PlanningRules
    now: datetime
    outcomes: list[str] = field(default_factory=list)  # per taken row: processed|duplicate
    _hires: list[_Hire] = field(default_factory=list)
    _people: list[_Person] = field(default_factory=list)  # new people, in creation order
    _by_address: dict[str, list[_Person]] = field(default_factory=dict)
    _known_keys: set[str] = field(default_factory=set)
    _plans: dict[tuple[object, ...], list[StepPlan]] = field(default_factory=dict)
    _step_plans: dict[tuple[object, ...], StepPlan] = field(default_factory=dict)
    _zones: dict[str | None, ZoneInfo] = field(default_factory=dict)

    def load(self, *, session: Session, events: Iterable[Event]) -> None:
        """Load the stored dedupe keys and every person the events' addresses name."""
        events = list(events)
        self._hires, self._people, self.outcomes = [], [], []
        self._by_address, self._known_keys = {}, set()
        keys = [dedupe_key_of(e.id) for e in events]
        inbox = _table(InboxEvent)
        for part in _parts(keys):
            self._known_keys.update(
                session.connection()
                .execute(select(inbox.c.dedupe_key).where(inbox.c.dedupe_key.in_(part)))
                .scalars()
            )
        addresses = sorted({a for e in events for a in _addresses_of(e)})
        person = _table(Person)
        seen: set[int] = set()
        for part in _parts(addresses):
            rows = session.connection().execute(
                select(
                    person.c.id, person.c.email, person.c.work_email, person.c.personal_email,
                    person.c.first_name, person.c.last_name, person.c.timezone,
                ).where(
                    or_(
                        person.c.email.in_(part),
                        person.c.work_email.in_(part),
                        person.c.personal_email.in_(part),
                    )
                )
            )  # fmt: skip
            for row in rows:
                if row.id not in seen:
                    seen.add(row.id)
                    self._index(_Person(*row))

    def take(self, event: Event) -> bool:
        """Add one event to the batch if it is a duplicate or a plain new hire; else False.

        Nothing changes when it returns False; the row then goes the per-event way.
        """
        key = dedupe_key_of(event.id)
        if key in self._known_keys:
            self.outcomes.append("duplicate")
            return True
        try:
            hire = self._plan(event, key)
        except Exception:  # the per-event path processes it and records why it fails
            return False
        if hire is None:
            return False
        self._known_keys.add(key)
        for person in (hire.person, *hire.roles.values()):
            if person.values is not None and not person.taken:
                person.taken = True
                self._index(person)
                self._people.append(person)
        self._hires.append(hire)
        self.outcomes.append("processed")
        return True

    def would_take(self, event: Event) -> bool:
        """Tell whether `take` would take the event, as far as the loaded people show."""
        key = dedupe_key_of(event.id)
        if key in self._known_keys:
            return True
        try:
            return self._plan(event, key) is not None
        except Exception:
            return False

    def write(self, *, session: Session) -> None:
        """Insert every taken hire: inbox rows, people, employments, enrolments and their steps.

        Ids are reserved first (`reserve_ids`), so each table is one executemany and nothing is
        read back.
        """
        if not self._hires:
            return
        connection = session.connection()
        if connection.dialect.name == "sqlite":  # index pages of a chunk stay in memory
            connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        now, hires = self.now, self._hires
        inbox = _table(InboxEvent)
        for hire, inbox_id in zip(hires, reserve_ids(connection, inbox, len(hires)), strict=True):
            hire.inbox_id = inbox_id
        insert_dicts(connection, inbox, [
            {
                "id": h.inbox_id, "dedupe_key": h.dedupe_key, "source": h.event.source,
                "event_type": h.event.type, "status": "processed", "error": None,
                "payload": h.event.model_dump_json(), "raw_body": None, "headers": None,
                "attempts": 1, "received_at": now, "processed_at": now,
            }
            for h in hires
        ])  # fmt: skip
        person = _table(Person)
        people = self._people
        for new, person_id in zip(
            people, reserve_ids(connection, person, len(people)), strict=True
        ):
            new.id = person_id
            assert new.values is not None
            new.values["id"] = person_id
        insert_dicts(connection, person, [p.values for p in people if p.values is not None])
        employment = _table(Employment)
        employment_ids = reserve_ids(connection, employment, len(hires))
        insert_dicts(connection, employment, [
            self._employment_values(h, employment_id)
            for h, employment_id in zip(hires, employment_ids, strict=True)
        ])  # fmt: skip
        enrollment = _table(Enrollment)
        enrolled = [
            (h, e, j) for h, e in zip(hires, employment_ids, strict=True) for j in h.journeys
        ]
        enrollment_ids = reserve_ids(connection, enrollment, len(enrolled))
        insert_dicts(connection, enrollment, [
            {
                "id": enrollment_id, "journey_key": journey.key,
                "subject_key": f"employment:{employment_id}", "person_id": h.person.id,
                "employment_id": employment_id, "application_id": None,
                "anchor_date": h.start_date, "status": "active", "created_at": now,
                "updated_at": now,
            }
            for (h, employment_id, (journey, _)), enrollment_id
            in zip(enrolled, enrollment_ids, strict=True)
        ])  # fmt: skip
        self._write_steps(
            connection,
            [
                (h, journey, plans, e)
                for (h, _, (journey, plans)), e in zip(enrolled, enrollment_ids, strict=True)
            ],
        )

    def _write_steps(
        self, connection: Connection, enrolments: list[tuple[_Hire, Journey, list[StepPlan], int]]
    ) -> None:
        """Insert the enrolments' steps, a "planned" step change for each, and the invites'
        calendar events."""
        now, rules = self.now, self.rules
        table = _table(ScheduledStep)
        count = sum(len(e[2]) for e in enrolments)
        ids = iter(reserve_ids(connection, table, count))
        uids = iter(random_uids(count))
        steps: list[tuple[object, ...]] = []
        changes: list[tuple[object, ...]] = []
        events: list[dict[str, object]] = []
        due_of = bind_value(connection, table.c.due_at)  # as the driver takes them
        at = bind_value(connection, table.c.created_at)(now)
        for hire, journey, plans, enrollment_id in enrolments:
            event_id, inbox_id = hire.event.id, hire.inbox_id
            for plan in plans:
                step, step_id, uid, due = plan.step, next(ids), next(uids), due_of(plan.due_at)
                steps.append((
                    step_id, uid, enrollment_id, step.key, 0, step.channel, step.to,
                    step.template_key(journey.key), "send", None, None, "pending", due, None,
                    None, 0, None, None, at, at,
                ))  # fmt: skip
                changes.append((
                    step_id, at, "planned", None, due, "send", None, event_id, inbox_id
                ))  # fmt: skip
                if plan.meeting is not None:
                    events.append(calendar_event_values(
                        step_id=step_id, step_uid=uid, meeting=plan.meeting, step=step,
                        rules=rules, now=now,
                    ))  # fmt: skip
        insert_rows(connection, table, STEP_COLUMNS, steps, converted=True)
        change_table = _table(StepChange)
        change_ids = reserve_ids(connection, change_table, len(changes))
        insert_rows(connection, change_table, ("id", *CHANGE_COLUMNS), [
            (change_id, *change) for change_id, change in zip(change_ids, changes, strict=True)
        ], converted=True)  # fmt: skip
        calendar = _table(CalendarEvent)
        for event, event_id in zip(
            events, reserve_ids(connection, calendar, len(events)), strict=True
        ):
            event["id"] = event_id
        insert_dicts(connection, calendar, events)

    def _employment_values(self, hire: _Hire, employment_id: int) -> dict[str, object]:
        ref = hire.event.employment
        assert ref is not None
        values: dict[str, object] = {
            "id": employment_id, "person_id": hire.person.id, "application_id": None,
            "source": hire.event.source,
            "start_date": hire.start_date, "end_date": ref.end_date, "title": ref.title,
            "department": ref.department, "status": "planned",
            "facts_as_of": hire.event.occurred_at, "created_at": self.now,
            "updated_at": self.now,
        }  # fmt: skip
        for role in ROLES:
            person = hire.roles.get(role)
            values[f"{role}_id"] = person.id if person is not None else None
        return values

    def _plan(self, event: Event, key: str) -> _Hire | None:
        """Plan a plain new hire, or None when the row needs the per-event path."""
        ref, employment = event.person, event.employment
        if (
            event.type != "employee.created"
            or event.application is not None
            or event.vacancy is not None
            or employment is None
            or employment.start_date is None
            or ref.external_id
            or ref.retention_consent is not None
        ):
            return None
        email = ref.email or ref.work_email or ref.personal_email
        if not email or self._by_address.get(email.lower()):
            return None  # unknown address is required: a known person is updated, not created
        commands = decide(event, known=KnownState(), today=self.now.date())
        if (
            not commands
            or not isinstance(commands[0], RecordEmployment)
            or not all(
                isinstance(c, Enroll) and c.start_date == employment.start_date
                for c in commands[1:]
            )
        ):
            return None
        person = _new_person(event.source, person_fields(ref))
        roles: dict[str, _Person] = {}
        for role in ROLES:
            role_ref: ManagerRef | None = getattr(employment, role)
            if role_ref is None:
                continue
            found = self._role_person(role_ref, hire=person, batch=roles, source=event.source)
            if found is False:
                return None
            if found is not None:
                roles[role] = found
        zones = {"new_hire": self._zone(person.timezone)}
        for role, role_person in roles.items():
            zones[ROLE_OF[role]] = self._zone(role_person.timezone)
        journeys = []
        for command in commands[1:]:
            assert isinstance(command, Enroll)
            journey = self.rules.catalog.get(command.journey_key)
            journeys.append((journey, self._steps(journey, employment.start_date, zones)))
        return _Hire(
            event=event, dedupe_key=key, person=person, roles=roles,
            start_date=employment.start_date, journeys=journeys,
        )  # fmt: skip

    def _role_person(
        self, ref: ManagerRef, *, hire: _Person, batch: dict[str, _Person], source: str
    ) -> _Person | None | bool:
        """The person a manager, coach or buddy reference names; None: nobody; False: per event."""
        if ref.external_id:
            return False
        if not ref.email:
            return None  # `upsert_person` finds and makes nobody
        address = ref.email.lower()
        if address in hire.addresses():
            return False
        earlier = [p for p in batch.values() if address in p.addresses()]  # two roles, one person
        found = earlier or self._by_address.get(address, [])
        if len(found) > 1:
            return False  # which one `find_person` takes is up to the database
        fields = person_fields(ref)
        if found:
            person = found[0]
            if any(getattr(person, name) != value for name, value in fields.items()):
                return False  # `upsert_person` would update them: the per-event path does
            return person
        return _new_person(source, fields)

    def _zone(self, timezone: str | None) -> ZoneInfo:
        zone = self._zones.get(timezone)
        if zone is None:
            zone = self.rules.profile.zone
            if timezone:
                try:
                    zone = ZoneInfo(timezone)
                except (KeyError, ValueError):
                    pass
            self._zones[timezone] = zone
        return zone

    def _steps(self, journey: Journey, anchor: date, zones: dict[str, ZoneInfo]) -> list[StepPlan]:
        """The journey's planned steps; a step's plan is shared by every hire with the same start
        date whose recipient for that step is in the same zone."""
        key = (journey.key, anchor, *sorted((role, z.key) for role, z in zones.items()))
        plans = self._plans.get(key)
        if plans is None:
            if len(self._plans) + len(self._step_plans) >= _PLAN_CACHE_LIMIT:
                self._plans.clear()
                self._step_plans.clear()
            plans = []
            for index, step in enumerate(journey.steps):
                zone = zones.get(step.to) or self.rules.profile.zone
                step_key = (journey.key, index, anchor, zone.key)
                plan = self._step_plans.get(step_key)
                if plan is None:
                    plan = plan_step(step, anchor=anchor, zone=zone, rules=self.rules, now=self.now)
                    self._step_plans[step_key] = plan
                plans.append(plan)
            self._plans[key] = plans
        return plans

    def _index(self, person: _Person) -> None:
        for address in person.addresses():
            self._by_address.setdefault(address, []).append(person)


def _new_person(source: str, fields: dict[str, str]) -> _Person:
    """A person `upsert_person` would create from these fields, with the row to insert."""
    values: dict[str, object | None] = {
        "uid": new_uid(), "source": source, "external_id": None, "email": None,
        "personal_email": None, "work_email": None, "first_name": None, "last_name": None,
        "locale": None, "timezone": None, "created_at": utcnow(), "erased_at": None,
    }  # fmt: skip
    values.update(fields)
    if values["email"] is None:
        values["email"] = values["work_email"] or values["personal_email"]
    text = {k: v if isinstance(v, str) else None for k, v in values.items()}
    return _Person(
        id=None, email=text["email"], work_email=text["work_email"],
        personal_email=text["personal_email"], first_name=text["first_name"],
        last_name=text["last_name"], timezone=text["timezone"], values=values,
    )  # fmt: skip


def _addresses_of(event: Event) -> set[str]:
    """Every address an event names, lower-cased: the hire's and their manager's and so on."""
    ref = event.person
    found = {ref.email, ref.work_email, ref.personal_email}
    if event.employment is not None:
        found |= {getattr(getattr(event.employment, role), "email", None) for role in ROLES}
    return {a.lower() for a in found if a}


def _parts(values: list, size: int = 500) -> Iterable[list]:  # type: ignore[type-arg]
    """Split values for IN lists the databases accept."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
