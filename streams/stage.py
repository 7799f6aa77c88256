"""What every stage agent shares: the pipeline handles, confirmed sends, and the dead-letter guard.

Faust acks a message whose agent raised, so no exception may escape an agent: `guarded` turns every
failure into a dead letter (with a reason a human can act on) before the offset moves on. Sends are
awaited until the broker confirms them, so an offset is only committed after the output exists.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import faust
from faust.types import EventT
from pydantic import BaseModel

from callstream.settings import Settings
from schemas.codecs import PipelineCodecs, SingleObjectCodec, UndecodableMessage
from schemas.models import DeadLetter, HubSpotContext, StripeContext
from schemas.registry import SchemaRegistryUnavailable
from sinks.outbox import Outbox
from streams.lineage import lineage_headers, parse_lineage
from streams.metrics import PipelineMetrics
from streams.policy import Policy
from streams.tables import PipelineTables
from streams.topics import PipelineTopics

log = logging.getLogger("callstream.stage")

# An outage gets about an hour of capped retries before the message is parked in the dead letters.
MAX_OUTAGE_ATTEMPTS = 130
OUTAGE_MAX_DELAY_SECONDS = 30.0
# A dead letter carries its source message; above this it carries the reason only, so the letter
# itself stays under the topics' 16 MiB max.message.bytes (streams.topics).
DEADLETTER_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024

# The lineage headers (streams.lineage) of the message the current stage handler is processing, set by
# `guarded`: whatever the handler sends carries them on, through every hop down to `sink.results`.
_LINEAGE: contextvars.ContextVar[Mapping[str, bytes] | None] = contextvars.ContextVar(
    "callstream_lineage", default=None
)

ModelT = TypeVar("ModelT", bound=BaseModel)
Handler = Callable[[EventT], Awaitable[None]]


class StageError(Exception):
    """A message this stage cannot process. `reason` is for humans; `payload` goes to the dead letter."""

    def __init__(self, reason: str, payload: bytes | None = None, payload_redacted: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.payload = payload
        self.payload_redacted = payload_redacted


@dataclass(frozen=True)
class Pipeline:
    """Everything the stage agents need, built once by `create_app`."""

    app: faust.App
    settings: Settings
    topics: PipelineTopics
    tables: PipelineTables
    codecs: PipelineCodecs
    outbox: Outbox
    policy: Policy
    # The policy's high-value rule (Stripe and HubSpot context -> bool), if one is configured.
    is_high_value: Callable[[StripeContext | None, HubSpotContext | None], bool] | None = None
    metrics: PipelineMetrics = field(default_factory=PipelineMetrics)

    async def send(
        self, topic: faust.TopicT, key: bytes | None, value: bytes, headers: Mapping[str, bytes] | None = None
    ) -> None:
        """Produce and wait for the broker's acknowledgement. `headers` None: the lineage of the message
        being handled (a replayed input makes replayed outputs)."""
        carried = _LINEAGE.get() if headers is None else headers
        # Headers only when there are some: an original record's outputs stay exactly as before.
        extra = {"headers": dict(carried)} if carried else {}
        delivery = await topic.send(key=key, value=value, **extra)
        await delivery

    async def dead_letter(self, event: EventT, stage: str, error: StageError | None, error_type: str) -> None:
        message = event.message
        reason = error.reason if error else f"unexpected {error_type} in the {stage} stage; see the worker log"
        payload = error.payload if error else None
        if payload is not None and len(payload) > DEADLETTER_MAX_PAYLOAD_BYTES:
            # The letter must fit the topic's max.message.bytes like its source did: keep the reason.
            reason += f" (payload of {len(payload)} bytes omitted; it is still at the source offset)"
            payload = None
        lineage = parse_lineage(headers_of(event))
        letter = DeadLetter(
            call_id=call_id_of(event),
            stage=stage,
            reason=reason,
            error_type=error_type,
            source_topic=message.topic,
            source_partition=message.partition,
            source_offset=message.offset,
            payload=payload,
            payload_redacted=error.payload_redacted if error else False,
            # A redriven input that fails again says so: the redrive's max-attempts rule reads it.
            attempt=lineage.failed_attempt(),
            redrive_of=lineage.letter,
            **lineage.model_fields(),
        )
        self.metrics.observe_dead_letter(stage, error_type)
        log.warning(
            "dead letter: stage=%s call_id=%s topic=%s partition=%s offset=%s attempt=%d reason=%s",
            stage, letter.call_id, message.topic, message.partition, message.offset, letter.attempt, reason,
        )  # fmt: skip
        await self.send(
            self.topics.deadletter, event.key, self.codecs.deadletter.encode(letter), lineage_headers(headers_of(event))
        )

    async def guarded(self, event: EventT, stage: str, handle: Handler) -> None:
        """Run `handle(event)`; whatever goes wrong becomes a dead letter, never an escaped exception.

        The one exception is an outage that is not the message's fault (the schema registry does not
        answer): the message is retried with capped backoff and the partition waits, as for a sink
        outage, since dead-lettering every message during an outage would be worse. Whatever the handler
        sends carries the event's lineage headers (a replayed input makes replayed outputs).
        """
        started = time.perf_counter()
        token = _LINEAGE.set(lineage_headers(headers_of(event)))
        try:
            dead_lettered = await self._guarded(event, stage, handle)
        finally:
            _LINEAGE.reset(token)
        self.metrics.observe_stage(stage, time.perf_counter() - started, dead_lettered)

    async def _guarded(self, event: EventT, stage: str, handle: Handler) -> bool:
        for attempt in range(1, MAX_OUTAGE_ATTEMPTS + 1):
            try:
                if self.codecs.prefetch is not None:
                    await self.codecs.prefetch(event.value)  # registry lookups off the blocking path
                await handle(event)
                return False
            except StageError as error:
                await self.dead_letter(event, stage, error, type(error).__name__)
                return True
            except SchemaRegistryUnavailable:
                delay = min(OUTAGE_MAX_DELAY_SECONDS, 0.5 * 2**attempt) * (0.5 + random.random() / 2)
                log.warning("schema registry unavailable in stage %s; retry %d in %.1f s", stage, attempt, delay)
                await asyncio.sleep(delay)
            except Exception as error:
                # Never log the exception text or a traceback with locals: they may hold payload fragments.
                log.error("unexpected %s in stage %s (call_id=%s)", type(error).__name__, stage, call_id_of(event))
                await self.dead_letter(event, stage, None, type(error).__name__)
                return True
        reason = f"the schema registry stayed unavailable for {MAX_OUTAGE_ATTEMPTS} attempts; redrive when it is back"
        await self.dead_letter(event, stage, StageError(reason, payload=None), "SchemaRegistryUnavailable")
        return True


def headers_of(event: EventT) -> Mapping[str, bytes] | None:
    """The message headers of a Faust event (a dict); test doubles without any have none."""
    return getattr(event, "headers", None)


def call_id_of(event: EventT) -> str | None:
    key = event.key
    if isinstance(key, bytes):
        return key.decode("utf-8", errors="replace")[:200] or None
    return None


def decode_or_dead_letter(codec: SingleObjectCodec[ModelT], event: EventT) -> ModelT:
    try:
        return codec.decode(event.value or b"")
    except UndecodableMessage as error:
        raise StageError(str(error), payload=event.value) from None
