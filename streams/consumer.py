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
committed unprocessed. Here the committed offset must itself be acked (or inside a gap Faust found
between two delivered records: offsets with no message) before anything past it commits, and the
partition is sought back to it, so the missing message is fetched again; messages after it are
fetched twice, which every stage tolerates (the sinks' ledger answers for them). For that test to
work Faust must know where each partition starts: it forgets a committed offset of 0 and has none
for a new group, so after each seek to the committed offsets a partition without one starts at
its earliest offset (what `auto_offset_reset=earliest` reads from).

Third correction, the loss that remained (one write missing in about one crash run in six): the
seek back ran in its own task while Faust's fetch loop was inside a batch. The loop sets the read
offset after every record it delivers, so the batch's next record undid the seek (read offset past
the missing message again: its re-fetch was dropped as already read), and when the seek landed
between two records the jump from the sought offset was recorded as a gap, which Faust fills in
as offsets with no message and commits (the old head test was skipped when a gap existed). A
stalled partition was committed past its missing message anyway at the next revocation: Faust
forgets the committed offset before it waits for the streams and commits their acks, and with no
committed offset neither test ran. Now the seek back is done by the fetch loop itself, between two
fetches (records of that partition still in the current batch are dropped: fetched again after
the seek); a gap recorded past the head does not cover it; the last known committed offset stands
in while Faust has forgotten it; and a head gap still open RESEEK_SECONDS after its seek is sought
back again instead of never.

