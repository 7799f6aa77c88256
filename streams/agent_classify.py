"""Stage 3: `calls.enriched` -> classify -> `workflow.<name>` (and `workflow.review` when a human must look).

A call that needs no action (unanswered, chit-chat) still ends in a countable state: a `sink.results`
record with outcome `no_action` and the policy's reason, so delivered + review + no action +
dead-lettered always adds up to what arrived.
"""

from __future__ import annotations

import faust
from faust.types import EventT

from schemas.models import SinkResult
from streams.classify import classify, no_action_reason, routes
from streams.lineage import parse_lineage
from streams.stage import Pipeline, decode_or_dead_letter, headers_of

NO_ACTION = "no_action"


def register(pipeline: Pipeline) -> None:
    topics, codecs = pipeline.topics, pipeline.codecs

    async def classify_one(event: EventT) -> None:
        enriched = decode_or_dead_letter(codecs.enriched, event)
        actions = classify(enriched, pipeline.policy)
        for action in actions:
            encoded = codecs.action.encode(action)
            for route in routes(action):
                await pipeline.send(topics.workflows[route.removeprefix("workflow.")], event.key, encoded)
        if not actions:
            call_id = enriched.call.call_id
            result = SinkResult(
                idempotency_key=f"{call_id}:{NO_ACTION}",
                call_id=call_id,
                workflow=NO_ACTION,
                action=NO_ACTION,
                sink="none",
                outcome=NO_ACTION,
                detail=no_action_reason(enriched, pipeline.policy) or "no workflow applies",
                **parse_lineage(headers_of(event)).model_fields(),
            )
            await pipeline.send(topics.sink_results, event.key, codecs.sink_result.encode(result))

    @pipeline.app.agent(topics.enriched, name="classify")
    async def classify_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, "classify", classify_one)
