"""Small, bounded Kafka I/O for the demo, the tests and ops commands."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from confluent_kafka import TIMESTAMP_NOT_AVAILABLE, Consumer, KafkaError, KafkaException, Producer, TopicPartition

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


# --- ranges of a topic, for `callstream replay` and `callstream dlq` ---------------------------------
# Thin and bounded: every call has a timeout, every loop ends at an offset fixed before it started
# or after `idle_timeout` seconds without progress. The logic around them is in callstream/replay.py
# and callstream/dlq.py (pure functions, unit-tested without Kafka).


class KafkaIOError(RuntimeError):
    """A broker request that did not succeed in time; the message says which and why."""


@dataclass(frozen=True)
class FullRecord:
    """A record with what a replay must keep: partition, offset, timestamp (ms) and headers."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int | None
    headers: list[tuple[str, bytes]]


def range_consumer(connection: Connection, group_prefix: str = "callstream-ops-") -> Consumer:
    """A consumer for `assign()`ed ranges: it never subscribes and never commits, so it joins no group."""
    return Consumer(
        client_config(
            connection,
            **{
                "group.id": f"{group_prefix}{uuid.uuid4().hex[:12]}",
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": True,
                "auto.offset.reset": "earliest",
                "fetch.max.bytes": 64 * 1024 * 1024,
                "max.partition.fetch.bytes": 17 * 1024 * 1024,  # the topics' 16 MiB messages (streams.topics)
                "log_level": 0,
            },
        )
    )


def topic_partitions(consumer: Consumer, topic: str, timeout: float = 10.0) -> list[int] | None:
    """The partition ids of `topic`, or None when it does not exist."""
    try:
        metadata = consumer.list_topics(topic, timeout=timeout)
    except KafkaException as error:
        raise KafkaIOError(f"no metadata for {topic} within {timeout:g} s: {error}") from None
    described = metadata.topics.get(topic)
    if described is None or described.error is not None:
        return None
    return sorted(described.partitions)


def watermarks(
    consumer: Consumer, topic: str, partitions: Iterable[int], timeout: float = 10.0
) -> dict[int, tuple[int, int]]:
    """partition -> (log start offset, high watermark): what is still retained, and where the end is now."""
    marks = {}
    for partition in partitions:
        try:
            marks[partition] = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=timeout)
        except KafkaException as error:
            raise KafkaIOError(f"no watermarks for {topic}[{partition}] within {timeout:g} s: {error}") from None
    return marks


def offsets_for_time(
    consumer: Consumer, topic: str, partitions: Iterable[int], timestamp_ms: int, timeout: float = 10.0
) -> dict[int, int | None]:
    """partition -> the first offset whose timestamp is >= `timestamp_ms`, None when no record is that late."""
    wanted = [TopicPartition(topic, partition, timestamp_ms) for partition in partitions]
    try:
        found = consumer.offsets_for_times(wanted, timeout=timeout)
    except KafkaException as error:
        raise KafkaIOError(f"offsets_for_times on {topic} failed within {timeout:g} s: {error}") from None
    result: dict[int, int | None] = {}
    for item in found:
        if item.error is not None:
            raise KafkaIOError(f"offsets_for_times on {topic}[{item.partition}]: {item.error}")
        result[item.partition] = item.offset if item.offset >= 0 else None
    return result


