"""Issue 11 on the real broker: customers found by phone only (in other forms than stored, or read out),
invoice number only, payment id only.

Vendor objects are published as the backfill publishes them; the calls carry no email. Each call
must come out of enrichment with its customer's Stripe context, the identifier that matched and a
confidence, and its workflow action must carry them for the sinks.
"""

from __future__ import annotations

import json

import pytest

from callstream.backfill import hubspot_event, hubspot_record_key, stripe_event, stripe_event_key
from callstream.kafkaio import produce, read_topics
from callstream.settings import Settings
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration

CUSTOMERS = [
    # Stripe stores the phone in national format; the call comes from the same number in E.164 digits.
    {"object": "customer", "id": "cus_phone01", "email": "pat@phone.example", "name": "Phone Co",
     "phone": "(415) 555-0134"},
    # A number from the UK's drama range (no numbering plan allocates it), stored nationally; the
    # country is only in the address. The call comes from the same number in E.164.
    {"object": "customer", "id": "cus_phone02", "email": "uk@phone.example", "name": "Drama Co",
     "phone": "07700 900461", "address": {"country": "GB"}},
    # Known by a number the caller reads out (the caller id is withheld).
    {"object": "customer", "id": "cus_phone03", "email": "said@phone.example", "name": "Said Co",
     "phone": "+1 (312) 555-0177"},
    {"object": "customer", "id": "cus_invoice1", "email": "ivy@invoice.example", "name": "Invoice Ltd"},
    {"object": "customer", "id": "cus_payment1", "email": "pay@payment.example", "name": "Payment GmbH"},
]  # fmt: skip
OBJECTS = [
    {"object": "invoice", "id": "in_1", "customer": "cus_invoice1", "number": "A1B2C3D4-0007", "status": "paid",
     "amount_due": 4900, "currency": "usd", "created": 10},
    {"object": "charge", "id": "ch_3PayMe0001", "customer": "cus_payment1", "status": "succeeded", "amount": 2500,
     "amount_refunded": 0, "currency": "usd", "created": 10, "payment_intent": "pi_3PayMe0001"},
    {"object": "subscription", "id": "sub_phone01", "customer": "cus_phone01", "status": "past_due",
     "currency": "usd", "created": 10, "items": {"data": []}},
]  # fmt: skip
# A HubSpot contact with a mobile number only (no email): the phone finds it too.
CONTACT = {"id": "9001", "properties": {"mobilephone": "+44 20 7946 0011", "firstname": "Hub"},
           "updatedAt": "2026-11-01T00:00:00Z"}  # fmt: skip


def raw_call(call_id: str, text: str, **fields: object) -> tuple[bytes, bytes]:
    body = {"call_id": call_id, "status": "completed", "transcript": f"User: {text}", **fields}
    return call_id.encode(), json.dumps(body).encode()


CALLS = [
    # DialNexa sends the number without '+'.
    raw_call("call_phone", "Our service stopped working this morning, what happened?", from_number="14155550134"),
    raw_call("call_invoice", "Could you send invoice A1B2C3D4-0007 again? The attachment won't open."),
    raw_call("call_payment", "Please send me the receipt for that payment.",
             extracted_data={"payment_id": "pi_3PayMe0001"}),
    raw_call("call_hubspot", "Hello, I'd like to add a new billing contact.", from_number="442079460011"),
    raw_call("call_drama", "Please send me the receipt for my last payment.", from_number="+447700900461"),
    raw_call("call_said", "My number is three one two, five five five, oh one seven seven. Please send me the "
             "receipt for my last payment."),
    raw_call("call_nobody", "Please send me the receipt for my payment.", from_number="12025550199"),
]  # fmt: skip


def changelog_keys(records: list) -> set[str]:
    return {json.loads(r.key) for r in records if r.key}  # Faust writes table keys as JSON


