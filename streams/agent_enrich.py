"""Stage 2: vendor events -> tables; `calls.redacted` -> enrich from the tables -> `calls.enriched`."""

from __future__ import annotations

import json

import faust
from faust.types import EventT

from streams.enrich import InvalidVendorEvent, apply_stripe_event, enrich_call, stripe_event_customer
from streams.stage import Pipeline, StageError, decode_or_dead_letter


def register(pipeline: Pipeline) -> None:
    tables, topics, codecs = pipeline.tables, pipeline.topics, pipeline.codecs

    async def track_one(event: EventT) -> None:
        try:
            stripe_event = json.loads(event.value or b"")
            customer_id, email = stripe_event_customer(stripe_event)
            state = apply_stripe_event(tables.stripe_customers.get(customer_id), stripe_event)
        except InvalidVendorEvent as error:
            raise StageError(str(error), payload=event.value) from None
        except (ValueError, TypeError, AttributeError):
            raise StageError("Stripe event is not a JSON event object", payload=event.value) from None
        tables.stripe_customers[customer_id] = state
        if email:
            tables.stripe_email_index[email.lower()] = customer_id

    @pipeline.app.agent(topics.stripe_events, name="track_stripe")
    async def track_stripe(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, "track_stripe", track_one)

    async def enrich_one(event: EventT) -> None:
        redacted = decode_or_dead_letter(codecs.redacted, event)
        email = redacted.call.billing.email
        customer_id = tables.stripe_email_index.get(email.lower()) if email else None
        state = tables.stripe_customers.get(customer_id) if customer_id else None
        enriched = enrich_call(redacted, state)
        await pipeline.send(topics.enriched, event.key, codecs.enriched.encode(enriched))

    @pipeline.app.agent(topics.redacted, name="enrich")
    async def enrich(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, "enrich", enrich_one)
