"""HubSpot CRM v3 read client: contact by email, company, owner, and paging for the backfill.

Facts it relies on (api_facts §6): reading a contact with `idProperty=email` needs no search (search is
eventually consistent and has its own 5 requests/s limit); lists page with the `after` cursor of
`paging.next.after`; private apps get 100 requests per rolling 10 s on Free/Starter (190 above); a 429
names its `policyName` and carries `X-HubSpot-RateLimit-*` headers (interval, max, remaining).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import SecretStr

from callstream.vendors import (
    DEFAULT_TIMEOUT_SECONDS,
    RetryDecision,
    RetryPolicy,
    VendorHTTP,
    VendorUnavailable,
    default_classifier,
)
from callstream.vendors.ratelimit import TokenBucket

# 100 per rolling 10 s (the lowest private-app tier): 9/s with a burst of 10 never exceeds 100 in any
# 10 s window (10 + 9 x 10). Higher tiers pass their own bucket.
DEFAULT_REQUESTS_PER_SECOND = 9.0
DEFAULT_BURST = 10.0
PAGE_LIMIT = 100
MAX_PAGES = 100_000

CONTACT_PROPERTIES = ("email", "firstname", "lastname", "hubspot_owner_id", "lifecyclestage", "renewal_date", "company")
COMPANY_PROPERTIES = ("name", "domain", "hubspot_owner_id", "lifecyclestage", "renewal_date", "annualrevenue")

# Backfillable resource -> (list path, fixed query params).
RESOURCES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "contacts": (
        "/crm/v3/objects/contacts",
        (("properties", ",".join(CONTACT_PROPERTIES)), ("associations", "companies")),
    ),
    "companies": ("/crm/v3/objects/companies", (("properties", ",".join(COMPANY_PROPERTIES)),)),
    "owners": ("/crm/v3/owners", ()),
}


def hubspot_classifier(response: httpx.Response) -> RetryDecision:
    if response.status_code != 429:
        if response.status_code == 401:
            return RetryDecision(False, reason="HTTP 401: the HubSpot token was refused")
        if response.status_code == 403:
            return RetryDecision(False, reason="HTTP 403: the HubSpot token lacks a scope")
        return default_classifier(response)
    policy = ""
    try:
        body = response.json()
        if isinstance(body, dict):
            policy = str(body.get("policyName") or "")
    except (ValueError, json.JSONDecodeError):
        pass
    if policy.upper() == "DAILY":
        # The daily allowance is spent: no retry can succeed before tomorrow.
        return RetryDecision(False, reason="HTTP 429: HubSpot daily request limit reached")
    reason = "HTTP 429 rate limited" + (f" ({policy})" if policy else "")
    retry_after = _seconds(response.headers.get("Retry-After"))
    if retry_after is not None:
        return RetryDecision(True, delay=retry_after, reason=reason)
    interval_ms = _seconds(response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds"))
    remaining = response.headers.get("X-HubSpot-RateLimit-Remaining")
    if interval_ms is not None and remaining is not None and remaining.strip() in {"0", "-1"}:
        # The rolling window is spent: a slot frees up within one interval at the latest.
        return RetryDecision(True, delay=interval_ms / 1000.0, reason=reason)
    return RetryDecision(True, reason=reason)


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number >= 0 else None


class HubSpotClient:
    """Reads from HubSpot. Methods return HubSpot CRM v3 objects (dicts), None for not found, or raise
    `VendorUnavailable`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: SecretStr | None,
        limiter: TokenBucket | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"} if token is not None else {}
        self._http = VendorHTTP(
            "hubspot",
            http,
            base_url,
            headers,
            limiter or TokenBucket(DEFAULT_REQUESTS_PER_SECOND, DEFAULT_BURST),
            timeout=timeout,
            retry=retry,
            classify=hubspot_classifier,
            sleep=sleep,  # injectable so tests can check backoff without waiting
            rng=rng,
            missing_credentials=None if token is not None else "not configured (no HUBSPOT_TOKEN)",
        )

    @property
    def requests(self) -> int:
        """Requests sent so far (retries included)."""
        return self._http.requests

    async def contact_by_email(self, email: str) -> dict[str, Any] | None:
        """The contact with this email (read by `idProperty=email`, no search), with its company ids."""
        if not email:
            return None
        return await self._http.get_json(
            f"/crm/v3/objects/contacts/{quote(email, safe='@')}",
            [
                ("idProperty", "email"),
                ("properties", ",".join(CONTACT_PROPERTIES)),
                ("associations", "companies"),
            ],
        )

    async def company(self, company_id: str) -> dict[str, Any] | None:
        return await self._http.get_json(
            f"/crm/v3/objects/companies/{_path_id(company_id)}", [("properties", ",".join(COMPANY_PROPERTIES))]
        )

    async def owner(self, owner_id: str) -> dict[str, Any] | None:
        """The owner (`hubspot_owner_id` of a contact is this id, not the owner's userId)."""
        return await self._http.get_json(f"/crm/v3/owners/{_path_id(owner_id)}")

    def contacts(self, *, max_objects: int | None = None) -> AsyncIterator[dict[str, Any]]:
        return self.iterate("contacts", max_objects=max_objects)

    def companies(self, *, max_objects: int | None = None) -> AsyncIterator[dict[str, Any]]:
        return self.iterate("companies", max_objects=max_objects)

    def owners(self, *, max_objects: int | None = None) -> AsyncIterator[dict[str, Any]]:
        return self.iterate("owners", max_objects=max_objects)

    async def iterate(self, resource: str, *, max_objects: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every object of `resource` ("contacts", "companies", "owners"), 100 per request, following
        `paging.next.after` until it is absent, `max_objects` were yielded or `MAX_PAGES` is reached."""
        if resource not in RESOURCES:
            raise ValueError(f"unknown HubSpot resource {resource!r}; known: {', '.join(RESOURCES)}")
        path, fixed = RESOURCES[resource]
        after: str | None = None
        yielded = 0
        for _ in range(MAX_PAGES):
            params: list[tuple[str, Any]] = [*fixed, ("limit", PAGE_LIMIT)]
            if after is not None:
                params.append(("after", after))
            body = await self._http.get_json(path, params)
            if body is None:
                raise VendorUnavailable(f"hubspot: {path} answered 404", vendor="hubspot", status=404)
            results = body.get("results") or []
            for item in results:
                yield item
                yielded += 1
                if max_objects is not None and yielded >= max_objects:
                    return
            next_after = ((body.get("paging") or {}).get("next") or {}).get("after")
            if not next_after or not results or str(next_after) == after:
                return  # no next page, or a cursor that does not move (would loop forever)
            after = str(next_after)


def _path_id(value: str) -> str:
    value = str(value)
    if not value or any(ch in value for ch in "/?#% "):
        raise ValueError("not a HubSpot id")
    return value
