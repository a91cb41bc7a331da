"""Stored events reach the handle-event deployment as a Prefect event that carries only the id."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import time
from pathlib import Path

import yaml

from flows.serve import emit_stored

PREFECT_YAML = Path(__file__).resolve().parents[2] / "prefect.yaml"


async def _leerpad_events() -> list[dict]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        response = await client._client.post(
            "/events/filter",
            json={"filter": {"event": {"prefix": ["leerpad."]}}, "limit": 50},
        )
        return response.json().get("events", [])


def test_the_stored_event_carries_only_the_inbox_id_and_matches_the_trigger():
    from prefect.events.worker import EventsWorker

    emit_stored(4242)
    EventsWorker.drain_all()
    events: list[dict] = []
    for _ in range(40):
        events = [e for e in asyncio.run(_leerpad_events()) if "4242" in str(e["resource"])]
        if events:
            break
        time.sleep(0.25)
    [event] = events
    assert event["event"] == "leerpad.inbox-event.stored"
    assert event["resource"] == {
        "prefect.resource.id": "leerpad.inbox-event.4242",
        "leerpad.inbox-event-id": "4242",
    }
    assert event["payload"] == {}
    related = json.dumps(event["related"])
    assert "@" not in related  # at most flow-run ids from the context, never personal data

    deployment = next(
        d
        for d in yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
        if d["name"] == "handle-event"
    )
    [trigger] = deployment["triggers"]
    pattern = trigger["match"]["prefect.resource.id"]
    assert fnmatch.fnmatch(event["resource"]["prefect.resource.id"], pattern)
    assert event["event"] in trigger["expect"]
    assert trigger["parameters"] == {
        "inbox_event_id": "{{ event.resource['leerpad.inbox-event-id'] }}"
    }
