"""Claiming due steps on SQLite and PostgreSQL: exactly once, with leases that expire."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from models.claims import claim_due_steps, count_due_steps
from models.db import session_scope
from models.enrollment import Enrollment, ScheduledStep
from models.outbound import StepOutcome, record_outcomes
from models.people import Person

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def seed_steps(engine, count: int, *, due: datetime = NOW) -> list[int]:
    with session_scope(engine) as session:
        person = Person(source="test", external_id="p1", email="p1@example.org")
        session.add(person)
        session.flush()
        enrollment = Enrollment(
            journey_key="new-hire", subject_key="employment:1", person_id=person.id
        )
        session.add(enrollment)
        session.flush()
        rows = [
            ScheduledStep(
                enrollment_id=enrollment.id,
                step_key=f"s{i}",
                channel="email",
                recipient_role="new_hire",
                template="new-hire/welcome",
                due_at=due - timedelta(seconds=i),
            )
            for i in range(count)
        ]
        session.add_all(rows)
        session.flush()
        return [int(r.id) for r in rows]


class TestClaimDueSteps:
    def test_claims_only_due_pending_steps_oldest_first(self, engine):
        ids = seed_steps(engine, 5)
        with session_scope(engine) as session:
            later = session.get(ScheduledStep, ids[0])
            later.due_at = NOW + timedelta(hours=1)
        with session_scope(engine) as session:
            claimed = claim_due_steps(session=session, now=NOW, worker="w1", limit=3)
        assert claimed == [ids[4], ids[3], ids[2]]
        with session_scope(engine) as session:
            rows = {r.id: r for r in session.exec(select(ScheduledStep)).all()}
        assert {rows[i].status for i in claimed} == {"claimed"}
        assert rows[ids[0]].status == "pending"
        assert rows[ids[4]].attempts == 1 and rows[ids[4]].claimed_by == "w1"

    def test_a_lease_that_expired_can_be_claimed_again(self, engine):
        seed_steps(engine, 2)
        with session_scope(engine) as session:
            first = claim_due_steps(
                session=session, now=NOW, worker="dead", lease=timedelta(minutes=5)
            )
        with session_scope(engine) as session:
            assert (
                claim_due_steps(session=session, now=NOW + timedelta(minutes=4), worker="w2") == []
            )
        with session_scope(engine) as session:
            again = claim_due_steps(session=session, now=NOW + timedelta(minutes=6), worker="w2")
        assert sorted(again) == sorted(first)
        with session_scope(engine) as session:
            counts = record_outcomes(
                session=session,
                worker="dead",
                outcomes=[StepOutcome(first[0], "sent", "<x@y>", None)],
                now=NOW + timedelta(minutes=7),
                retry_after=lambda attempts: timedelta(minutes=5),
            )
        assert counts == {"lost_lease": 1}

    def test_two_concurrent_dispatchers_claim_each_step_exactly_once(self, engine):
        ids = seed_steps(engine, 400)
        claimed: dict[str, list[int]] = {"a": [], "b": []}
        barrier = threading.Barrier(2)

        def work(name: str) -> None:
            barrier.wait()
            while True:
                with session_scope(engine) as session:
                    got = claim_due_steps(session=session, now=NOW, worker=name, limit=25)
                if not got:
                    return
                claimed[name] += got
                time.sleep(0.01)  # the batch is being delivered: the other worker claims meanwhile

        threads = [threading.Thread(target=work, args=(n,)) for n in claimed]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(claimed["a"] + claimed["b"]) == sorted(ids)
        assert not set(claimed["a"]) & set(claimed["b"])
        assert claimed["a"] and claimed["b"], "both dispatchers should have found work"
        with session_scope(engine) as session:
            assert count_due_steps(session=session, now=NOW) == 0
