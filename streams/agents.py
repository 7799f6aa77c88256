"""The stage agents, in pipeline order. Each is thin: receive, call the stage's pure function, send.

Faust acks a message whose agent raised, so no exception may escape an agent: every failure is
turned into a dead letter (with a reason a human can act on) before the offset moves on. Sends are
awaited until the broker confirms them, so an offset is only committed after the output exists.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import faust
from faust.types import EventT

from schemas.codecs import SingleObjectCodec, UndecodableMessage
from schemas.models import DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction
from sinks.outbox import Outbox
from streams.classify import REVIEW, classify, routes
from streams.enrich import InvalidVendorEvent, apply_stripe_event, enrich_call, stripe_event_customer
from streams.normalise import InvalidCallPayload, decode_raw_call
from streams.redaction import RedactionFailed, redact_call
from streams.tables import PipelineTables
from streams.topics import PipelineTopics

log = logging.getLogger("callstream.agents")

REDACTED_CODEC = SingleObjectCodec(RedactedCall)
ENRICHED_CODEC = SingleObjectCodec(EnrichedCall)
ACTION_CODEC = SingleObjectCodec(WorkflowAction)
SINK_RESULT_CODEC = SingleObjectCodec(SinkResult)
DEADLETTER_CODEC = SingleObjectCodec(DeadLetter)

REVIEW_QUEUE_SINK = "review_queue"


class StageError(Exception):
    """A message this stage cannot process. `reason` is for humans; `payload` goes to the dead letter."""

    def __init__(self, reason: str, payload: bytes | None = None, payload_redacted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.payload = payload
        self.payload_redacted = payload_redacted


@dataclass(frozen=True)
class Pipeline:
    app: faust.App
    topics: PipelineTopics
    tables: PipelineTables
    outbox: Outbox


async def send_confirmed(topic: faust.TopicT, key: bytes | None, value: bytes) -> None:
    delivery = await topic.send(key=key, value=value)
    await delivery


def _call_id_of(event: EventT) -> str | None:
    key = event.key
    if isinstance(key, bytes):
        return key.decode("utf-8", errors="replace")[:200] or None
    return None


def register_agents(pipeline: Pipeline) -> None:
    app, topics, tables = pipeline.app, pipeline.topics, pipeline.tables

    async def dead_letter(event: EventT, stage: str, reason: str, error_type: str, error: StageError | None) -> None:
        message = event.message
        letter = DeadLetter(
            call_id=_call_id_of(event),
            stage=stage,
            reason=reason,
            error_type=error_type,
            source_topic=message.topic,
            source_partition=message.partition,
            source_offset=message.offset,
            payload=error.payload if error else None,
            payload_redacted=error.payload_redacted if error else False,
        )
        log.warning(
            "dead letter: stage=%s call_id=%s topic=%s partition=%s offset=%s reason=%s",
            stage, letter.call_id, message.topic, message.partition, message.offset, reason,
        )  # fmt: skip
        await send_confirmed(topics.deadletter, event.key, DEADLETTER_CODEC.encode(letter))

    async def guarded(event: EventT, stage: str, handle: Callable[[EventT], Awaitable[None]]) -> None:
        try:
            await handle(event)
        except StageError as error:
            await dead_letter(event, stage, error.reason, type(error).__name__, error)
        except Exception as error:
            # Never quote the exception text: it may contain payload fragments.
            log.exception("unexpected %s in stage %s (call_id=%s)", type(error).__name__, stage, _call_id_of(event))
            reason = f"unexpected {type(error).__name__} in the {stage} stage; see the worker log for the traceback"
            await dead_letter(event, stage, reason, type(error).__name__, None)

    # 1. dialnexa.calls.raw -> normalise -> redact -> calls.redacted
    async def redact_one(event: EventT) -> None:
        try:
            call = decode_raw_call(event.value)
        except InvalidCallPayload as error:
            # The raw bytes may hold card data: the dead letter carries no payload.
            raise StageError(str(error)) from None
        if call is None:
            return  # verification ping or lifecycle event: nothing to process
        try:
            redacted = redact_call(call)
        except RedactionFailed as error:
            raise StageError(f"quarantined: {error}") from None
        except Exception as error:
            raise StageError(f"quarantined: the redactor failed ({type(error).__name__})") from None
        await send_confirmed(topics.redacted, call.call_id.encode(), REDACTED_CODEC.encode(redacted))

    @app.agent(topics.raw, name="redact")
    async def redact(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await guarded(event, "redact", redact_one)

    # stripe.events -> enrichment tables
    async def track_one(event: EventT) -> None:
        try:
            stripe_event = json.loads(event.value or b"")
            customer_id, email = stripe_event_customer(stripe_event)
            state = apply_stripe_event(tables.stripe_customers.get(customer_id), stripe_event)
        except (ValueError, TypeError, AttributeError, InvalidVendorEvent) as error:
            reason = str(error) if isinstance(error, InvalidVendorEvent) else "stripe event is not a JSON event object"
            raise StageError(reason, payload=event.value) from None
        tables.stripe_customers[customer_id] = state
        if email:
            tables.stripe_email_index[email.lower()] = customer_id

    @app.agent(topics.stripe_events, name="track_stripe")
    async def track_stripe(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await guarded(event, "track_stripe", track_one)

    # 2. calls.redacted -> enrich from tables -> calls.enriched
    async def enrich_one(event: EventT) -> None:
        redacted = _decode(REDACTED_CODEC, event)
        email = redacted.call.billing.email
        customer_id = tables.stripe_email_index.get(email.lower()) if email else None
        state = tables.stripe_customers.get(customer_id) if customer_id else None
        enriched = enrich_call(redacted, state)
        await send_confirmed(topics.enriched, event.key, ENRICHED_CODEC.encode(enriched))

    @app.agent(topics.redacted, name="enrich")
    async def enrich(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await guarded(event, "enrich", enrich_one)

    # 3. calls.enriched -> classify -> workflow.<name> (+ workflow.review)
    async def classify_one(event: EventT) -> None:
        enriched = _decode(ENRICHED_CODEC, event)
        for action in classify(enriched):
            encoded = ACTION_CODEC.encode(action)
            for route in routes(action):
                await send_confirmed(topics.workflows[route.removeprefix("workflow.")], event.key, encoded)

    @app.agent(topics.enriched, name="classify")
    async def classify_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await guarded(event, "classify", classify_one)

    # 4. workflow.<name> -> sink (the local outbox in the skeleton) -> sink.results
    for workflow, topic in topics.workflows.items():
        _register_sink_agent(pipeline, workflow, topic, guarded)


def _register_sink_agent(
    pipeline: Pipeline,
    workflow: str,
    topic: faust.TopicT,
    guarded: Callable[[EventT, str, Callable[[EventT], Awaitable[None]]], Awaitable[None]],
) -> None:
    topics, outbox = pipeline.topics, pipeline.outbox
    stage = f"sink_{workflow}"

    async def write_one(event: EventT) -> None:
        action = _decode(ACTION_CODEC, event)
        sink = REVIEW_QUEUE_SINK if workflow == REVIEW else action.destination_object.split(".")[0]
        written = outbox.write(sink, action)
        result = SinkResult(
            idempotency_key=f"{action.idempotency_key}:{sink}",
            call_id=action.call_id,
            workflow=workflow,
            action=action.action,
            sink=f"outbox:{sink}",
            outcome="written" if written else "already_written",
            detail="local outbox (no vendor credentials configured)",
        )
        await send_confirmed(topics.sink_results, event.key, SINK_RESULT_CODEC.encode(result))

    async def sink_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await guarded(event, stage, write_one)

    pipeline.app.agent(topic, name=stage)(sink_agent)


def _decode(codec: SingleObjectCodec, event: EventT):  # type: ignore[no-untyped-def]
    try:
        return codec.decode(event.value or b"")
    except UndecodableMessage as error:
        raise StageError(str(error), payload=event.value) from None
