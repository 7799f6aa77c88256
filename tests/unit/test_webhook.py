"""The pure parts of the DialNexa webhook: signatures, call ids, duplicate memory."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

import pytest
from pydantic import SecretStr

from callstream.settings import Settings
from streams import webhook as webhook_module
from streams.normalise import normalise_call
from streams.webhook import (
    BadDelivery,
    Delivery,
    DialNexaWebhook,
    RecentDeliveries,
    extract_delivery,
    is_verification,
    parse_body,
    signature_candidates,
    signature_is_valid,
)

SECRET = b"whsec_current"
OLD_SECRET = b"whsec_previous"
BODY = b'{"event_type":"call_ended","payload":{"call":{"id":"call_1","status":"completed"}}}'


def sign(body: bytes, secret: bytes = SECRET) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


@pytest.mark.parametrize("header", ["X-DialNexa-Signature", "x-nexa-signature", "X-NEXA-SIGNATURE"])
@pytest.mark.parametrize("prefix", ["sha256=", "", "SHA256="])
def test_both_headers_and_both_formats_verify(header: str, prefix: str) -> None:
    candidates = signature_candidates({header: f"{prefix}{sign(BODY)}"})
    assert signature_is_valid(BODY, candidates, [SECRET])


def test_hex_case_and_surrounding_space_do_not_matter() -> None:
    assert signature_is_valid(BODY, signature_candidates({"x-nexa-signature": f"  {sign(BODY).upper()} "}), [SECRET])


def test_forged_tampered_and_unsigned_requests_fail() -> None:
    assert not signature_is_valid(BODY, signature_candidates({}), [SECRET])
    assert not signature_is_valid(BODY, signature_candidates({"X-DialNexa-Signature": "sha256="}), [SECRET])
    assert not signature_is_valid(BODY, signature_candidates({"X-DialNexa-Signature": sign(BODY, b"x")}), [SECRET])
    assert not signature_is_valid(BODY + b" ", signature_candidates({"X-DialNexa-Signature": sign(BODY)}), [SECRET])
    # A signature in some other header is not a signature.
    assert not signature_is_valid(BODY, signature_candidates({"X-Signature": sign(BODY)}), [SECRET])
    # Non-ASCII header values are refused, not crashed on (str compare_digest would raise TypeError).
    assert not signature_is_valid(BODY, ["sha256=é" * 8], [SECRET])


def test_the_signature_is_over_the_raw_bytes_not_re_serialised_json() -> None:
    reserialised = json.dumps(json.loads(BODY)).encode()  # adds spaces: different bytes, same JSON
    assert reserialised != BODY
    assert not signature_is_valid(BODY, [sign(reserialised)], [SECRET])


def test_rotation_accepts_the_previous_secret_only_while_it_is_configured() -> None:
    old_signed = signature_candidates({"X-DialNexa-Signature": f"sha256={sign(BODY, OLD_SECRET)}"})
    assert signature_is_valid(BODY, old_signed, [SECRET, OLD_SECRET])
    assert not signature_is_valid(BODY, old_signed, [SECRET])


def test_no_secret_verifies_nothing() -> None:
    assert not signature_is_valid(BODY, [sign(BODY, b"")], [b""])
    assert not signature_is_valid(BODY, [sign(BODY)], [])


def test_one_good_header_among_bad_ones_is_enough() -> None:
    headers = [("X-DialNexa-Signature", "sha256=" + "0" * 64), ("x-nexa-signature", sign(BODY))]
    assert signature_is_valid(BODY, signature_candidates(headers), [SECRET])


SHAPES = {
    "envelope": {"event_type": "call_ended", "payload": {"call": {"id": "call_a", "status": "completed"}}},
    "event_call": {"event": "call.completed", "call": {"call_id": "call_b", "status": "completed"}},
    "event_data": {"event": "call.failed", "data": {"id": "call_c", "status": "failed"}},
    "monitor": {"event": "call.ended", "session_id": "sess_d", "workspace_id": "ws", "phone_number": "1415"},
    "flat": {"call_id": "call_e", "status": "completed", "transcript": "Agent: hi"},
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_call_id_agrees_with_the_normaliser_for_every_shape(shape: str) -> None:
    payload = SHAPES[shape]
    delivery = extract_delivery(payload)
    # The key the webhook produces with must be the call id the pipeline later works with.
    assert delivery.call_id == normalise_call(payload).call_id


def test_delivery_identity_is_call_id_event_and_status() -> None:
    first = extract_delivery(SHAPES["envelope"])
    assert first == Delivery(call_id="call_a", event="call_ended", status="completed")
    hangup = {"event_type": "call_ended", "payload": {"call": {"id": "call_a", "status": "hangup"}}}
    analysis = {"event_type": "call_analysis_ready", "payload": {"call": {"id": "call_a", "status": "completed"}}}
    keys = {first.dedupe_key, extract_delivery(hangup).dedupe_key, extract_delivery(analysis).dedupe_key}
    assert len(keys) == 3
    assert extract_delivery(json.loads(json.dumps(SHAPES["envelope"]))).dedupe_key == first.dedupe_key


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"event_type": "call_ended", "payload": {"call": {"status": "completed"}}}, "no call id"),
        ({"event": "call.completed"}, "no call id"),
        ({"call_id": "   "}, "no call id"),
        ({"call_id": ["call_x"]}, "no call id"),
        ({"call_id": "c" * 201}, "longer than 200"),
    ],
)
def test_bodies_without_a_usable_call_id_are_refused(payload: dict, reason: str) -> None:
    with pytest.raises(BadDelivery, match=reason):
        extract_delivery(payload)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(body: bytes, reason: str) -> None:
    with pytest.raises(BadDelivery, match=reason):
        parse_body(body)


def test_verification_ping_is_recognised_in_either_envelope() -> None:
    assert is_verification({"event_type": "verification"})
    assert is_verification({"event": "Verification"})
    assert not is_verification({"event_type": "call_ended"})
    assert not is_verification({"event_type": 5})


def test_recent_deliveries_expire_and_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    recent = RecentDeliveries(ttl=60.0, max_entries=3)
    recent.add("a")
    assert "a" in recent
    now[0] += 59.0
    assert "a" in recent
    now[0] += 2.0
    assert "a" not in recent  # expired
    for key in ("b", "c", "d", "e"):
        recent.add(key)
    assert "b" not in recent  # the oldest went first when the bound was reached
    assert all(key in recent for key in ("c", "d", "e"))


# --- the handler, with a fake request and a fake topic (no broker) ----------------------------------


class FakeContent:
    def __init__(self, body: bytes, fail_if_read: bool = False) -> None:
        self._body = body
        self._fail = fail_if_read
        self.read_bytes = 0

    async def read(self, n: int) -> bytes:
        assert not self._fail, "the body must not be read"
        chunk, self._body = self._body[:n], self._body[n:]
        self.read_bytes += len(chunk)
        return chunk


class FakeRequest:
    def __init__(self, body: bytes, headers: dict[str, str], content_length: int | None = -1, **kwargs: bool) -> None:
        self.headers = headers
        self.content_length = len(body) if content_length == -1 else content_length
        self.content = FakeContent(body, **kwargs)


class FakeTopic:
    def __init__(self, delay: float = 0.0) -> None:
        self.sent: list[tuple[bytes, bytes]] = []
        self.delay = delay

    async def send(self, key: bytes, value: bytes):  # type: ignore[no-untyped-def]
        async def delivered() -> object:
            await asyncio.sleep(self.delay)
            self.sent.append((key, value))
            return type("Meta", (), {"offset": len(self.sent) - 1})()

        return asyncio.ensure_future(delivered())


def receiver(topic: FakeTopic, secret: str | None = "whsec_current", max_body: int = 4096) -> DialNexaWebhook:
    settings = Settings(
        dialnexa_webhook_secret=SecretStr(secret) if secret else None, webhook_max_body_bytes=max_body, _env_file=None
    )
    return DialNexaWebhook(settings, topic)  # type: ignore[arg-type]


def signed(body: bytes) -> dict[str, str]:
    return {"X-DialNexa-Signature": "sha256=" + sign(body)}


async def test_without_a_configured_secret_every_delivery_gets_503() -> None:
    topic = FakeTopic()
    status, _ = await receiver(topic, secret=None).handle(FakeRequest(BODY, signed(BODY)))  # type: ignore[arg-type]
    assert status == 503 and topic.sent == []


async def test_an_announced_oversized_body_is_refused_unread() -> None:
    topic = FakeTopic()
    request = FakeRequest(b"x" * 5000, signed(b"x" * 5000), fail_if_read=True)
    status, _ = await receiver(topic).handle(request)  # type: ignore[arg-type]
    assert status == 413 and topic.sent == []


async def test_an_unannounced_oversized_body_is_read_only_past_the_limit() -> None:
    topic = FakeTopic()
    request = FakeRequest(b"x" * 1_000_000, {}, content_length=None)
    status, _ = await receiver(topic).handle(request)  # type: ignore[arg-type]
    assert status == 413
    assert request.content.read_bytes <= 4096 + 64 * 1024  # the limit plus one chunk, not the megabyte


async def test_a_broker_that_does_not_ack_in_time_gets_503_and_the_retry_is_produced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webhook_module, "PRODUCE_TIMEOUT_SECONDS", 0.05)
    slow = FakeTopic(delay=1.0)
    hook = receiver(slow)
    status, _ = await hook.handle(FakeRequest(BODY, signed(BODY)))  # type: ignore[arg-type]
    assert status == 503
    hook.raw_topic = FakeTopic()  # the broker is back
    status, answer = await hook.handle(FakeRequest(BODY, signed(BODY)))  # type: ignore[arg-type]
    assert (status, answer["status"]) == (200, "accepted")  # a failed attempt is not remembered as done
    assert hook.raw_topic.sent == [(b"call_1", BODY)]


async def test_concurrent_duplicate_deliveries_are_produced_once() -> None:
    topic = FakeTopic(delay=0.05)
    hook = receiver(topic)
    results = await asyncio.gather(*(hook.handle(FakeRequest(BODY, signed(BODY))) for _ in range(3)))  # type: ignore[arg-type]
    assert sorted(answer["status"] for _, answer in results) == ["accepted", "duplicate", "duplicate"]
    assert topic.sent == [(b"call_1", BODY)]
