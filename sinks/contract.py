"""The sink contract: what a sink returns, the two ways it fails, and how HTTP answers map to them.

A sink performs one action against one vendor with an injected `httpx.AsyncClient`. It either
returns a `SinkOutcome`, raises `RetryableSinkError` (the same request may succeed later: 5xx, 429,
timeouts, connection errors; `retry_after` is the vendor's own hint in seconds) or raises
`PermanentSinkError` (it will fail the same way every time: 4xx, validation, a missing record).
Messages of both errors are written for humans and never contain payloads or secrets.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from typing import Literal, get_args

import httpx

WRITTEN = "written"
ALREADY_WRITTEN = "already_written"
FAILED = "failed"
# The request reached the vendor but its answer was lost, and the vendor offers no way to find out
# whether it was applied (Slack incoming webhooks). Never reported as written: the agent records it,
# counts it and puts a review row in front of a person who checks the vendor.
UNCONFIRMED = "unconfirmed"
# The write cannot be made without a person (an Altoviz customer nobody can identify): a review row
# with the reason, not a dead letter (nobody reads those) and not written.
NEEDS_REVIEW = "needs_review"
# Every outcome a `sink.results` record can carry (`no_action` comes from the classifier, not a sink).
SinkOutcomeName = Literal["written", "already_written", "failed", "unconfirmed", "needs_review", "no_action"]
OUTCOMES: tuple[str, ...] = get_args(SinkOutcomeName)


@dataclass(frozen=True)
class SinkOutcome:
    outcome: str  # WRITTEN, ALREADY_WRITTEN, UNCONFIRMED, NEEDS_REVIEW (FAILED is the agent's, after retries)
    external_ref: str | None = None  # the vendor's id of what was written: ticket id, contact id, range...
    detail: str = ""


class SinkError(Exception):
    pass


class RetryableSinkError(SinkError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentSinkError(SinkError):
    pass


# 408 and 409 are the vendor saying "not now": a request timeout, or Zendesk's idempotent request
# still in progress. Everything else in 4xx is our request being wrong, which retrying cannot fix.
_RETRYABLE_STATUS = frozenset({408, 409, 425, 429})


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); None if absent/garbled."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def check_response(vendor: str, operation: str, response: httpx.Response) -> httpx.Response:
    """Return a 2xx response; raise the contract's error for anything else."""
    status = response.status_code
    if 200 <= status < 300:
        return response
    message = f"{vendor} {operation}: HTTP {status}"
    if status >= 500 or status in _RETRYABLE_STATUS:
        raise RetryableSinkError(message, retry_after=parse_retry_after(response.headers.get("retry-after")))
    raise PermanentSinkError(message)


def transport_error(vendor: str, operation: str, error: httpx.HTTPError) -> RetryableSinkError:
    """A timeout or a broken connection: retryable (the vendor's own idempotency makes the retry safe)."""
    return RetryableSinkError(f"{vendor} {operation}: {type(error).__name__}")


def request_was_sent(error: httpx.HTTPError) -> bool:
    """False only when the request surely never reached the vendor (the connection was never made)."""
    return not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
