"""A deployment that ran without vendor credentials wrote to the local outbox. Once the vendors are
configured and the range is replayed (the consumer group's offsets reset to 0, same app, same
idempotency ledger), every outbox-only action reaches its vendor exactly once; a second replay adds
nothing. Real broker, vendors counted at the fake servers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from confluent_kafka import ConsumerGroupTopicPartitions, TopicPartition
from confluent_kafka.admin import AdminClient

from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import SinkResult
from sinks.outbox import read_outbox
from sinks.routing import TOPIC_SINKS, VENDORS, needs
from tests.fakes.harness import (
    URGENT,
    actual_writes,
    call_mix,
    expected_writes,
    group_lag,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    topics_of,
    wait_for,
)
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

CALLS = 40
SINK_RESULT = SingleObjectCodec(SinkResult)


def reset_offsets_to_zero(settings: Settings) -> None:
    """What an operator does to replay a range: the (stopped) group's workflow offsets back to 0."""
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    partitions = [
        TopicPartition(settings.topic(f"workflow.{name}"), p, 0)
        for name in TOPIC_SINKS for p in range(settings.topic_partitions)
    ]  # fmt: skip
    request = ConsumerGroupTopicPartitions(settings.group_id, partitions)
    for future in admin.alter_consumer_group_offsets([request]).values():
        future.result(timeout=30)


def results(settings: Settings) -> list[SinkResult]:
    records = read_to_end(settings, [settings.topic("sink.results")])
    return [SINK_RESULT.decode(record.value or b"") for record in records]


def test_outbox_writes_reach_the_configured_vendor_once_after_a_replay(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    actions = call_mix(CALLS, seed=23, urgent_every=5)
    outbox_keys = {
        f"{action.idempotency_key}:{vendor}"
        for action in actions for topic in topics_of(action) for vendor in VENDORS
        if needs(topic, vendor, action, URGENT)
    }  # fmt: skip

    # 1. No credentials: everything goes to the outbox, under outbox:<vendor> ledger keys.
    worker = start_worker(pipeline_settings, name="outbox")
    published = publish(pipeline_settings, actions)
    assert wait_for(lambda: {w.write_key for w in read_outbox(pipeline_settings.outbox_path)} >= outbox_keys, 90)
    assert wait_for(lambda: group_lag(pipeline_settings, pipeline_settings.group_id) == 0, 60, interval=1.0)
    worker.stop()
    first = results(pipeline_settings)
    assert {r.sink for r in first} == {"outbox:altoviz", "outbox:zendesk", "outbox:sheets", "outbox:slack"}
    assert all(r.idempotency_key.endswith(f":{r.sink}") for r in first)

    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        configured = sink_settings(pipeline_settings, fakes.url)
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        assert {kind.split(".")[0] for kind, _key in expected} == set(VENDORS)
        writes = sum(1 for kind, _key in expected if kind != "sheets.header")  # the header row is not a result

        # 2. Vendors configured, the range replayed: each action reaches its vendor once.
        reset_offsets_to_zero(configured)
        worker = start_worker(configured, name="configured")
        delivered = wait_for(lambda: set(actual_writes(fakes)) >= set(expected), 90)
        missing = sorted(set(expected) - set(actual_writes(fakes)))
        assert delivered, f"lag {group_lag(configured, configured.group_id)}, {len(missing)} missing: {missing[:5]}"
        assert wait_for(lambda: group_lag(configured, configured.group_id) == 0, 60, interval=1.0)
        worker.stop()
        assert actual_writes(fakes) == expected
        # (Partitions interleave in sink.results: tell the phases apart by sink name and outcome.)
        vendor_results = Counter(r.outcome for r in results(configured) if r.sink in VENDORS)
        assert vendor_results == {"written": writes}

        # 3. A second replay: the ledger (vendor keys now) answers, no vendor request is made.
        requests_before = len(fakes.control("GET", "requests"))
        reset_offsets_to_zero(configured)
        worker = start_worker(configured, name="again")
        assert wait_for(lambda: group_lag(configured, configured.group_id) == 0, 60, interval=1.0)
        worker.stop()
        assert actual_writes(fakes) == expected
        vendor_results = Counter(r.outcome for r in results(configured) if r.sink in VENDORS)
        assert vendor_results == {"written": writes, "already_written": writes}
        assert len(fakes.control("GET", "requests")) == requests_before
        assert published > 0
    finally:
        fakes.stop()
