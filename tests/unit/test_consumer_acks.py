"""The consumer's ack guard (streams/consumer.py), on the worker's own Faust consumer, no broker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path

from aiokafka.structs import ConsumerRecord
from faust.types import TP
from faust.types.tuples import ConsumerMessage

from callstream.settings import Settings
from streams.app import create_app
from streams.consumer import ProcessedOnlyAcksConsumer
from streams.topics import gapless_topics


def message(topic: str, offset: int, processed: bool) -> ConsumerMessage:
    created = ConsumerMessage(topic, 0, offset, 0.0, 0, [], b"call_1", b"{}", None)
    created.tracked = processed  # what Faust's stream sets before its agent sees the message
    return created


def test_a_message_the_stream_skipped_is_not_committed_a_processed_one_is(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    consumer = app.consumer
    assert isinstance(consumer, ProcessedOnlyAcksConsumer)
    topic = settings.topic("workflow.contact_sync")
    app.topics.acking_topics.add(topic)  # what subscribing the sink agent to its topic does

    skipped = message(topic, 5, processed=False)  # fetched before a rebalance, skipped after it
    assert skipped.ack(consumer) is False
    assert skipped.acked  # settled for this message object: never acked twice
    processed = message(topic, 6, processed=True)
    assert processed.ack(consumer) is True
    tp = processed.tp
    assert consumer._acked[tp] == [6]  # only the processed offset is a commit candidate


def test_a_gap_at_the_head_of_the_acked_offsets_is_never_committed(tmp_path: Path) -> None:
    # Faust's own test lets min(acked) be committed + 1: one unprocessed message would be committed.
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    consumer = app.consumer
    topic = settings.topic("workflow.contact_sync")
    app.topics.acking_topics.add(topic)
    first = message(topic, 11, processed=True)
    consumer._committed_offset[first.tp] = 10  # offset 10 is the next to process, and never was

    async def commit_candidate() -> int | None:
        assert first.ack(consumer) is True
        offset = consumer._new_offset(first.tp)
        await asyncio.sleep(0.05)  # the seek back (no broker here: it fails and says so)
        return offset

    assert asyncio.run(commit_candidate()) is None
    consumer._committed_offset[first.tp] = 11  # once 10 is processed and committed, 11 commits
    assert consumer._new_offset(first.tp) == 12


class _Fetcher:
    """What Faust's fetch loop asks of its fetcher service: whether it was stopped."""

    def __init__(self) -> None:
        self._stopped = asyncio.Event()


