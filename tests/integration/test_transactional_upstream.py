"""An upstream producer that writes transactionally to the raw topic, on the real broker.

Every committed transaction leaves a commit marker: an offset no consumer is given. The worker must
process every call once and commit past the markers, not seek back to one for ever (the consumer's
sixth correction, streams/consumer.py)."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from callstream.kafkaio import client_config
from callstream.settings import Settings
from tests.fakes.harness import wait_for
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration


def call(call_id: str) -> bytes:
    return json.dumps(
        {
            "event_type": "call_ended",
            "payload": {
                "call": {
                    "id": call_id,
                    "status": "completed",
                    "from_number": "14155550101",
                    "transcript": "User: Could you send me the receipt for last month?\nAgent: Of course.",
                    "post_call_analysis": {"email": "ana@acme.example", "intent": "receipt_resend"},
                }
            },
        }
    ).encode()


def test_calls_written_in_transactions_are_each_processed_and_committed_past_the_markers(
    pipeline_settings: Settings, start_worker
) -> None:
    settings = pipeline_settings
    raw = settings.topic("dialnexa.calls.raw")
    producer = Producer(
        client_config(settings.bootstrap_servers, **{"transactional.id": f"upstream-{uuid.uuid4().hex[:8]}",
                      "log_level": 0})
    )  # fmt: skip
    producer.init_transactions(30)
    last_offset: dict[int, int] = {}

    def delivered(error: object, message: object) -> None:
        assert error is None, error
        partition, offset = message.partition(), message.offset()  # type: ignore[attr-defined]
        last_offset[partition] = max(offset, last_offset.get(partition, -1))

    call_ids = [f"call_txn_{n:03d}" for n in range(24)]
    # One call per transaction (a marker after each record), then a transaction of eight.
    batches = [[call_id] for call_id in call_ids[:16]] + [call_ids[16:]]
    for batch in batches:
        producer.begin_transaction()
        for call_id in batch:
            producer.produce(raw, key=call_id.encode(), value=call(call_id), on_delivery=delivered)
        producer.commit_transaction(30)
    producer.flush(30)

    start_worker()
    values = read_until(
        settings, ["calls.redacted"], until=lambda v: {c.call.call_id for c in v["calls.redacted"]} >= set(call_ids)
    )
    assert {redacted.call.call_id for redacted in values["calls.redacted"]} == set(call_ids)

    # The group commits past every record: the offset after the last one (only its marker is left).
    reader = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": settings.group_id, "log_level": 0})
    try:

        def committed_past_every_record() -> bool:
            partitions = [TopicPartition(raw, p) for p in last_offset]
            committed = {tp.partition: tp.offset for tp in reader.committed(partitions, timeout=10)}
            return all(committed[p] >= offset + 1 for p, offset in last_offset.items())

        assert wait_for(committed_past_every_record, timeout=60), "the commit stalled on a transaction marker"
        time.sleep(12)  # past a re-seek period: nothing is fetched and processed again
    finally:
        reader.close()
    values = read_until(settings, ["calls.redacted"], until=lambda v: False, timeout=5)
    redacted_ids = [redacted.call.call_id for redacted in values["calls.redacted"]]
    assert sorted(set(redacted_ids)) == sorted(call_ids)
    # A record is fetched again at most once (when the commit first meets a marker), not every period.
    assert len(redacted_ids) <= 2 * len(call_ids), len(redacted_ids)