def test_customers_are_found_by_phone_invoice_number_and_payment_id(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    start_worker()
    stripe_records = [
        (stripe_event_key(obj), json.dumps(stripe_event(obj, 1_700_000_000)).encode()) for obj in CUSTOMERS + OBJECTS
    ]
    produce(settings.bootstrap_servers, settings.topic("stripe.events"), stripe_records)
    contact = hubspot_event(CONTACT, "contact")
    produce(settings.bootstrap_servers, settings.topic("hubspot.events"),
            [(hubspot_record_key(contact), json.dumps(contact).encode())])  # fmt: skip
    # Every identifier of the customers above is in the index before the calls arrive.
    changelog = f"{settings.group_id}-identity_index-changelog"
    expected_keys = {"phone:+14155550134", "invoice_number:A1B2C3D4-0007", "payment_id:pi_3PayMe0001",
                     "payment_id:ch_3PayMe0001", "phone:+442079460011", "phone:+447700900461",
                     "phone:+13125550177"}  # fmt: skip
    seen = read_topics(
        settings.bootstrap_servers,
        [changelog],
        until=lambda records: expected_keys <= changelog_keys(records),
        timeout=90,
    )
    assert expected_keys <= changelog_keys(seen)
    produce(settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), CALLS)

    values = read_until(
        settings,
        ["calls.enriched", "workflow.renewal_failed", "workflow.invoice_resend", "workflow.receipt_resend",
         "workflow.contact_sync"],
        until=lambda v: len(v["calls.enriched"]) >= len(CALLS) and len(v["workflow.receipt_resend"]) >= 4,
    )  # fmt: skip
    by_call = {e.call.call_id: e for e in values["calls.enriched"]}
    phone, invoice, payment = by_call["call_phone"], by_call["call_invoice"], by_call["call_payment"]
    assert phone.stripe is not None and phone.stripe.customer_id == "cus_phone01"
    assert phone.stripe.subscription_status == "past_due"
    assert (phone.identity_match, phone.identity_confidence) == ("phone", 0.9)
    assert invoice.stripe is not None and invoice.stripe.customer_id == "cus_invoice1"
    assert invoice.identity_match == "invoice_number"
    assert payment.stripe is not None and payment.stripe.customer_id == "cus_payment1"
    assert payment.identity_match == "payment_id"
    hub = by_call["call_hubspot"]
    assert hub.hubspot is not None and hub.hubspot.contact_id == "9001" and hub.identity_match == "phone"
    drama, said = by_call["call_drama"], by_call["call_said"]
    assert drama.stripe is not None and drama.stripe.customer_id == "cus_phone02" and drama.identity_match == "phone"
    assert said.stripe is not None and said.stripe.customer_id == "cus_phone03"
    assert (said.identity_match, said.identity_confidence) == ("spoken_phone", 0.85)
    nobody = by_call["call_nobody"]
    assert nobody.stripe is None and nobody.hubspot is None and nobody.identity_match is None
    assert any("customer not identified" in reason for reason in nobody.enrichment.partial_reasons)

    # Context created the workflow (a past-due subscription + "service stopped"), and the actions
    # carry the identity for the sinks.
    [renewal] = values["workflow.renewal_failed"]
    assert renewal.call_id == "call_phone" and renewal.stripe_customer_id == "cus_phone01"
    assert (renewal.identity_match, renewal.customer_phone) == ("phone", "+14155550134")
    [resend] = values["workflow.invoice_resend"]
    assert resend.call_id == "call_invoice" and resend.identity_match == "invoice_number"
    receipts = {a.call_id: a for a in values["workflow.receipt_resend"]}
    assert receipts["call_payment"].stripe_customer_id == "cus_payment1"
    # Sent to the email on file: no review. An unidentified caller's receipt needs a human.
    assert not receipts["call_payment"].review_required
    assert not receipts["call_drama"].review_required and not receipts["call_said"].review_required
    assert receipts["call_nobody"].review_required