class OnePartitionLog(ProcessedOnlyAcksConsumer):
    """The worker's consumer over one in-memory partition instead of a broker: a fetch returns the
    next records from the position (a batch, as aiokafka prefetches), a seek moves the position.
    Everything else, Faust's fetch loop, read offsets, gaps, acks and commit offsets, is the real one."""

    def __init__(
        self, *args: object, tp: TP, offsets: Sequence[int], start: int, end: int | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tp, self.offsets, self.fetch_position = tp, offsets, start
        # The end offset: one past the last record, or past a commit marker that ends the partition.
        self.end = end if end is not None else max(offsets) + 1
        self.seeks: list[int] = []

    def assignment(self) -> set[TP]:
        return {self.tp}

    def highwater(self, tp: TP) -> int:
        return self.end

    async def highwaters(self, *partitions: TP) -> dict[TP, int]:  # the broker's end offsets
        return {tp: self.end for tp in partitions}

    async def position(self, tp: TP) -> int:
        return self.fetch_position

    async def _seek(self, partition: TP, offset: int) -> None:
        self.seeks.append(offset)
        self.fetch_position = offset

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> dict[TP, list[ConsumerRecord]]:
        batch = [offset for offset in self.offsets if offset >= self.fetch_position][:5]
        if not batch:
            # Like aiokafka reading a control batch: the position moves past markers, no record comes.
            self.fetch_position = max(self.fetch_position, self.end)
            await asyncio.sleep(0.01)
            return {}
        self.fetch_position = batch[-1] + 1
        return {self.tp: [ConsumerRecord(self.tp.topic, 0, o, 0, 0, b"k", b"v", None, 1, 1, []) for o in batch]}


def test_a_missing_head_message_is_fetched_again_and_processed_before_anything_past_it_commits(
    tmp_path: Path,
) -> None:
    # The issue-17 residual (one write missing, offset committed): a message missing at the head of
    # the acked offsets asked for a seek back from the commit path, in its own task. That seek ran
    # while Faust's fetch loop was inside a batch: the loop's next record set the read offset past
    # the missing message again (so its re-fetch was dropped as already read) and the jump from the
    # sought offset was recorded as a gap, which Faust fills in and commits. Here message 10 is
    # missing (fetching starts at 11), as after a rebalance; every delivered message is processed
    # and acked, and the commit path runs after every message, as Faust's commit timer may.
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    topic = settings.topic("workflow.contact_sync")
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    processed: list[int] = []
    committed: list[tuple[int, bool]] = []  # (commit offset, was 10 processed by then)

    consumers: list[OnePartitionLog] = []

    async def deliver(message: ConsumerMessage) -> None:  # the conductor -> stream -> sink agent
        consumer = consumers[0]
        await asyncio.sleep(0)  # handing a message to a stream yields to the loop
        message.tracked = True
        processed.append(message.offset)
        message.ack(consumer)
        offset = consumer._new_offset(tp)  # what a commit does
        if offset is not None:
            consumer._committed_offset[tp] = offset
            committed.append((offset, 10 in processed))

    async def run() -> None:
        consumer = OnePartitionLog(  # created on the running loop: Faust's services bind to it
            app.transport, callback=deliver, on_partitions_revoked=None, on_partitions_assigned=None,
            tp=tp, offsets=range(10, 30), start=11,
        )  # fmt: skip
        consumers.append(consumer)
        consumer._committed_offset[tp] = 10
        consumer._set_active_tps({tp})  # what resuming the assigned partitions does
        fetcher = _Fetcher()
        loop_task = asyncio.ensure_future(consumer._drain_messages(fetcher))
        for _ in range(300):  # at most 3 s
            if set(range(10, 30)) <= set(processed) and consumer._committed_offset[tp] == 30:
                break
            await asyncio.sleep(0.01)
        fetcher._stopped.set()
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task

    asyncio.run(run())
    assert 10 in processed, f"offset 10 never processed; delivered {processed}, commits {committed}"
    assert all(was_processed for offset, was_processed in committed if offset > 10), committed
    assert consumers[0]._committed_offset[tp] == 30


def _consumer_with_head_gap(tmp_path: Path) -> tuple[ProcessedOnlyAcksConsumer, TP]:
    """Offset 10 is the next to process and never was; 11 and 12 were processed and acked."""
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    consumer = app.consumer
    assert isinstance(consumer, ProcessedOnlyAcksConsumer)
    topic = settings.topic("workflow.contact_sync")
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    consumer._committed_offset[tp] = 10
    for offset in (11, 12):
        assert message(topic, offset, processed=True).ack(consumer) is True
    return consumer, tp


def test_the_head_test_holds_while_faust_has_forgotten_the_committed_offset(tmp_path: Path) -> None:
    # On a revocation Faust drops each partition's committed offset first, then waits for the
    # streams and commits their acks: with no committed offset to compare, neither its gap test nor
    # the head test ran, and a partition stalled on a missing message committed past it.
    consumer, tp = _consumer_with_head_gap(tmp_path)
    assert consumer._new_offset(tp) is None
    consumer._committed_offset.pop(tp)  # what Consumer.on_partitions_revoked does before the commit
    assert consumer._new_offset(tp) is None


def test_a_gap_recorded_past_the_missing_head_does_not_commit_it(tmp_path: Path) -> None:
    # Faust records a gap when a delivered record jumps more than one past the read offset, and its
    # commit fills gaps in as offsets with no message; one that starts after the missing message
    # (as when the read offset was sought back to it) must not let the commit pass it.
    consumer, tp = _consumer_with_head_gap(tmp_path)

    async def with_gap() -> int | None:
        await consumer._add_gap(tp, 11, 13)  # what the fetch loop records: read offset 10, record 13
        return consumer._new_offset(tp)

    assert asyncio.run(with_gap()) is None


def test_a_gap_that_covers_the_committed_offset_commits(tmp_path: Path) -> None:
    # No message at offset 10 (e.g. a transaction marker), found between two delivered records:
    # nothing is missing, the acks past it commit.
    consumer, tp = _consumer_with_head_gap(tmp_path)
    consumer._gap[tp].addi(10, 11)
    assert consumer._new_offset(tp) == 13


def _consumer_for(tmp_path: Path, name: str) -> tuple[ProcessedOnlyAcksConsumer, TP]:
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    consumer = app.consumer
    assert isinstance(consumer, ProcessedOnlyAcksConsumer)
    topic = settings.topic(name)
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    consumer._committed_offset[tp] = 10
    for offset in (*range(10, 15), *range(20, 26)):  # 15..19 were never processed
        assert message(topic, offset, processed=True).ack(consumer) is True
    return consumer, tp


def test_a_jump_recorded_by_a_seek_race_never_commits_records_of_an_uncompacted_topic(tmp_path: Path) -> None:
    # The CI failure of the crash test: Faust's own perform_seek (end of recovery) reset the read
    # offset to the committed one while a fetch from the old position was in flight; the next record
    # jumped from it and Faust recorded a gap over offsets that hold real records. Filled in at commit
    # time it committed records never processed (five contact_sync writes lost) and, duplicating the
    # acked offsets it also covered, made the commit crawl one offset per commit interval.
    consumer, tp = _consumer_for(tmp_path, "workflow.contact_sync")

    async def with_jump() -> int | None:
        await consumer._add_gap(tp, 11, 20)  # read offset reset to 10, then record 20 delivered
        return consumer._new_offset(tp)

    assert asyncio.run(with_jump()) == 15  # up to the first record never processed, not past it
    assert not consumer._gap[tp]
    consumer._committed_offset[tp] = 15
    for offset in range(15, 20):  # fetched again (the head test) and processed
        assert message(tp.topic, offset, processed=True).ack(consumer) is True
    assert consumer._new_offset(tp) == 26  # in one commit, not one offset per commit


def test_a_compacted_topic_keeps_fausts_gaps(tmp_path: Path) -> None:
    # Compaction removes records: offsets 15..19 may hold nothing there, and the commit passes them.
    consumer, tp = _consumer_for(tmp_path, "stripe.events")

    async def with_gap() -> int | None:
        await consumer._add_gap(tp, 15, 20)
        return consumer._new_offset(tp)

    offset = asyncio.run(with_gap())
    assert offset is not None and offset > 20  # past the gap (Faust's gap also names record 20 itself)


class QuickIdleLog(OnePartitionLog):
    idle_head_seconds = 0.2  # the worker waits IDLE_HEAD_SECONDS; a test need not


def test_a_skipped_tail_is_fetched_again_when_nothing_past_the_committed_offset_is_processed(
    tmp_path: Path,
) -> None:
    # The two-worker enrichment stall: a burst of Stripe events produced while the workers were
    # still recovering after the rebalance. Offsets 0 and 1 were processed; 2 to 19 (the rest of
    # the burst, the end of the partition) were fetched and skipped by the stream (an old
    # generation, or a stopped flow). Nothing past the committed offset is ever acked, so the head
    # test never runs, the fetch position is at the end: the partition sat unprocessed for good.
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    topic = settings.topic("stripe.events")
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    processed: list[int] = []
    skipped: list[int] = []
    consumers: list[OnePartitionLog] = []

    async def deliver(message: ConsumerMessage) -> None:
        consumer = consumers[0]
        await asyncio.sleep(0)
        if message.offset not in skipped and message.offset >= 2:
            skipped.append(message.offset)  # first delivery: the stream skips it and acks it anyway
            assert message.ack(consumer) is False
            return
        message.tracked = True
        processed.append(message.offset)
        message.ack(consumer)
        offset = consumer._new_offset(tp)
        if offset is not None:
            consumer._committed_offset[tp] = offset

    async def run() -> None:
        consumer = QuickIdleLog(
            app.transport, callback=deliver, on_partitions_revoked=None, on_partitions_assigned=None,
            tp=tp, offsets=range(0, 20), start=0,
        )  # fmt: skip
        consumers.append(consumer)
        consumer._committed_offset[tp] = 0
        consumer._set_active_tps({tp})
        fetcher = _Fetcher()
        loop_task = asyncio.ensure_future(consumer._drain_messages(fetcher))
        for _ in range(300):  # at most 3 s
            if consumer._committed_offset[tp] == 20:
                break
            await asyncio.sleep(0.01)
        fetcher._stopped.set()
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task

    asyncio.run(run())
    assert skipped == list(range(2, 20))
    assert sorted(processed) == list(range(20)), f"never processed: {sorted(set(range(20)) - set(processed))}"
    assert len(processed) == 20  # each once: only the skipped ones are fetched again
    assert consumers[0]._committed_offset[tp] == 20


def test_an_idle_partition_with_nothing_left_to_process_is_not_fetched_again(tmp_path: Path) -> None:
    # The same check must not re-read a partition that is simply caught up (committed = high water).
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    topic = settings.topic("stripe.events")
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    processed: list[int] = []
    consumers: list[OnePartitionLog] = []

    async def deliver(message: ConsumerMessage) -> None:
        consumer = consumers[0]
        message.tracked = True
        processed.append(message.offset)
        message.ack(consumer)
        offset = consumer._new_offset(tp)
        if offset is not None:
            consumer._committed_offset[tp] = offset

    async def run() -> None:
        consumer = QuickIdleLog(
            app.transport, callback=deliver, on_partitions_revoked=None, on_partitions_assigned=None,
            tp=tp, offsets=range(0, 8), start=0,
        )  # fmt: skip
        consumers.append(consumer)
        consumer._committed_offset[tp] = 0
        consumer._set_active_tps({tp})
        fetcher = _Fetcher()
        loop_task = asyncio.ensure_future(consumer._drain_messages(fetcher))
        await asyncio.sleep(1.0)  # five idle periods
        fetcher._stopped.set()
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task

    asyncio.run(run())
    assert processed == list(range(8))
    assert consumers[0]._committed_offset[tp] == 8


def test_offsets_a_transactional_producer_left_without_records_commit_without_fetching_forever(
    tmp_path: Path,
) -> None:
    # An upstream service producing transactionally: every transaction ends with a commit marker,
    # an offset no consumer is given (here 2, 5, 8 and 11, the last one ending the partition). On an
    # uncompacted topic Faust's jumps are not trusted (the seek race), so a committed offset on a
    # marker was sought back to for ever and the commit never moved. A jump seen in the stream the
    # fetch loop read itself since its own seek, and a position at the end with nothing more, prove
    # the offsets empty: everything commits, each record is processed, and the seeking stops.
    settings = Settings(
        _env_file=None, kafka_bootstrap_servers="127.0.0.1:9", outbox_path=tmp_path / "o.sqlite3", data_dir=tmp_path
    )
    app = create_app(settings)
    topic = settings.topic("dialnexa.calls.raw")
    app.topics.acking_topics.add(topic)
    tp = TP(topic, 0)
    records = [0, 1, 3, 4, 6, 7, 9, 10]
    processed: list[int] = []
    consumers: list[OnePartitionLog] = []

    async def deliver(message: ConsumerMessage) -> None:
        consumer = consumers[0]
        await asyncio.sleep(0)
        message.tracked = True
        processed.append(message.offset)
        message.ack(consumer)
        offset = consumer._new_offset(tp)
        if offset is not None:
            consumer._committed_offset[tp] = offset

    async def run() -> tuple[int, int]:
        consumer = TransactionalLog(
            app.transport, callback=deliver, on_partitions_revoked=None, on_partitions_assigned=None,
            tp=tp, offsets=records, start=0, end=12,
        )  # fmt: skip
        consumer.gapless_topics = gapless_topics(settings)  # what `consumer.install` gives the worker's
        assert topic in consumer.gapless_topics
        consumers.append(consumer)
        consumer._committed_offset[tp] = 0
        consumer._set_active_tps({tp})
        fetcher = _Fetcher()
        loop_task = asyncio.ensure_future(consumer._drain_messages(fetcher))
        for _ in range(400):  # at most 4 s
            if consumer._committed_offset[tp] == 11 and consumer.empty_tail_seen:
                break
            await asyncio.sleep(0.01)
        seeks_when_done = len(consumer.seeks)
        await asyncio.sleep(1.0)  # five idle periods: a partition left with only a marker is not re-read
        fetcher._stopped.set()
        loop_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop_task
        return seeks_when_done, len(consumer.seeks)

    seeks_when_done, seeks_after = asyncio.run(run())
    consumer = consumers[0]
    assert set(processed) == set(records), f"never processed: {set(records) - set(processed)}"
    assert consumer._committed_offset[tp] == 11  # past every record; only the last marker is left
    assert consumer.empty_tail_seen
    assert seeks_after == seeks_when_done, consumer.seeks  # no more seeking once it is all proven
    assert len(processed) <= 2 * len(records)  # each record fetched again at most once


class TransactionalLog(QuickIdleLog):
    empty_tail_seen = False

    async def _tail_is_empty(self, tp: TP, committed: int, end: int) -> bool:
        empty = await super()._tail_is_empty(tp, committed, end)
        self.empty_tail_seen = self.empty_tail_seen or empty
        return empty
