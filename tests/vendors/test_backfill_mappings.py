"""The pure vendor-object -> topic-event functions the table agents rely on."""

from __future__ import annotations

import json

from callstream.backfill import (
    encode,
    flatten_associations,
    hubspot_event,
    hubspot_owner_event,
    stripe_event,
    stripe_event_key,
)


def test_stripe_event_wraps_the_raw_object_with_the_fetch_time() -> None:
    invoice = {"id": "in_1", "object": "invoice", "customer": "cus_9", "status": "open"}
    event = stripe_event(invoice, 1_700_000_123)
    assert event == {
        "id": "evt_backfill_in_1_1700000123",
        "object": "event",
        "type": "invoice.backfilled",
        "created": 1_700_000_123,
        "data": {"object": invoice},
    }
    assert json.loads(encode(event)) == event


def test_stripe_keys_follow_the_customer() -> None:
    assert stripe_event_key({"id": "cus_1", "object": "customer"}) == b"cus_1"
    assert stripe_event_key({"id": "sub_1", "object": "subscription", "customer": "cus_2"}) == b"cus_2"
    # An expanded customer reference is an object.
    assert stripe_event_key({"id": "ch_1", "object": "charge", "customer": {"id": "cus_3"}}) == b"cus_3"
    customers = {"ch_1": "cus_4", "pi_1": "cus_5"}
    assert stripe_event_key({"id": "dp_1", "object": "dispute", "charge": "ch_1"}, customers) == b"cus_4"
    refund = {"id": "re_1", "object": "refund", "charge": None, "payment_intent": "pi_1"}
    assert stripe_event_key(refund, customers) == b"cus_5"
    # Unknown customer (guest charge): the object's own id.
    assert stripe_event_key({"id": "ch_9", "object": "charge", "customer": None}, customers) == b"ch_9"


def test_associations_are_flattened_and_deduplicated_in_order() -> None:
    raw = {
        "companies": {
            "results": [
                {"id": "2", "type": "contact_to_company"},
                {"id": "1", "type": "contact_to_company"},
                {"id": "2", "type": "contact_to_company_unlabeled"},
            ]
        }
    }
    assert flatten_associations(raw) == {"companies": ["2", "1"]}
    assert flatten_associations(None) == {}


def test_hubspot_contact_event_and_its_updated_at_fallback() -> None:
    contact = {"id": 7, "properties": {"email": "a@b.c", "hs_lastmodifieddate": "2026-01-01T00:00:00Z"}}
    event = hubspot_event(contact, "contact")
    assert event["id"] == "7"
    assert event["updatedAt"] == "2026-01-01T00:00:00Z"
    assert event["associations"] == {}
    assert hubspot_event({**contact, "updatedAt": "2026-05-05T00:00:00Z"}, "contact")["updatedAt"] == (
        "2026-05-05T00:00:00Z"
    )


def test_hubspot_owner_event_keeps_only_the_named_fields() -> None:
    owner = {"id": "5", "email": "o@x.y", "firstName": "O", "lastName": "W", "userId": 9, "updatedAt": "2026-01-01Z"}
    assert hubspot_owner_event(owner) == {
        "objectType": "owner",
        "id": "5",
        "updatedAt": "2026-01-01Z",
        "properties": {"email": "o@x.y", "firstName": "O", "lastName": "W"},
        "associations": {},
    }
