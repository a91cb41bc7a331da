"""A token bucket per (source, client IP) for the webhook endpoint: in-process, O(1) per request.

Each key holds `burst` tokens that refill at `rate` per second; a request takes one token or is
answered 429 with Retry-After. The buckets live in this process only: behind several app
processes (uvicorn --workers, several containers) each process limits on its own, so the
effective limit is the per-process limit times the number of processes. Behind a reverse proxy
the client IP is the proxy's unless uvicorn runs with --proxy-headers and --forwarded-allow-ips.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_BUCKETS = 10_000
_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0,
          "h": 3600.0, "hour": 3600.0}  # fmt: skip
_RATE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:/\s*([a-z]+))?\s*", re.IGNORECASE)


def parse_rate(text: str) -> float:
    """Requests per second from '50/s', '600/min', '1000/h' or '20' (per second); 0 or 'off' = none.

    Raises:
        ValueError: the text is not a rate.
    """
    if text.strip().lower() in ("off", "none", ""):
        return 0.0
    match = _RATE.fullmatch(text)
    unit = (match.group(2) or "s").lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"rate {text!r} is not like 50/s, 600/min or 1000/h (or off)")
    return float(match.group(1)) / _UNITS[unit]


@dataclass(frozen=True)
class Decision:
    """Whether a request may pass, and if not, after how many seconds to retry."""

    allowed: bool
    retry_after: int = 0


class RateLimiter:
    """Token buckets keyed by (source, client); the least recently used are dropped past a cap."""

    def __init__(
        self, *, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:  # fmt: skip
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate, self.burst = rate, float(burst)
        self._clock, self._max = clock, max_buckets
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, *, source: str, client: str) -> Decision:
        """Take one token from this key's bucket, or say how long until one is available."""
        key = (source, client)
        with self._lock:
            now = self._clock()
            tokens, seen = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - seen) * self.rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        if allowed:
            return Decision(True)
        return Decision(False, retry_after=max(1, math.ceil((1.0 - tokens) / self.rate)))


def limiter_from_settings(rate: str, burst: int) -> RateLimiter | None:
    """The webhook limiter for LEERPAD_WEBHOOK_RATE / LEERPAD_WEBHOOK_BURST; None when off."""
    per_second = parse_rate(rate)
    return RateLimiter(rate=per_second, burst=burst) if per_second > 0 else None
