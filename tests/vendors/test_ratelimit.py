"""The token bucket, on a fake clock (sleeping advances it), so the timings are exact."""

from __future__ import annotations

import asyncio

import pytest

from callstream.vendors.ratelimit import TokenBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def bucket(rate: float, capacity: float | None = None) -> tuple[TokenBucket, FakeTime]:
    fake = FakeTime()
    return TokenBucket(rate, capacity, clock=fake.clock, sleep=fake.sleep), fake


async def test_a_full_bucket_serves_its_burst_without_waiting_then_paces_at_the_rate() -> None:
    limiter, fake = bucket(rate=2.0, capacity=3)
    for _ in range(3):
        assert await limiter.acquire()
    assert fake.sleeps == []
    for _ in range(4):
        assert await limiter.acquire()
    # Four more tokens at 2/s take 2 s of waiting in total.
    assert sum(fake.sleeps) == pytest.approx(2.0)
    assert fake.now == pytest.approx(102.0)


async def test_never_more_than_capacity_plus_rate_times_window() -> None:
    # HubSpot's default: 9/s, burst 10 must fit 100 requests per rolling 10 s.
    limiter, fake = bucket(rate=9.0, capacity=10)
    stamps = []
    for _ in range(250):
        assert await limiter.acquire()
        stamps.append(fake.now)
    for i, start in enumerate(stamps):
        in_window = sum(1 for t in stamps[i:] if t < start + 10.0)
        assert in_window <= 100


async def test_acquire_gives_up_at_once_when_the_token_is_further_than_max_wait() -> None:
    limiter, fake = bucket(rate=1.0, capacity=1)
    assert await limiter.acquire(max_wait=0.1)
    assert not await limiter.acquire(max_wait=0.5)
    assert fake.sleeps == []  # refused without waiting
    assert await limiter.acquire(max_wait=1.0)
    assert sum(fake.sleeps) == pytest.approx(1.0)


async def test_hold_pauses_everyone_and_nothing_accrues_while_held() -> None:
    limiter, fake = bucket(rate=1.0, capacity=5)
    limiter.hold(3.0)
    assert limiter.available == 0
    assert await limiter.acquire()
    assert fake.now == pytest.approx(104.0)  # 3 s held, then 1 s to earn a token
    assert limiter.available == pytest.approx(0.0)  # no burst saved up during the hold


async def test_concurrent_waiters_are_served_one_token_each() -> None:
    limiter, fake = bucket(rate=10.0, capacity=1)
    results = await asyncio.gather(*(limiter.acquire() for _ in range(5)))
    assert results == [True] * 5
    assert fake.now == pytest.approx(100.4)  # 1 immediate + 4 x 0.1 s


def test_rejects_nonsense_rates() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        TokenBucket(1, 0.5)
