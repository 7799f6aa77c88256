"""Sink rate limiters take this worker's share of a vendor limit: the limit / live group members."""

from __future__ import annotations

import asyncio
import time

from sinks.ratelimit import GroupShare, KeyedRateLimiter, RateLimiter


def test_rate_is_divided_by_the_member_count() -> None:
    share = GroupShare()
    limiter = RateLimiter.per_minute(60)
    limiter.share = share
    assert limiter.rate == 1.0  # untracked (tools, tests): the whole limit
    share.track()
    share.set_members(3)
    assert abs(limiter.rate - 1 / 3) < 1e-9
    share.set_members(0)  # never below one member
    assert limiter.rate == 1.0
    keyed = KeyedRateLimiter(1.0, share=share)
    share.set_members(2)
    assert keyed.for_key("#finance").rate == 0.5


async def test_a_tracked_share_waits_to_be_counted_before_the_first_request() -> None:
    share = GroupShare()
    share.track()
    limiter = RateLimiter(10.0, share=share)

    async def count_later() -> None:
        await asyncio.sleep(0.3)
        share.set_members(2)

    started = time.monotonic()
    counter = asyncio.create_task(count_later())
    assert await limiter.acquire()
    await counter
    assert time.monotonic() - started >= 0.25
    assert limiter.rate == 5.0
