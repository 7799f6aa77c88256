"""Reading pipeline topics in integration tests: bounded in time, decoded with the shipped codecs."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from callstream.kafkaio import Record, read_topics
from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction

CODECS: dict[str, SingleObjectCodec] = {
    "calls.redacted": SingleObjectCodec(RedactedCall),
    "calls.enriched": SingleObjectCodec(EnrichedCall),
    "sink.results": SingleObjectCodec(SinkResult),
    "calls.deadletter": SingleObjectCodec(DeadLetter),
}
ACTION_CODEC = SingleObjectCodec(WorkflowAction)


def decode(settings: Settings, record: Record):  # type: ignore[no-untyped-def]
    name = record.topic.removeprefix(settings.topic_prefix)
    codec = CODECS.get(name, ACTION_CODEC if name.startswith("workflow.") else None)
    assert codec is not None, f"no codec for {name}"
    assert record.value is not None
    return codec.decode(record.value)


def read_until(
    settings: Settings,
    topics: list[str],
    until: Callable[[dict[str, list]], bool],
    timeout: float = 60.0,
) -> dict[str, list]:
    """Decoded values per contract topic name, read from the beginning until `until(values)` holds."""
    names = [settings.topic(topic) for topic in topics]
    values: dict[str, list] = {topic: [] for topic in topics}

    def collect(record: Record) -> None:
        values[record.topic.removeprefix(settings.topic_prefix)].append(decode(settings, record))

    read_topics(settings.bootstrap_servers, names, until=lambda _r: until(values), timeout=timeout, on_record=collect)
    return values


def wait_until_serving(client: httpx.Client, seconds: float = 30.0) -> None:
    """Block until the worker's web server answers (it may come up just after the consumer group)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.get("/healthz")
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
