"""Retry, timeout and give-up behaviour of both clients, with `httpx.MockTransport` and a recorded sleep."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from pydantic import SecretStr

from callstream.vendors import RetryPolicy, VendorUnavailable
from callstream.vendors.hubspot import HubSpotClient
from callstream.vendors.ratelimit import TokenBucket
from callstream.vendors.stripe import StripeClient

KEY = SecretStr("sk_test_secret_value_123")
CUSTOMER = {"id": "cus_1", "object": "customer", "email": "a@b.com"}


class Sleeps:
    """Records sleeps and advances a fake clock, which the client's token bucket can share."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.now += seconds


def script(*answers: httpx.Response | Exception) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport answering the scripted responses in order (the last one repeats)."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers[min(len(seen) - 1, len(answers) - 1)]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler), seen


def stripe(
    transport: httpx.MockTransport, sleeps: Sleeps, retry: RetryPolicy | None = None, key: SecretStr | None = KEY
) -> StripeClient:
    return StripeClient(
        httpx.AsyncClient(transport=transport),
        "https://api.stripe.test",
        key,
        TokenBucket(1000, 1000),
        retry=retry,
        sleep=sleeps,
        rng=lambda: 1.0,
    )


def hubspot(transport: httpx.MockTransport, sleeps: Sleeps, retry: RetryPolicy | None = None) -> HubSpotClient:
    return HubSpotClient(
        httpx.AsyncClient(transport=transport),
        "https://api.hubapi.test",
        SecretStr("pat-token"),
        TokenBucket(1000, 1000, clock=sleeps.clock, sleep=sleeps),
        retry=retry,
        sleep=sleeps,
        rng=lambda: 0.0,
    )


def listing(*objects: dict) -> httpx.Response:
    return httpx.Response(200, json={"object": "list", "data": list(objects), "has_more": False, "url": "/v1/x"})


async def test_stripe_sends_the_email_exactly_with_the_key_and_returns_the_newest_of_several() -> None:
    newest, older = {**CUSTOMER, "id": "cus_new"}, {**CUSTOMER, "id": "cus_old"}
    transport, seen = script(listing(newest, older))
    found = await stripe(transport, Sleeps()).find_customer_by_email("Jane.Doe+x@Example.com")
    assert found == newest
    assert seen[0].url.path == "/v1/customers"
    assert seen[0].url.params["email"] == "Jane.Doe+x@Example.com"  # case kept: Stripe compares exactly
    assert seen[0].headers["Authorization"] == "Bearer sk_test_secret_value_123"


async def test_stripe_no_customer_is_none_and_a_missing_id_is_an_empty_snapshot() -> None:
    transport, _ = script(listing())
    assert await stripe(transport, Sleeps()).find_customer_by_email("nobody@x.com") is None
    missing = httpx.Response(404, json={"error": {"type": "invalid_request_error", "code": "resource_missing"}})
    transport, seen = script(missing)
    assert await stripe(transport, Sleeps()).customer_snapshot("cus_gone") == []
    assert len(seen) == 1  # no list requests for a customer that does not exist


async def test_stripe_429_backs_off_exponentially_then_succeeds() -> None:
    sleeps = Sleeps()
    transport, seen = script(httpx.Response(429, json={}), httpx.Response(429, json={}), listing(CUSTOMER))
    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=2.0, max_elapsed=5.0)
    assert await stripe(transport, sleeps, policy).find_customer_by_email("a@b.com") == CUSTOMER
    assert len(seen) == 3
    assert sleeps.calls == pytest.approx([0.1, 0.2])  # rng = 1.0: the top of each jitter range


async def test_stripe_5xx_gives_up_after_the_attempt_budget_with_one_clear_exception() -> None:
    sleeps = Sleeps()
    transport, seen = script(httpx.Response(503, json={}))
    with pytest.raises(VendorUnavailable) as caught:
        await stripe(transport, sleeps, RetryPolicy(attempts=4, base_delay=0.01)).find_customer_by_email("a@b.com")
    assert len(seen) == 4
    assert caught.value.vendor == "stripe" and caught.value.status == 503
    assert "HTTP 503" in caught.value.reason and "4 attempt" in caught.value.reason


async def test_stripe_should_retry_false_is_obeyed() -> None:
    answer = httpx.Response(500, json={}, headers={"Stripe-Should-Retry": "false"})
    transport, seen = script(answer)
    with pytest.raises(VendorUnavailable):
        await stripe(transport, Sleeps()).find_customer_by_email("a@b.com")
    assert len(seen) == 1


async def test_stripe_401_fails_at_once_and_the_reason_never_holds_the_key() -> None:
    transport, seen = script(httpx.Response(401, json={"error": {"message": "Invalid API Key sk_test_secret..."}}))
    with pytest.raises(VendorUnavailable) as caught:
        await stripe(transport, Sleeps()).find_customer_by_email("a@b.com")
    assert len(seen) == 1
    assert "secret" not in str(caught.value) and "401" in str(caught.value)


async def test_no_key_means_unavailable_without_any_request() -> None:
    transport, seen = script(listing(CUSTOMER))
    with pytest.raises(VendorUnavailable, match="not configured"):
        await stripe(transport, Sleeps(), key=None).find_customer_by_email("a@b.com")
    assert seen == []


