"""Durable webhook de-duplication: the `webhook.deliveries` topic (issue 16, item 5).

Each accepted delivery is recorded on `webhook.deliveries` (compacted, 30 days) under
`<call id>:<sha256 of the body>`, after the raw topic acknowledged it. Every worker reads the whole
topic at start (the webhook answers 503 "retry" until it has, and `/readyz` says so) and follows it
afterwards, so a repeat is recognised after a restart and by another worker behind the same load
balancer. The body digest is part of the identity: a corrected body for the same call is a new
version and is accepted; only the same bytes again are a duplicate (DialNexa's retry, or a replay
of a captured request). The key holds no payload: a call id and a hash.

Memory: one 16-byte digest per delivery kept (30 days at 100 000 calls a day is ~50 MB).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

import faust
from aiokafka import AIOKafkaConsumer, TopicPartition
from confluent_kafka.admin import AdminClient

from callstream.kafkaauth import aiokafka_config
from callstream.settings import Settings
from streams.topics import WEBHOOK_DELIVERIES

log = logging.getLogger("callstream.webhook")


def delivery_key(call_id: str, body: bytes) -> str:
    return f"{call_id}:{hashlib.sha256(body).hexdigest()}"


def _digest(key: str | bytes) -> bytes:
    data = key.encode() if isinstance(key, str) else key
    return hashlib.blake2b(data, digest_size=16).digest()


class DeliveryLog:
    def __init__(self, app: faust.App, settings: Settings) -> None:
        self.settings = settings
        self.topic_name = settings.topic(WEBHOOK_DELIVERIES)
        self.topic = app.topic(
            self.topic_name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
        )
        self._seen: set[bytes] = set()
        self.loaded = asyncio.Event()

    def __contains__(self, key: str) -> bool:
        return _digest(key) in self._seen

    async def record(self, key: str) -> None:
        """Remember `key` here at once and, durably, for every worker and the next start."""
        self._seen.add(_digest(key))
        await (await self.topic.send(key=key.encode(), value=b"1"))

    async def follow(self) -> None:
        """Follow the topic for the life of the worker; a failure is logged in one line and retried."""
        while True:
            try:
                await self._follow_once()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("webhook delivery log: %s: %s; retrying in 5 s", type(error).__name__, str(error)[:200])
                await asyncio.sleep(5.0)

    def _partitions(self) -> list[int]:
        admin = AdminClient({**self.settings.kafka_client_config(), "log_level": 0})
        topic = admin.list_topics(self.topic_name, timeout=10).topics.get(self.topic_name)
        if topic is None or topic.error is not None or not topic.partitions:
            raise LookupError(f"topic {self.topic_name} not found")
        return sorted(topic.partitions)

    async def _follow_once(self) -> None:
        """Read the whole topic, set `loaded` once at its end offsets, then keep following it."""
        assigned = [TopicPartition(self.topic_name, p) for p in await asyncio.to_thread(self._partitions)]
        consumer = AIOKafkaConsumer(
            **aiokafka_config(self.settings),  # the cluster's TLS/SASL, as Faust's own clients
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            consumer.assign(assigned)
            await consumer.seek_to_beginning(*assigned)
            ends = await consumer.end_offsets(assigned)
            while not self.loaded.is_set():
                positions = [await consumer.position(tp) for tp in ends]
                if all(position >= end for position, end in zip(positions, ends.values(), strict=True)):
                    self.loaded.set()
                    log.info("webhook delivery log loaded: %d deliveries known", len(self._seen))
                    break
                self._take(await consumer.getmany(timeout_ms=500, max_records=5000))
            while True:
                self._take(await consumer.getmany(timeout_ms=1000, max_records=5000))
        finally:
            with contextlib.suppress(Exception):
                await consumer.stop()

    def _take(self, batches: dict) -> None:
        for records in batches.values():
            for record in records:
                if record.key:
                    self._seen.add(_digest(record.key))
