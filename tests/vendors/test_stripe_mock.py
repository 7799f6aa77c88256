"""The Stripe client and backfill against stripe-mock, which validates every request against Stripe's
OpenAPI spec. A recording transport forwards to stripe-mock and may rewrite its (stateless, fixed)
answers, e.g. to mark a charge disputed, so the follow-up requests are sent and validated too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from callstream.backfill import run_backfill_async
from callstream.kafkaio import read_topics
from callstream.settings import Settings
from callstream.vendors.ratelimit import TokenBucket
from callstream.vendors.stripe import RESOURCES, StripeClient
from streams.topics import STRIPE_EVENTS
from tests.vendors.stripe_mock import TEST_API_KEY

Rewrite = Callable[[httpx.Request, dict[str, Any]], None]


class Recording(httpx.AsyncBaseTransport):
    """Forwards to stripe-mock, records (path, query, status), optionally rewrites the JSON answer."""

    def __init__(self, rewrite: Rewrite | None = None) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._rewrite = rewrite
        self.seen: list[tuple[str, dict[str, str], int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        await response.aclose()
        self.seen.append((request.url.path, dict(request.url.params), response.status_code))
        if self._rewrite is None or response.status_code != 200:
            return httpx.Response(response.status_code, content=body, headers={"Content-Type": "application/json"})
        data = json.loads(body)
        self._rewrite(request, data)
        return httpx.Response(200, json=data)

    async def aclose(self) -> None:
        await self._inner.aclose()

    def assert_all_accepted(self) -> None:
        rejected = [entry for entry in self.seen if entry[2] != 200]
        assert not rejected, f"stripe-mock rejected: {rejected}"


def client(url: str, transport: Recording) -> StripeClient:
    return StripeClient(
        httpx.AsyncClient(transport=transport), url, SecretStr(TEST_API_KEY), TokenBucket(1000, 1000), timeout=5.0
    )


async def test_find_customer_by_email_is_a_valid_list_request(stripe_mock_url: str) -> None:
    transport = Recording()
    customer = await client(stripe_mock_url, transport).find_customer_by_email("Jane.Doe@Example.com")
    assert customer is not None and customer["object"] == "customer"
    transport.assert_all_accepted()
    path, params, _ = transport.seen[0]
    assert path == "/v1/customers" and params["email"] == "Jane.Doe@Example.com"


async def test_stripe_mock_would_reject_an_invalid_request(stripe_mock_url: str) -> None:
    # The premise of these tests: stripe-mock refuses what Stripe refuses (disputes have no customer filter).
    answer = httpx.get(
        f"{stripe_mock_url}/v1/disputes",
        params={"customer": "cus_1"},
        headers={"Authorization": f"Bearer {TEST_API_KEY}"},
    )
    assert answer.status_code == 400


async def test_snapshot_covers_every_object_kind_with_valid_requests(stripe_mock_url: str) -> None:
    def disputed_and_refunded(request: httpx.Request, data: dict[str, Any]) -> None:
        if request.url.path == "/v1/charges":
            for charge in data["data"]:
                charge.update(disputed=True, amount_refunded=500)

    transport = Recording(disputed_and_refunded)
    objects = await client(stripe_mock_url, transport).customer_snapshot("cus_QXg1o8vcGmoR32")
    transport.assert_all_accepted()
    kinds = {obj["object"] for obj in objects}
    assert kinds == {"customer", "subscription", "invoice", "charge", "payment_intent", "dispute", "refund"}
    paths = [path for path, _, _ in transport.seen]
    assert paths.count("/v1/disputes") == 1 and paths.count("/v1/refunds") == 1
    subscription_query = next(params for path, params, _ in transport.seen if path == "/v1/subscriptions")
    assert subscription_query["status"] == "all"


async def test_snapshot_asks_for_no_disputes_or_refunds_when_charges_have_none(stripe_mock_url: str) -> None:
    transport = Recording()
    objects = await client(stripe_mock_url, transport).customer_snapshot("cus_1")
    transport.assert_all_accepted()
    assert objects[0]["object"] == "customer"
    assert not {"/v1/disputes", "/v1/refunds"} & {path for path, _, _ in transport.seen}


@pytest.mark.parametrize("resource", list(RESOURCES))
async def test_iterate_pages_with_starting_after_on_every_resource(stripe_mock_url: str, resource: str) -> None:
    pages = {"served": 0}

    def three_pages(request: httpx.Request, data: dict[str, Any]) -> None:
        # stripe-mock always answers one fixed page; pretend there are three, with moving cursors.
        pages["served"] += 1
        for item in data["data"]:
            item["id"] = f"{item['id']}_p{pages['served']}"
        data["has_more"] = pages["served"] < 3

    transport = Recording(three_pages)
    objects = [obj async for obj in client(stripe_mock_url, transport).iterate(resource)]
    transport.assert_all_accepted()
    assert len(transport.seen) == 3 and len(objects) == 3
    cursors = [params.get("starting_after") for _, params, _ in transport.seen]
    assert cursors == [None, objects[0]["id"], objects[1]["id"]]
    assert all(params["limit"] == "100" for _, params, _ in transport.seen)


@pytest.mark.integration
async def test_backfill_stripe_publishes_synthetic_events_to_kafka(
    stripe_mock_url: str, pipeline_settings: Settings
) -> None:
    def guest_charge_gets_a_customer(request: httpx.Request, data: dict[str, Any]) -> None:
        # The fixture charge has no customer; give it one so disputes/refunds can be keyed through it.
        if request.url.path == "/v1/charges":
            for charge in data["data"]:
                charge["customer"] = "cus_from_charge"

    settings = pipeline_settings.model_copy(
        update={"stripe_base_url": stripe_mock_url, "stripe_api_key": SecretStr(TEST_API_KEY)}
    )
    transport = Recording(guest_charge_gets_a_customer)
    before = int(time.time())
    async with httpx.AsyncClient(transport=transport) as http:
        summary = await run_backfill_async(settings, "stripe", show_progress=False, http=http)
    after = int(time.time())
    transport.assert_all_accepted()
    assert summary.counts == dict.fromkeys(RESOURCES, 1)
    assert summary.requests == len(RESOURCES)

    topic = settings.topic(STRIPE_EVENTS)
    records = read_topics(settings.bootstrap_servers, [topic], until=lambda rs: len(rs) >= 7, timeout=60)
    assert len(records) == 7
    events = {json.loads(r.value)["type"]: (r.key, json.loads(r.value)) for r in records}
    assert set(events) == {
        f"{kind}.backfilled"
        for kind in ("customer", "subscription", "invoice", "charge", "payment_intent", "dispute", "refund")
    }
    for _key, event in events.values():
        obj = event["data"]["object"]
        assert event["object"] == "event"
        assert before <= event["created"] <= after
        assert event["id"] == f"evt_backfill_{obj['id']}_{event['created']}"
        assert event["type"] == f"{obj['object']}.backfilled"
    # Compacted topic: one record per Stripe object, keyed by the object's own id.
    for key, event in events.values():
        assert key == event["data"]["object"]["id"].encode()
    # Disputes and refunds name no customer; the backfill knows it from their charge and says so.
    assert events["dispute.backfilled"][1]["related_customer"] == "cus_from_charge"
    assert events["refund.backfilled"][1]["related_customer"] == "cus_from_charge"
    assert "related_customer" not in events["invoice.backfilled"][1]


def test_cli_dry_run_counts_without_publishing(stripe_mock_url: str, tmp_path: Any) -> None:
    environment = {
        **os.environ,
        "STRIPE_BASE_URL": stripe_mock_url,
        "STRIPE_API_KEY": TEST_API_KEY,
        # Nothing may be published: a broker address that answers nothing proves it.
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-m", "callstream.cli", "backfill", "stripe", "--dry-run", "--resources", "customers,charges"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "would publish 2 objects" in result.stdout
    assert "customers" in result.stdout and "requests: 2" in result.stdout
    assert TEST_API_KEY not in result.stdout + result.stderr


def test_cli_reports_a_refused_key_as_an_error(stripe_mock_url: str, tmp_path: Any) -> None:
    environment = {**os.environ, "STRIPE_BASE_URL": stripe_mock_url, "STRIPE_API_KEY": "not_a_stripe_key"}
    result = subprocess.run(
        [sys.executable, "-m", "callstream.cli", "backfill", "stripe", "--dry-run", "--no-progress"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "401" in result.stderr and "not_a_stripe_key" not in result.stderr