Fourth correction (the CI failure of the 1,000-call crash test: five contact_sync writes never
made, the partition's commit crawling one offset per commit interval for minutes): Faust's own
`perform_seek` (after every assignment and at the end of recovery, "Seek stream partitions to
committed offsets") resets the read offsets from the recovery task, not from the fetch loop, so the
same race as the third correction happens there: the next record of the batch in flight jumps from
the committed offset and Faust records a gap over offsets that hold real records. Filled in at
commit time, that gap (a) adds offsets already acked a second time, so the commit advances one
offset per commit (seen on the broker: 43, 44, 45, ... every 2.8 s) and (b) commits any record of
that range that was never processed. On a topic where every offset holds a record (not compacted,
no transactions: this app never produces transactionally), a gap cannot be real, so none is
recorded there: a missing record is then a head gap, and the head test fetches it again.

Fifth correction, the stall of the head test's blind spot: that test runs only when something past
the committed offset was acked. When the messages Faust dropped or skipped are the *tail* of the
partition (a burst produced while a worker was still recovering after a rebalance: every message
from the committed offset on was fetched and then skipped, or cleared from the stream's queue when
the flow resumed), nothing is ever acked past the committed offset, the fetch position is already
at the end, and the partition sits unprocessed until new traffic or the next rebalance. So a
partition whose committed offset is below the broker's end offset, with nothing acked and not yet
committed, no message of its topic in flight, and nothing delivered or acked for IDLE_HEAD_SECONDS,
is sought back to its committed offset like any other head gap.

Sixth correction, offsets that really hold no record on an uncompacted topic: a producer that
writes transactionally (an upstream service publishing to the raw, Stripe or HubSpot topics) leaves
a commit marker after each transaction, an offset no consumer is ever given. With no gaps recorded
there, a committed offset on a marker would be sought back to forever (the commit stalls, everything
after it is fetched again every RESEEK_SECONDS). Jumps are still never taken from Faust's read
offsets (the fourth correction's race); they are taken from evidence that cannot race: after the
fetch loop's own seek back, and until any other seek of the partition, the records it yields for that
partition are in fetch order from the sought offset, so a forward jump in that stream, or a position
at the end offset with nothing more yielded, proves the offsets skipped hold no record. Those, and
only those, are recorded as gaps.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, ClassVar

import faust
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message

log = logging.getLogger("callstream.consumer")

RESEEK_SECONDS = 10.0  # a head gap still there this long after its re-fetch is sought back again
IDLE_HEAD_SECONDS = 5.0  # a partition with unprocessed messages and no activity this long is re-fetched


class ProcessedOnlyAcksConsumer(AIOKafkaConsumer):
    idle_head_seconds = IDLE_HEAD_SECONDS
    # Uncompacted topics: a jump Faust sees there is never trusted as offsets without a message
    # (the fourth correction's race); only a jump proven by a contiguous fetch is (the sixth).
    gapless_topics: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # partition -> (offset it was last sought back to, when): a head gap that outlives a re-fetch
        # (the message was lost again) is sought back again after RESEEK_SECONDS, never more often.
        self._sought_back: dict[TP, tuple[int, float]] = {}
        self._pending_seeks: dict[TP, int] = {}  # head gaps to re-fetch, sought by the fetch loop itself
        # The committed offset as last known: Faust forgets it on a revocation *before* it waits for
        # the streams and commits their acks, and until the next seek; the head test still needs it.
        self._known_committed: dict[TP, int] = {}
        # partition -> when a message of it was last delivered to or acked by a stream (monotonic).
        self._last_activity: dict[TP, float] = {}
        self._idle_checked_at = 0.0
        # partition -> the next offset of the stream fetched contiguously since the fetch loop's own
        # seek back (sixth correction). Absent: no such stream, or another seek moved the partition.
        self._contiguous_from: dict[TP, int] = {}

    def ack(self, message: Message) -> bool:
        self._last_activity[message.tp] = time.monotonic()
        if not message.tracked and self.app.topics.acks_enabled_for(message.topic):
            # Skipped by the stream, never processed: must not move the committed offset.
            message.acked = True
            log.debug("not committing skipped message %s[%s]@%s", message.topic, message.partition, message.offset)
            return False
        return super().ack(message)

    async def seek(self, partition: TP, offset: int) -> None:
        self._contiguous_from.pop(partition, None)  # a seek from elsewhere: its next records prove nothing
        await super().seek(partition, offset)

    async def seek_wait(self, partitions: Mapping[TP, int]) -> None:
        for tp in partitions:
            self._contiguous_from.pop(tp, None)
        await super().seek_wait(partitions)

    async def perform_seek(self) -> None:
        # Faust seeks from the recovery task while a batch may be in flight: no stream fetched before,
        # during or right after it is contiguous with anything (the fourth correction's race).
        self._contiguous_from.clear()
        await super().perform_seek()
        self._contiguous_from.clear()
        unknown = [tp for tp in self.assignment() if self._committed_offset[tp] is None]
        # On a gapless topic a committed offset below the log start (records deleted by retention
        # while the group was away) has no record to process: start the head test at the log start,
        # or it would seek back forever to an offset the broker no longer has.
        behind = [tp for tp in self.assignment() if tp.topic in self.gapless_topics and tp not in unknown]
        if unknown or behind:
            for tp, offset in (await self.earliest_offsets(*unknown, *behind)).items():
                if offset is None or offset < 0:
                    continue
                committed = self._committed_offset[tp]
                if committed is None or (tp.topic in self.gapless_topics and committed < offset):
                    self._committed_offset[tp] = offset
        for tp in self.assignment():
            committed = self._committed_offset[tp]
            if committed is not None:
                self._known_committed[tp] = committed
            # Everything from the committed offset is read again: recorded gaps past it are stale
            # (they are found again if real), and so is a re-fetch asked for before this seek.
            self._gap.pop(tp, None)
            self._pending_seeks.pop(tp, None)
            self._last_activity[tp] = time.monotonic()  # idle is counted from the seek

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        # Seek back here, between two fetches, never from another task: Faust's fetch loop sets the
        # read offset after every record it delivers, so a seek done while it is inside a batch is
        # undone by the batch's next record (read offset far past the missing message, which is then
        # dropped as already read when it is fetched again) and that record's jump from the sought
        # offset is recorded as a gap, which Faust commits as if the offsets did not exist.
        await self._refetch_idle_heads()
        for tp, offset in list(self._pending_seeks.items()):
            del self._pending_seeks[tp]
            if tp in self.assignment():
                await self.seek(tp, offset)
                self._gap.pop(tp, None)  # gaps recorded from offsets past the seek are re-found if real
                if tp.topic in self.gapless_topics:
                    # Between two fetches, by the fetch loop itself: aiokafka drops what it had
                    # buffered for the partition, so what it yields next starts at the first record
                    # at or after `offset`, in order.
                    self._contiguous_from[tp] = offset
        async for tp, message in super().getmany(timeout):
            if tp in self._pending_seeks:
                continue  # fetched from before the seek back: fetched again after it
            self._last_activity[tp] = time.monotonic()
            expected = self._contiguous_from.get(tp)
            if expected is not None:
                if message.offset < expected:
                    del self._contiguous_from[tp]  # not the stream it was thought to be: trust nothing
                else:
                    if message.offset > expected:
                        self._record_empty_offsets(tp, expected, message.offset)
                    self._contiguous_from[tp] = message.offset + 1
            yield tp, message

    async def _refetch_idle_heads(self) -> None:
        """Seek back a partition whose messages past the committed offset nobody is processing."""
        now = time.monotonic()
        if now - self._idle_checked_at < self.idle_head_seconds:
            return  # one look (one end-offsets request at most) per idle period
        self._idle_checked_at = now
        in_flight = {message.topic for message in self._unacked_messages}
        idle: dict[TP, int] = {}
        for tp in self.assignment():
            if tp in self._pending_seeks or tp.topic in in_flight or self._acked[tp]:
                continue  # being processed, or acked and about to be committed
            if not self.app.topics.acks_enabled_for(tp.topic):
                continue  # changelogs and other unacked topics: not committed by the streams
            if now - self._last_activity.get(tp, now) < self.idle_head_seconds:
                continue
            committed = self._committed_offset[tp]
            if committed is None:
                committed = self._known_committed.get(tp)
            if committed is not None:
                idle[tp] = committed
        if not idle:
            return
        try:
            # The broker's end offsets, not the last fetched high watermark: a partition that is no
            # longer fetched (paused and never resumed) has a stale one, equal to what was committed.
            ends = await self.highwaters(*idle)
        except Exception as error:  # the broker did not answer: look again next period
            log.debug("end offsets for the idle check failed: %s", type(error).__name__)
            return
        active = self._get_active_partitions()
        for tp, committed in idle.items():
            end = ends.get(tp)
            if end is None or end <= committed:
                continue  # caught up: nothing waits past the committed offset
            if await self._tail_is_empty(tp, committed, end):
                continue  # only offsets without a record (a transaction's commit marker) are left
            paused = tp in self._paused_partitions or tp not in active
            why = f"nothing processed past it for {self.idle_head_seconds:.0f} s, end offset {end}"
            if paused and self.flow_active and self.app.tables.recovery.completed.is_set():
                # Recovery is over and nothing of the topic is in flight: no pause of Faust's own
                # still holds it (a full stream buffer means a message in flight). Fetch it again.
                why += ", partition was left paused"
                self.resume_partitions([tp])
            self._refetch(tp, committed, why)

    def lag(self) -> list[tuple[TP, int]]:
        """Messages past the committed offset, per assigned partition a stream commits (for the
        metrics): the last fetched high watermark minus the committed (or last known) offset."""
        behind: list[tuple[TP, int]] = []
        for tp in self.assignment():
            if not self.app.topics.acks_enabled_for(tp.topic):
                continue
            highwater = self.highwater(tp)
            committed = self._committed_offset.get(tp)
            if committed is None:
                committed = self._known_committed.get(tp)
            if highwater is None or highwater < 0 or committed is None:
                continue
            behind.append((tp, max(0, highwater - committed)))
        return behind

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        if committed is None:
            committed = self._known_committed.get(tp)
        else:
            self._known_committed[tp] = committed
        if acked and committed is not None and not self._covers(tp, committed) and min(acked) > committed:
            self._refetch(tp, committed)
            return None  # never commit past an offset nobody processed
        offset = super()._new_offset(tp)
        if offset is not None:
            self._known_committed[tp] = offset
        return offset

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        if tp.topic in self.gapless_topics:
            log.debug("%s[%s]: jump %s..%s not recorded as a gap (every offset of this topic holds a record)",
                      tp.topic, tp.partition, offset_from, offset_to)  # fmt: skip
            return
        await super()._add_gap(tp, offset_from, offset_to)

    def _record_empty_offsets(self, tp: TP, start: int, end: int) -> None:
        """Offsets start..end-1 proven to hold no record (sixth correction): a real gap, committed
        like one. Faust's own `_add_gap` is not used: it never lets a gap cover the committed offset,
        which is exactly the offset a commit marker holds when the stream stalls on it."""
        committed = self._committed_offset[tp]
        if committed is None:
            committed = self._known_committed.get(tp)
        if committed is not None:
            start = max(start, committed)
        if start >= end:
            return
        self._gap[tp].addi(start, end)
        self._gap[tp].merge_overlaps()
        log.debug("%s[%s]: offsets %s..%s hold no record (fetched past them)", tp.topic, tp.partition, start, end - 1)

    async def _tail_is_empty(self, tp: TP, committed: int, end: int) -> bool:
        """Whether every offset from `committed` to `end` is proven to hold no record: the partition
        was fetched contiguously since the fetch loop's own seek, to the end offset, and nothing past
        the last record it yielded exists."""
        if self._gap[tp].overlaps(committed, committed + 1) and self._gap_end(tp, committed) >= end:
            return True
        expected = self._contiguous_from.get(tp)
        if expected is None or tp.topic not in self.gapless_topics:
            return False
        try:
            position = await asyncio.wait_for(self.position(tp), timeout=2.0)
        except Exception as error:  # no valid position yet, or the consumer thread is busy: look later
            log.debug("position for the idle check failed: %s", type(error).__name__)
            return False
        if position is None or position < end or self._contiguous_from.get(tp) != expected:
            return False
        self._record_empty_offsets(tp, expected, end)
        return self._gap[tp].overlaps(committed, committed + 1) and self._gap_end(tp, committed) >= end

    def _gap_end(self, tp: TP, offset: int) -> int:
        """The end (exclusive) of the recorded gap that holds `offset`."""
        return max((interval.end for interval in self._gap[tp].at(offset)), default=offset)

    def _covers(self, tp: TP, offset: int) -> bool:
        """The committed offset is accounted for: acked (processed) or inside a gap Faust found
        between two records it delivered (offsets that hold no message, e.g. transaction markers)."""
        return offset in self._acked_index[tp] or bool(self._gap[tp].overlaps(offset, offset + 1))

    def _refetch(self, tp: TP, offset: int, why: str = "messages after it were") -> None:
        last = self._sought_back.get(tp)
        now = time.monotonic()
        if last is not None and last[0] == offset and now - last[1] < RESEEK_SECONDS:
            return  # already sought back to it: wait for the re-fetch
        self._sought_back[tp] = (offset, now)
        self._contiguous_from.pop(tp, None)  # the rest of the batch in flight is skipped, not trusted
        log.warning(
            "%s[%s]: offset %s was never processed (%s); fetching it again", tp.topic, tp.partition, offset, why
        )
        self._pending_seeks[tp] = offset


def install(app: faust.App, gapless_topics: Iterable[str] = ()) -> None:
    """Make `app` create its consumer from ProcessedOnlyAcksConsumer (before the consumer exists).
    `gapless_topics`: full names of the topics where every offset holds a record."""
    transport = app.transport
    if not issubclass(transport.Consumer, AIOKafkaConsumer):
        raise RuntimeError(f"unexpected Faust transport {type(transport).__name__}: the ack guard needs aiokafka")
    consumer_class = type(
        "ProcessedOnlyAcksConsumer", (ProcessedOnlyAcksConsumer,), {"gapless_topics": frozenset(gapless_topics)}
    )
    transport.Consumer = consumer_class  # type: ignore[misc]
