"""Rate limiters for the sinks, one per vendor (or per vendor and channel), set to published limits.

Defaults (settings can change each): Google Sheets 60 writes/min/user and 60 reads/min/user;
Zendesk per plan (400 req/min, Suite Growth/Professional); Slack 1 message/s per channel; Altoviz
publishes nothing, so a conservative 5 req/s. Buckets start full with a small burst so that a
refill-every-minute quota (Sheets) is never exceeded in any sliding minute by more than the burst.

The bucket itself is the one the vendor read clients use (`callstream.vendors.ratelimit`); this
module only gives it the sinks' vocabulary (burst, per-minute quotas, pause after a 429, per key).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from callstream.vendors.ratelimit import TokenBucket


class RateLimiter(TokenBucket):
    """`await limiter.acquire()` returns when one more request fits in `rate` per second."""

    def __init__(self, rate_per_second: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        if burst < 1:
            raise ValueError("burst must be at least 1")
        super().__init__(rate_per_second, burst, clock=clock)
        self.burst = burst

    @classmethod
    def per_minute(cls, count: float, burst: int = 1) -> RateLimiter:
        return cls(count / 60.0, burst)

    def pause_for(self, seconds: float) -> None:
        """The vendor said 429 with Retry-After: nobody sharing this limiter sends before then."""
        self.hold(seconds)


class KeyedRateLimiter:
    """One bucket per key (Slack: per channel), created on first use."""

    def __init__(self, rate_per_second: float, burst: int = 1) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self._buckets: dict[str, RateLimiter] = {}

    def for_key(self, key: str) -> RateLimiter:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = RateLimiter(self.rate, self.burst)
        return bucket
