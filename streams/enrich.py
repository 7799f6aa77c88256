"""Enrichment logic: vendor events into table state, table state into the context of a call.

Table state is plain JSON-able dicts (what Faust tables store), built only from vendor events:

- customer state (key: Stripe customer id): the customer and its subscriptions, invoices, charges,
  payment intents and disputes, each remembering the `created` time of the event that last set it;
- directory entry (key: lower-cased email): the Stripe customer id and the HubSpot contact behind
  an email, each with the time it was true as of;
- HubSpot owners and companies (key: their id), small reference data.

Vendor events arrive late, twice, or out of order. Every object keeps the time of the event that set
it and is only replaced by an event that is not older, and a customer remembers the ids of the last
events it applied, so a redelivered event is a no-op.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from schemas.models import (
    EnrichedCall,
    EnrichmentStatus,
    HubSpotContext,
    Money,
    PaymentContext,
    RedactedCall,
    StripeContext,
)

State = dict[str, Any]

# Stripe object type -> the state section it lives in, and how many of them a customer keeps.
STRIPE_SECTIONS: dict[str, tuple[str, int]] = {
    "subscription": ("subscriptions", 20),
    "invoice": ("invoices", 12),
    "charge": ("charges", 50),
    "payment_intent": ("payment_intents", 50),
    "dispute": ("disputes", 20),
    "refund": ("refunds", 50),
}
SEEN_EVENTS_KEPT = 64
# HubSpot contact properties identity reads: numbers, the company name, and the country that says how
# to read a number stored without its country code.
HUBSPOT_COUNTRY_PROPERTIES = ("hs_country_region_code", "country", "ip_country_code")
IDENTITY_PROPERTIES = ("company", *HUBSPOT_COUNTRY_PROPERTIES)
# Any property or metadata key naming a number of the customer's (HubSpot `phone`, `mobilephone`,
# `hs_calculated_phone_number`, `hs_whatsapp_phone_number`, a Stripe `metadata.mobile`...); a fax is not.
PHONE_PROPERTY = re.compile(r"(phone|mobile|cell|tel)(?!.*(fax|country|region|type|opt|consent|valid))", re.I)


def phone_values(values: dict[str, Any]) -> dict[str, str]:
    """The entries of a property / metadata map that hold a phone number, as text."""
    return {
        str(k): str(v)[:40]
        for k, v in values.items()
        if PHONE_PROPERTY.search(str(k)) and isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip()
    }


LIVE_SUBSCRIPTION_STATUSES = ("active", "past_due", "trialing", "unpaid", "incomplete", "paused")
OPEN_DISPUTE_STATUSES = {"warning_needs_response", "warning_under_review", "needs_response", "under_review"}
# Months per Stripe price interval, to express every subscription as monthly revenue.
_MONTHS_PER_INTERVAL = {"day": Decimal(1) / 30, "week": Decimal(7) / 30, "month": Decimal(1), "year": Decimal(12)}


class InvalidVendorEvent(ValueError):
    """A vendor event the enrichment tables cannot use; the message says why."""


# --- Stripe events -> customer state -----------------------------------------------------------


def stripe_event_object(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise InvalidVendorEvent("Stripe event is not a JSON object")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("object"), str):
        raise InvalidVendorEvent(f"Stripe event {str(event.get('id', '?'))[:60]} has no typed data.object")
    if not isinstance(event.get("created"), int):
        raise InvalidVendorEvent(f"Stripe event {str(event.get('id', '?'))[:60]} has no integer 'created' time")
    return obj


def stripe_payment_reference(event: dict[str, Any]) -> str | None:
    """For objects Stripe does not tie to a customer (disputes, refunds): the charge or payment
    intent they belong to, whose owner the charge index knows."""
    obj = stripe_event_object(event)
    return _id_of(obj.get("charge")) or _id_of(obj.get("payment_intent"))


def stripe_owned_payments(event: dict[str, Any]) -> list[str]:
    """Charge and payment intent ids a customer's event makes known (to index their owner)."""
    obj = stripe_event_object(event)
    if obj["object"] == "charge":
        return [i for i in (_id_of(obj.get("id")), _id_of(obj.get("payment_intent"))) if i]
    if obj["object"] == "payment_intent":
        return [i for i in (_id_of(obj.get("id")), _id_of(obj.get("latest_charge"))) if i]
    return []


