"""The dispatch and handle-event flows under Prefect: ids in, counts out, nothing sent twice."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path

from flows.dispatch import dispatch
from flows.handle_event import handle_event
from flows.processing import store
from flows.simulation import run_until
from tests.conftest import AMS
from tests.factories import make_event

HIRED_AT = datetime(2027, 1, 25, 14, 0, tzinfo=AMS)
DAY_90 = datetime(2027, 6, 30, 18, 0, tzinfo=AMS)


def eml_count(app) -> int:
    return len(list(Path(app.settings.outbox_dir).glob("*.eml")))


async def _flow_run_parameters() -> list[dict]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        runs = await client.read_flow_runs(limit=200)
    return [run.parameters for run in runs]


class TestFlows:
    def test_handle_event_then_dispatch_delivers_every_step_once(self, app):
        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1))
        app.clock.advance_to(HIRED_AT)
        inbox_id, _ = store(app=app, event=event, now=app.clock.now())
        assert handle_event(inbox_event_id=inbox_id, as_of=HIRED_AT.isoformat()) == "processed"
        assert handle_event(inbox_event_id=inbox_id, as_of=HIRED_AT.isoformat()) == "processed"

        totals: list[dict] = []
        run_until(
            app,
            DAY_90,
            dispatch=lambda moment: totals.append(dispatch(until=moment.isoformat(), batch_size=3)),
        )
        sent = sum(t.get("sent", 0) for t in totals)
        steps = len(app.rules.catalog.get("new-hire").steps) + len(
            app.rules.catalog.get("leader").steps
        )
        assert sent == steps == eml_count(app)
        again = dispatch(until=DAY_90.isoformat())
        assert again == {"claimed": 0}
        assert eml_count(app) == steps

    def test_prefect_sees_ids_and_moments_never_names_or_addresses(self, app):
        event = make_event("candidate.hired", at=HIRED_AT, start=date(2027, 3, 1), n=7)
        inbox_id, _ = store(app=app, event=event, now=HIRED_AT)
        handle_event(inbox_event_id=inbox_id, as_of=HIRED_AT.isoformat())
        dispatch(until=DAY_90.isoformat())
        parameters = json.dumps(asyncio.run(_flow_run_parameters()))
        assert "inbox_event_id" in parameters and "until" in parameters
        for secret in ("hire7@example.org", "Tester7", "manager1@example.org", "Sanne", "@"):
            assert secret not in parameters
