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

Second correction: Faust commits acked offsets that start one past the committed offset
(`min(acked) - committed > 1` is its gap test), so a single message missing at the head (one the
fetcher dropped after a rebalance, because its read offset was already past it) would be
committed unprocessed. Here any gap at the head blocks the commit, and the partition is sought
back to the committed offset once, so the missing message is fetched again; messages after it
are fetched twice, which every stage tolerates (the sinks' ledger answers for them). For that
test to work Faust must know where each partition starts: it forgets a committed offset of 0 and
has none for a new group, so after each seek to the committed offsets a partition without one
starts at its earliest offset (what `auto_offset_reset=earliest` reads from).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message

log = logging.getLogger("callstream.consumer")


class ProcessedOnlyAcksConsumer(AIOKafkaConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sought_back: dict[TP, int] = {}  # partition -> offset it was last sought back to

    def ack(self, message: Message) -> bool:
        if not message.tracked and self.app.topics.acks_enabled_for(message.topic):
            # Skipped by the stream, never processed: must not move the committed offset.
            message.acked = True
            log.debug("not committing skipped message %s[%s]@%s", message.topic, message.partition, message.offset)
            return False
        return super().ack(message)

    async def perform_seek(self) -> None:
        await super().perform_seek()
        unknown = [tp for tp in self.assignment() if self._committed_offset[tp] is None]
        if unknown:
            for tp, offset in (await self.earliest_offsets(*unknown)).items():
                if offset is not None and offset >= 0 and self._committed_offset[tp] is None:
                    self._committed_offset[tp] = offset

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        if acked and committed is not None and not self._gap[tp] and min(acked) > committed:
            self._refetch(tp, committed)
            return None  # never commit past an offset nobody processed
        return super()._new_offset(tp)

    def _refetch(self, tp: TP, offset: int) -> None:
        if self._sought_back.get(tp) == offset:
            return  # already sought back to it: wait for the re-fetch
        self._sought_back[tp] = offset
        log.warning("%s[%s]: offset %s was never processed; fetching it again", tp.topic, tp.partition, offset)
        task = asyncio.ensure_future(self.seek(tp, offset))
        task.add_done_callback(_log_seek_failure)


def _log_seek_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error(
            "seeking back failed (%s); the partition is re-read after the next rebalance",
            type(task.exception()).__name__,
        )


def install(app: faust.App) -> None:
    """Make `app` create its consumer from ProcessedOnlyAcksConsumer (before the consumer exists)."""
    transport = app.transport
    if not issubclass(transport.Consumer, AIOKafkaConsumer):
        raise RuntimeError(f"unexpected Faust transport {type(transport).__name__}: the ack guard needs aiokafka")
    transport.Consumer = ProcessedOnlyAcksConsumer  # type: ignore[misc]
