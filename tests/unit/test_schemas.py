from __future__ import annotations

import json
from decimal import Decimal

import pytest

from schemas.codecs import SingleObjectCodec, UndecodableMessage
from schemas.generate import AVRO_DIR, TOPIC_VALUE_MODELS, rendered_schema
from schemas.models import BillingDetails, CallEvent, Money, WorkflowAction


@pytest.mark.parametrize("model", TOPIC_VALUE_MODELS, ids=lambda m: m.__name__)
def test_committed_avsc_matches_the_model(model: type) -> None:
    committed = (AVRO_DIR / f"{model.__name__}.avsc").read_text()
    assert committed == rendered_schema(model), "run `python -m schemas.generate` and commit the result"


def test_sensitive_fields_are_tagged_in_the_schema() -> None:
    schema = json.loads((AVRO_DIR / "CallEvent.avsc").read_text())
    tags = {field["name"]: field.get("sensitive") for field in schema["fields"]}
    assert tags["summary"] == "free_text"
    assert tags["recording_url"] == "private_link"
    assert tags["call_id"] is None


def test_round_trip_keeps_decimals_and_dates() -> None:
    codec = SingleObjectCodec(CallEvent)
    call = CallEvent(
        call_id="c1",
        event_type="call_ended",
        source_shape="flat",
        billing=BillingDetails(amount=Money(amount=Decimal("12.34"), currency="eur")),
    )
    decoded = codec.decode(codec.encode(call))
    assert decoded == call
    assert decoded.billing.amount == Money(amount=Decimal("12.34"), currency="EUR")


def test_truncated_and_foreign_records_are_refused() -> None:
    codec = SingleObjectCodec(WorkflowAction)
    encoded = SingleObjectCodec(CallEvent).encode(CallEvent(call_id="c", event_type="e", source_shape="s"))
    with pytest.raises(UndecodableMessage, match="unknown schema fingerprint"):
        codec.decode(encoded)
    with pytest.raises(UndecodableMessage, match="truncated or corrupt"):
        SingleObjectCodec(CallEvent).decode(encoded[:-4])
    with pytest.raises(UndecodableMessage, match="missing C3 01"):
        codec.decode(b"{}")


def test_money_refuses_more_precision_than_the_schema_keeps() -> None:
    with pytest.raises(ValueError, match="decimal places"):
        Money(amount=Decimal("1.23456"), currency="USD")
