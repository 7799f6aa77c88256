"""The HubSpot client and backfill against the local HubSpot fake (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from pydantic import SecretStr

from callstream.backfill import DryRunPublisher, backfill_hubspot, run_backfill_async
from callstream.kafkaio import read_topics
from callstream.settings import Settings
from callstream.vendors import RetryPolicy, VendorUnavailable
from callstream.vendors.hubspot import HubSpotClient
from callstream.vendors.ratelimit import TokenBucket
from streams.topics import HUBSPOT_EVENTS
from tests.vendors.fake_hubspot import TOKEN, FakeHubSpot, rate_limited


def seed(fake: FakeHubSpot, contacts: int = 3) -> None:
    fake.state.add_owner("501", "olivia@corp.example", "Olivia", "Owner")
    fake.state.add_company("9001", "Acme")
    for n in range(contacts):
        fake.state.add_contact(
            str(100 + n), f"user{n}@acme.example", owner_id="501", companies=["9001"], lifecyclestage="customer"
        )


def client(fake: FakeHubSpot, retry: RetryPolicy | None = None, token: str = TOKEN) -> HubSpotClient:
    return HubSpotClient(
        httpx.AsyncClient(), fake.url, SecretStr(token), TokenBucket(1000, 1000), timeout=2.0, retry=retry
    )


async def test_contact_by_email_reads_with_id_property_and_returns_its_companies(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    contact = await client(fake_hubspot).contact_by_email("user1@acme.example")
    assert contact is not None and contact["id"] == "101"
    assert contact["properties"]["hubspot_owner_id"] == "501"
    assert [r["id"] for r in contact["associations"]["companies"]["results"]] == ["9001", "9001"]
    path, query = fake_hubspot.state.requests[-1]
    assert path == "/crm/v3/objects/contacts/user1@acme.example"
    assert query["idProperty"] == ["email"]


async def test_unknown_email_company_and_owner_are_none(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    hubspot = client(fake_hubspot)
    assert await hubspot.contact_by_email("nobody@acme.example") is None
    assert await hubspot.company("404404") is None
    assert await hubspot.owner("404404") is None


async def test_company_and_owner_reads(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    hubspot = client(fake_hubspot)
    assert (await hubspot.company("9001"))["properties"]["name"] == "Acme"
    assert (await hubspot.owner("501"))["email"] == "olivia@corp.example"


async def test_a_wrong_token_is_unavailable_at_once(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    with pytest.raises(VendorUnavailable, match="401"):
        await client(fake_hubspot, token="pat-wrong").contact_by_email("user1@acme.example")
    assert len(fake_hubspot.state.requests) == 1


async def test_paging_follows_after_to_the_end(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot, contacts=250)
    ids = [c["id"] async for c in client(fake_hubspot).contacts()]
    assert ids == [str(100 + n) for n in range(250)]
    afters = [query.get("after") for _, query in fake_hubspot.state.requests]
    assert afters == [None, ["100"], ["200"]]


async def test_a_429_with_the_interval_headers_is_waited_out_then_succeeds(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    fake_hubspot.state.fail_next.append(rate_limited(interval_ms=300))
    started = time.monotonic()
    contact = await client(fake_hubspot).contact_by_email("user0@acme.example")
    assert contact is not None and contact["id"] == "100"
    assert time.monotonic() - started >= 0.3
    assert len(fake_hubspot.state.requests) == 2


async def test_a_ten_second_window_fails_fast_on_the_stream_path(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot)
    fake_hubspot.state.fail_next.append(rate_limited(interval_ms=10_000))
    started = time.monotonic()
    with pytest.raises(VendorUnavailable, match="TEN_SECONDLY_ROLLING"):
        await client(fake_hubspot).contact_by_email("user0@acme.example")
    assert time.monotonic() - started < 1.0


async def test_backfill_survives_a_rate_limit_midway(fake_hubspot: FakeHubSpot) -> None:
    seed(fake_hubspot, contacts=150)
    fake_hubspot.state.fail_next.extend([rate_limited(interval_ms=200)])
    publisher = DryRunPublisher()
    summary = await backfill_hubspot(client(fake_hubspot, RetryPolicy.patient()), publisher)
    assert summary.counts == {"contacts": 150, "companies": 1, "owners": 1}
    assert publisher.count == 152
    assert summary.requests == 5  # 2 contact pages + 1 retried 429 + companies + owners


@pytest.mark.integration
async def test_backfill_hubspot_publishes_flattened_objects_to_kafka(
    fake_hubspot: FakeHubSpot, pipeline_settings: Settings
) -> None:
    seed(fake_hubspot, contacts=2)
    settings = pipeline_settings.model_copy(
        update={"hubspot_base_url": fake_hubspot.url, "hubspot_token": SecretStr(TOKEN)}
    )
    summary = await run_backfill_async(settings, "hubspot", show_progress=False)
    assert summary.total == 4
    records = read_topics(
        settings.bootstrap_servers, [settings.topic(HUBSPOT_EVENTS)], until=lambda rs: len(rs) >= 4, timeout=60
    )
    events = {(json.loads(r.value)["objectType"], r.key): json.loads(r.value) for r in records}
    assert set(events) == {
        ("contact", b"contact:100"), ("contact", b"contact:101"), ("company", b"company:9001"), ("owner", b"owner:501")
    }  # fmt: skip
    contact = events[("contact", b"contact:100")]
    assert contact == {
        "objectType": "contact",
        "id": "100",
        "updatedAt": "2026-02-03T04:05:06.789Z",
        "properties": {
            "email": "user0@acme.example",
            "hs_object_id": "100",
            "hubspot_owner_id": "501",
            "lifecyclestage": "customer",
        },
        "associations": {"companies": ["9001"]},
    }
    assert events[("company", b"company:9001")]["associations"] == {}
    assert events[("owner", b"owner:501")] == {
        "objectType": "owner",
        "id": "501",
        "updatedAt": "2026-03-04T05:06:07.890Z",
        "properties": {"email": "olivia@corp.example", "firstName": "Olivia", "lastName": "Owner"},
        "associations": {},
    }
