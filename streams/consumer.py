"""Faust's Kafka consumer with one correction: an ack of a message no stream processed is not counted.

Faust's stream skips a message fetched in an older consumer generation (a rebalance happened
between the fetch and the delivery) or taken while the flow is stopped for a revocation, and acks
it anyway ("otherwise the lag would increase": faust/streams.py). Counted, that ack lets the
consumer commit the skipped offset, and since the message is re-fetched from the committed offset
only, it is never processed by anyone: the silent loss of issue 17 (no vendor request, no
`sink.results`, no dead letter, offset committed), seen around rebalances and worker restarts.

A message a stream really processes is marked `tracked` before the agent sees it; a skipped one
never is. So here an untracked message's ack is recorded as done for that message object and
nothing else: its offset is not committed, and the message is processed after the re-fetch.
"""

from __future__ import annotations

import logging

import faust
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import Message

log = logging.getLogger("callstream.consumer")


class ProcessedOnlyAcksConsumer(AIOKafkaConsumer):
    def ack(self, message: Message) -> bool:
        if not message.tracked and self.app.topics.acks_enabled_for(message.topic):
            # Skipped by the stream, never processed: must not move the committed offset.
            message.acked = True
            log.debug("not committing skipped message %s[%s]@%s", message.topic, message.partition, message.offset)
            return False
        return super().ack(message)


def install(app: faust.App) -> None:
    """Make `app` create its consumer from ProcessedOnlyAcksConsumer (before the consumer exists)."""
    transport = app.transport
    if not issubclass(transport.Consumer, AIOKafkaConsumer):
        raise RuntimeError(f"unexpected Faust transport {type(transport).__name__}: the ack guard needs aiokafka")
    transport.Consumer = ProcessedOnlyAcksConsumer  # type: ignore[misc]
