"""Async token-bucket rate limiters, one per vendor (or per vendor and channel), set to published limits.

Defaults (settings can change each): Google Sheets 60 writes/min/user and 60 reads/min/user;
Zendesk per plan (400 req/min, Suite Growth/Professional); Slack 1 message/s per channel; Altoviz
publishes nothing, so a conservative 5 req/s. Buckets start full with a small burst so that a
refill-every-minute quota (Sheets) is never exceeded in any sliding minute by more than the burst.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class RateLimiter:
    """`await limiter.acquire()` returns when one more request fits in `rate` per second."""

    def __init__(self, rate_per_second: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        if rate_per_second <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate_per_second
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = asyncio.Lock()  # FIFO: waiters are served in arrival order

    @classmethod
    def per_minute(cls, count: float, burst: int = 1) -> RateLimiter:
        return cls(count / 60.0, burst)

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> float:
        """Take one token, sleeping as long as needed. Returns the seconds waited."""
        waited = 0.0
        async with self._lock:
            self._refill()
            if self._tokens < 1.0:
                pause = (1.0 - self._tokens) / self.rate
                await asyncio.sleep(pause)
                waited = pause
                self._refill()
            self._tokens = max(0.0, self._tokens - 1.0)
        return waited

    def pause_for(self, seconds: float) -> None:
        """The vendor said 429 with Retry-After: nobody sharing this limiter sends before then."""
        self._refill()
        self._tokens = min(self._tokens, -seconds * self.rate)


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