def read_ranges(
    consumer: Consumer,
    topic: str,
    ranges: Mapping[int, tuple[int, int]],
    idle_timeout: float = 30.0,
    batch: int = 500,
) -> Iterator[FullRecord]:
    """Every record of `topic` with start <= offset < end, per partition {partition: (start, end)}.

    Ends when every partition reached its end (or the log's end, for a compacted tail), and raises
    `KafkaIOError` when `idle_timeout` seconds pass without a record or an end-of-partition event."""
    pending = {partition: span for partition, span in ranges.items() if span[1] > span[0]}
    if not pending:
        return
    consumer.assign([TopicPartition(topic, partition, start) for partition, (start, _end) in pending.items()])
    try:
        last_progress = time.monotonic()
        while pending:
            messages = consumer.consume(num_messages=batch, timeout=0.5)
            if messages:
                last_progress = time.monotonic()
            elif time.monotonic() - last_progress > idle_timeout:
                left = ", ".join(f"[{p}] {s}..{e - 1}" for p, (s, e) in sorted(pending.items()))
                raise KafkaIOError(f"no records from {topic} for {idle_timeout:g} s while reading {left}")
            for message in messages:
                partition = message.partition()
                if partition not in pending:
                    continue
                error = message.error()
                end = pending[partition][1]
                if error is not None:
                    if error.code() == KafkaError._PARTITION_EOF:
                        del pending[partition]  # the log ends before `end` (compacted tail or deleted)
                        continue
                    raise KafkaIOError(f"reading {topic}[{partition}]: {error}")
                if message.offset() >= end:
                    del pending[partition]
                    continue
                timestamp_type, timestamp = message.timestamp()
                yield FullRecord(
                    topic, partition, message.offset(), message.key(), message.value(),
                    timestamp if timestamp_type != TIMESTAMP_NOT_AVAILABLE else None,
                    list(message.headers() or []),
                )  # fmt: skip
                if message.offset() >= end - 1:
                    del pending[partition]
    finally:
        consumer.unassign()


def read_one(consumer: Consumer, topic: str, partition: int, offset: int, timeout: float = 15.0) -> FullRecord | None:
    """The record at exactly `offset`, or None when it is not there (deleted, compacted, or past the end)."""
    for record in read_ranges(consumer, topic, {partition: (offset, offset + 1)}, idle_timeout=timeout):
        return record if record.offset == offset else None
    return None


class ConfirmedProducer:
    """Produce with explicit partition, headers and timestamp; `flush()` waits for every acknowledgement
    and raises if any record was not delivered. acks=all and idempotence: no duplicates from retries."""

    def __init__(self, connection: Connection, flush_timeout: float = 60.0) -> None:
        self.producer = Producer(
            client_config(connection, **{"acks": "all", "enable.idempotence": True, "log_level": 0,
                          "message.max.bytes": 17 * 1024 * 1024, "linger.ms": 20})
        )  # fmt: skip
        self.flush_timeout = flush_timeout
        self.failures: list[str] = []
        self.delivered = 0
        self.offsets: dict[int, tuple[str, int, int]] = {}  # send number -> (topic, partition, offset)
        self._sent = 0

    def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        headers: list[tuple[str, bytes]],
        timestamp_ms: int | None = None,
    ) -> int:
        """Queue one record (`partition` None: by the key); returns its send number (look up
        `offsets[number]` after `flush()`)."""
        number = self._sent
        self._sent += 1

        def on_delivery(error: KafkaError | None, message: Any) -> None:
            if error is not None:
                self.failures.append(str(error))
            else:
                self.delivered += 1
                self.offsets[number] = (message.topic(), message.partition(), message.offset())

        extra: dict[str, Any] = {"timestamp": timestamp_ms} if timestamp_ms else {}
        if partition is not None:
            extra["partition"] = partition
        for _ in range(600):  # a full local queue drains within seconds; bounded all the same
            try:
                self.producer.produce(
                    topic, key=key, value=value, headers=headers, on_delivery=on_delivery, **extra
                )
                break
            except BufferError:
                self.producer.poll(0.1)
        else:
            raise KafkaIOError(f"the producer queue stayed full for 60 s while writing to {topic}")
        self.producer.poll(0)
        return number

    def flush(self) -> None:
        remaining = self.producer.flush(self.flush_timeout)
        if remaining or self.failures:
            raise KafkaIOError(
                f"{remaining} records not acknowledged within {self.flush_timeout:g} s, "
                f"{len(self.failures)} refused: {'; '.join(self.failures[:3])}"
            )
