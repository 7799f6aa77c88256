"""Stripe read client: customer by exact email, a customer's billing snapshot, paging for the backfill.

Facts it relies on (api_facts §5): `GET /v1/customers?email=` is an exact, case-sensitive and strongly
consistent filter, newest first (search is neither, so it is not used); lists page with `starting_after`
and `limit` 1..100; a 429 carries no Retry-After, so we back off exponentially with jitter, and we obey
`Stripe-Should-Retry` when Stripe sends it.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

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

# Stripe's test mode allows 25 requests/s; stay under it by default (live mode allows more: pass a bucket).
DEFAULT_REQUESTS_PER_SECOND = 20.0
PAGE_LIMIT = 100
MAX_PAGES = 100_000  # 10 M objects per resource: a bound on the loop, far beyond any real account

# List endpoint (path, fixed params) per resource name the backfill knows. `status=all` because the
# subscription list hides canceled subscriptions by default, and finance wants those too.
RESOURCES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "customers": ("/v1/customers", ()),
    "subscriptions": ("/v1/subscriptions", (("status", "all"),)),
    "invoices": ("/v1/invoices", ()),
    "charges": ("/v1/charges", ()),
    "payment_intents": ("/v1/payment_intents", ()),
    "disputes": ("/v1/disputes", ()),
    "refunds": ("/v1/refunds", ()),
}

SNAPSHOT_SUBSCRIPTIONS = 10
SNAPSHOT_INVOICES = 3
SNAPSHOT_CHARGES = 10
SNAPSHOT_PAYMENT_INTENTS = 10


def stripe_classifier(response: httpx.Response) -> RetryDecision:
    # Stripe's own SDKs treat this header as authoritative: it knows e.g. an idempotent replay is safe.
    should_retry = response.headers.get("Stripe-Should-Retry")
    if should_retry == "false":
        return RetryDecision(False, reason=f"HTTP {response.status_code} (Stripe-Should-Retry: false)")
    if response.status_code == 429:
        limited = response.headers.get("Stripe-Rate-Limited-Reason")
        return RetryDecision(True, reason="HTTP 429 rate limited" + (f" ({limited})" if limited else ""))
    if should_retry == "true":
        return RetryDecision(True, reason=f"HTTP {response.status_code} (Stripe-Should-Retry: true)")
    decision = default_classifier(response)
    if response.status_code == 401:
        return RetryDecision(False, reason="HTTP 401: the Stripe API key was refused")
    return decision


class StripeClient:
    """Reads from Stripe. Methods return raw Stripe objects (dicts), None for not found, or raise
    `VendorUnavailable`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        api_key: SecretStr | None,
        limiter: TokenBucket | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key.get_secret_value()}"} if api_key is not None else {}
        self._http = VendorHTTP(
            "stripe",
            http,
            base_url,
            headers,
            limiter or TokenBucket(DEFAULT_REQUESTS_PER_SECOND),
            timeout=timeout,
            retry=retry,
            classify=stripe_classifier,
            sleep=sleep,  # injectable so tests can check backoff without waiting
            rng=rng,
            missing_credentials=None if api_key is not None else "not configured (no STRIPE_API_KEY)",
        )

    @property
    def requests(self) -> int:
        """Requests sent so far (retries included)."""
        return self._http.requests

    async def _list(self, path: str, params: list[tuple[str, Any]]) -> list[dict[str, Any]]:
        body = await self._http.get_json(path, params)
        if body is None:
            return []
        return list(body.get("data") or [])

    async def find_customer_by_email(self, email: str) -> dict[str, Any] | None:
        """The customer whose email is exactly `email` (Stripe compares case-sensitively), or None.

        Stripe allows several customers with one email. They come newest first and we return the first,
        the newest: it is the one a re-signup or a support agent's fresh record points at. Deleted
        customers are not listed by Stripe, so they are never returned.
        """
        customers = await self._list("/v1/customers", [("email", email), ("limit", 10)])
        return customers[0] if customers else None

    async def customer(self, customer_id: str) -> dict[str, Any] | None:
        """The customer object, or None if Stripe has no such customer."""
        return await self._http.get_json(f"/v1/customers/{_path_id(customer_id)}")

    async def payment(self, payment_id: str) -> dict[str, Any] | None:
        """The charge (`ch_`, `py_`) or payment intent (`pi_`) with this id, or None if Stripe has none."""
        path = "/v1/payment_intents/" if payment_id.startswith("pi_") else "/v1/charges/"
        return await self._http.get_json(path + _path_id(payment_id))

    async def customer_snapshot(self, customer_id: str) -> list[dict[str, Any]]:
        """Everything enrichment needs about one customer, as raw Stripe objects (each has `object`).

        The customer; its subscriptions (all statuses, newest 10); its latest 3 invoices; its latest 10
        charges and payment intents; then, for those charges only, their disputes and refunds. Stripe
        cannot filter disputes or refunds by customer (only by charge or payment intent), and a charge
        says whether it has any (`disputed`, `amount_refunded`), so we ask only for the charges that do:
        at most 2 x 10 extra requests, usually none. Empty list if the customer does not exist.
        """
        customer = await self.customer(customer_id)
        if customer is None or customer.get("deleted"):
            return []
        cid = customer["id"]
        objects: list[dict[str, Any]] = [customer]
        objects += await self._list(
            "/v1/subscriptions", [("customer", cid), ("status", "all"), ("limit", SNAPSHOT_SUBSCRIPTIONS)]
        )
        objects += await self._list("/v1/invoices", [("customer", cid), ("limit", SNAPSHOT_INVOICES)])
        charges = await self._list("/v1/charges", [("customer", cid), ("limit", SNAPSHOT_CHARGES)])
        objects += charges
        objects += await self._list("/v1/payment_intents", [("customer", cid), ("limit", SNAPSHOT_PAYMENT_INTENTS)])
        for charge in charges:
            if charge.get("disputed"):
                objects += await self._list("/v1/disputes", [("charge", charge["id"]), ("limit", 10)])
            if charge.get("amount_refunded") or charge.get("refunded"):
                objects += await self._list("/v1/refunds", [("charge", charge["id"]), ("limit", 10)])
        return objects

    async def iterate(self, resource: str, *, max_objects: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Every object of `resource` (a key of `RESOURCES`), newest first, 100 per request.

        Pages with `starting_after` = the last id of the previous page, until `has_more` is false,
        `max_objects` were yielded, or the `MAX_PAGES` bound is reached.
        """
        if resource not in RESOURCES:
            raise ValueError(f"unknown Stripe resource {resource!r}; known: {', '.join(RESOURCES)}")
        path, fixed = RESOURCES[resource]
        after: str | None = None
        yielded = 0
        for _ in range(MAX_PAGES):
            params: list[tuple[str, Any]] = [*fixed, ("limit", PAGE_LIMIT)]
            if after is not None:
                params.append(("starting_after", after))
            body = await self._http.get_json(path, params)
            if body is None:
                raise VendorUnavailable(f"stripe: {path} answered 404", vendor="stripe", status=404)
            data = body.get("data") or []
            for item in data:
                yield item
                yielded += 1
                if max_objects is not None and yielded >= max_objects:
                    return
            if not body.get("has_more") or not data:
                return
            next_after = data[-1].get("id")
            if not next_after or next_after == after:
                return  # a cursor that does not move would loop forever
            after = next_after


def _path_id(value: str) -> str:
    # Ids go into the path: refuse anything that could change the route.
    if not value or any(ch in value for ch in "/?#% "):
        raise ValueError("not a Stripe id")
    return value
