"""Retry policy, rate limiter, circuit breaker, the retry runner and the HTTP -> contract mapping."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
import pytest

from sinks.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker, CircuitOpen
from sinks.contract import PermanentSinkError, RetryableSinkError, check_response, parse_retry_after
from sinks.ratelimit import KeyedRateLimiter, RateLimiter
from sinks.retry import RetryPolicy
from sinks.runner import PermanentFailure, RetriesExhausted, run_with_retry


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_full_jitter_stays_under_the_exponential_cap() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    rng = random.Random(1)
    for attempt in range(1, 10):
        ceiling = min(8.0, 0.5 * 2 ** (attempt - 1))
        delays = [policy.delay(attempt, rng=rng) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # jitter spreads over the whole range, not a fixed value


def test_retry_after_is_a_floor_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, max_retry_after=60.0)
    assert policy.delay(1, retry_after=7.0) == 7.0
    assert policy.delay(1, retry_after=3600.0) == 60.0


def test_policy_gives_up_on_attempts_or_time() -> None:
    policy = RetryPolicy(max_attempts=3, max_elapsed=10.0)
    assert not policy.gives_up(2, 1.0)
    assert policy.gives_up(3, 1.0)
    assert policy.gives_up(1, 10.0)


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), ("0.5", 0.5), (None, None), ("soon", None), ("-3", 0.0)])
def test_parse_retry_after_seconds(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, RetryableSinkError), (503, RetryableSinkError), (429, RetryableSinkError), (409, RetryableSinkError),
     (400, PermanentSinkError), (401, PermanentSinkError), (404, PermanentSinkError), (422, PermanentSinkError)],
)  # fmt: skip
def test_status_codes_map_onto_the_contract(status: int, error: type[Exception]) -> None:
    response = httpx.Response(status, headers={"Retry-After": "4"})
    with pytest.raises(error) as raised:
        check_response("vendor", "op", response)
    if isinstance(raised.value, RetryableSinkError):
        assert raised.value.retry_after == 4.0


async def test_rate_limiter_spaces_requests() -> None:
    limiter = RateLimiter(rate_per_second=20.0, burst=1)
    started = time.monotonic()
    for _ in range(5):
        await limiter.acquire()
    assert time.monotonic() - started >= 4 / 20.0 * 0.95  # the first is free, four more wait 50 ms each


async def test_rate_limiter_pause_for_blocks_everyone() -> None:
    limiter = RateLimiter(rate_per_second=100.0, burst=5)
    limiter.pause_for(0.3)
    started = time.monotonic()
    await limiter.acquire()
    assert time.monotonic() - started >= 0.28


def test_keyed_limiter_has_one_bucket_per_channel() -> None:
    limiters = KeyedRateLimiter(1.0)
    assert limiters.for_key("a") is limiters.for_key("a")
    assert limiters.for_key("a") is not limiters.for_key("b")


def test_breaker_opens_after_threshold_then_half_opens_for_one_trial() -> None:
    clock = Clock()
    breaker = CircuitBreaker("v", failure_threshold=3, reset_timeout=10.0, clock=clock)
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state == CLOSED
    breaker.record_failure()
    assert breaker.state == OPEN
    with pytest.raises(CircuitOpen) as raised:
        breaker.check()
    assert raised.value.retry_after == pytest.approx(10.0)
    clock.now += 10.0
    assert breaker.state == HALF_OPEN
    breaker.check()  # the one trial
    with pytest.raises(CircuitOpen):
        breaker.check()  # a second caller waits for the trial's verdict
    breaker.record_failure()
    assert breaker.state == OPEN  # failed trial: open again for a full period
    clock.now += 10.0
    breaker.check()
    breaker.record_success()
    assert breaker.state == CLOSED


class Sleeps:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.now += seconds


async def test_runner_retries_and_honours_retry_after() -> None:
    clock = Clock()
    sleeps = Sleeps(clock)
    outcomes: list[Exception | str] = [RetryableSinkError("429", retry_after=5.0), RetryableSinkError("500"), "ok"]

    async def operation() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    breaker = CircuitBreaker("v", failure_threshold=5, clock=clock)
    result, attempts = await run_with_retry(operation, breaker, RetryPolicy(base_delay=0.5), sleeps, clock)
    assert (result, attempts) == ("ok", 3)
    assert sleeps.calls[0] >= 5.0 and sleeps.calls[1] <= 1.0
    assert breaker.state == CLOSED


async def test_runner_stops_at_permanent_errors() -> None:
    calls = 0

    async def operation() -> None:
        nonlocal calls
        calls += 1
        raise PermanentSinkError("HTTP 422")

    with pytest.raises(PermanentFailure) as raised:
        await run_with_retry(operation, CircuitBreaker("v"), RetryPolicy(), Sleeps(Clock()), Clock())
    assert calls == 1 and raised.value.attempts == 1 and "422" in raised.value.reason


async def test_runner_gives_up_after_bounded_attempts_and_waits_out_open_circuit() -> None:
    clock = Clock()
    sleeps = Sleeps(clock)
    calls = 0

    async def operation() -> None:
        nonlocal calls
        calls += 1
        raise RetryableSinkError("503")

    breaker = CircuitBreaker("v", failure_threshold=2, reset_timeout=5.0, clock=clock)
    policy = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.01, max_elapsed=600.0)
    with pytest.raises(RetriesExhausted) as raised:
        await run_with_retry(operation, breaker, policy, sleeps, clock)
    assert calls == 4 == raised.value.attempts
    assert any(s >= 4.9 for s in sleeps.calls)  # waited for the open circuit instead of sending


async def test_runner_is_bounded_in_time_while_circuit_stays_open() -> None:
    clock = Clock()
    breaker = CircuitBreaker("v", failure_threshold=1, reset_timeout=1e9, clock=clock)
    breaker.record_failure()

    async def operation() -> None:
        raise AssertionError("must not be called while open")

    policy = RetryPolicy(max_elapsed=60.0, max_delay=5.0)
    with pytest.raises(RetriesExhausted):
        await asyncio.wait_for(run_with_retry(operation, breaker, policy, Sleeps(clock), clock), 5)
