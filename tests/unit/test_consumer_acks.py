"""The consumer's ack guard (streams/consumer.py), on the worker's own Faust consumer, no broker."""

from __future__ import annotations

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
