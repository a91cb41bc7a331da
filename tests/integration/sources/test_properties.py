"""Whatever arrives, adapters raise only SourceError subclasses: never a KeyError or a crash."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.sources.base import Fetch, Ignored, SourceError
from integrations.sources.registry import SOURCES, adapter_for
from journeys.events import Event
from tests.integration.sources import samples
from tests.integration.sources.support import FIXTURES

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 1, 31, 18, 43, tzinfo=UTC)
HEADER_NAMES = [
    "Signature",
    "Greenhouse-Event-ID",
    "X-Recruitee-Signature",
    "X-Workable-Signature",
    "TT-Signature",
    "Teamtailor-Signature",
    "smartrecruiters-signature",
    "smartrecruiters-timestamp",
    "event-id",
    "event-name",
    "event-version",
    "link",
    "X-BambooHR-Signature",
    "X-BambooHR-Timestamp",
    "Authorization",
    "Bob-Signature",
    "X-Leerpad-Signature",
]
EVENT_NAMES = [
    "application.created",
    "application.status.updated",
    "offer.created",
    "candidate.deleted",
    "job.created",
]

leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "2026-03-01", "04/15/2013", "0000-00-00", "hire", "HIRED", "x@y"])
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)
headers = st.dictionaries(
    st.sampled_from(HEADER_NAMES) | st.text(max_size=15),
    st.text(max_size=80)
    | st.sampled_from(EVENT_NAMES)
    | st.sampled_from(["sha256 00", "v1=00", "1769885000"]),
    max_size=6,
)


def _seeds() -> list[tuple[str, Any]]:
    """Every fixture and sample body that is JSON, as (source, data) seeds for mutation."""
    found: list[tuple[str, Any]] = []
    for path in sorted(FIXTURES.glob("*/*.json")):
        found.append((path.parent.name, json.loads(path.read_bytes())))
    found += [
        ("recruitee", samples.RECRUITEE_HIRED),
        ("workable", samples.WORKABLE_EMPLOYEE),
        ("workable", samples.WORKABLE_CANDIDATE),
        ("personio", samples.PERSONIO_TERMINATED),
        ("generic", samples.GENERIC_HIRED),
    ]
    return found


SEEDS = _seeds()


@st.composite
def mutated(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """Keep the documented shape, but replace, drop or retype some of its parts."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            if draw(st.integers(0, 12)) == 0:
                continue
            out[key] = draw(mutated(child, depth + 1)) if depth < 8 else child
        return out
    if isinstance(value, list):
        return [draw(mutated(child, depth + 1)) for child in value[:4]]
    return value


def _check(result: object) -> None:
    assert isinstance(result, Event | Ignored | Fetch)
    if isinstance(result, Event):
        assert Event.model_validate_json(result.to_json()) == result


def _parse_only_source_errors(source: str, raw: bytes, found: dict[str, str]) -> None:
    try:
        result = adapter_for(source).parse(raw=raw, headers=found, received_at=NOW)
    except SourceError:
        return
    _check(result)


def _verify_only_source_errors(source: str, raw: bytes, found: dict[str, str]) -> None:
    try:
        adapter_for(source).verify(raw=raw, headers=found, secret="s3cret", now=NOW)
    except SourceError:
        return


@pytest.mark.parametrize("source", SOURCES)
@SETTINGS
@given(raw=st.binary(max_size=300), found=headers)
def test_random_bytes_and_headers(source, raw, found):
    _parse_only_source_errors(source, raw, found)
    _verify_only_source_errors(source, raw, found)


@pytest.mark.parametrize("source", SOURCES)
@SETTINGS
@given(data=json_values, found=headers)
def test_random_json(source, data, found):
    raw = json.dumps(data).encode()
    _parse_only_source_errors(source, raw, found)
    _verify_only_source_errors(source, raw, found)


@pytest.mark.parametrize(
    ("source", "seed"), SEEDS, ids=[f"{s}-{i}" for i, (s, _) in enumerate(SEEDS)]
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_vendor_bodies(source, seed, data):
    raw = json.dumps(data.draw(mutated(seed))).encode()
    found = data.draw(headers) | {"event-name": data.draw(st.sampled_from(EVENT_NAMES))}
    _parse_only_source_errors(source, raw, found)
    _verify_only_source_errors(source, raw, found)
