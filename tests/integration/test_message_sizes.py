"""Message sizes at each boundary, on the real broker and a real worker (issue 16, item 2).

The chain: webhook body limit (2 MiB default) <= redactor input limit (8 MiB) < every topic's
max.message.bytes = producer max request size = consumer fetch size (16 MiB). Nothing that can never
succeed is answered with "retry" (503): it is a 413 or a dead letter with a reason.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import httpx
import pytest
from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, ResourceType
from pydantic import SecretStr

from callstream.kafkaio import produce
from callstream.settings import Settings
from streams.normalise import MAX_PAYLOAD_BYTES
from streams.topics import MAX_MESSAGE_BYTES, RAW
from tests.integration.helpers import read_until, wait_until_serving

pytestmark = pytest.mark.integration

SECRET = "whsec_sizes"
WEBHOOK_LIMIT = Settings.model_fields["webhook_max_body_bytes"].default  # the documented 2 MiB


def body_of_size(call_id: str, size: int) -> bytes:
    """A DialNexa delivery of exactly `size` bytes: a long, harmless transcript."""
    line = "Customer: please resend invoice INV-1042 to accounts. Agent: Of course. "  # no escapes in JSON

    def build(transcript: str) -> bytes:
        call = {"id": call_id, "status": "completed", "transcript": transcript}
        return json.dumps({"event_type": "call_ended", "payload": {"call": call}}).encode()

    base = len(build(""))
    transcript = (line * ((size - base) // len(line) + 1))[: size - base]
    body = build(transcript)
    assert len(body) == size
    return body


def sign(body: bytes) -> dict[str, str]:
    return {"X-DialNexa-Signature": hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}


@pytest.fixture
def worker(pipeline_settings: Settings, start_worker) -> Iterator[tuple[Settings, httpx.Client]]:
    settings = pipeline_settings.model_copy(
        update={"dialnexa_webhook_secret": SecretStr(SECRET), "redaction_timeout_seconds": 60.0}
    )
    start_worker(settings)
    with httpx.Client(base_url=f"http://127.0.0.1:{settings.web_port}", timeout=30.0, trust_env=False) as client:
        wait_until_serving(client)
        yield settings, client


def test_the_webhook_limit_is_exact_and_a_2_mib_call_goes_through_the_pipeline(
    worker: tuple[Settings, httpx.Client],
) -> None:
    settings, client = worker
    assert WEBHOOK_LIMIT == 2 * 1024 * 1024
    at_limit = body_of_size("call_size_at_limit", WEBHOOK_LIMIT)
    over = body_of_size("call_size_over", WEBHOOK_LIMIT + 1)
    assert client.post("/webhooks/dialnexa", content=over, headers=sign(over)).status_code == 413
    # Over 1,000,000 bytes (the old producer limit, which answered 503 forever): accepted...
    answer = client.post("/webhooks/dialnexa", content=at_limit, headers=sign(at_limit))
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "accepted"
    # ...and redacted: the worker's producer writes a ~2 MB record to calls.redacted.
    values = read_until(
        settings, ["calls.redacted", "calls.deadletter"], lambda v: bool(v["calls.redacted"] or v["calls.deadletter"])
    )
    assert not values["calls.deadletter"], [letter.reason for letter in values["calls.deadletter"]]
    (redacted,) = values["calls.redacted"]
    assert redacted.call.call_id == "call_size_at_limit"
    assert sum(len(turn.text) for turn in redacted.call.transcript) > 1_000_000


def test_the_raw_topic_takes_16_mib_and_the_redactor_dead_letters_what_it_cannot_take(
    worker: tuple[Settings, httpx.Client],
) -> None:
    settings, _client = worker
    raw = settings.topic(RAW)
    over_redactor = body_of_size("call_size_over_redactor", MAX_PAYLOAD_BYTES + 1)
    near_topic_limit = body_of_size("call_size_near_topic", MAX_MESSAGE_BYTES - 4096)
    produce(settings.bootstrap_servers, raw, [(b"call_size_over_redactor", over_redactor)])
    produce(settings.bootstrap_servers, raw, [(b"call_size_near_topic", near_topic_limit)])
    # One byte more than the topic allows (plus batch overhead) is refused by the broker itself.
    with pytest.raises(RuntimeError, match=r"MSG_SIZE_TOO_LARGE|too large"):
        produce(settings.bootstrap_servers, raw, [(b"call_size_over_topic", b"x" * (MAX_MESSAGE_BYTES + 1))])
    values = read_until(settings, ["calls.deadletter"], lambda v: len(v["calls.deadletter"]) >= 2, timeout=90)
    letters = {letter.call_id: letter for letter in values["calls.deadletter"]}
    for call_id in ("call_size_over_redactor", "call_size_near_topic"):
        assert f"exceeds the {MAX_PAYLOAD_BYTES} byte limit" in letters[call_id].reason
        assert letters[call_id].payload is None  # raw data never leaves the raw topic


def test_a_delivery_the_broker_can_never_take_is_413_with_a_dead_letter_not_503(
    worker: tuple[Settings, httpx.Client],
) -> None:
    settings, client = worker
    raw = settings.topic(RAW)
    # An operator shrank the raw topic's limit below the webhook's (the start-up check warns about it).
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    resource = ConfigResource(
        ResourceType.TOPIC,
        raw,
        incremental_configs=[
            ConfigEntry("max.message.bytes", str(100_000), incremental_operation=AlterConfigOpType.SET)
        ],
    )
    for future in admin.incremental_alter_configs([resource]).values():
        future.result(timeout=30)
    body = body_of_size("call_size_refused", 300_000)
    for _attempt in range(3):  # DialNexa's retries: the same answer each time, never "retry later"
        answer = client.post("/webhooks/dialnexa", content=body, headers=sign(body))
        assert answer.status_code == 413, answer.text
        assert "too large" in answer.json()["error"]
    small = body_of_size("call_size_small", 20_000)
    assert client.post("/webhooks/dialnexa", content=small, headers=sign(small)).status_code == 200
    values = read_until(settings, ["calls.deadletter"], lambda v: len(v["calls.deadletter"]) >= 3, timeout=30)
    letters = [letter for letter in values["calls.deadletter"] if letter.call_id == "call_size_refused"]
    assert len(letters) == 3
    assert all(letter.stage == "webhook" and letter.payload is None for letter in letters)
    assert "300000 byte delivery" in letters[0].reason
