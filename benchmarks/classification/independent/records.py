"""Kafka records for the independent routing set, in the formats the worker reads.

    from benchmarks.classification.independent import generate
    from benchmarks.classification.independent.records import call_records, context_records
    stripe_records, hubspot_records = context_records(cases)   # publish these first
    calls = call_records(cases)                                  # then these

Every record is a `(key, value)` pair of bytes:

- `stripe.events`: exactly what `callstream backfill stripe` publishes for the same objects (key =
  object id, value = the synthetic `<object>.backfilled` event, disputes and refunds carrying the
  `related_customer` the backfill derives from their charge / payment intent);
- `hubspot.events`: what `callstream backfill hubspot` publishes (contacts, companies, owners);
- `dialnexa.calls.raw`: key = DialNexa call id, value = the webhook JSON as DialNexa would send it.
  These values hold synthetic card numbers, IBANs and tax ids: raw topic only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from benchmarks.classification.independent.context import NOW, ts
from benchmarks.classification.independent.generate import Case
from callstream.backfill import (
    encode,
    hubspot_event,
    hubspot_owner_event,
    hubspot_record_key,
    stripe_event,
    stripe_event_key,
    stripe_record_key,
)

__all__ = ["Record", "call_records", "context_records"]

Record = tuple[bytes, bytes]


def context_records(cases: Iterable[Case], fetched_at: int | None = None) -> tuple[list[Record], list[Record]]:
    """(`stripe.events` records, `hubspot.events` records) for every case's context, de-duplicated.

    `fetched_at` (unix seconds) stamps the synthetic events as the backfill does; default: the
    synthetic world's "now" (2026-11-24 15:00 UTC), later than every object in the set.
    """
    stamp = ts(NOW) if fetched_at is None else fetched_at
    stripe: dict[bytes, bytes] = {}
    hubspot: dict[bytes, bytes] = {}
    for case in cases:
        customer_of = {
            obj["id"]: obj["customer"]
            for obj in case.stripe
            if obj["object"] in ("charge", "payment_intent") and obj.get("customer")
        }
        for obj in case.stripe:
            related = stripe_event_key(obj, customer_of).decode()
            stripe[stripe_record_key(obj)] = encode(stripe_event(obj, stamp, related_customer=related))
        for object_type, obj in case.hubspot_objects():
            event = hubspot_owner_event(obj) if object_type == "owner" else hubspot_event(obj, object_type)
            hubspot[hubspot_record_key(event)] = encode(event)
    return list(stripe.items()), list(hubspot.items())


def call_records(cases: Iterable[Case]) -> list[Record]:
    """One `dialnexa.calls.raw` record per case, keyed by its call id."""
    return [(case.call_id.encode(), json.dumps(case.call, ensure_ascii=False).encode()) for case in cases]
