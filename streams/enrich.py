"""Enrichment: the Stripe context of a call, from table state fed by `stripe.events`.

Table state is two small maps, both updated from Stripe event objects:
- `stripe_email_index`: lower-cased email -> Stripe customer id
- `stripe_customers`: customer id -> the customer's billing context (a JSON dict)

Each section of the context remembers the `created` time of the Stripe event that last set it, so
a duplicate or an older event arriving late never overwrites newer state.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from schemas.models import EnrichedCall, EnrichmentStatus, Money, RedactedCall, StripeContext

StripeState = dict[str, Any]


class InvalidVendorEvent(ValueError):
    """A vendor event the enrichment tables cannot use; the message says why."""


def stripe_event_customer(event: dict[str, Any]) -> tuple[str, str | None]:
    """(customer id, email if the event carries it) for a Stripe event object."""
    obj = _event_object(event)
    if obj.get("object") == "customer":
        customer_id = obj.get("id")
        email = obj.get("email")
    else:
        customer_id = obj.get("customer")
        email = obj.get("customer_email")
    if not isinstance(customer_id, str) or not customer_id:
        raise InvalidVendorEvent(f"Stripe event {event.get('id', '?')} names no customer")
    return customer_id, email if isinstance(email, str) and email else None


def apply_stripe_event(state: StripeState | None, event: dict[str, Any]) -> StripeState:
    """The customer's context after `event`; sections only move forward in event time."""
    obj = _event_object(event)
    created = event.get("created")
    if not isinstance(created, int):
        raise InvalidVendorEvent(f"Stripe event {event.get('id', '?')} has no integer 'created' time")
    new_state: StripeState = dict(state or {})
    kind = obj.get("object")
    if kind == "customer":
        section = {"customer_id": obj.get("id"), "email": obj.get("email"), "name": obj.get("name")}
    elif kind == "subscription":
        section = {"subscription_id": obj.get("id"), "subscription_status": obj.get("status")}
    elif kind == "invoice":
        section = {
            "latest_invoice_id": obj.get("id"),
            "latest_invoice_status": obj.get("status"),
            "amount_due": obj.get("amount_due"),
            "currency": obj.get("currency"),
        }
    else:
        return new_state  # object types the skeleton does not track yet
    stamps: dict[str, int] = dict(new_state.get("_updated", {}))
    if stamps.get(kind, -1) > created:
        return new_state  # an older event arriving late
    stamps[kind] = created
    new_state.update(section)
    new_state["_updated"] = stamps
    return new_state


def enrich_call(redacted: RedactedCall, stripe_state: StripeState | None) -> EnrichedCall:
    reasons: list[str] = []
    stripe: StripeContext | None = None
    if redacted.call.billing.email is None:
        reasons.append("no customer email in the call: Stripe context not looked up")
    elif stripe_state is None:
        reasons.append("no Stripe customer known for the caller's email")
    else:
        stripe = _stripe_context(stripe_state)
    return EnrichedCall(
        call=redacted.call,
        redaction=redacted.redaction,
        stripe=stripe,
        enrichment=EnrichmentStatus(complete=not reasons, partial_reasons=reasons),
    )


def _stripe_context(state: StripeState) -> StripeContext:
    amount_due = None
    if isinstance(state.get("amount_due"), int) and isinstance(state.get("currency"), str):
        # Stripe amounts are integers in the currency's minor unit.
        amount_due = Money(amount=Decimal(state["amount_due"]) / 100, currency=state["currency"])
    customer_id = state.get("customer_id")
    return StripeContext(
        customer_id=customer_id,
        email=state.get("email"),
        name=state.get("name"),
        subscription_id=state.get("subscription_id"),
        subscription_status=state.get("subscription_status"),
        latest_invoice_id=state.get("latest_invoice_id"),
        latest_invoice_status=state.get("latest_invoice_status"),
        amount_due=amount_due,
        payment_platform_url=f"https://dashboard.stripe.com/customers/{customer_id}" if customer_id else None,
    )


def _event_object(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise InvalidVendorEvent(f"Stripe event {event.get('id', '?')} has no data.object")
    return obj
