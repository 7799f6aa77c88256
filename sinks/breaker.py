"""A circuit breaker per sink: after repeated failures, stop hammering a vendor that is down.

closed -> (failure_threshold consecutive retryable failures) -> open for `reset_timeout` seconds ->
half-open: one trial request; success closes, failure opens again. While open, `check()` raises a
`RetryableSinkError` whose retry_after is the time left, so the agent's backoff waits it out instead
of sending. Permanent failures (bad requests) say nothing about the vendor's health and do not count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sinks.contract import RetryableSinkError


class CircuitOpen(RetryableSinkError):
    """Nothing was sent: the breaker held the request back."""


CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        failure_threshold: int = 5,
        reset_timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self._clock() - self._opened_at >= self.reset_timeout:
            return HALF_OPEN
        return OPEN

    def check(self) -> None:
        """Raise if a request must not be sent now."""
        state = self.state
        if state == CLOSED:
            return
        if state == HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return
        assert self._opened_at is not None
        remaining = max(0.1, self.reset_timeout - (self._clock() - self._opened_at))
        raise CircuitOpen(f"{self.name} circuit open", retry_after=remaining)

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self._trial_in_flight = False
        self._failures += 1
        if self._opened_at is not None or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()  # (re)open: a failed trial starts a new wait
