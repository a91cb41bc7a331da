"""The demo's story as canonical events (source `generic`): a vacancy, a candidate, a hire."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from journeys.events import Event

AMS = ZoneInfo("Europe/Amsterdam")
FIRST_START = date(2027, 3, 1)
MOVED_START = date(2027, 3, 8)
CLOCK_START = datetime(2027, 1, 11, 8, 0, tzinfo=AMS)
RESCHEDULE_AT = datetime(2027, 2, 10, 11, 0, tzinfo=AMS)
END = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)
PERSONAL_EMAIL = "sanne.devries@example.org"  # what she applied with: preboarding goes here
WORK_EMAIL = "sanne.de.vries@voorbeeld.example"  # her mailbox from the first working day


def _people(lang: str) -> dict[str, dict[str, Any]]:
    return {
        "candidate": {
            "external_id": "cand-1001",
            "email": PERSONAL_EMAIL,
            "personal_email": PERSONAL_EMAIL,
            "first_name": "Sanne",
            "last_name": "de Vries",
            "locale": lang,
            "timezone": "Europe/Amsterdam",
        },
        "manager": {
            "external_id": "emp-0042",
            "email": "daan.jansen@voorbeeld.example",
            "first_name": "Daan",
            "last_name": "Jansen",
        },
    }


def _event(n: int, kind: str, at: datetime, lang: str, **parts: Any) -> tuple[datetime, Event]:
    data = {
        "id": f"generic:demo-{n:03d}",
        "source": "generic",
        "type": kind,
        "occurred_at": at.isoformat(),
        "person": _people(lang)["candidate"],
        "vacancy": {"external_id": "job-77", "title": "Data Engineer", "department": "Data"},
        **parts,
    }
    return at, Event.model_validate(data)


def _employee(lang: str) -> dict[str, Any]:
    """Sanne once hired: HR knows the work address her mailbox will have from day one."""
    return {**_people(lang)["candidate"], "work_email": WORK_EMAIL}


def story(lang: str) -> list[tuple[datetime, Event]]:
    """The recruitment and hiring events of the demo, in time order."""
    manager = _people(lang)["manager"]
    employment = {
        "start_date": FIRST_START.isoformat(),
        "title": "Data Engineer",
        "department": "Data",
        "manager": manager,
    }
    application = {"external_id": "app-5001", "stage": "Application Review"}
    return [
        _event(1, "vacancy.published", datetime(2027, 1, 11, 9, 0, tzinfo=AMS), lang, person={}),
        _event(
            2,
            "candidate.applied",
            datetime(2027, 1, 12, 20, 30, tzinfo=AMS),
            lang,
            application=application,
        ),
        _event(
            3,
            "candidate.stage_changed",
            datetime(2027, 1, 15, 11, 5, tzinfo=AMS),
            lang,
            application={**application, "stage": "Interview"},
        ),
        _event(
            4,
            "candidate.offered",
            datetime(2027, 1, 22, 16, 0, tzinfo=AMS),
            lang,
            application={**application, "stage": "Offer"},
            employment=employment,
        ),
        _event(
            5,
            "candidate.hired",
            datetime(2027, 1, 25, 14, 0, tzinfo=AMS),
            lang,
            application={**application, "stage": "Hired"},
            employment=employment,
            person=_employee(lang),
        ),
    ]


def start_date_moved(lang: str) -> tuple[datetime, Event]:
    """HR moves the start date a week later."""
    employment = {
        "start_date": MOVED_START.isoformat(),
        "title": "Data Engineer",
        "department": "Data",
        "manager": _people(lang)["manager"],
    }
    return _event(
        6, "employee.updated", RESCHEDULE_AT, lang, employment=employment, person=_employee(lang)
    )
