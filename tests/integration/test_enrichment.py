"""Issue 5 on the real broker: vendor events -> tables -> a call's context, with one and two workers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from confluent_kafka import ConsumerGroupState
from confluent_kafka.admin import AdminClient

from callstream.kafkaio import Record, produce, read_topics
from callstream.settings import Settings
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration


def stripe_event(event_id: str, created: int, obj: dict) -> tuple[bytes, bytes]:
    value = {"id": event_id, "object": "event", "created": created, "type": f"{obj['object']}.updated",
             "data": {"object": obj}}  # fmt: skip
    return obj["id"].encode(), json.dumps(value).encode()


def customer(number: int) -> dict:
    return {
        "object": "customer",
        "id": f"cus_{number}",
        "email": f"user{number}@acme.example",
        "name": f"User {number}",
    }


def subscription(number: int, status: str) -> dict:
    return {"object": "subscription", "id": f"sub_{number}", "customer": f"cus_{number}", "status": status,
            "currency": "usd", "created": 10, "items": {"data": []}}  # fmt: skip


def call(call_id: str, email: str, payment_id: str | None = None) -> tuple[bytes, bytes]:
    analysis = {"email": email, **({"payment_id": payment_id} if payment_id else {})}
    body = {"call_id": call_id, "status": "completed", "transcript": "User: please resend my invoice again",
            "extracted_data": analysis}  # fmt: skip
    return call_id.encode(), json.dumps(body).encode()


def wait_for_changelog(settings: Settings, table: str, records: int, timeout: float = 90) -> None:
    topic = f"{settings.group_id}-{table}-changelog"
    seen = read_topics(settings.bootstrap_servers, [topic], until=lambda r: len(r) >= records, timeout=timeout)
    assert len(seen) >= records, f"{table}: {len(seen)} of {records} changelog records"


def wait_for_table(
    settings: Settings, table: str, until: Callable[[dict[str, Any]], bool], timeout: float = 90
) -> dict[str, Any]:
    """The table as its changelog says it is (last value per key), once `until(table)` holds.

    Counting changelog records is not the table: a message fetched again after a rebalance is
    applied again (a no-op for the state, one more changelog record), so a count can pass with an
    event missing or fail with all of them in. The last value of every key is what a lookup sees."""
    contents: dict[str, Any] = {}

    def apply(record: Record) -> None:
        key = json.loads(record.key or b"null")
        if record.value is None:
            contents.pop(key, None)
        else:
            contents[key] = json.loads(record.value)

    topic = f"{settings.group_id}-{table}-changelog"
    read_topics(settings.bootstrap_servers, [topic], until=lambda _r: until(contents), timeout=timeout, on_record=apply)
    return contents


def test_duplicate_and_out_of_order_vendor_events(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings.model_copy(update={"hubspot_portal_id": "4242"})
    start_worker(settings)
    charge = {"object": "charge", "id": "ch_1", "customer": "cus_1", "status": "succeeded", "amount": 4900,
              "amount_refunded": 0, "currency": "usd", "created": 50}  # fmt: skip
    # As Stripe sends it: a dispute names its charge, not the customer.
    dispute = {"object": "dispute", "id": "dp_1", "charge": "ch_1", "status": "needs_response",
               "amount": 4900, "currency": "usd", "created": 60}  # fmt: skip
    stripe_events = [
        stripe_event("evt_1", 100, customer(1)),
        stripe_event("evt_3", 300, subscription(1, "past_due")),
        stripe_event("evt_2", 200, subscription(1, "active")),  # older, arrives late
        stripe_event("evt_3", 300, subscription(1, "past_due")),  # delivered twice
        stripe_event("evt_4", 400, charge),
    ]
    hubspot_events = [
        {"objectType": "owner", "id": "77", "updatedAt": "2026-11-01T00:00:00Z",
         "properties": {"firstName": "Olu", "lastName": "Bello", "email": "olu@acme.example"}, "associations": {}},
        {"objectType": "company", "id": "55", "updatedAt": "2026-11-01T00:00:00Z",
         "properties": {"name": "Acme Ltd", "renewal_date": "2027-02-01"}, "associations": {}},
        {"objectType": "contact", "id": "101", "updatedAt": "2026-11-01T00:00:00Z",
         "properties": {"email": "User1@acme.example", "hubspot_owner_id": "77", "lifecyclestage": "customer"},
         "associations": {"companies": ["55"]}},
    ]  # fmt: skip
    produce(settings.bootstrap_servers, settings.topic("stripe.events"), stripe_events)
    produce(
        settings.bootstrap_servers,
        settings.topic("hubspot.events"),
        [(e["id"].encode(), json.dumps(e).encode()) for e in hubspot_events],
    )
    wait_for_changelog(settings, "stripe_charge_owners", 1)
    produce(settings.bootstrap_servers, settings.topic("stripe.events"), [stripe_event("evt_5", 500, dispute)])
    wait_for_changelog(settings, "stripe_customers", len(stripe_events) + 1)
    wait_for_changelog(settings, "email_directory", 2)  # the Stripe customer and the HubSpot contact
    wait_for_changelog(settings, "hubspot_owners", 1)
    wait_for_changelog(settings, "hubspot_companies", 1)

    produce(
        settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), [call("call_1", "user1@acme.example", "ch_1")]
    )
    [enriched] = read_until(settings, ["calls.enriched"], until=lambda v: len(v["calls.enriched"]) >= 1)[
        "calls.enriched"
    ]
    stripe, hubspot = enriched.stripe, enriched.hubspot
    assert stripe is not None and hubspot is not None
    assert (stripe.customer_id, stripe.subscription_status, stripe.open_disputes) == ("cus_1", "past_due", 1)
    assert stripe.payment is not None and stripe.payment.disputed and stripe.payment.dispute_status == "needs_response"
    assert (hubspot.owner_name, hubspot.owner_email, hubspot.company) == ("Olu Bello", "olu@acme.example", "Acme Ltd")
    assert str(hubspot.renewal_date) == "2027-02-01"
    assert hubspot.crm_url == "https://app.hubspot.com/contacts/4242/record/0-1/101"
    assert enriched.enrichment.complete, enriched.enrichment.partial_reasons


def both_workers_own_partitions(settings: Settings, timeout: float = 60) -> bool:
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            description = admin.describe_consumer_groups([settings.group_id])[settings.group_id].result(timeout=10)
        except Exception:  # a rebalance in progress: ask again
            continue
        members = description.members
        if description.state == ConsumerGroupState.STABLE and len(members) == 2:
            return all(member.assignment.topic_partitions for member in members)
        time.sleep(0.5)
    return False


def test_two_workers_split_the_tables_and_enrich_correctly(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    start_worker(settings, name="first")
    second = start_worker(settings, name="second")
    # The group is stable here, but the workers may still be recovering their tables: the events
    # land in the middle of the rebalance on purpose (the stall this test found, streams/consumer.py).
    second.wait_ready(members=2)
    customers = range(1, 25)
    events = [stripe_event(f"evt_c{n}", 100, customer(n)) for n in customers]
    events += [stripe_event(f"evt_s{n}", 200, subscription(n, "past_due" if n % 2 else "active")) for n in customers]
    produce(settings.bootstrap_servers, settings.topic("stripe.events"), events)

    def applied(table: dict[str, Any]) -> set[str]:
        return {event for state in table.values() for event in (state or {}).get("seen_events", [])}

    expected = {f"evt_{kind}{n}" for n in customers for kind in "cs"}
    table = wait_for_table(settings, "stripe_customers", until=lambda t: applied(t) >= expected)
    assert applied(table) >= expected, f"events never applied: {sorted(expected - applied(table))}"
    # Exactly as one worker would have it: every customer has its two events, once each, and nothing else.
    assert set(table) == {f"cus_{n}" for n in customers}
    for n in customers:
        # The two come from different stripe.events partitions (keyed cus_N and sub_N): any order.
        assert sorted(table[f"cus_{n}"]["seen_events"]) == [f"evt_c{n}", f"evt_s{n}"], table[f"cus_{n}"]
        assert table[f"cus_{n}"]["customer"]["email"] == f"user{n}@acme.example"
    emails = {f"user{n}@acme.example": f"cus_{n}" for n in customers}
    directory = wait_for_table(
        settings,
        "email_directory",
        until=lambda t: all((t.get(e) or {}).get("stripe_customer_id") == c for e, c in emails.items()),
    )
    assert {e: (directory.get(e) or {}).get("stripe_customer_id") for e in emails} == emails

    assert both_workers_own_partitions(settings), "the two workers did not split the partitions"

    produce(
        settings.bootstrap_servers,
        settings.topic("dialnexa.calls.raw"),
        [call(f"call_{n}", f"user{n}@acme.example") for n in customers],
    )
    values = read_until(settings, ["calls.enriched"], until=lambda v: len(v["calls.enriched"]) >= len(customers))
    by_call = {enriched.call.call_id: enriched for enriched in values["calls.enriched"]}
    assert len(by_call) == len(customers)
    for n in customers:
        stripe = by_call[f"call_{n}"].stripe
        assert stripe is not None, by_call[f"call_{n}"].enrichment.partial_reasons
        assert stripe.customer_id == f"cus_{n}"
        assert stripe.subscription_status == ("past_due" if n % 2 else "active")
