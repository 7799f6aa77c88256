"""Stage 2: `calls.redacted` -> context from Stripe and HubSpot tables -> `calls.enriched`.

The call takes up to three hops, each keyed by what the next table is keyed by (see tables.py):

    calls.redacted (call id) -> enrich.calls-by-email (email: directory, HubSpot)
        -> enrich.calls-by-customer (Stripe customer id: billing state) -> calls.enriched (call id)

A call without an email, or whose email no vendor knows, tries its other identifiers in turn (most
confident first, see streams/identity.py), each a hop keyed by the identifier:

    -> enrich.calls-by-identifier ("<kind>:<value>": identity index) -> by email or by customer, as above

Vendor events are re-keyed the same way before they touch a table:

    stripe.events -> enrich.stripe-by-customer -> stripe_customers (+ email changes -> directory)
    hubspot.events -> enrich.directory-updates (contacts) | hubspot_owners, hubspot_companies (global)
    customer / contact changes -> enrich.identity-updates ("<kind>:<value>") -> identity_index

On a table miss, a configured vendor is asked once (short timeout, rate-limited), the answer is
cached in the table with a TTL, and a failing vendor is left alone for a cool-down: the call goes on
marked partial, with the reason, instead of stalling the partition.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import faust
from faust.types import EventT

from schemas.models import EnrichedCall, EnrichmentStatus, HubSpotContext, StripeContext
from streams import identity as ids
from streams.enrich import (
    HubSpotFields,
    InvalidVendorEvent,
    State,
    apply_directory_update,
    apply_stripe_event,
    enrich_call,
    hubspot_context,
    hubspot_event_route,
    newer,
    stripe_context,
    stripe_customer_id,
    stripe_owned_payments,
    stripe_payment_reference,
)
from streams.stage import Pipeline, StageError, decode_or_dead_letter

log = logging.getLogger("callstream.enrich")

NO_EMAIL = "no customer email in the call: Stripe and HubSpot context not looked up"
COMPANY_CONTACTS_KEPT = 50  # contacts a company remembers for re-announcing its identifiers
MAX_IDENTIFIERS = 16  # hops per call are bounded: the most confident sixteen identifiers
NO_IDENTIFIER = "no identifier in the call (email, phone, invoice, payment, account, company): customer not looked up"


class LookupFailed(Exception):
    """A vendor could not answer in time; the message says why (no payloads, no secrets)."""


class StripeLookup(Protocol):
    async def customer_id_by_email(self, email: str) -> str | None: ...
    async def customer_id_by_payment(self, payment_id: str) -> str | None: ...
    async def snapshot_events(self, customer_id: str) -> list[dict[str, Any]]: ...


class HubSpotLookup(Protocol):
    async def contact_event(self, email: str) -> dict[str, Any] | None: ...
    async def owner_event(self, owner_id: str) -> dict[str, Any] | None: ...
    async def company_event(self, company_id: str) -> dict[str, Any] | None: ...


@dataclass
class VendorGate:
    """Cool-down after a failure, so a vendor outage costs one timeout, not one per call."""

    name: str
    cool_down_seconds: float
    down_until: float = 0.0
    last_reason: str = ""
    failures: int = field(default=0)

    def open(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, reason: str) -> None:
        self.failures += 1
        self.last_reason = reason
        self.down_until = time.monotonic() + self.cool_down_seconds
        log.warning("%s lookups paused for %.0f s: %s", self.name, self.cool_down_seconds, reason)


def register(pipeline: Pipeline, stripe: StripeLookup | None = None, hubspot: HubSpotLookup | None = None) -> None:
    settings, topics, tables, codecs = pipeline.settings, pipeline.topics, pipeline.tables, pipeline.codecs
    ttl = settings.enrichment_cache_ttl_seconds
    stripe_gate = VendorGate("Stripe", settings.enrichment_cool_down_seconds)
    hubspot_gate = VendorGate("HubSpot", settings.enrichment_cool_down_seconds)
    app = pipeline.app
    policy = pipeline.policy
    keep = tuple(rule.property for rule in policy.high_value.hubspot)
    hubspot_fields = HubSpotFields(
        stripe_id_property=policy.identity.hubspot_stripe_id_property,
        account_id_property=policy.identity.hubspot_account_id_property,
        keep=keep,
    )

    async def _announce(updates: list[tuple[str, State]]) -> None:
        for key, patch in updates:
            await pipeline.send(topics.identity_updates, key.encode(), json.dumps(patch).encode())

    # --- vendor events into tables ---------------------------------------------------------------

    async def route_stripe_one(event: EventT) -> None:
        try:
            stripe_event = json.loads(event.value or b"")
            customer_id, reference = _customer_or_payment(stripe_event)
        except InvalidVendorEvent as error:
            raise StageError(str(error), payload=event.value) from None
        except ValueError:
            raise StageError("Stripe event is not valid JSON", payload=event.value) from None
        if customer_id is None and reference is not None:
            # A dispute or refund names a charge, not a customer: the charge index resolves it.
            await pipeline.send(topics.stripe_by_charge, reference.encode(), event.value or b"")
        elif customer_id is not None:
            await pipeline.send(topics.stripe_by_customer, customer_id.encode(), event.value or b"")

    async def apply_stripe_one(event: EventT) -> None:
        customer_id = (event.key or b"").decode()
        previous = tables.stripe_customers.get(customer_id)
        try:
            stripe_event = json.loads(event.value or b"")
            state, directory_patches = apply_stripe_event(previous, stripe_event)
            owned = stripe_owned_payments(stripe_event)
        except InvalidVendorEvent as error:
            raise StageError(str(error), payload=event.value) from None
        tables.stripe_customers[customer_id] = state
        obj = stripe_event["data"]["object"]
        # The customer object re-announces all its identifiers (its email may have changed); any other
        # object announces its own (an invoice number, a subscription, a charge).
        only = None if obj.get("object") == "customer" else {str(obj.get("id"))}
        await _announce(ids.stripe_identity_updates(customer_id, state, previous, policy, only))
        for email, patch in directory_patches:
            await pipeline.send(topics.directory_updates, email.encode(), json.dumps(patch).encode())
        for payment_id in owned:
            index = json.dumps({"charge_owner": customer_id}).encode()
            await pipeline.send(topics.stripe_by_charge, payment_id.encode(), index)

    async def by_charge_one(event: EventT) -> None:
        payment_id = (event.key or b"").decode()
        try:
            message = json.loads(event.value or b"")
        except ValueError:
            raise StageError("charge index message is not valid JSON", payload=event.value) from None
        if isinstance(message, dict) and "charge_owner" in message:
            tables.stripe_charge_owners[payment_id] = message["charge_owner"]
            return
        owner = tables.stripe_charge_owners.get(payment_id)
        if owner is None and stripe is not None and stripe_gate.open():
            # The dispute (or refund) names a charge no event told us about: ask Stripe whose it is.
            try:
                owner = await stripe.customer_id_by_payment(payment_id)
            except LookupFailed as error:
                stripe_gate.failed(str(error))
            if owner is not None:
                tables.stripe_charge_owners[payment_id] = owner
        if owner is None:
            raise StageError(
                f"Stripe event for payment {payment_id[:40]} arrived before any event of that payment: its "
                "customer is unknown; redrive it once the charge is known (or backfill Stripe)",
                payload=event.value,
            )
        await pipeline.send(topics.stripe_by_customer, owner.encode(), event.value or b"")

    async def track_hubspot_one(event: EventT) -> None:
        try:
            kind, key, value = hubspot_event_route(json.loads(event.value or b""), hubspot_fields)
        except InvalidVendorEvent as error:
            raise StageError(str(error), payload=event.value) from None
        except ValueError:
            raise StageError("HubSpot event is not valid JSON", payload=event.value) from None
        if kind == "contact":
            contact = value["hubspot_contact"]
            company_id = contact.get("company_id")
            company = tables.hubspot_companies.get(company_id) if company_id else None
            _with_company(contact, company)
            if company_id:
                # The company remembers its contacts, so a company event arriving later (or renaming
                # it) still makes its name and switchboard find them.
                record = dict(company or {"_at": -1, "placeholder": True})
                known = {k: v for k, v in (record.get("contacts") or {}).items() if k != contact["id"]}
                known[contact["id"]] = {"contact": contact, "key": key, "as_of": value["hubspot_as_of"]}
                record["contacts"] = dict(list(known.items())[-COMPANY_CONTACTS_KEPT:])
                tables.hubspot_companies[company_id] = record
            await pipeline.send(topics.directory_updates, key.encode(), json.dumps(value).encode())
            await _announce(ids.hubspot_identity_updates(contact, key, value["hubspot_as_of"], policy))
            return
        table = tables.hubspot_owners if kind == "owner" else tables.hubspot_companies
        current = table.get(key)
        if newer(current, value):
            if kind == "company":
                value = {**value, "contacts": (current or {}).get("contacts") or {}}
            table[key] = value
            for known in (value.get("contacts") or {}).values() if kind == "company" else ():
                contact = _with_company(dict(known["contact"]), value)
                await _announce(ids.hubspot_identity_updates(contact, known["key"], known["as_of"], policy))

    async def apply_directory_one(event: EventT) -> None:
        email = (event.key or b"").decode()
        try:
            patch = json.loads(event.value or b"")
        except ValueError:
            raise StageError("directory update is not valid JSON", payload=event.value) from None
        tables.email_directory[email] = apply_directory_update(tables.email_directory.get(email), patch)

    async def apply_identity_one(event: EventT) -> None:
        key = (event.key or b"").decode()
        try:
            patch = json.loads(event.value or b"")
        except ValueError:
            raise StageError("identity update is not valid JSON", payload=event.value) from None
        if not isinstance(patch, dict) or "ref" not in patch:
            raise StageError("identity update without a ref", payload=event.value)
        tables.identity_index[key] = ids.apply_identity_update(tables.identity_index.get(key), patch)

    # --- calls through the tables ----------------------------------------------------------------

    async def route_call_one(event: EventT) -> None:
        redacted = decode_or_dead_letter(codecs.redacted, event)
        _, unmapped = ids.analysis_by_role(redacted.call, policy)
        partial = enrich_call(redacted, None, None, []).model_copy(update={"unmapped_analysis_fields": unmapped})
        await _try_identifier(partial, 0)

    # Phase 1: every identifier of the call is looked up where it lives (one hop each); each that
    # names a customer is a candidate. Phase 2: the most confident candidate wins, and its context is
    # gathered by email, then by Stripe customer. Candidates naming different customers (the phone
    # of one, the email of another) make the match ambiguous: low confidence, review.

    async def _try_identifier(partial: EnrichedCall, index: int) -> None:
        identifiers = ids.call_identifiers(partial.call, policy)[:MAX_IDENTIFIERS]
        if index < len(identifiers):
            identifier = identifiers[index]
            encoded = codecs.enriched.encode(partial.model_copy(update={"identity_attempts": index + 1}))
            if identifier.kind in ids.EMAIL_KINDS:
                await pipeline.send(topics.calls_by_email, identifier.value.encode(), encoded)
            else:
                await pipeline.send(topics.calls_by_identifier, identifier.key.encode(), encoded)
            return
        candidates = [ids.Candidate.parse(text) for text in partial.identity_candidates]
        reasons = list(partial.enrichment.partial_reasons)
        if not candidates:
            if not identifiers:
                reasons.append(NO_IDENTIFIER if partial.call.billing.email is None else NO_EMAIL)
            else:
                kinds = ", ".join(dict.fromkeys(i.kind for i in identifiers))
                reasons.append(f"customer not identified: no Stripe or HubSpot record for the call's {kinds}")
            await _finish(_with_reasons(partial, reasons))
            return
        winner, confidence = ids.choose(candidates, policy.identity)
        matched = partial.model_copy(
            update={
                "identity_match": winner.kind,
                "identity_confidence": round(confidence, 3),
                "identity_attempts": len(identifiers) + 1,
                # The Stripe id the index knows, in case the directory does not have it.
                "stripe": StripeContext(customer_id=winner.stripe_customer_id) if winner.stripe_customer_id else None,
            }
        )
        if winner.email:
            await pipeline.send(topics.calls_by_email, winner.email.encode(), codecs.enriched.encode(matched))
        else:
            key = str(winner.stripe_customer_id).encode()
            await pipeline.send(topics.calls_by_customer, key, codecs.enriched.encode(matched))

    def _current(partial: EnrichedCall) -> ids.Identifier | None:
        identifiers = ids.call_identifiers(partial.call, policy)
        index = partial.identity_attempts - 1
        return identifiers[index] if 0 <= index < len(identifiers) else None

    async def _candidate_found(partial: EnrichedCall, reasons: list[str], candidate: ids.Candidate | None) -> None:
        found = list(partial.identity_candidates) + ([candidate.text()] if candidate else [])
        updated = _with_reasons(partial.model_copy(update={"identity_candidates": found}), reasons)
        await _try_identifier(updated, partial.identity_attempts)

    async def by_identifier_one(event: EventT) -> None:
        partial = decode_or_dead_letter(codecs.enriched, event)
        key = (event.key or b"").decode()
        kind, _, value = key.partition(":")
        reasons = list(partial.enrichment.partial_reasons)
        # The identifier's own kind (a number read out looks in the phone index, but is less sure).
        current = _current(partial)
        matched_as = current.kind if current is not None and current.key == key else kind
        found = ids.resolve(tables.identity_index.get(key))
        if found is None and kind == "payment_id" and stripe is not None and stripe_gate.open():
            # A charge or payment intent no event told us about: Stripe says whose it is.
            try:
                customer_id = await stripe.customer_id_by_payment(value)
            except LookupFailed as error:
                stripe_gate.failed(str(error))
                reasons.append(f"Stripe lookup failed ({error}); enriched without Stripe context")
                customer_id = None
            if customer_id:
                patch = {"ref": f"stripe:{customer_id}", "stripe_customer_id": customer_id, "email": None,
                         "_at": int(time.time()), "gone": False}  # fmt: skip
                tables.identity_index[key] = ids.apply_identity_update(tables.identity_index.get(key), patch)
                found = ids.resolve(tables.identity_index[key])
        candidate = None
        if found is not None:
            candidate = ids.Candidate(matched_as, found.stripe_customer_id, found.email, found.candidates,
                                      found.others)
        await _candidate_found(partial, reasons, candidate)

    async def by_email_one(event: EventT) -> None:
        partial = decode_or_dead_letter(codecs.enriched, event)
        email = (event.key or b"").decode()
        reasons = list(partial.enrichment.partial_reasons)
        entry = await _directory_entry(email, reasons)
        hubspot = await _hubspot_context(entry)
        customer_id = (
            entry.get("stripe_customer_id")
            or (hubspot.stripe_customer_id if hubspot else None)
            or (partial.stripe.customer_id if partial.stripe else None)
        )
        if partial.identity_match is None:
            # Phase 1: does anyone know this email?
            current = _current(partial)
            candidate = None
            if customer_id or hubspot is not None:
                kind = current.kind if current else "email"
                candidate = ids.Candidate(kind, customer_id, email, 1, ())
            await _candidate_found(partial, reasons, candidate)
            return
        if hubspot is None:
            reasons.append("no HubSpot contact known for the customer")
        matched = _with_reasons(partial.model_copy(update={"hubspot": hubspot, "stripe": None}), reasons)
        if customer_id:
            await pipeline.send(topics.calls_by_customer, customer_id.encode(), codecs.enriched.encode(matched))
            return
        if not any(reason.startswith("Stripe") for reason in reasons):
            reasons.append("no Stripe customer known for the customer")
        await _finish(_with_reasons(matched, reasons))

    async def by_customer_one(event: EventT) -> None:
        partial = decode_or_dead_letter(codecs.enriched, event)
        customer_id = (event.key or b"").decode()
        reasons = list(partial.enrichment.partial_reasons)
        state = await _customer_state(customer_id, reasons)
        stripe_ctx = stripe_context(state, partial.call.billing.payment_id) if state else None
        if state is None and not any(reason.startswith("Stripe") for reason in reasons):
            reasons.append("Stripe customer known but not in the billing table yet")
        await _finish(_with_reasons(partial.model_copy(update={"stripe": stripe_ctx}), reasons))

    def _with_reasons(partial: EnrichedCall, reasons: list[str]) -> EnrichedCall:
        status = EnrichmentStatus(complete=not reasons, partial_reasons=reasons)
        return partial.model_copy(update={"enrichment": status})

    async def _finish(enriched: EnrichedCall) -> None:
        if pipeline.is_high_value is not None:
            enriched = enriched.model_copy(
                update={"high_value": pipeline.is_high_value(enriched.stripe, enriched.hubspot)}
            )
        await pipeline.send(topics.enriched, enriched.call.call_id.encode(), codecs.enriched.encode(enriched))

    async def _directory_entry(email: str, reasons: list[str]) -> State:
        entry: State = tables.email_directory.get(email) or {}
        if "@" not in email:
            return entry  # a HubSpot contact without an email, keyed by its id: nothing to ask a vendor
        patch: State = {}
        if stripe is not None and _needs_lookup(entry, "stripe", ttl):
            if stripe_gate.open():
                try:
                    found = await stripe.customer_id_by_email(email)
                    patch.update(
                        {"stripe_customer_id": found, "stripe_as_of": int(time.time()), "stripe_source": "lookup"}
                    )
                except LookupFailed as error:
                    stripe_gate.failed(str(error))
                    reasons.append(f"Stripe lookup failed ({error}); enriched without Stripe context")
            else:
                reasons.append(f"Stripe lookups paused after a failure ({stripe_gate.last_reason})")
        if hubspot is not None and _needs_lookup(entry, "hubspot", ttl):
            if hubspot_gate.open():
                try:
                    contact = await hubspot.contact_event(email)
                    now = int(time.time())
                    if contact is not None:
                        _, _, value = hubspot_event_route(contact, hubspot_fields)
                        patch.update({**value, "hubspot_as_of": now, "hubspot_source": "lookup"})
                    else:
                        patch.update({"hubspot_contact": None, "hubspot_as_of": now, "hubspot_source": "lookup"})
                except (LookupFailed, InvalidVendorEvent) as error:
                    hubspot_gate.failed(str(error))
                    reasons.append(f"HubSpot lookup failed ({error}); enriched without HubSpot context")
            else:
                reasons.append(f"HubSpot lookups paused after a failure ({hubspot_gate.last_reason})")
        if patch:
            entry = apply_directory_update(entry, patch)
            tables.email_directory[email] = entry
        return entry

    async def _hubspot_context(entry: State) -> HubSpotContext | None:
        contact = entry.get("hubspot_contact")
        if not contact:
            return None
        owner = tables.hubspot_owners.get(contact["owner_id"]) if contact.get("owner_id") else None
        company = tables.hubspot_companies.get(contact["company_id"]) if contact.get("company_id") else None
        if company and company.get("placeholder"):
            company = None  # only its contacts are known so far
        if hubspot is not None and hubspot_gate.open():
            owner = owner or await _reference(hubspot.owner_event, contact.get("owner_id"), tables.hubspot_owners)
            company = company or await _reference(
                hubspot.company_event, contact.get("company_id"), tables.hubspot_companies
            )
        return hubspot_context(entry, owner, company, settings.hubspot_portal_id)

    async def _reference(fetch: Any, object_id: str | None, table: faust.types.TableT) -> State | None:
        if not object_id:
            return None
        try:
            event = await fetch(object_id)
        except LookupFailed as error:
            hubspot_gate.failed(str(error))
            return None
        if event is None:
            return None
        _, key, value = hubspot_event_route(event, hubspot_fields)
        table[key] = value
        return value

    async def _customer_state(customer_id: str, reasons: list[str]) -> State | None:
        state: State | None = tables.stripe_customers.get(customer_id)
        looked_up = (state or {}).get("_looked_up_at")
        stale = state is None or (looked_up is not None and time.time() - looked_up > ttl)
        if stripe is None or not stale:
            return state
        if not stripe_gate.open():
            reasons.append(f"Stripe lookups paused after a failure ({stripe_gate.last_reason})")
            return state
        try:
            events = await stripe.snapshot_events(customer_id)
        except LookupFailed as error:
            stripe_gate.failed(str(error))
            reasons.append(f"Stripe lookup failed ({error}); enriched without Stripe context")
            return state
        for stripe_event in events:
            state, _ = apply_stripe_event(state, stripe_event)
        state = {**(state or {}), "_looked_up_at": int(time.time())}
        tables.stripe_customers[customer_id] = state
        return state

    stages = {
        "route_stripe": (topics.stripe_events, route_stripe_one),
        "apply_stripe": (topics.stripe_by_customer, apply_stripe_one),
        "stripe_by_charge": (topics.stripe_by_charge, by_charge_one),
        "track_hubspot": (topics.hubspot_events, track_hubspot_one),
        "apply_directory": (topics.directory_updates, apply_directory_one),
        "enrich": (topics.redacted, route_call_one),
        "apply_identity": (topics.identity_updates, apply_identity_one),
        "enrich_by_identifier": (topics.calls_by_identifier, by_identifier_one),
        "enrich_by_email": (topics.calls_by_email, by_email_one),
        "enrich_by_customer": (topics.calls_by_customer, by_customer_one),
    }
    for name, (topic, handle) in stages.items():
        _register_agent(app, pipeline, name, topic, handle)


def _with_company(contact: State, company: State | None) -> State:
    """The contact with what identity reads from its company: the name finds it, the country says how to
    read a national number, the switchboard number finds its contacts."""
    for target, name in (("company_name", "name"), ("company_country", "country"), ("company_phone", "phone")):
        if company and company.get(name):
            contact[target] = company[name]
    return contact


def _register_agent(app: faust.App, pipeline: Pipeline, name: str, topic: faust.TopicT, handle: Any) -> None:
    async def agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, name, handle)

    app.agent(topic, name=name)(agent)


def _customer_or_payment(stripe_event: dict[str, Any]) -> tuple[str | None, str | None]:
    """The customer an event belongs to, or else the charge / payment intent it names."""
    try:
        return stripe_customer_id(stripe_event), None
    except InvalidVendorEvent:
        related = stripe_event.get("related_customer")  # set by our backfill, which knows it
        if isinstance(related, str) and related.startswith("cus_"):
            return related, None
        reference = stripe_payment_reference(stripe_event)
        if reference is None:
            raise
        return None, reference


def _needs_lookup(entry: State, source: str, ttl: float) -> bool:
    """Ask the vendor when nothing is known, or when what is known came from an expired lookup."""
    if f"{source}_as_of" not in entry:
        return True
    return entry.get(f"{source}_source") == "lookup" and time.time() - entry[f"{source}_as_of"] > ttl


__all__ = ["HubSpotLookup", "LookupFailed", "StripeLookup", "VendorGate", "register"]
