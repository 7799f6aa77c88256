"""A real broker with SASL_SSL (SCRAM-SHA-256/512, PLAIN) and mTLS listeners: both Kafka clients
(aiokafka through Faust, confluent-kafka for admin and I/O) connect with the settings alone, a
worker runs end to end through SASL_SSL, and wrong credentials fail fast with one clear line.

The broker is this module's own (`LocalKafka` with `SecureListeners`), with certificates made by
the test (`tests/integration/tls.py`) and SCRAM users written at format time.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from confluent_kafka.admin import AdminClient, NewTopic
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from callstream.kafkaauth import faust_credentials
from callstream.kafkaio import produce, read_topics
from callstream.localkafka import LocalKafka, SecureListeners, free_port
from callstream.preflight import ClusterUnavailable, check_cluster
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from schemas.codecs import SingleObjectCodec
from schemas.models import RedactedCall, SinkResult
from streams.topics import ensure_topics
from tests.integration.tls import Pki, make_pki

pytestmark = pytest.mark.integration

USER, PASSWORD = "callstream-svc", "s3cret-scram-pass"
CARD = "4111 1111 1111 1111"


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalKafka, Pki]]:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    secure = SecureListeners(
        ca_file=pki.ca_file,
        cert_file=pki.server_cert,
        key_file=pki.server_key,
        sasl_ssl_port=free_port(),
        mtls_port=free_port(),
        users=((USER, PASSWORD),),
    )
    broker = LocalKafka(
        tmp_path_factory.mktemp("secure-kafka"), port=free_port(), controller_port=free_port(), secure=secure
    )
    broker.up(report=print)
    try:
        yield broker, pki
    finally:
        broker.down()


def sasl_settings(broker: LocalKafka, pki: Pki, tmp_path: Path, **overrides: object) -> Settings:
    assert broker.secure is not None and broker.secure.sasl_ssl_port is not None
    run = uuid.uuid4().hex[:8]
    values: dict[str, object] = {
        "kafka_bootstrap_servers": f"127.0.0.1:{broker.secure.sasl_ssl_port}",
        "kafka_security_protocol": "SASL_SSL",
        "kafka_sasl_mechanism": "SCRAM-SHA-512",
        "kafka_sasl_username": USER,
        "kafka_sasl_password": PASSWORD,
        "kafka_ssl_ca_file": pki.ca_file,
        "topic_prefix": f"s{run}.",
        "app_id": f"callstream-secure-{run}",
        "topic_partitions": 1,
        "outbox_path": tmp_path / "outbox.sqlite3",
        "data_dir": tmp_path / "data",
        "web_port": free_port(),
        "table_store": "memory://",
    }
    return Settings(**(values | overrides), _env_file=None)


def mtls_settings(broker: LocalKafka, pki: Pki, tmp_path: Path, **overrides: object) -> Settings:
    assert broker.secure is not None
    return sasl_settings(
        broker, pki, tmp_path,
        kafka_bootstrap_servers=f"127.0.0.1:{broker.secure.mtls_port}", kafka_security_protocol="SSL",
        kafka_sasl_username=None, kafka_sasl_password=None,
        kafka_ssl_cert_file=pki.client_cert, kafka_ssl_key_file=pki.client_key,
        **overrides,
    )  # fmt: skip


async def aiokafka_round_trip(settings: Settings, topic: str) -> bytes | None:
    """Produce and consume one record with aiokafka configured exactly as Faust configures it."""
    auth = credentials_to_aiokafka_auth(faust_credentials(settings))
    producer = AIOKafkaProducer(bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=15000, **auth)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=settings.bootstrap_servers, auto_offset_reset="earliest",
        group_id=f"g-{uuid.uuid4().hex[:6]}", **auth,
    )  # fmt: skip
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), timeout=30)
        return message.value
    finally:
        await consumer.stop()


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"])
def test_both_clients_log_in_over_sasl_ssl(secure_broker, tmp_path: Path, mechanism: str) -> None:
    broker, pki = secure_broker
    settings = sasl_settings(broker, pki, tmp_path, kafka_sasl_mechanism=mechanism)
    check_cluster(settings)
    topic = settings.topic("probe")
    admin = AdminClient(settings.kafka_client_config())  # the broker auto-creates nothing
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    produce(settings.kafka_client_config(), topic, [(b"k", b"from-librdkafka")])
    records = read_topics(settings.kafka_client_config(), [topic], until=lambda r: len(r) >= 1, timeout=30)
    assert [r.value for r in records] == [b"from-librdkafka"]
    aio_topic = settings.topic("probe-aio")
    admin.create_topics([NewTopic(aio_topic, 1, 1)])[aio_topic].result(30)
    assert asyncio.run(aiokafka_round_trip(settings, aio_topic)) == b"hello"


def test_mtls_needs_the_client_certificate(secure_broker, tmp_path: Path) -> None:
    broker, pki = secure_broker
    settings = mtls_settings(broker, pki, tmp_path)
    check_cluster(settings)
    topic = settings.topic("mtls")
    admin = AdminClient(settings.kafka_client_config())
    admin.create_topics([NewTopic(topic, 1, 1)])[topic].result(30)
    assert asyncio.run(aiokafka_round_trip(settings, topic)) == b"hello"
    anonymous = settings.model_copy(update={"kafka_ssl_cert_file": None, "kafka_ssl_key_file": None})
    with pytest.raises(ClusterUnavailable) as refused:
        check_cluster(anonymous, timeout=5)
    print("without a client certificate:", refused.value)
    assert "TLS with the broker failed" in str(refused.value)
    assert "CALLSTREAM_KAFKA_SSL_CERT_FILE" in str(refused.value)
    wrong_ca = settings.model_copy(update={"kafka_ssl_ca_file": pki.other_ca_file})
    with pytest.raises(ClusterUnavailable) as untrusted:
        check_cluster(wrong_ca, timeout=5)
    print("with the wrong CA:", untrusted.value)
    assert "TLS with the broker failed" in str(untrusted.value)


def test_a_worker_runs_end_to_end_through_sasl_ssl(secure_broker, tmp_path: Path) -> None:
    broker, pki = secure_broker
    settings = sasl_settings(broker, pki, tmp_path)
    ensure_topics(settings)
    worker = WorkerProcess(settings, tmp_path / "worker.log")
    worker.start()
    try:
        worker.wait_ready(timeout=120)
        call = {
            "event_type": "call_ended",
            "payload": {"call": {"id": "call_sasl_1", "status": "completed",
                                 "transcript": f"User: refund please, card {CARD}.\nAgent: Noted.",
                                 "post_call_analysis": {"email": "ana@acme.example", "intent": "refund_approval"}}},
        }  # fmt: skip
        produce(settings.kafka_client_config(), settings.topic("dialnexa.calls.raw"),
                [(b"call_sasl_1", json.dumps(call).encode())])  # fmt: skip
        # Every stage: redacted, enriched, classified, and written by the sinks (to the outbox here).
        redacted_topic, results_topic = settings.topic("calls.redacted"), settings.topic("sink.results")
        records = read_topics(
            settings.kafka_client_config(), [redacted_topic, results_topic],
            until=lambda rs: any(r.topic == results_topic for r in rs), timeout=120,
        )  # fmt: skip
        redacted = [SingleObjectCodec(RedactedCall).decode(r.value or b"") for r in records if r.topic != results_topic]
        results = [SingleObjectCodec(SinkResult).decode(r.value or b"") for r in records if r.topic == results_topic]
        assert [r.call.call_id for r in redacted] == ["call_sasl_1"], f"see {worker.log_path}"
        assert "4111" not in redacted[0].model_dump_json()
        assert results and {r.call_id for r in results} == {"call_sasl_1"}, f"see {worker.log_path}"
    finally:
        worker.stop()
    log = worker.log_path.read_text()
    assert PASSWORD not in log
    # Isolation: the worker's changelogs and its consumer group live under CALLSTREAM_TOPIC_PREFIX too.
    admin = AdminClient(settings.kafka_client_config())
    own = [name for name in admin.list_topics(timeout=30).topics if settings.app_id in name]
    assert any(name.endswith("-changelog") for name in own)
    assert all(name.startswith(settings.topic_prefix) for name in own), own
    listed = admin.list_consumer_groups().result(timeout=30).valid
    groups = {group.group_id for group in listed if settings.app_id in group.group_id}
    assert groups == {settings.topic_prefix + settings.app_id}


def run_worker_cli(settings: Settings, tmp_path: Path, timeout: float = 60) -> tuple[int, str, float]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CALLSTREAM_", "KAFKA_"))}
    environment |= settings.as_environment()
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "callstream.cli", "worker"], env=environment, capture_output=True, text=True,
        timeout=timeout, cwd=tmp_path,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def test_a_wrong_password_fails_fast_with_one_line(secure_broker, tmp_path: Path) -> None:
    broker, pki = secure_broker
    settings = sasl_settings(broker, pki, tmp_path, kafka_sasl_password="not-the-password")
    code, output, elapsed = run_worker_cli(settings, tmp_path)
    assert code == 77, output
    assert elapsed < 15, f"took {elapsed:.1f} s"
    errors = [line for line in output.splitlines() if line.startswith("callstream worker:")]
    assert len(errors) == 1, output
    assert "refused the login of user 'callstream-svc' with SCRAM-SHA-512" in errors[0]
    assert "CALLSTREAM_KAFKA_SASL_PASSWORD" in errors[0]
    assert "not-the-password" not in output
    assert "Traceback" not in output
