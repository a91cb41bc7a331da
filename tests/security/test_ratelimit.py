"""The webhook rate limit: a token bucket per (source, client IP), 429 with Retry-After, nothing
stored for a limited request, configured by LEERPAD_WEBHOOK_RATE and LEERPAD_WEBHOOK_BURST."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel import select

from integrations.http.app import create_app
from integrations.http.ratelimit import RateLimiter, limiter_from_settings, parse_rate
from integrations.http.webhooks import WebhookDeps
from integrations.settings import LeerpadSettings
from models.db import session_scope
from models.inbox import InboxEvent
from tests.conftest import AMS, sqlite_engine
from tests.security import site


class FakeClock:
    """A monotonic clock the test moves by hand (no sleeping, no timed assertions)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TestBucket:
    def test_a_burst_passes_then_the_next_request_waits_for_a_token(self):
        clock = FakeClock()
        limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
        assert [limiter.take(source="generic", client="a").allowed for _ in range(3)] == [True] * 3
        refused = limiter.take(source="generic", client="a")
        assert not refused.allowed and refused.retry_after == 1
        clock.now += 0.5  # one token back at 2 per second
        assert limiter.take(source="generic", client="a").allowed
        assert not limiter.take(source="generic", client="a").allowed

    def test_sources_and_clients_have_their_own_buckets(self):
        limiter = RateLimiter(rate=1.0, burst=1, clock=FakeClock())
        assert limiter.take(source="generic", client="a").allowed
        assert not limiter.take(source="generic", client="a").allowed
        assert limiter.take(source="greenhouse", client="a").allowed
        assert limiter.take(source="generic", client="b").allowed

    def test_retry_after_is_whole_seconds_until_a_token(self):
        clock = FakeClock()
        limiter = RateLimiter(rate=1 / 60, burst=1, clock=clock)
        limiter.take(source="s", client="c")
        assert limiter.take(source="s", client="c").retry_after == 60
        clock.now += 45
        assert limiter.take(source="s", client="c").retry_after == 15

    def test_the_number_of_buckets_is_bounded(self):
        limiter = RateLimiter(rate=1.0, burst=1, clock=FakeClock(), max_buckets=100)
        for n in range(1000):
            limiter.take(source="generic", client=f"10.0.{n // 256}.{n % 256}")
        assert len(limiter._buckets) == 100

    @pytest.mark.parametrize(
        ("text", "per_second"),
        [("50/s", 50.0), ("600/min", 10.0), ("3600/h", 1.0), ("20", 20.0), ("0.5/sec", 0.5),
         ("off", 0.0), ("0", 0.0), (" 10 / minute ", 10 / 60)],
    )  # fmt: skip
    def test_rates_are_read_in_common_units(self, text, per_second):
        assert parse_rate(text) == pytest.approx(per_second)

    @pytest.mark.parametrize("text", ["fast", "10/week", "-1/s", "1/s/s"])
    def test_a_bad_rate_is_refused_by_the_settings(self, text, monkeypatch):
        monkeypatch.setenv("LEERPAD_WEBHOOK_RATE", text)
        with pytest.raises(ValidationError, match="webhook_rate"):
            LeerpadSettings()
        with pytest.raises(ValueError):
            parse_rate(text)

    def test_settings_default_on_and_off_turns_it_off(self, monkeypatch):
        monkeypatch.delenv("LEERPAD_WEBHOOK_RATE", raising=False)
        monkeypatch.delenv("LEERPAD_WEBHOOK_BURST", raising=False)
        defaults = LeerpadSettings()
        limiter = limiter_from_settings(defaults.webhook_rate, defaults.webhook_burst)
        assert limiter is not None and limiter.rate == 50 and limiter.burst == 200
        monkeypatch.setenv("LEERPAD_WEBHOOK_RATE", "off")
        assert limiter_from_settings(LeerpadSettings().webhook_rate, 10) is None


@pytest.fixture
def limited(tmp_path, monkeypatch):
    """The webhook app with LEERPAD_WEBHOOK_RATE=1/min and a burst of 2, on loopback."""
    monkeypatch.setenv("LEERPAD_WEBHOOK_RATE", "1/min")
    monkeypatch.setenv("LEERPAD_WEBHOOK_BURST", "2")
    engine = sqlite_engine(tmp_path)
    deps = WebhookDeps(
        engine=engine,
        secret_for=lambda source: site.SECRET if source == "generic" else None,
        on_stored=lambda inbox_id: None,
        now=lambda: datetime(2027, 1, 25, 14, 0, tzinfo=AMS),
    )
    from integrations.learning.wiring import LearningDeps

    learning = LearningDeps.from_settings(
        LeerpadSettings(database_url=str(engine.url)), engine=engine, now=deps.now
    )
    with site.serving(create_app(deps, learning=learning)) as url:
        yield url, engine
    engine.dispose()


def _event(n: int) -> bytes:
    return json.dumps(
        {"id": f"generic:rate-{n}", "type": "candidate.applied",
         "occurred_at": "2027-01-25T13:00:00Z", "person": {"external_id": f"p{n}"}}
    ).encode()  # fmt: skip


def test_over_http_a_limited_request_gets_429_with_retry_after_and_nothing_is_stored(limited):
    url, engine = limited
    answers = [
        httpx.post(f"{url}/webhooks/generic", content=_event(n), headers=site.signed(_event(n)))
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [202, 202, 429, 429]
    refused = answers[2]
    assert refused.headers["retry-after"] == "60"
    assert refused.json()["retry_after"] == 60 and "too many" in refused.json()["error"]
    with session_scope(engine) as session:
        keys = sorted(row.dedupe_key for row in session.exec(select(InboxEvent)).all())
    assert keys == ["generic:rate-0", "generic:rate-1"]
    other = httpx.post(f"{url}/webhooks/greenhouse", content=b"{}")
    assert other.status_code == 401, "another source has its own bucket"
    assert httpx.get(f"{url}/healthz").status_code == 200, "only the webhook route is limited"
