"""`POST /webhooks/dialnexa` with real HTTP requests against a running worker and the real broker."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from confluent_kafka import Consumer, TopicPartition
from pydantic import SecretStr

from callstream.kafkaio import read_topics
from callstream.settings import Settings
from tests.integration.helpers import wait_until_serving

pytestmark = pytest.mark.integration

SECRET = "whsec_integration_current"
OLD_SECRET = "whsec_integration_previous"
MAX_BODY = 64 * 1024


def call_body(call_id: str, status: str = "completed") -> bytes:
    return json.dumps(
        {
            "event_type": "call_ended",
            "payload": {
                "call": {
                    "id": call_id,
                    "status": status,
                    "from_number": "14155550101",
                    "transcript": "User: please resend invoice INV-1042.\nAgent: Done.",
                    "post_call_analysis": {"email": "ana@acme.example", "invoice_number": "INV-1042"},
                }
            },
        }
    ).encode()


def sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def produced_count(settings: Settings) -> int:
    """Records on the raw topic: the sum of its partitions' high watermarks (the topic is new per test)."""
    topic = settings.topic("dialnexa.calls.raw")
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": "watermarks", "log_level": 0})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions)
    finally:
        consumer.close()


@pytest.fixture
def webhook(pipeline_settings: Settings, start_worker) -> Iterator[tuple[Settings, httpx.Client]]:
    settings = pipeline_settings.model_copy(
        update={
            "dialnexa_webhook_secret": SecretStr(SECRET),
            "dialnexa_webhook_previous_secret": SecretStr(OLD_SECRET),
            "webhook_max_body_bytes": MAX_BODY,
        }
    )
    start_worker(settings)
    base = f"http://127.0.0.1:{settings.web_port}"
    with httpx.Client(base_url=base, timeout=10.0, trust_env=False) as client:
        wait_until_serving(client)
        yield settings, client


def post(client: httpx.Client, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    headers = {"Content-Type": "application/json", **(headers or {})}
    return client.post("/webhooks/dialnexa", content=body, headers=headers)


def test_signed_deliveries_are_produced_exactly_once(webhook: tuple[Settings, httpx.Client]) -> None:
    settings, client = webhook
    sent: dict[str, bytes] = {}
    variants = [
        ("call_wh_1", "X-DialNexa-Signature", "sha256="),
        ("call_wh_2", "X-DialNexa-Signature", ""),
        ("call_wh_3", "x-nexa-signature", "sha256="),
        ("call_wh_4", "x-nexa-signature", ""),
    ]
    for call_id, header, prefix in variants:
        body = call_body(call_id)
        started = time.monotonic()
        response = post(client, body, {header: prefix + sign(body)})
        assert response.status_code == 200, (header, prefix, response.text)
        assert response.json() == {"status": "accepted", "call_id": call_id}
        assert time.monotonic() - started < 5.0  # DialNexa's deadline, with the broker ack included
        sent[call_id] = body

    # DialNexa retries a delivery whose 2xx it did not see: the same call id + event + status.
    retry = post(client, sent["call_wh_1"], {"X-DialNexa-Signature": "sha256=" + sign(sent["call_wh_1"])})
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    # A later event for the same call is new work, not a duplicate.
    hangup = call_body("call_wh_1", status="hangup")
    assert post(client, hangup, {"x-nexa-signature": sign(hangup)}).json()["status"] == "accepted"
    # During a secret rotation, deliveries still signed with the previous secret are accepted.
    rotated = call_body("call_wh_5")
    assert post(client, rotated, {"x-nexa-signature": sign(rotated, OLD_SECRET)}).status_code == 200
    # The verification ping gets its 2xx and produces nothing.
    ping = json.dumps({"event_type": "verification"}).encode()
    answer = post(client, ping, {"X-DialNexa-Signature": "sha256=" + sign(ping), "User-Agent": "DialNexa-ping"})
    assert answer.status_code == 200 and answer.json() == {"status": "verified"}

    expected = [*sent.items(), ("call_wh_1", hangup), ("call_wh_5", rotated)]
    # Every 2xx was sent after the broker's ack, so the watermarks already count everything produced.
    assert produced_count(settings) == len(expected)
    records = read_topics(
        settings.bootstrap_servers,
        [settings.topic("dialnexa.calls.raw")],
        until=lambda r: len(r) >= len(expected),
        timeout=30,
    )
    # Keyed by call id, stored exactly as signed.
    assert sorted((r.key, r.value) for r in records) == sorted((k.encode(), v) for k, v in expected)


def test_unsigned_forged_oversized_and_unusable_requests_produce_nothing(
    webhook: tuple[Settings, httpx.Client],
) -> None:
    settings, client = webhook
    body = call_body("call_bad_1")
    assert post(client, body).status_code == 401  # unsigned
    assert post(client, body, {"X-DialNexa-Signature": "sha256=" + sign(body, "not-the-secret")}).status_code == 401
    assert post(client, body, {"x-nexa-signature": "sha256="}).status_code == 401
    tampered = body.replace(b"INV-1042", b"INV-9999")
    assert post(client, tampered, {"X-DialNexa-Signature": sign(body)}).status_code == 401
    assert post(client, body, {"X-Other-Signature": sign(body)}).status_code == 401

    # Oversized, announced by Content-Length: refused before the body is read, signature or not.
    big = b'{"call_id": "call_big", "pad": "' + b"x" * MAX_BODY + b'"}'
    response = post(client, big, {"X-DialNexa-Signature": sign(big)})
    assert response.status_code == 413
    # Oversized without Content-Length (chunked): refused once the read passes the limit.
    chunks = [big[i : i + 8192] for i in range(0, len(big), 8192)]
    streamed = client.post("/webhooks/dialnexa", content=iter(chunks), headers={"X-DialNexa-Signature": sign(big)})
    assert streamed.status_code == 413

    # Signed, but not something the pipeline can key: 400 with a reason.
    not_json = b"call_id=call_bad_2"
    assert post(client, not_json, {"X-DialNexa-Signature": sign(not_json)}).status_code == 400
    no_id = json.dumps({"event_type": "call_ended", "payload": {"call": {"status": "completed"}}}).encode()
    answer = post(client, no_id, {"X-DialNexa-Signature": sign(no_id)})
    assert answer.status_code == 400 and "no call id" in answer.json()["error"]

    # The route takes POST only.
    assert client.get("/webhooks/dialnexa").status_code == 405

    # Nothing reached the raw topic; a valid delivery afterwards proves the endpoint was live all along.
    assert produced_count(settings) == 0
    good = call_body("call_good_after")
    assert post(client, good, {"X-DialNexa-Signature": sign(good)}).status_code == 200
    assert produced_count(settings) == 1
