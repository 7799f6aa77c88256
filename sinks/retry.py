"""Retry policy: bounded attempts and time, exponential backoff with full jitter, Retry-After honoured.

Small enough not to need tenacity: the one thing the agents need that a generic library does not
give is "the vendor's Retry-After wins over our own backoff", and that is two lines here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 0.5  # seconds before the 2nd attempt, at most (full jitter draws in [0, cap])
    max_delay: float = 30.0  # cap of one backoff
    max_elapsed: float = 900.0  # give up (dead letter) after this long in total
    max_retry_after: float = 300.0  # a vendor's Retry-After above this is capped: we never sleep for hours

    def delay(self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based).

        Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in
        [0, min(cap, base * 2**(attempt-1))], so many workers retrying after one outage spread out.
        A Retry-After from the vendor is a floor: waiting less would only earn another 429.
        """
        ceiling = min(self.max_delay, self.base_delay * (2 ** max(0, attempt - 1)))
        jittered = (rng or random).uniform(0.0, ceiling)
        if retry_after is not None:
            return max(jittered, min(retry_after, self.max_retry_after))
        return jittered

    def gives_up(self, attempt: int, elapsed: float) -> bool:
        return attempt >= self.max_attempts or elapsed >= self.max_elapsed
