"""Enrichment state from vendor events, and the context a call gets from it (no Kafka)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas.models import CallEvent, Money
from streams.enrich import (
    InvalidVendorEvent,
    apply_directory_update,
    apply_stripe_event,
    hubspot_context,
    hubspot_event_route,
    stripe_context,
    stripe_customer_id,
)


def event(event_id: str, created: int, obj: dict, kind: str = "updated") -> dict:
    return {"id": event_id, "created": created, "type": f"{obj['object']}.{kind}", "data": {"object": obj}}


def customer(email: str) -> dict:
    return {"object": "customer", "id": "cus_1", "email": email, "name": "Ana"}


def subscription(status: str, amount: int = 5000, interval: str = "month") -> dict:
    price = {"unit_amount": amount, "recurring": {"interval": interval, "interval_count": 1}}
    return {"object": "subscription", "id": "sub_1", "customer": "cus_1", "status": status, "currency": "usd",
            "created": 100, "items": {"data": [{"price": price, "quantity": 2}]}}  # fmt: skip


def test_customer_id_of_every_object_type() -> None:
    assert stripe_customer_id(event("e1", 1, customer("a@x.example"))) == "cus_1"
    assert stripe_customer_id(event("e2", 1, subscription("active"))) == "cus_1"
    expanded = {"object": "charge", "id": "ch_1", "customer": {"id": "cus_9"}}
    assert stripe_customer_id(event("e3", 1, expanded)) == "cus_9"
    with pytest.raises(InvalidVendorEvent, match="names no customer"):
        stripe_customer_id(event("e4", 1, {"object": "charge", "id": "ch_2"}))
    with pytest.raises(InvalidVendorEvent, match="integer 'created'"):
        stripe_customer_id({"id": "e5", "data": {"object": customer("a@x.example")}})


def test_out_of_order_and_duplicate_events_do_not_corrupt_state() -> None:
    state, updates = apply_stripe_event(None, event("e2", 200, subscription("past_due")))
    late_older, _ = apply_stripe_event(state, event("e1", 100, subscription("active")))
    assert late_older["subscriptions"]["sub_1"]["status"] == "past_due"
    redelivered, _ = apply_stripe_event(late_older, event("e2", 200, subscription("active")))
    assert redelivered["subscriptions"]["sub_1"]["status"] == "past_due"  # same id: ignored whatever it says
    newer_state, _ = apply_stripe_event(redelivered, event("e3", 300, subscription("active")))
    assert newer_state["subscriptions"]["sub_1"]["status"] == "active"
    assert updates == []


def test_customer_email_change_moves_the_directory_entry() -> None:
    state, first = apply_stripe_event(None, event("e1", 100, customer("Old@X.example")))
    assert first == [("old@x.example", {"stripe_customer_id": "cus_1", "stripe_as_of": 100})]
    _, second = apply_stripe_event(state, event("e2", 200, customer("new@x.example")))
    assert second == [
        ("old@x.example", {"stripe_customer_id": None, "stripe_as_of": 200}),
        ("new@x.example", {"stripe_customer_id": "cus_1", "stripe_as_of": 200}),
    ]


def test_directory_keeps_the_newer_value_per_source() -> None:
    entry = apply_directory_update(None, {"stripe_customer_id": "cus_2", "stripe_as_of": 200})
    entry = apply_directory_update(entry, {"stripe_customer_id": "cus_1", "stripe_as_of": 100})  # late
    entry = apply_directory_update(entry, {"hubspot_contact": {"id": "7"}, "hubspot_as_of": 50})
    assert entry == {"stripe_customer_id": "cus_2", "stripe_as_of": 200, "hubspot_contact": {"id": "7"},
                     "hubspot_as_of": 50}  # fmt: skip


def test_stripe_context_for_a_call() -> None:
    state = None
    objects = [
        customer("ana@x.example"),
        subscription("past_due", amount=12000, interval="year"),
        {"object": "invoice", "id": "in_1", "customer": "cus_1", "status": "open", "amount_due": 12050,
         "currency": "usd", "created": 300},
        {"object": "charge", "id": "ch_1", "customer": "cus_1", "status": "succeeded", "amount": 5000,
         "amount_refunded": 1000, "currency": "usd", "payment_intent": "pi_1", "created": 250},
        {"object": "payment_intent", "id": "pi_1", "customer": "cus_1", "status": "succeeded", "amount": 5000,
         "currency": "usd", "latest_charge": "ch_1", "created": 250},
        {"object": "dispute", "id": "dp_1", "customer": "cus_1", "charge": "ch_1", "status": "needs_response",
         "amount": 5000, "currency": "usd", "created": 260},
    ]  # fmt: skip
    for index, obj in enumerate(objects):
        state, _ = apply_stripe_event(state, event(f"e{index}", 1000 + index, obj))
    context = stripe_context(state, "pi_1")
    assert (context.customer_id, context.subscription_status, context.latest_invoice_status) == (
        "cus_1", "past_due", "open"
    )  # fmt: skip
    assert context.amount_due == Money(amount=Decimal("120.50"), currency="USD")
    assert context.mrr == Money(amount=Decimal("20.00"), currency="USD")  # 2 x 120.00 a year
    assert context.lifetime_value == Money(amount=Decimal("40.00"), currency="USD")
    assert context.open_disputes == 1
    assert context.payment is not None
    assert (context.payment.kind, context.payment.disputed, context.payment.dispute_status) == (
        "payment_intent", True, "needs_response"
    )  # fmt: skip
    assert context.payment.amount_refunded == Money(amount=Decimal("10.00"), currency="USD")
    assert stripe_context(state, "pi_unknown").payment is None


def test_hubspot_contact_owner_and_company() -> None:
    contact_event = {"objectType": "contact", "id": "101", "updatedAt": "2026-11-01T10:00:00Z",
                     "properties": {"email": "Ana@X.example", "hubspot_owner_id": "9", "lifecyclestage": "customer"},
                     "associations": {"companies": ["55"]}}  # fmt: skip
    kind, key, patch = hubspot_event_route(contact_event)
    assert (kind, key) == ("contact", "ana@x.example")
    owner_event = {"objectType": "owner", "id": "9", "updatedAt": 1, "properties": {"firstName": "Olu", "lastName": "B",
                   "email": "olu@acme.example"}}  # fmt: skip
    company_event = {"objectType": "company", "id": "55", "updatedAt": 1,
                     "properties": {"name": "Acme", "renewal_date": "2027-01-31"}}  # fmt: skip
    _, _, owner = hubspot_event_route(owner_event)
    _, _, company = hubspot_event_route(company_event)
    entry = apply_directory_update(None, patch)
    context = hubspot_context(entry, owner, company, portal_id="123")
    assert context is not None
    assert (context.owner_name, context.owner_email, context.company) == ("Olu B", "olu@acme.example", "Acme")
    assert str(context.renewal_date) == "2027-01-31"
    assert context.crm_url == "https://app.hubspot.com/contacts/123/record/0-1/101"
    # A contact without an email is still indexed (a phone or company match finds it), by its id.
    kind, key, patch = hubspot_event_route({**contact_event, "properties": {"phone": "+1 415 555 0100"}})
    assert (kind, key) == ("contact", "hubspot:101")
    assert patch["hubspot_contact"]["email"] is None
    with pytest.raises(InvalidVendorEvent, match="needs objectType"):
        hubspot_event_route({**contact_event, "properties": None})


def test_call_model_still_builds() -> None:
    assert CallEvent(call_id="c", event_type="e", source_shape="s").billing.email is None


def test_disputes_and_refunds_are_resolved_through_their_charge() -> None:
    from streams.enrich import stripe_owned_payments, stripe_payment_reference

    charge = {"object": "charge", "id": "ch_1", "customer": "cus_1", "payment_intent": "pi_1"}
    assert stripe_customer_id(event("e1", 1, charge)) == "cus_1"
    assert stripe_owned_payments(event("e1", 1, charge)) == ["ch_1", "pi_1"]
    dispute = {"object": "dispute", "id": "dp_1", "charge": "ch_1", "payment_intent": "pi_1"}
    with pytest.raises(InvalidVendorEvent):
        stripe_customer_id(event("e2", 2, dispute))
    assert stripe_payment_reference(event("e2", 2, dispute)) == "ch_1"
