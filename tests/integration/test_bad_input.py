"""A flood of bad input mixed with good calls: every bad one dead-lettered with its reason, nothing lost."""

from __future__ import annotations

import json

import pytest

from callstream.kafkaio import produce
from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import CallEvent
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration


def good_call(call_id: str) -> bytes:
    transcript = f"User: please resend invoice INV-{call_id[-3:]}\nAgent: done"
    return json.dumps({"call_id": call_id, "status": "completed", "transcript": transcript}).encode()


def envelope(call: dict) -> bytes:
    return json.dumps({"event_type": "call_ended", "payload": {"call": call}}).encode()


AVRO_CALL = SingleObjectCodec(CallEvent).encode(
    CallEvent(call_id="bad-avro-trunc", event_type="call_ended", source_shape="flat")
)
NESTED = b'{"call_id": "bad-nested", "metadata": ' + b'{"a": ' * 200 + b"1" + b"}" * 201
UNKNOWN_FINGERPRINT = b"\xc3\x01" + bytes.fromhex("0123456789abcdef") + AVRO_CALL[10:]

# key -> (value, the reason the dead letter must start with)
BAD_INPUT: dict[bytes | None, tuple[bytes, str]] = {
    b"bad-json": (b'{"call_id": "bad-json", ', "malformed JSON"),
    b"bad-utf8": (b'{"call_id": "\xff\xfe"}', "payload is not valid UTF-8"),
    b"bad-empty": (b"", "empty message value"),
    None: (good_call("call_without_key"), "message has no key"),
    b"bad-missing-id": (envelope({"status": "completed"}), "missing call id"),
    b"bad-types": (json.dumps({"call_id": "bad-types", "duration": {"minutes": 3}}).encode(), "wrong field types"),
    b"bad-event": (json.dumps({"event_type": "call_exploded", "payload": {"call": {"id": "bad-event"}}}).encode(),
                   "unknown DialNexa event type"),
    b"bad-huge": (json.dumps({"call_id": "bad-huge", "transcript": "User: " + "a" * (10 * 1024 * 1024)}).encode(),
                  "payload of"),
    b"bad-nested": (NESTED, "JSON nested deeper"),
    b"bad-avro-fp": (UNKNOWN_FINGERPRINT, "unknown schema fingerprint"),
    b"bad-avro-trunc": (AVRO_CALL[:-3], "truncated or corrupt Avro"),
    b"bad-shape": (json.dumps({"hello": ["a", "valid", "json"]}).encode(), "JSON object of an unknown shape"),
    b"bad-array": (b"[1, 2, 3]", "expected a JSON object"),
    b"bad-key-mismatch": (good_call("call_other_id"), "message key is not the call id"),
}  # fmt: skip


def test_flood_of_bad_input(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    worker = start_worker()
    good = [f"call_good_{index:03d}" for index in range(30)]
    bad = list(BAD_INPUT.items())
    records: list[tuple[bytes | None, bytes]] = []
    for index, call_id in enumerate(good):  # interleave: a bad message after every two good ones
        records.append((call_id.encode(), good_call(call_id)))
        if index % 2 == 1 and bad:
            key, (value, _reason) = bad.pop()
            records.append((key, value))
    records.extend((key, value) for key, (value, _reason) in bad)
    produce(settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), records)

    values = read_until(
        settings,
        ["calls.deadletter", "calls.redacted"],
        until=lambda v: len(v["calls.deadletter"]) >= len(BAD_INPUT) and len(v["calls.redacted"]) >= len(good),
        timeout=120,
    )
    letters = values["calls.deadletter"]
    assert len(letters) == len(BAD_INPUT)
    by_key = {(letter.call_id.encode() if letter.call_id else None): letter for letter in letters}
    assert set(by_key) == set(BAD_INPUT)
    for key, (_value, reason) in BAD_INPUT.items():
        letter = by_key[key]
        assert letter.reason.startswith(reason), f"{key!r}: {letter.reason}"
        assert letter.stage == "redact" and letter.payload is None  # raw bytes may hold card data
        assert letter.source_topic == settings.topic("dialnexa.calls.raw") and letter.source_offset >= 0
    assert sorted(redacted.call.call_id for redacted in values["calls.redacted"]) == good
    assert worker.running()


def test_compressed_batches_from_any_producer_are_processed(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    worker = start_worker()
    codecs = ("gzip", "snappy", "lz4", "zstd")
    for codec in codecs:
        call_id = f"call_{codec}"
        raw = settings.topic("dialnexa.calls.raw")
        produce(settings.bootstrap_servers, raw, [(call_id.encode(), good_call(call_id))], compression=codec)
    values = read_until(settings, ["calls.redacted"], until=lambda v: len(v["calls.redacted"]) >= len(codecs))
    assert sorted(r.call.call_id for r in values["calls.redacted"]) == sorted(f"call_{c}" for c in codecs)
    assert worker.running()