def stripe_customer_id(event: dict[str, Any]) -> str:
    """The customer a Stripe event belongs to: the key of the customer state it updates."""
    obj = stripe_event_object(event)
    customer = obj.get("id") if obj["object"] == "customer" else obj.get("customer")
    if isinstance(customer, dict):  # an expanded customer object
        customer = customer.get("id")
    if not isinstance(customer, str) or not customer:
        raise InvalidVendorEvent(f"Stripe {obj['object']} event {str(event.get('id', '?'))[:60]} names no customer")
    return customer


def apply_stripe_event(state: State | None, event: dict[str, Any]) -> tuple[State, list[tuple[str, State]]]:
    """The customer state after `event`, and directory updates (email -> entry patch) it implies."""
    obj = stripe_event_object(event)
    created: int = event["created"]
    event_id = str(event.get("id", ""))
    new: State = {key: (dict(value) if isinstance(value, dict) else value) for key, value in (state or {}).items()}
    seen: list[str] = list(new.get("seen_events", []))
    if event_id and event_id in seen:
        return new, []  # a redelivery
    if event_id:
        new["seen_events"] = [*seen, event_id][-SEEN_EVENTS_KEPT:]
    kind = obj["object"]
    updates: list[tuple[str, State]] = []
    if kind == "customer":
        previous = new.get("customer") or {}
        if previous.get("_at", -1) > created:
            return new, []
        customer = {
            "id": obj.get("id"),
            "email": obj.get("email"),
            "name": obj.get("name"),
            "phone": obj.get("phone"),
            "country": _country_of(obj),
            # Other numbers Stripe holds for the customer (shipping contact, metadata such as `mobile`).
            "other_phones": _other_phones(obj),
            # Small string metadata only (an account id, a tier): identity and the policy read it.
            "metadata": {
                str(k): str(v)[:200] for k, v in list((obj.get("metadata") or {}).items())[:20] if isinstance(v, str)
            },
            "deleted": bool(obj.get("deleted")) or event.get("type") == "customer.deleted",
            "_at": created,
        }
        new["customer"] = customer
        old_email, new_email = _lower(previous.get("email")), _lower(customer["email"])
        if old_email and old_email != new_email:
            updates.append((old_email, {"stripe_customer_id": None, "stripe_as_of": created}))
        if new_email:
            customer_id = None if customer["deleted"] else customer["id"]
            updates.append((new_email, {"stripe_customer_id": customer_id, "stripe_as_of": created}))
        return new, updates
    if kind not in STRIPE_SECTIONS:
        return new, []
    section_name, kept = STRIPE_SECTIONS[kind]
    section: dict[str, Any] = dict(new.get(section_name, {}))
    object_id = str(obj.get("id"))
    if section.get(object_id, {}).get("_at", -1) > created:
        return new, []  # an older event arriving late
    section[object_id] = {**_stripe_summary(kind, obj), "_at": created}
    if len(section) > kept:  # keep the most recent objects of each kind
        newest = sorted(section.items(), key=lambda item: item[1].get("created") or 0, reverse=True)[:kept]
        section = dict(newest)
    new[section_name] = section
    return new, updates


def _other_phones(customer: dict[str, Any]) -> list[str]:
    shipping = customer.get("shipping") if isinstance(customer.get("shipping"), dict) else {}
    found = [str(shipping["phone"])] if shipping.get("phone") else []
    found += phone_values(customer.get("metadata") if isinstance(customer.get("metadata"), dict) else {}).values()
    return [p for p in dict.fromkeys(found) if p != customer.get("phone")][:4]


def _country_of(customer: dict[str, Any]) -> str | None:
    """The customer's country: billing address, else shipping address."""
    for holder in (customer, customer.get("shipping")):
        address = holder.get("address") if isinstance(holder, dict) else None
        if isinstance(address, dict) and isinstance(address.get("country"), str) and address["country"]:
            return str(address["country"])
    return None