async def test_timeouts_are_retried_then_reported() -> None:
    transport, seen = script(httpx.ReadTimeout("slow"))
    with pytest.raises(VendorUnavailable, match="timeout") as caught:
        await stripe(transport, Sleeps(), RetryPolicy(attempts=2, base_delay=0.01)).find_customer_by_email("a@b.com")
    assert len(seen) == 2 and caught.value.status is None


async def test_the_elapsed_budget_bounds_real_time_even_with_many_attempts() -> None:
    transport, seen = script(httpx.Response(502, json={}))
    client = StripeClient(
        httpx.AsyncClient(transport=transport),
        "https://api.stripe.test",
        KEY,
        TokenBucket(1000, 1000),
        retry=RetryPolicy(attempts=1000, base_delay=0.05, max_delay=0.1, max_elapsed=0.4),
    )
    started = time.monotonic()
    with pytest.raises(VendorUnavailable):
        await client.find_customer_by_email("a@b.com")
    assert time.monotonic() - started < 0.6
    assert 2 <= len(seen) < 50


async def test_a_429_holds_the_shared_bucket_and_drops_its_saved_burst() -> None:
    sleeps = Sleeps()
    limiter = TokenBucket(1.0, 5, clock=sleeps.clock, sleep=sleeps)
    transport, seen = script(httpx.Response(429, json={}), listing(CUSTOMER))
    client = StripeClient(
        httpx.AsyncClient(transport=transport),
        "https://api.stripe.test",
        KEY,
        limiter,
        retry=RetryPolicy(attempts=2, base_delay=0.2, limiter_wait=None),
        sleep=sleeps,
        rng=lambda: 1.0,
    )
    assert await client.find_customer_by_email("a@b.com") == CUSTOMER
    # 0.2 s backoff, then a full token at 1/s: the 4 tokens saved before the 429 were dropped.
    assert sleeps.calls == pytest.approx([0.2, 1.0])
    assert len(seen) == 2


async def test_stripe_iterate_pages_with_starting_after_and_stops_on_a_stuck_cursor() -> None:
    pages = [
        {"data": [{"id": f"cus_{i}", "object": "customer"} for i in range(100)], "has_more": True},
        {"data": [{"id": f"cus_{i}", "object": "customer"} for i in range(100, 200)], "has_more": True},
        {"data": [{"id": "cus_199", "object": "customer"}], "has_more": True},  # cursor would not move
    ]
    transport, seen = script(*(httpx.Response(200, json=page) for page in pages))
    ids = [obj["id"] async for obj in stripe(transport, Sleeps()).iterate("customers")]
    assert len(ids) == 201
    assert [r.url.params.get("starting_after") for r in seen] == [None, "cus_99", "cus_199"]
    assert all(r.url.params["limit"] == "100" for r in seen)


async def test_hubspot_429_honours_the_interval_headers() -> None:
    sleeps = Sleeps()
    limited = httpx.Response(
        429,
        json={"status": "error", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"},
        headers={"X-HubSpot-RateLimit-Interval-Milliseconds": "1500", "X-HubSpot-RateLimit-Remaining": "0"},
    )
    transport, seen = script(limited, httpx.Response(200, json={"id": "7", "properties": {}}))
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_elapsed=5.0)
    assert (await hubspot(transport, sleeps, policy).owner("7"))["id"] == "7"
    assert len(seen) == 2
    # The interval, not our 10 ms backoff; then at most a token's worth (1 ms at 1000/s) from the bucket.
    assert sleeps.calls[0] == pytest.approx(1.5)
    assert sum(sleeps.calls[1:]) <= 0.0011


async def test_hubspot_429_longer_than_the_budget_fails_fast_instead_of_blocking() -> None:
    sleeps = Sleeps()
    limited = httpx.Response(
        429,
        json={"policyName": "TEN_SECONDLY_ROLLING"},
        headers={"X-HubSpot-RateLimit-Interval-Milliseconds": "10000", "X-HubSpot-RateLimit-Remaining": "0"},
    )
    transport, seen = script(limited)
    with pytest.raises(VendorUnavailable, match="429"):
        await hubspot(transport, sleeps).contact_by_email("a@b.com")
    assert len(seen) == 1 and sleeps.calls == []


async def test_hubspot_daily_limit_is_not_retried() -> None:
    transport, seen = script(httpx.Response(429, json={"errorType": "RATE_LIMIT", "policyName": "DAILY"}))
    with pytest.raises(VendorUnavailable, match="daily"):
        await hubspot(transport, Sleeps()).contact_by_email("a@b.com")
    assert len(seen) == 1


async def test_hubspot_contact_by_email_encodes_the_email_and_asks_for_companies() -> None:
    transport, seen = script(httpx.Response(404, json={"status": "error"}))
    assert await hubspot(transport, Sleeps()).contact_by_email("a+b@x.com") is None
    request = seen[0]
    assert request.url.raw_path.decode().startswith("/crm/v3/objects/contacts/a%2Bb@x.com?")
    assert request.url.params["idProperty"] == "email"
    assert request.url.params["associations"] == "companies"
    assert "hubspot_owner_id" in request.url.params["properties"].split(",")


@pytest.mark.parametrize("bad", ["../owners", "1?x=1", ""])
async def test_ids_that_would_change_the_route_are_refused(bad: str) -> None:
    transport, seen = script(httpx.Response(200, json={}))
    call: Callable = hubspot(transport, Sleeps()).owner
    with pytest.raises(ValueError):
        await call(bad)
    assert seen == []
