"""Run one sink write (or one batch) until it succeeds, fails for good, or the retry budget is spent.

Retries happen here, inside the agent, before the event is acked: Faust acks a message whose
agent raised, so a retryable failure must never escape as an exception.

A `stop` event (the sink agent's epoch ending: a partition revocation or a shutdown) cuts the
retries short: no attempt starts once it is set, and a backoff wait ends at once, with `Abandoned`.
The write is then neither done nor failed: its message is not acked and is redelivered.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sinks.breaker import CircuitBreaker, CircuitOpen
from sinks.contract import PermanentSinkError, RetryableSinkError
from sinks.retry import RetryPolicy

T = TypeVar("T")


class RetriesExhausted(Exception):
    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


class Abandoned(Exception):
    """Stopped before the write finished (revocation or shutdown): not a failure of the message."""


class PermanentFailure(Exception):
    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


async def run_with_retry(
    operation: Callable[[], Awaitable[T]],
    breaker: CircuitBreaker,
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    stop: asyncio.Event | None = None,
) -> tuple[T, int]:
    """(result, requests made). Raises PermanentFailure or RetriesExhausted, both with a human reason,
    or Abandoned when `stop` is set before an attempt or during a wait."""

    async def wait(seconds: float) -> None:
        if stop is None:
            await sleep(seconds)
            return
        if stop.is_set():
            raise Abandoned("stopped")
        waiters = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(sleep(seconds))}
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        if stop.is_set():
            raise Abandoned("stopped")

    started = clock()
    attempts = 0
    # Waits for an open circuit send nothing, so they do not use attempts; this caps the loop anyway.
    for _round in range(policy.max_attempts * 20):
        if stop is not None and stop.is_set():
            raise Abandoned("stopped")
        try:
            breaker.check()
        except CircuitOpen as error:
            if clock() - started >= policy.max_elapsed:
                raise RetriesExhausted(f"{error} for {policy.max_elapsed:.0f} s", attempts) from None
            await wait(min(error.retry_after or 1.0, policy.max_retry_after))
            continue
        attempts += 1
        try:
            result = await operation()
        except PermanentSinkError as error:
            breaker.record_success()  # the vendor answered: it is up, our request was wrong
            raise PermanentFailure(str(error), attempts) from None
        except RetryableSinkError as error:
            breaker.record_failure()
            if policy.gives_up(attempts, clock() - started):
                raise RetriesExhausted(f"{error} (gave up after {attempts} attempts)", attempts) from None
            await wait(policy.delay(attempts, error.retry_after))
            continue
        breaker.record_success()
        return result, attempts
    raise RetriesExhausted("retry rounds exhausted", attempts)
