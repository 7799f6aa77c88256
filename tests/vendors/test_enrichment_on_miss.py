"""On-miss lookups through a real worker: Stripe (stripe-mock) and HubSpot (local fake) asked once,
cached in the tables, and a dead vendor costs a partial enrichment, not a stuck partition."""

from __future__ import annotations

import json
import time

import pytest
from pydantic import SecretStr

from callstream.kafkaio import produce
from callstream.localkafka import free_port
from callstream.settings import Settings
from tests.integration.helpers import read_until
from tests.vendors.fake_hubspot import TOKEN, FakeHubSpot
from tests.vendors.stripe_mock import TEST_API_KEY

pytestmark = pytest.mark.integration


def call(call_id: str, email: str) -> tuple[bytes, bytes]:
    body = {"call_id": call_id, "status": "completed", "transcript": "User: please resend my invoice again",
            "extracted_data": {"email": email}}  # fmt: skip
    return call_id.encode(), json.dumps(body).encode()


def contact_reads(fake: FakeHubSpot) -> int:
    return sum(1 for path, _ in fake.state.requests if path.startswith("/crm/v3/objects/contacts/"))


def test_table_miss_asks_the_vendors_once_and_caches(
    pipeline_settings: Settings, start_worker, stripe_mock_url: str, fake_hubspot: FakeHubSpot
) -> None:
    fake_hubspot.state.add_owner("501", "olivia@corp.example", "Olivia", "Owner")
    fake_hubspot.state.add_company("9001", "Acme")
    fake_hubspot.state.add_contact("100", "user0@acme.example", owner_id="501", companies=["9001"])
    settings = pipeline_settings.model_copy(
        update={
            "stripe_base_url": stripe_mock_url,
            "stripe_api_key": SecretStr(TEST_API_KEY),
            "hubspot_base_url": fake_hubspot.url,
            "hubspot_token": SecretStr(TOKEN),
        }
    )
    start_worker(settings)
    raw = settings.topic("dialnexa.calls.raw")
    produce(settings.bootstrap_servers, raw, [call("call_miss_1", "user0@acme.example")])
    [first] = read_until(settings, ["calls.enriched"], until=lambda v: len(v["calls.enriched"]) >= 1)["calls.enriched"]
    assert first.enrichment.complete, first.enrichment.partial_reasons
    assert first.stripe is not None and first.stripe.customer_id and first.stripe.customer_id.startswith("cus_")
    assert first.hubspot is not None
    assert (first.hubspot.owner_name, first.hubspot.company) == ("Olivia Owner", "Acme")
    reads_after_first = contact_reads(fake_hubspot)
    assert reads_after_first == 1

    # Same caller again: answered from the tables, HubSpot is not asked a second time.
    produce(settings.bootstrap_servers, raw, [call("call_miss_2", "user0@acme.example")])
    values = read_until(settings, ["calls.enriched"], until=lambda v: len(v["calls.enriched"]) >= 2)
    second = next(e for e in values["calls.enriched"] if e.call.call_id == "call_miss_2")
    assert second.stripe is not None and second.stripe.customer_id == first.stripe.customer_id
    assert second.hubspot == first.hubspot
    assert contact_reads(fake_hubspot) == reads_after_first


def test_dead_vendor_yields_partial_enrichment_promptly(pipeline_settings: Settings, start_worker) -> None:
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    settings = pipeline_settings.model_copy(
        update={"stripe_base_url": nobody_listens, "stripe_api_key": SecretStr(TEST_API_KEY)}
    )
    start_worker(settings)
    started = time.monotonic()
    produce(settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"),
            [call(f"call_dead_{n}", f"user{n}@acme.example") for n in range(5)])  # fmt: skip
    values = read_until(settings, ["calls.enriched"], until=lambda v: len(v["calls.enriched"]) >= 5, timeout=90)
    elapsed = time.monotonic() - started
    assert len(values["calls.enriched"]) == 5
    for enriched in values["calls.enriched"]:
        assert enriched.stripe is None and not enriched.enrichment.complete
        assert any(r.startswith("Stripe lookup") for r in enriched.enrichment.partial_reasons), enriched.enrichment
    # One failure pauses Stripe lookups (cool-down): five calls do not cost five timeouts each.
    assert elapsed < 60
