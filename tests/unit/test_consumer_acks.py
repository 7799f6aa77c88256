"""The consumer's ack guard (streams/consumer.py), on the worker's own Faust consumer, no broker."""

from __future__ import annotations

import asyncio
from pathlib import Path

from faust.types.tuples import ConsumerMessage

from callstream.settings import Settings
from streams.app import create_app
from streams.consumer import ProcessedOnlyAcksConsumer


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