def _stripe_summary(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Only what enrichment uses: state stays small and holds no card details."""
    common = {"created": obj.get("created"), "status": obj.get("status"), "currency": obj.get("currency")}
    if kind == "subscription":
        return {**common, "monthly_amount": _monthly_amount(obj)}
    if kind == "invoice":
        return {**common, "amount_due": obj.get("amount_due"), "number": obj.get("number")}
    if kind == "charge":
        dispute = obj.get("dispute")
        return {
            **common,
            "amount": obj.get("amount"),
            "amount_refunded": obj.get("amount_refunded"),
            "refunded": bool(obj.get("refunded")),
            "disputed": bool(obj.get("disputed")),
            "dispute": dispute.get("id") if isinstance(dispute, dict) else dispute,
            "payment_intent": _id_of(obj.get("payment_intent")),
            "paid": bool(obj.get("paid")),
        }
    if kind == "payment_intent":
        return {**common, "amount": obj.get("amount"), "latest_charge": _id_of(obj.get("latest_charge"))}
    if kind == "dispute":
        return {**common, "amount": obj.get("amount"), "charge": _id_of(obj.get("charge"))}
    return {**common, "amount": obj.get("amount"), "charge": _id_of(obj.get("charge"))}  # refund


def _monthly_amount(subscription: dict[str, Any]) -> int | None:
    items = (subscription.get("items") or {}).get("data") or []
    total = Decimal(0)
    for item in items:
        price = item.get("price") or item.get("plan") or {}
        recurring = price.get("recurring") or price
        interval = recurring.get("interval", "month")
        count = Decimal(recurring.get("interval_count") or 1)
        amount = price.get("unit_amount", price.get("amount"))
        if not isinstance(amount, int) or interval not in _MONTHS_PER_INTERVAL:
            continue
        total += Decimal(amount) * Decimal(item.get("quantity") or 1) / (_MONTHS_PER_INTERVAL[interval] * count)
    return int(total) if items else None


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _lower(email: Any) -> str | None:
    return email.strip().lower() if isinstance(email, str) and email.strip() else None


# --- HubSpot events -> directory entries and reference tables ------------------------------------


@dataclass(frozen=True)
class HubSpotFields:
    """Which HubSpot properties enrichment keeps: the policy's identity links and the properties its
    high-value rules read (`company.<name>` for a company property)."""

    stripe_id_property: str = "stripe_customer_id"
    account_id_property: str = "account_id"
    keep: tuple[str, ...] = ()

    def contact_keep(self) -> list[str]:
        return [name for name in self.keep if not name.startswith("company.")]

    def company_keep(self) -> list[str]:
        return [name.removeprefix("company.") for name in self.keep if name.startswith("company.")]


def hubspot_contact_key(contact_id: str, email: str | None) -> str:
    """The directory key of a HubSpot contact: its email, or for a contact without one its id."""
    return email or f"hubspot:{contact_id}"


def hubspot_event_route(event: Any, fields: HubSpotFields | None = None) -> tuple[str, str, State]:
    """(object type, table key, value) for a `hubspot.events` record.

    Contacts are keyed by lower-cased email (a directory entry patch; a contact without an email by
    `hubspot:<id>`, so a phone or company match still finds it); owners and companies by id.
    """
    fields = fields or HubSpotFields()
    if not isinstance(event, dict):
        raise InvalidVendorEvent("HubSpot event is not a JSON object")
    object_type, object_id = event.get("objectType"), event.get("id")
    properties = event.get("properties")
    if object_type not in {"contact", "company", "owner"} or not object_id or not isinstance(properties, dict):
        raise InvalidVendorEvent("HubSpot event needs objectType contact|company|owner, an id and properties")
    as_of = _epoch(event.get("updatedAt"))
    if object_type == "contact":
        email = _lower(properties.get("email"))
        companies = (event.get("associations") or {}).get("companies") or []
        stripe_id = properties.get(fields.stripe_id_property)
        contact = {
            "id": str(object_id),
            "email": email,
            "owner_id": properties.get("hubspot_owner_id"),
            "company_id": str(companies[0]) if companies else (
                str(properties["associatedcompanyid"]) if properties.get("associatedcompanyid") else None
            ),
            "lifecycle_stage": properties.get("lifecyclestage"),
            "renewal_date": properties.get("renewal_date"),
            "stripe_customer_id": stripe_id.strip() if isinstance(stripe_id, str) and stripe_id.strip() else None,
            "account_id": properties.get(fields.account_id_property),
            "identity_properties": {
                **phone_values(properties),
                **{name: properties.get(name) for name in IDENTITY_PROPERTIES if properties.get(name)},
            },
            "properties": _kept(properties, fields.contact_keep()),
        }
        key = hubspot_contact_key(str(object_id), email)
        return "contact", key, {"hubspot_contact": contact, "hubspot_as_of": as_of}
    if object_type == "owner":
        name = " ".join(p for p in (properties.get("firstName"), properties.get("lastName")) if p) or None
        return "owner", str(object_id), {"name": name, "email": properties.get("email"), "_at": as_of}
    return (
        "company",
        str(object_id),
        {
            "name": properties.get("name"),
            "country": properties.get("country"),
            "phone": properties.get("phone"),  # the company's switchboard: its contacts are found by it too
            "renewal_date": properties.get("renewal_date"),
            "properties": _kept(properties, fields.company_keep()),
            "_at": as_of,
        },
    )


def _kept(properties: dict[str, Any], names: list[str]) -> dict[str, str]:
    return {name: str(properties[name])[:200] for name in names if properties.get(name) not in (None, "")}


def newer(current: State | None, candidate: State) -> bool:
    """Reference-table rule: replace only with a value that is not older."""
    return current is None or candidate.get("_at", 0) >= current.get("_at", 0)


def apply_directory_update(entry: State | None, update: State) -> State:
    """Merge a directory patch per source (Stripe, HubSpot), keeping the newer of each."""
    new = dict(entry or {})
    for source in ("stripe", "hubspot"):
        as_of_key = f"{source}_as_of"
        if as_of_key not in update:
            continue
        if new.get(as_of_key, -1) > update[as_of_key]:
            continue
        for key, value in update.items():
            if key.startswith(source):
                new[key] = value
    return new


def _epoch(value: Any) -> int:
    if isinstance(value, int | float):
        return int(value / 1000) if value > 10**11 else int(value)  # HubSpot often sends milliseconds
    if isinstance(value, str):
        try:
            return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
        except ValueError:
            return 0
    return 0


# --- table state -> call context ----------------------------------------------------------------


def stripe_context(state: State, payment_id: str | None) -> StripeContext:
    customer = state.get("customer") or {}
    customer_id = customer.get("id") or _any_customer_id(state)
    subscriptions = state.get("subscriptions", {})
    live = [(sid, sub) for sid, sub in subscriptions.items() if sub.get("status") in LIVE_SUBSCRIPTION_STATUSES]
    chosen = _newest(live) or _newest(list(subscriptions.items()))
    invoice = _newest(list(state.get("invoices", {}).items()))
    mrr = _sum_money((sub.get("monthly_amount"), sub.get("currency")) for _, sub in live)
    charges = state.get("charges", {})
    lifetime = _sum_money(
        ((charge.get("amount") or 0) - (charge.get("amount_refunded") or 0), charge.get("currency"))
        for charge in charges.values()
        if charge.get("status") == "succeeded"
    )
    disputes = state.get("disputes", {})
    return StripeContext(
        customer_id=customer_id,
        email=customer.get("email"),
        name=customer.get("name"),
        subscription_id=chosen[0] if chosen else None,
        subscription_status=chosen[1].get("status") if chosen else None,
        mrr=mrr,
        lifetime_value=lifetime,
        latest_invoice_id=invoice[0] if invoice else None,
        latest_invoice_status=invoice[1].get("status") if invoice else None,
        amount_due=_money(invoice[1].get("amount_due"), invoice[1].get("currency")) if invoice else None,
        open_disputes=sum(1 for d in disputes.values() if d.get("status") in OPEN_DISPUTE_STATUSES),
        invoice_numbers=sorted(str(i["number"]) for i in state.get("invoices", {}).values() if i.get("number")),
        payment=_payment_context(state, payment_id),
        payment_platform_url=f"https://dashboard.stripe.com/customers/{customer_id}" if customer_id else None,
    )


def _payment_context(state: State, payment_id: str | None) -> PaymentContext | None:
    if not payment_id:
        return None
    charges, intents = state.get("charges", {}), state.get("payment_intents", {})
    disputes_by_charge = {d.get("charge"): d for d in state.get("disputes", {}).values()}
    if payment_id in intents:
        intent = intents[payment_id]
        charge_id = intent.get("latest_charge") or next(
            (cid for cid, c in charges.items() if c.get("payment_intent") == payment_id), None
        )
        charge = charges.get(charge_id) if charge_id else None
        kind, status, source = "payment_intent", intent.get("status"), intent
    elif payment_id in charges:
        charge_id, charge = payment_id, charges[payment_id]
        kind, status, source = "charge", charge.get("status"), charge
    else:
        return None
    dispute = disputes_by_charge.get(charge_id) if charge_id else None
    currency = source.get("currency")
    return PaymentContext(
        id=payment_id,
        kind=kind,
        status=status,
        amount=_money(source.get("amount"), currency),
        amount_refunded=_money(charge.get("amount_refunded"), currency) if charge else None,
        refunded=bool(charge and charge.get("refunded")),
        disputed=bool(dispute) or bool(charge and charge.get("disputed")),
        dispute_status=dispute.get("status") if dispute else None,
    )


def hubspot_context(
    entry: State,
    owner: State | None,
    company: State | None,
    portal_id: str | None,
) -> HubSpotContext | None:
    contact = entry.get("hubspot_contact")
    if not contact:
        return None
    renewal = _date(contact.get("renewal_date")) or _date((company or {}).get("renewal_date"))
    properties = dict(contact.get("properties") or {})
    properties.update({f"company.{k}": v for k, v in ((company or {}).get("properties") or {}).items()})
    crm_url = f"https://app.hubspot.com/contacts/{portal_id}/record/0-1/{contact['id']}" if portal_id else None
    return HubSpotContext(
        contact_id=contact["id"],
        owner_id=contact.get("owner_id"),
        owner_name=(owner or {}).get("name"),
        owner_email=(owner or {}).get("email"),
        company=(company or {}).get("name"),
        renewal_date=renewal,
        lifecycle_stage=contact.get("lifecycle_stage"),
        crm_url=crm_url,
        email=contact.get("email"),
        stripe_customer_id=contact.get("stripe_customer_id"),
        properties=properties,
    )


def enrich_call(
    redacted: RedactedCall,
    stripe: StripeContext | None,
    hubspot: HubSpotContext | None,
    partial_reasons: list[str],
    is_high_value: Callable[[StripeContext | None, HubSpotContext | None], bool] = lambda s, h: False,
) -> EnrichedCall:
    return EnrichedCall(
        call=redacted.call,
        redaction=redacted.redaction,
        stripe=stripe,
        hubspot=hubspot,
        high_value=is_high_value(stripe, hubspot),
        enrichment=EnrichmentStatus(complete=not partial_reasons, partial_reasons=partial_reasons),
    )


def _any_customer_id(state: State) -> str | None:
    return state.get("customer_id")


def _newest(items: list[tuple[str, State]]) -> tuple[str, State] | None:
    return max(items, key=lambda item: (item[1].get("created") or 0, item[1].get("_at", 0)), default=None)


def _money(minor_units: Any, currency: Any) -> Money | None:
    if not isinstance(minor_units, int) or not isinstance(currency, str):
        return None
    # Stripe amounts are integers in the currency's minor unit (zero-decimal currencies aside).
    return Money(amount=Decimal(minor_units) / 100, currency=currency)


def _sum_money(parts: Any) -> Money | None:
    totals: dict[str, int] = {}
    for amount, currency in parts:
        if isinstance(amount, int) and isinstance(currency, str):
            totals[currency.upper()] = totals.get(currency.upper(), 0) + amount
    if not totals:
        return None
    currency, amount = max(totals.items(), key=lambda item: item[1])  # the customer's main currency
    return _money(amount, currency)


def _date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC).date()
    return None
