"""One HTTP call to a vendor: rate limited, errors mapped onto the sink contract, nothing logged."""

from __future__ import annotations

from typing import Any

import httpx

from sinks.contract import RetryableSinkError, check_response, transport_error
from sinks.ratelimit import RateLimiter


async def call(
    http: httpx.AsyncClient,
    vendor: str,
    operation: str,
    method: str,
    url: str,
    limiter: RateLimiter | None,
    **kwargs: Any,
) -> httpx.Response:
    if limiter is not None:
        await limiter.acquire()
    try:
        response = await http.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise transport_error(vendor, operation, error) from None
    try:
        return check_response(vendor, operation, response)
    except RetryableSinkError as error:
        if response.status_code == 429 and limiter is not None:
            # Everyone sharing the vendor's limiter waits, not only this request.
            limiter.pause_for(error.retry_after if error.retry_after is not None else 1.0)
        raise


def json_body(vendor: str, operation: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        # A 2xx with a body we cannot read: a proxy page or a truncated reply. Retrying is safe
        # because every write is preceded by its lookup.
        raise RetryableSinkError(f"{vendor} {operation}: unreadable response body") from None
