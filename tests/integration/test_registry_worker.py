"""The worker with SCHEMA_REGISTRY_URL set: Confluent wire format on every Avro topic, end to end,
and an Avro CallEvent from a registry-aware producer accepted on the raw topic."""

from __future__ import annotations

import json

import pytest

from callstream.kafkaio import produce, read_topics
from callstream.settings import Settings
from schemas.codecs import CONFLUENT_MAGIC, build_codecs
from schemas.models import CallEvent, TranscriptTurn

pytestmark = pytest.mark.integration


def test_registry_wire_format_end_to_end(pipeline_settings: Settings, start_worker, schema_registry_url: str) -> None:
    settings = pipeline_settings.model_copy(update={"schema_registry_url": schema_registry_url})
    start_worker(settings)
    codecs = build_codecs(settings)  # registers nothing new: the worker did at start-up
    avro_call = CallEvent(
        call_id="call_avro_1",
        event_type="call_ended",
        source_shape="flat",
        status="completed",
        transcript=[TranscriptTurn(speaker="user", text="please resend my invoice again")],
    )
    json_call = {"call_id": "call_json_1", "status": "completed", "transcript": "User: please resend my invoice again"}
    produce(
        settings.bootstrap_servers,
        settings.topic("dialnexa.calls.raw"),
        [(b"call_avro_1", codecs.call_event.encode(avro_call)), (b"call_json_1", json.dumps(json_call).encode())],
    )
    topics = [settings.topic(name) for name in ("calls.redacted", "calls.enriched", "sink.results")]
    records = read_topics(
        settings.bootstrap_servers,
        topics,
        until=lambda rs: {r.key for r in rs if r.topic == topics[1]} >= {b"call_avro_1", b"call_json_1"},
        timeout=90,
    )
    enriched = [r for r in records if r.topic == topics[1]]
    assert {r.key for r in enriched} == {b"call_avro_1", b"call_json_1"}
    for record in records:
        assert record.value is not None and record.value[:1] == CONFLUENT_MAGIC, record.topic
    decoded = {codecs.enriched.decode(r.value or b"").call.call_id for r in enriched}
    assert decoded == {"call_avro_1", "call_json_1"}
