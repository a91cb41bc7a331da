"""Bodies for vendors without a published example, built from their documented field paths."""

from __future__ import annotations

import json

RECRUITEE_HIRED = {
    "id": 8812,
    "event_type": "candidate_moved",
    "event_subtype": "stage_changed",
    "created_at": "2026-01-30T10:15:00Z",
    "payload": {
        "candidate": {
            "id": 4711,
            "name": "Sanne de Vries",
            "emails": ["Sanne.deVries@Example.org"],
            "phones": ["+31 6 1234 5678"],
        },
        "offer": {"id": 91, "title": "Backend Developer", "department": {"name": "Tech"}},
        "details": {
            "from_stage": {"id": 3, "name": "Offer", "category": "offer"},
            "to_stage": {"id": 4, "name": "Hired", "category": "hire"},
        },
    },
}

WORKABLE_EMPLOYEE = {
    "id": "evt-77",
    "event_type": "employee_created",
    "fired_at": "2026-01-30T08:00:00Z",
    "resource_type": "employee",
    "data": {
        "id": "e-301",
        "firstname": "Daan",
        "lastname": "Jansen",
        "email": "Daan.Jansen@Example.com",
        "personal_email": "daan@home.example",
        "start_date": "2026-03-02",
        "job_title": "Planner",
        "department": {"id": 5, "name": "Logistics"},
        "reports_to": {"id": "e-12", "name": "Fatima El Amrani", "email": "F.ElAmrani@example.com"},
    },
}

WORKABLE_CANDIDATE = {
    "id": "evt-78",
    "event_type": "candidate_moved",
    "fired_at": "2026-01-30T09:00:00Z",
    "resource_type": "candidate",
    "data": {
        "id": "c-55",
        "name": "Lotte Bakker",
        "firstname": "Lotte",
        "lastname": "Bakker",
        "email": "lotte@example.org",
        "job": {"shortcode": "ABC123", "title": "Nurse"},
        "stage": "Interview",
        "disqualified": False,
        "hired_at": None,
    },
}

PERSONIO_TERMINATED = {
    "company_id": "17",
    "event_name": "employment.terminated",
    "occurred_at": "2026-01-31T00:00:00Z",
    "payload": {"id": "emp-9", "person": {"id": "p-42"}},
}

GENERIC_HIRED = {
    "type": "candidate.hired",
    "occurred_at": "2027-01-25T13:00:00+01:00",
    "person": {"external_id": "c9", "email": "c9@example.org", "first_name": "Noor"},
    "employment": {"start_date": "2027-03-01"},
}


def dumps(data: object) -> bytes:
    """Serialise a sample as a vendor would send it."""
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
