"""An async token bucket, one per vendor, shared by every request to that vendor in this process.

Why a bucket and not a fixed pause: the vendors publish burst windows (Stripe per second, HubSpot per
10 s), so a short burst is fine while the long-run rate must stay under the limit. Why `max_wait`: the
stream path (on-miss lookups) must never queue behind a long backlog; a caller that cannot get a token
soon enough is told so at once and marks its result partial, while the backfill passes a longer wait.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
EPSILON = 1e-9


class TokenBucket:
    """`rate` tokens per second, at most `capacity` saved up; `acquire` takes one token."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = float(capacity if capacity is not None else max(1.0, rate))
        if self.capacity < 1:
            raise ValueError("capacity must be at least one token")
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._not_before = 0.0  # set by `hold` after the vendor said 429
        # Waiters take turns, so a burst of callers is served in arrival order, not all at once.
        self._lock = asyncio.Lock()

    def _refill(self, now: float) -> None:
        # Nothing accrues while held: otherwise the end of a 429 pause would release a full burst.
        since = max(self._updated, self._not_before)
        if now > since:
            self._tokens = min(self.capacity, self._tokens + (now - since) * self.rate)
        self._updated = max(self._updated, now)

    def _wait_needed(self, now: float) -> float:
        self._refill(now)
        hold = max(0.0, self._not_before - now)
        # A hair of tolerance: clock arithmetic leaves 0.99999999 tokens, and a wait shorter than the
        # clock's resolution would never advance it.
        missing = 0.0 if self._tokens >= 1.0 - EPSILON else 1.0 - self._tokens
        return max(hold, missing / self.rate)

    async def acquire(self, max_wait: float | None = None) -> bool:
        """Take one token, waiting for it at most `max_wait` seconds (None: as long as it takes).

        Returns False, without waiting, when the token cannot be had within `max_wait`: waiting and then
        failing anyway would only add latency.
        """
        start = self._clock()
        async with self._lock:
            # Bounded: each pass either returns or sleeps until a token is due; a `hold` placed by a
            # concurrent 429 can add passes, so cap them anyway.
            for _ in range(1000):
                now = self._clock()
                wait = self._wait_needed(now)
                if wait <= 0:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return True
                if max_wait is not None and (now - start) + wait > max_wait:
                    return False
                await self._sleep(wait)
            return False

    def hold(self, seconds: float) -> None:
        """The vendor rate-limited us: hand out no token for `seconds` and drop the saved-up burst."""
        now = self._clock()
        self._refill(now)
        self._tokens = min(self._tokens, 0.0)
        self._not_before = max(self._not_before, now + max(0.0, seconds))

    @property
    def available(self) -> float:
        """Tokens available now (fractional); for tests and progress output."""
        self._refill(self._clock())
        return self._tokens
