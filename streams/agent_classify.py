"""Stage 3: `calls.enriched` -> classify -> `workflow.<name>` (and `workflow.review` when a human must look)."""

from __future__ import annotations

import faust
from faust.types import EventT

from streams.classify import classify, routes
from streams.stage import Pipeline, decode_or_dead_letter


def register(pipeline: Pipeline) -> None:
    topics, codecs = pipeline.topics, pipeline.codecs

    async def classify_one(event: EventT) -> None:
        enriched = decode_or_dead_letter(codecs.enriched, event)
        for action in classify(enriched, pipeline.policy):
            encoded = codecs.action.encode(action)
            for route in routes(action):
                await pipeline.send(topics.workflows[route.removeprefix("workflow.")], event.key, encoded)

    @pipeline.app.agent(topics.enriched, name="classify")
    async def classify_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, "classify", classify_one)
