"""Durable webhook de-duplication across a worker restart, on the real broker (issue 16, item 5)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest
from pydantic import SecretStr

from callstream.kafkaio import read_topics
from callstream.settings import Settings
from tests.integration.test_webhook import produced_count

pytestmark = pytest.mark.integration

SECRET = "whsec_dedupe"


def body(call_id: str, invoice: str = "INV-1042") -> bytes:
    call = {"id": call_id, "status": "completed", "transcript": f"User: please resend invoice {invoice}."}
    return json.dumps({"event_type": "call_ended", "payload": {"call": call}}).encode()


def post(base: str, content: bytes) -> httpx.Response:
    signature = hmac.new(SECRET.encode(), content, hashlib.sha256).hexdigest()
    deadline = time.monotonic() + 30
    while True:  # the web server may come up just after the consumer group
        try:
            response = httpx.post(
                base + "/webhooks/dialnexa", content=content, headers={"X-DialNexa-Signature": signature},
                timeout=10.0, trust_env=False,
            )  # fmt: skip
        except httpx.TransportError:
            response = None
        # 503 only while a fresh worker reads the delivery log; anything else is the answer.
        if response is not None and response.status_code != 503:
            return response
        if time.monotonic() > deadline:
            raise AssertionError(f"no answer but 503 within 30 s: {response and response.text}")
        time.sleep(0.3)


def test_a_repeat_is_a_duplicate_after_a_restart_and_a_corrected_body_is_a_new_version(
    pipeline_settings: Settings, start_worker
) -> None:
    settings = pipeline_settings.model_copy(update={"dialnexa_webhook_secret": SecretStr(SECRET)})
    original, corrected = body("call_dd_1"), body("call_dd_1", invoice="INV-1043")

    first = start_worker(settings, name="first")
    base = f"http://127.0.0.1:{settings.web_port}"
    assert post(base, original).json()["status"] == "accepted"
    assert post(base, original).json()["status"] == "duplicate"
    first.stop()  # a clean restart: the in-memory set is gone with the process

    second = start_worker(settings, name="second")
    base = f"http://127.0.0.1:{second.settings.web_port}"
    # A captured signed request replayed after the restart is still recognised...
    assert post(base, original).json()["status"] == "duplicate"
    # ...while a corrected body for the same call is a new version, not a duplicate.
    assert post(base, corrected).json()["status"] == "accepted"
    assert post(base, corrected).json()["status"] == "duplicate"

    # A second worker behind the same load balancer knows what the first accepted.
    third = start_worker(settings, name="third")
    other = f"http://127.0.0.1:{third.settings.web_port}"
    assert post(other, corrected).json()["status"] == "duplicate"
    assert post(other, original).json()["status"] == "duplicate"

    assert produced_count(settings) == 2
    records = read_topics(
        settings.bootstrap_servers, [settings.topic("dialnexa.calls.raw")], until=lambda r: len(r) >= 2, timeout=30
    )
    assert sorted(record.value for record in records) == sorted([original, corrected])
    # The durable log holds identities only: call id and a digest, never the body.
    log = read_topics(
        settings.bootstrap_servers, [settings.topic("webhook.deliveries")], until=lambda r: len(r) >= 2, timeout=30
    )
    assert {record.key.decode() for record in log} == {
        f"call_dd_1:{hashlib.sha256(original).hexdigest()}",
        f"call_dd_1:{hashlib.sha256(corrected).hexdigest()}",
    }
