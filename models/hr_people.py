"""The HR people list: hires and candidates with their journeys, one page at a time.

One aggregate query filters, counts and pages people (SQL LIMIT/OFFSET); three more, over the
page's ids only, add journeys, the next planned step, the last message sent and failures. The
same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import ceil

from sqlalchemy import and_, case, distinct, or_
from sqlmodel import Session, col, func, select

from models.delivery import Delivery
from models.enrollment import Enrollment, ScheduledStep
from models.people import Person

KINDS = ("hire", "candidate")
STATES = ("active", "completed", "cancelled")  # a person's state: their liveliest journey's
PAGE_SIZE = 50
OPEN_STEP = ("pending", "claimed")


@dataclass(frozen=True)
class JourneyState:
    """One journey a person follows and how it stands."""

    key: str
    status: str


@dataclass(frozen=True)
class PersonRow:
    """One line of the people list."""

    id: int
    name: str
    kind: str  # hire|candidate
    state: str  # active|completed|cancelled
    journeys: list[JourneyState] = field(default_factory=list)
    next_step: str | None = None
    next_at: datetime | None = None
    last_sent_at: datetime | None = None
    failures: int = 0


@dataclass(frozen=True)
class PeoplePage:
    """One page of the list and where it sits among all that match."""

    rows: list[PersonRow]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, ceil(self.total / self.size))


def display_name(first: str | None, last: str | None) -> str:
    """First and last name as HR reads them; "—" when neither is known."""
    return " ".join(p for p in (first, last) if p) or "—"


def _like(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_page(
    *, session: Session, kind: str | None = None, state: str | None = None,
    search: str | None = None, page: int = 1, size: int = PAGE_SIZE,
) -> PeoplePage:  # fmt: skip
    """Hires and candidates that match, sorted by name, with their journeys' state."""
    e = Enrollment
    is_hire = func.max(case((col(e.employment_id).is_not(None), 1), else_=0))
    active = func.sum(case((col(e.status) == "active", 1), else_=0))
    completed = func.sum(case((col(e.status) == "completed", 1), else_=0))
    state_of = case((active > 0, "active"), (completed > 0, "completed"), else_="cancelled")
    # one level of GROUP BY over person ⋈ enrollment: planned as a hash join and aggregate on
    # both databases (a join to a grouped subquery was a nested loop on fresh PostgreSQL tables)
    query = (
        select(Person.id, Person.first_name, Person.last_name, is_hire, state_of)
        .join(e, col(e.person_id) == col(Person.id))
        .where(col(Person.erased_at).is_(None))
        .group_by(col(Person.id), col(Person.first_name), col(Person.last_name))
    )
    if kind in KINDS:
        query = query.having(is_hire == (1 if kind == "hire" else 0))
    if state in STATES:
        query = query.having(state_of == state)
    if search and search.strip():
        full = func.coalesce(Person.first_name, "") + " " + func.coalesce(Person.last_name, "")
        query = query.where(func.lower(full).like(_like(search.strip()), escape="\\"))
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    size = max(1, min(size, 200))
    page = max(1, min(page, max(1, ceil(total / size))))
    ordered = query.order_by(
        func.lower(func.coalesce(Person.last_name, "")),
        func.lower(func.coalesce(Person.first_name, "")),
        col(Person.id),
    )
    found = session.exec(ordered.limit(size).offset((page - 1) * size)).all()
    ids = [int(pid) for pid, *_ in found]
    details = _details(session=session, ids=ids)
    rows = [
        PersonRow(
            id=int(pid),
            name=display_name(first, last),
            kind="hire" if is_hire else "candidate",
            state=str(person_state),
            **details.get(int(pid), {}),
        )  # fmt: skip
        for pid, first, last, is_hire, person_state in found
    ]
    return PeoplePage(rows=rows, total=total, page=page, size=size)


def _details(*, session: Session, ids: list[int]) -> dict[int, dict[str, object]]:
    """Journeys, next open step, last sent message and failures of the people on one page."""
    if not ids:
        return {}
    e, s = Enrollment, ScheduledStep
    out: dict[int, dict[str, object]] = {
        i: {"journeys": [], "next_step": None, "next_at": None, "last_sent_at": None,
            "failures": 0}
        for i in ids
    }  # fmt: skip
    journeys = session.exec(
        select(e.person_id, e.journey_key, e.status)
        .where(col(e.person_id).in_(ids))
        .order_by(col(e.person_id), col(e.id))
    ).all()
    for pid, key, status in journeys:
        out[pid]["journeys"].append(JourneyState(key, status))  # type: ignore[attr-defined]
    open_steps = session.exec(
        select(e.person_id, s.step_key, func.min(s.due_at))
        .join(e, col(e.id) == col(s.enrollment_id))
        .where(col(e.person_id).in_(ids), col(s.status).in_(OPEN_STEP))
        .group_by(col(e.person_id), col(s.step_key))
    ).all()
    for pid, key, due in open_steps:
        if out[pid]["next_at"] is None or due < out[pid]["next_at"]:  # type: ignore[operator]
            out[pid]["next_step"], out[pid]["next_at"] = key, due
    sent = session.exec(
        select(e.person_id, func.max(Delivery.at))
        .join(s, col(s.id) == col(Delivery.step_id))
        .join(e, col(e.id) == col(s.enrollment_id))
        .where(col(e.person_id).in_(ids), Delivery.status == "sent")
        .group_by(col(e.person_id))
    ).all()
    for pid, at in sent:
        out[pid]["last_sent_at"] = at
    failed = session.exec(
        select(e.person_id, func.count(distinct(s.id)))
        .join(e, col(e.id) == col(s.enrollment_id))
        .outerjoin(
            Delivery, and_(col(Delivery.step_id) == col(s.id), col(Delivery.status) == "failed")
        )
        .where(col(e.person_id).in_(ids), or_(s.status == "failed", col(Delivery.id).is_not(None)))
        .group_by(col(e.person_id))
    ).all()
    for pid, count in failed:
        out[pid]["failures"] = int(count)
    return out
