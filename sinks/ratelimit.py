"""Rate limiters for the sinks, one per vendor (or per vendor and channel), set to published limits.

Defaults (settings can change each): Google Sheets 60 writes/min/user and 60 reads/min/user;
Zendesk per plan (400 req/min, Suite Growth/Professional); Slack 1 message/s per channel; Altoviz
publishes nothing, so a conservative 5 req/s. Buckets start full with a small burst so that a
refill-every-minute quota (Sheets) is never exceeded in any sliding minute by more than the burst.

The bucket itself is the one the vendor read clients use (`callstream.vendors.ratelimit`); this
module only gives it the sinks' vocabulary (burst, per-minute quotas, pause after a 429, per key).

The vendors' limits belong to the account, not to a process: N workers of one consumer group must
share them, not take N times each. Every sink limiter therefore runs at `limit / members`, where
`members` is the live member count of the worker's consumer group (`GROUP_SHARE`, kept current by
`streams.quota` from the group's description, refreshed every few seconds and on rebalance). A worker
that has not yet counted its group waits (briefly) rather than assume it is alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from callstream.vendors.ratelimit import TokenBucket

log = logging.getLogger("callstream.quota")

UNKNOWN_SHARE_WAIT_SECONDS = 15.0


class GroupShare:
    """How many workers share the vendor quotas. Outside a worker (tests, tools) it is not tracked
    and counts 1; a worker `track()`s it and sets the live member count of its consumer group."""

    def __init__(self) -> None:
        self.tracked = False
        self.members: int | None = None

    def track(self) -> None:
        self.tracked, self.members = True, None

    def set_members(self, members: int) -> None:
        members = max(1, int(members))
        if members != self.members:
            log.info("vendor quotas: %d worker(s) in the group, each takes 1/%d of every limit", members, members)
        self.members = members

    @property
    def divisor(self) -> int:
        return self.members or 1

    async def known(self, timeout: float = UNKNOWN_SHARE_WAIT_SECONDS) -> None:
        """Wait (bounded) until a tracked share has been counted once."""
        deadline = time.monotonic() + timeout
        while self.tracked and self.members is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if self.tracked and self.members is None:
            # Never stall every write on an uncountable group: go on alone until the count arrives.
            log.warning("vendor quotas: group not counted within %.0f s; assuming 1 worker until it is", timeout)
            self.members = 1


GROUP_SHARE = GroupShare()


class RateLimiter(TokenBucket):
    """`await limiter.acquire()` returns when one more request fits in this worker's share of
    `rate_per_second` (the group's limit divided by `share.divisor`)."""

    def __init__(
        self,
        rate_per_second: float,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        share: GroupShare = GROUP_SHARE,
    ) -> None:
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.share = share
        super().__init__(rate_per_second, burst, clock=clock)
        self.burst = burst
        self.waited_seconds = 0.0  # time callers spent waiting here: the rate-limit-waits metric

    @property  # type: ignore[override]
    def rate(self) -> float:
        return self.group_rate / self.share.divisor

    @rate.setter
    def rate(self, value: float) -> None:
        self.group_rate = value

    async def acquire(self, max_wait: float | None = None) -> bool:
        started = time.monotonic()
        try:
            await self.share.known()
            return await super().acquire(max_wait)
        finally:
            self.waited_seconds += time.monotonic() - started

    @classmethod
    def per_minute(cls, count: float, burst: int = 1) -> RateLimiter:
        return cls(count / 60.0, burst)

    def pause_for(self, seconds: float) -> None:
        """The vendor said 429 with Retry-After: nobody sharing this limiter sends before then."""
        self.hold(seconds)


class KeyedRateLimiter:
    """One bucket per key (Slack: per channel), created on first use."""

    def __init__(self, rate_per_second: float, burst: int = 1, share: GroupShare = GROUP_SHARE) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self.share = share
        self._buckets: dict[str, RateLimiter] = {}

    @property
    def waited_seconds(self) -> float:
        return sum(bucket.waited_seconds for bucket in self._buckets.values())

    def for_key(self, key: str) -> RateLimiter:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = RateLimiter(self.rate, self.burst, share=self.share)
        return bucket
