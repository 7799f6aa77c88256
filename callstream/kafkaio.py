"""Small, bounded Kafka I/O for the demo, the tests and ops commands."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaError, Producer

# Where to connect: a bootstrap "host:port,..." (plaintext) or a full client configuration from
# `Settings.kafka_client_config()` (bootstrap plus TLS/SASL).
Connection = str | Mapping[str, Any]


def client_config(connection: Connection, **extra: Any) -> dict[str, Any]:
    base = {"bootstrap.servers": connection} if isinstance(connection, str) else dict(connection)
    return base | extra


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


def produce(
    bootstrap: Connection,
    topic: str,
    records: Iterable[tuple[bytes | None, bytes | None]],
    compression: str = "none",
) -> int:
    """Produce (key, value) pairs and wait until the broker acknowledged every one."""
    producer = Producer(
        client_config(bootstrap, **{"acks": "all", "enable.idempotence": True, "log_level": 0,
                      "message.max.bytes": 17 * 1024 * 1024, "compression.type": compression})
    )  # fmt: skip
    failures: list[str] = []

    def on_delivery(error: KafkaError | None, _message: object) -> None:
        if error is not None:
            failures.append(str(error))

    count = 0
    for key, value in records:
        producer.produce(topic, key=key, value=value, on_delivery=on_delivery)
        producer.poll(0)
        count += 1
    remaining = producer.flush(60)
    if remaining or failures:
        raise RuntimeError(f"{remaining} records undelivered, {len(failures)} failed: {failures[:3]}")
    return count


def read_topics(
    bootstrap: Connection,
    topics: list[str],
    until: Callable[[list[Record]], bool],
    timeout: float,
    on_record: Callable[[Record], None] | None = None,
    group_prefix: str = "callstream-reader-",
) -> list[Record]:
    """Every record of `topics` from the beginning, until `until(records)` holds or `timeout` passes.

    The reader joins a throw-away group named `group_prefix` + random; callers that clean up after
    themselves (the demo) give a prefix they can find and delete."""
    consumer = Consumer(
        client_config(
            bootstrap,
            **{
                "group.id": f"{group_prefix}{uuid.uuid4().hex[:12]}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
                "log_level": 0,
            },
        )
    )
    records: list[Record] = []
    try:
        consumer.subscribe(topics)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not until(records):
            for message in consumer.consume(num_messages=500, timeout=0.5):
                if message.error():
                    continue
                record = Record(message.topic(), message.partition(), message.offset(), message.key(), message.value())
                records.append(record)
                if on_record is not None:
                    on_record(record)
    finally:
        consumer.close()
    return records


def iter_values(records: list[Record], topic: str) -> Iterator[Record]:
    return (record for record in records if record.topic == topic)


def delete_prefixed(connection: Connection, prefix: str, timeout: float = 30.0) -> tuple[list[str], list[str]]:
    """Delete every topic and consumer group whose name starts with `prefix`; returns (topics, groups).

    Groups are deleted once empty: a member that just left may still be listed for a moment."""
    from confluent_kafka.admin import AdminClient

    if not prefix:
        raise ValueError("refusing to delete with an empty prefix")
    admin = AdminClient(client_config(connection, log_level=0))
    topics = sorted(name for name in admin.list_topics(timeout=timeout).topics if name.startswith(prefix))
    for future in admin.delete_topics(topics, operation_timeout=timeout).values() if topics else ():
        future.result(timeout=timeout)
    listed = admin.list_consumer_groups(request_timeout=timeout).result(timeout=timeout)
    groups = sorted(group.group_id for group in listed.valid if group.group_id.startswith(prefix))
    deadline = time.monotonic() + timeout
    remaining = list(groups)
    while remaining and time.monotonic() < deadline:
        failed = []
        for group, future in admin.delete_consumer_groups(remaining, request_timeout=timeout).items():
            try:
                future.result(timeout=timeout)
            except Exception as error:
                if "GROUP_ID_NOT_FOUND" not in str(error):
                    failed.append(group)
        remaining = failed
        if remaining:
            time.sleep(1.0)
    if remaining:
        raise RuntimeError(f"consumer groups still in use, not deleted: {', '.join(remaining)}")
    return topics, groups
