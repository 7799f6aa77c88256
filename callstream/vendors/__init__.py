"""Read clients for the enrichment vendors (Stripe, HubSpot) and what they share.

Every client takes an injected `httpx.AsyncClient` (tests give it a real local server or an
`httpx.MockTransport`), the settings values it needs and a per-vendor `TokenBucket`. A request either
returns the vendor's JSON, returns None for "not found", or raises `VendorUnavailable` with a reason
after a bounded number of attempts within a bounded time: the stream marks the call partial with that
reason and moves on instead of blocking its partition.

Nothing here logs credentials or response bodies (they hold personal data).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from callstream.vendors.ratelimit import TokenBucket

__all__ = ["RetryPolicy", "TokenBucket", "VendorHTTP", "VendorUnavailable"]

DEFAULT_TIMEOUT_SECONDS = 2.0
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


class VendorUnavailable(Exception):
    """The vendor could not answer (down, rate-limited past our budget, refused our credentials...).

    `reason` is short, safe to put on an enriched call and in logs: it never holds a payload or a key.
    """

    def __init__(self, reason: str, *, vendor: str = "", status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.vendor = vendor
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. The default fits the stream (about 5 s worst case); `patient()` the backfill."""

    attempts: int = 3
    base_delay: float = 0.2
    max_delay: float = 2.0
    max_elapsed: float = 5.0  # no new attempt or sleep starts once this budget would be exceeded
    limiter_wait: float | None = 1.0  # longest wait for a local rate-limit token; None = no bound

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.max_elapsed <= 0 or self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("attempts >= 1, max_elapsed > 0 and non-negative delays are required")

    @classmethod
    def patient(cls) -> RetryPolicy:
        # A backfill would rather wait out a vendor's rate-limit window than lose its place.
        return cls(attempts=8, base_delay=0.5, max_delay=30.0, max_elapsed=300.0, limiter_wait=None)

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with full jitter for retry number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return rng() * ceiling


@dataclass(frozen=True)
class RetryDecision:
    retry: bool
    delay: float | None = None  # the vendor told us how long to wait; None = our exponential backoff
    reason: str = ""


# Per-vendor hook: what a non-2xx, non-404 response means. Shared default: 429 and 5xx retry.
Classifier = Callable[[httpx.Response], RetryDecision]


def default_classifier(response: httpx.Response) -> RetryDecision:
    if response.status_code == 429 or response.status_code in RETRYABLE_STATUS:
        return RetryDecision(True, reason=f"HTTP {response.status_code}")
    return RetryDecision(False, reason=f"HTTP {response.status_code}")


class VendorHTTP:
    """GETs against one vendor with auth, the vendor's token bucket, timeouts and bounded retries."""

    def __init__(
        self,
        vendor: str,
        http: httpx.AsyncClient,
        base_url: str,
        headers: Mapping[str, str] | None,
        limiter: TokenBucket,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        classify: Classifier = default_classifier,
        missing_credentials: str | None = None,
        rng: Callable[[], float] = random.random,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.vendor = vendor
        self.http = http
        self.base_url = base_url.rstrip("/")
        self._headers = dict(headers or {})
        self.limiter = limiter
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._classify = classify
        self._missing_credentials = missing_credentials
        self._rng = rng
        self._sleep = sleep
        self._clock = clock
        self.requests = 0  # requests actually sent, for the backfill summary

    def _unavailable(self, reason: str, status: int | None = None) -> VendorUnavailable:
        return VendorUnavailable(f"{self.vendor}: {reason}", vendor=self.vendor, status=status)

    async def get_json(self, path: str, params: Mapping[str, Any] | list[tuple[str, Any]] | None = None) -> Any:
        """The JSON body of a 2xx answer, None for a 404, else `VendorUnavailable` once retries run out."""
        if self._missing_credentials:
            raise self._unavailable(self._missing_credentials)
        policy = self.retry
        start = self._clock()
        last_reason = "no attempt made"
        last_status: int | None = None
        for attempt in range(1, policy.attempts + 1):
            remaining = policy.max_elapsed - (self._clock() - start)
            if remaining <= 0:
                break
            wait = policy.limiter_wait if policy.limiter_wait is None else min(policy.limiter_wait, remaining)
            if not await self.limiter.acquire(max_wait=wait):
                raise self._unavailable("local rate limit: no request slot in time")
            delay: float | None = None
            try:
                self.requests += 1
                response = await self.http.get(
                    self.base_url + path,
                    params=params,
                    headers=self._headers,
                    timeout=httpx.Timeout(min(self.timeout, max(0.05, remaining))),
                )
            except httpx.TimeoutException:
                last_reason, last_status = f"timeout after {self.timeout:g} s", None
            except httpx.TransportError as error:
                last_reason, last_status = f"connection failed ({type(error).__name__})", None
            else:
                if response.is_success:
                    try:
                        return response.json()
                    except ValueError:
                        raise self._unavailable("answer is not JSON", response.status_code) from None
                if response.status_code == 404:
                    return None
                decision = self._classify(response)
                last_reason, last_status = decision.reason, response.status_code
                if not decision.retry:
                    raise self._unavailable(decision.reason, response.status_code)
                delay = decision.delay
            pause = delay * (1.0 + 0.1 * self._rng()) if delay is not None else policy.backoff(attempt, self._rng)
            if last_status == 429:
                # Everyone sharing this bucket backs off for as long as this request would.
                self.limiter.hold(pause)
            if attempt == policy.attempts or (self._clock() - start) + pause >= policy.max_elapsed:
                # Out of attempts, or sleeping would leave no time to try: give the answer now.
                break
            await self._sleep(pause)
        raise self._unavailable(f"{last_reason} (gave up after {attempt} attempt(s))", last_status)
