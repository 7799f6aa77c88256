from __future__ import annotations

import json
from decimal import Decimal

import pytest

from schemas.codecs import SingleObjectCodec
from schemas.models import CallEvent
from streams.normalise import InvalidCallPayload, decode_raw_call, normalise_call, parse_transcript

ENVELOPE = {
    "event_type": "call_ended",
    "payload": {
        "call": {
            "id": "call_abc123xyz",
            "direction": "outbound",
            "type": "phone_call",
            "from_number": "12137771234",
            "to_number": "12137771235",
            "status": "hangup",
            "agent_id": "agent_1",
            "initiated_at": "2026-01-15T10:30:00.000Z",
            "disconnection_reason": "user_did_not_pick_up",
        }
    },
}


def test_envelope_shape_maps_fields_and_deprecated_reason() -> None:
    call = normalise_call(ENVELOPE)
    assert call.call_id == "call_abc123xyz"
    assert call.source_shape == "envelope"
    assert call.event_type == "call_ended"
    assert call.from_number == "+12137771234"
    assert call.hangup_reason == "user_did_not_pick_up"
    assert call.initiated_at is not None and call.initiated_at.year == 2026


def test_flat_shape_reads_extracted_data_into_billing_details() -> None:
    call = normalise_call(
        {
            "call_id": "call_flat",
            "status": "completed",
            "transcript": "Agent: hi\nUser: resend INV-7",
            "extracted_data": {"email": "a@b.example", "amount": "USD 1,200.50", "due_date": "2026-12-01"},
        }
    )
    assert call.source_shape == "flat"
    assert call.billing.email == "a@b.example"
    assert call.billing.amount is not None and call.billing.amount.amount == Decimal("1200.50")
    assert call.billing.amount.currency == "USD"
    assert str(call.billing.due_date) == "2026-12-01"
    assert [t.speaker for t in call.transcript] == ["agent", "user"]


def test_monitor_shape_uses_session_id_and_phone_number() -> None:
    call = normalise_call({"event": "call.ended", "session_id": "sess_1", "phone_number": "442071838750"})
    assert (call.call_id, call.source_shape, call.from_number) == ("sess_1", "monitor", "+442071838750")


def test_event_call_shape() -> None:
    call = normalise_call({"event": "call.completed", "call": {"call_id": "c9", "status": "completed"}})
    assert (call.call_id, call.source_shape, call.event_type) == ("c9", "event_call", "call_ended")


@pytest.mark.parametrize(
    ("transcript", "expected"),
    [
        ("Agent: hello\nUser: hi there\nsecond line", [("agent", "hello"), ("user", "hi there\nsecond line")]),
        ([{"role": "user", "text": "a"}, {"speaker": "Agent", "content": "b"}], [("user", "a"), ("agent", "b")]),
        ({"Agent": "a", "User": ["b", "c"]}, [("agent", "a"), ("user", "b"), ("user", "c")]),
    ],
)
def test_transcript_forms(transcript: object, expected: list[tuple[str, str]]) -> None:
    assert [(t.speaker, t.text) for t in parse_transcript(transcript)] == expected


@pytest.mark.parametrize(
    ("value", "reason_start"),
    [
        (b"", "empty message value"),
        (b"{oops", "malformed JSON"),
        (b"\xff\xfe", "payload is not valid UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"hello": "world"}', "JSON object of an unknown shape"),
        (json.dumps({"event_type": "call_ended", "payload": {"call": {"status": "x"}}}).encode(), "missing call id"),
        (
            json.dumps({"event_type": "call.exploded", "payload": {"call": {"id": "c"}}}).encode(),
            "unknown DialNexa event",
        ),
        (json.dumps({"call_id": "c", "duration": "long"}).encode(), "wrong field types"),
        (("[" * 100 + "]" * 100).encode(), "JSON nested deeper"),
        (b"\xc3\x01" + b"\x00" * 8 + b"\x02", "unknown schema fingerprint"),
    ],
)
def test_bad_input_has_a_specific_reason(value: bytes, reason_start: str) -> None:
    with pytest.raises(InvalidCallPayload) as error:
        decode_raw_call(value)
    assert str(error.value).startswith(reason_start)


def test_lifecycle_events_and_pings_carry_no_call() -> None:
    assert (
        decode_raw_call(json.dumps({"event_type": "call_initiated", "payload": {"call": {"id": "c"}}}).encode()) is None
    )
    assert decode_raw_call(json.dumps({"event_type": "verification"}).encode()) is None


def test_avro_call_event_on_the_raw_topic_is_accepted() -> None:
    call = normalise_call(ENVELOPE)
    assert decode_raw_call(SingleObjectCodec(CallEvent).encode(call)) == call
