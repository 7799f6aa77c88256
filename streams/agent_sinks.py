"""Stage 4: `workflow.<name>` -> sink -> `sink.results`. One agent per workflow topic (concurrency 1).

The walking skeleton writes every action to the local outbox, keyed by call id + action + sink.
"""

from __future__ import annotations

import faust
from faust.types import EventT

from schemas.models import SinkResult
from streams.classify import REVIEW
from streams.stage import Pipeline, decode_or_dead_letter

REVIEW_QUEUE_SINK = "review_queue"


def register(pipeline: Pipeline) -> None:
    for workflow, topic in pipeline.topics.workflows.items():
        _register_sink_agent(pipeline, workflow, topic)


def _register_sink_agent(pipeline: Pipeline, workflow: str, topic: faust.TopicT) -> None:
    stage = f"sink_{workflow}"

    async def write_one(event: EventT) -> None:
        action = decode_or_dead_letter(pipeline.codecs.action, event)
        sink = REVIEW_QUEUE_SINK if workflow == REVIEW else action.destination_object.split(".")[0]
        written = pipeline.outbox.write(sink, action)
        result = SinkResult(
            idempotency_key=f"{action.idempotency_key}:{sink}",
            call_id=action.call_id,
            workflow=workflow,
            action=action.action,
            sink=f"outbox:{sink}",
            outcome="written" if written else "already_written",
            detail="local outbox (no vendor credentials configured)",
        )
        await pipeline.send(pipeline.topics.sink_results, event.key, pipeline.codecs.sink_result.encode(result))

    async def sink_agent(stream: faust.StreamT) -> None:
        async for event in stream.events():
            await pipeline.guarded(event, stage, write_one)

    pipeline.app.agent(topic, name=stage)(sink_agent)
