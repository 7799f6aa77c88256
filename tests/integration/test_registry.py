"""The event contract on the wire: Confluent format through a real local registry, single-object
without one, and schema evolution both ways under the FULL_TRANSITIVE rule (docs/topics.md).

The registry is Apicurio Registry started by the project (`schema_registry_url` fixture); each test
uses its own topic prefix, so subjects never collide between tests.
"""

from __future__ import annotations

import io
import json
import struct
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastavro
import pytest
from confluent_kafka.schema_registry import Schema
from pydantic import BaseModel

from callstream.kafkaio import produce, read_topics
from callstream.settings import Settings
from schemas import codecs as codecs_module
from schemas.avro import avro_schema, to_avro_record
from schemas.codecs import (
    SINGLE_OBJECT_MARKER,
    PipelineCodecs,
    SingleObjectCodec,
    UndecodableMessage,
    build_codecs,
    schema_fingerprint,
)
from schemas.models import (
    BillingDetails,
    CallEvent,
    DeadLetter,
    EnrichedCall,
    EnrichmentStatus,
    Money,
    RedactedCall,
    RedactionReport,
    SinkResult,
    StripeContext,
    TranscriptTurn,
    WorkflowAction,
)
from schemas.registry import (
    COMPATIBILITY,
    RegistryCodec,
    SchemaRegistrationError,
    registry_client,
    value_subject,
)

pytestmark = pytest.mark.integration

AT = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=UTC)
CALL = CallEvent(
    call_id="call_reg_1",
    event_type="call_ended",
    source_shape="envelope",
    status="completed",
    from_number="+14155550101",
    sentiment="negative",
    initiated_at=AT,
    duration_seconds=93.5,
    transcript=[TranscriptTurn(speaker="user", text="Please resend invoice INV-1042.")],
    post_call_analysis={"intent": "invoice_resend"},
    billing=BillingDetails(
        email="ana@acme.example",
        invoice_number="INV-1042",
        amount=Money(amount=Decimal("1249.5000"), currency="EUR"),
        due_date=date(2026, 12, 1),
    ),
    received_at=AT,
)
REPORT = RedactionReport(counts={"card_number": 1}, dropped_fields=["billing.payment_id"], redactor_version="1")
ACTION = WorkflowAction(
    idempotency_key="call_reg_1:invoice_resend:send",
    call_id="call_reg_1",
    workflow="invoice_resend",
    action="send",
    destination_object="altoviz.invoice",
    owner="finance@acme.example",
    status="pending",
    urgency="normal",
    next_step="send INV-1042 to the verified email",
    confidence=0.92,
    amount=Money(amount=Decimal("1249.5"), currency="EUR"),
    created_at=AT,
)
SAMPLES: dict[type[BaseModel], BaseModel] = {
    CallEvent: CALL,
    RedactedCall: RedactedCall(call=CALL, redaction=REPORT),
    EnrichedCall: EnrichedCall(
        call=CALL,
        redaction=REPORT,
        stripe=StripeContext(customer_id="cus_1", amount_due=Money(amount=Decimal("10"), currency="usd")),
        enrichment=EnrichmentStatus(complete=False, partial_reasons=["hubspot timed out"]),
    ),
    WorkflowAction: ACTION,
    SinkResult: SinkResult(
        idempotency_key=ACTION.idempotency_key,
        call_id="call_reg_1",
        workflow="invoice_resend",
        action="send",
        sink="altoviz",
        outcome="written",
        at=AT,
    ),
    DeadLetter: DeadLetter(
        call_id="call_reg_1",
        stage="redact",
        reason="the transcript is not valid UTF-8",
        error_type="StageError",
        source_topic="dialnexa.calls.raw",
        source_partition=1,
        source_offset=42,
        payload=b"\x00\xff redacted",
        payload_redacted=True,
        at=AT,
    ),
}
FIELDS = {
    CallEvent: "call_event",
    RedactedCall: "redacted",
    EnrichedCall: "enriched",
    WorkflowAction: "action",
    SinkResult: "sink_result",
    DeadLetter: "deadletter",
}

# Evolution fixtures, derived from the current CallEvent schema so they stay in step with it:
# an older producer that did not have `sentiment` yet, and a newer one that added `caller_language`.
CURRENT = avro_schema(CallEvent)
OLDER = {**CURRENT, "fields": [f for f in CURRENT["fields"] if f["name"] != "sentiment"]}
NEW_FIELD: dict[str, Any] = {"name": "caller_language", "type": ["null", "string"], "default": None}
NEWER = {**CURRENT, "fields": [*CURRENT["fields"], NEW_FIELD]}


def settings_for(url: str) -> Settings:
    return Settings(schema_registry_url=url, topic_prefix=f"r{uuid.uuid4().hex[:8]}.", _env_file=None)


def confluent_frame(schema_id: int, schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    """What another producer, with its own copy of `schema`, puts on the topic."""
    buffer = io.BytesIO()
    buffer.write(struct.pack(">bI", 0, schema_id))
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(schema), record)
    return buffer.getvalue()


def single_object_frame(schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    buffer.write(SINGLE_OBJECT_MARKER + schema_fingerprint(schema))
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(schema), record)
    return buffer.getvalue()


def older_record() -> dict[str, Any]:
    record = to_avro_record(CALL)
    del record["sentiment"]
    return record


def newer_record() -> dict[str, Any]:
    return {**to_avro_record(CALL), "caller_language": "de"}


# --- the registry path -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(SAMPLES), ids=lambda m: m.__name__)
def test_every_topic_value_round_trips_through_the_registry(schema_registry_url: str, model: type) -> None:
    settings = settings_for(schema_registry_url)
    codecs = build_codecs(settings)
    codec = getattr(codecs, FIELDS[model])
    assert isinstance(codec, RegistryCodec)

    encoded = codec.encode(SAMPLES[model])
    assert encoded[0] == 0
    schema_id = struct.unpack(">I", encoded[1:5])[0]
    assert schema_id == codec.schema_id
    client = registry_client(schema_registry_url)
    registered = json.loads(client.get_schema(schema_id).schema_str)
    assert registered["name"] == model.__name__
    # A reader that registered nothing and knows only the id still gets the same value back.
    reader = RegistryCodec(model, registry_client(schema_registry_url), codec.subjects, register=False)
    assert reader.decode(encoded) == SAMPLES[model]
    for subject in codec.subjects:
        assert client.get_compatibility(subject) == COMPATIBILITY


def test_subjects_follow_topic_names_and_actions_go_to_every_workflow_topic(schema_registry_url: str) -> None:
    settings = settings_for(schema_registry_url)
    codecs = build_codecs(settings)
    subjects = {s for s in registry_client(schema_registry_url).get_subjects() if s.startswith(settings.topic_prefix)}
    assert subjects == {
        value_subject(settings.topic(name))
        for name in (
            "dialnexa.calls.raw", "calls.redacted", "calls.enriched", "sink.results", "calls.deadletter",
            "workflow.review", "workflow.receipt_resend", "workflow.charge_dispute", "workflow.invoice_resend",
            "workflow.renewal_failed", "workflow.refund_approval", "workflow.billing_correction",
            "workflow.collections_log", "workflow.contact_sync",
        )
    }  # fmt: skip
    # One encoded action is sent unchanged to a workflow topic and to review: both subjects resolve it.
    encoded = codecs.action.encode(ACTION)
    reader = RegistryCodec(WorkflowAction, registry_client(schema_registry_url), ["unused"], register=False)
    assert reader.decode(encoded) == ACTION


def test_registry_records_cross_a_real_topic_to_an_independent_reader(
    schema_registry_url: str, kafka_bootstrap: str
) -> None:
    settings = settings_for(schema_registry_url).model_copy(update={"kafka_bootstrap_servers": kafka_bootstrap})
    codecs = build_codecs(settings)
    topic = settings.topic("contract.roundtrip")
    records = [(str(i).encode(), getattr(codecs, FIELDS[m]).encode(v)) for i, (m, v) in enumerate(SAMPLES.items())]
    # The local broker does not auto-create topics (issue 16): create this test's own topic.
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})  # kept alive until the futures resolve
    for future in admin.create_topics([NewTopic(topic, 1, 1)]).values():
        future.result(timeout=30)
    produce(kafka_bootstrap, topic, records)
    consumed = read_topics(kafka_bootstrap, [topic], until=lambda r: len(r) >= len(records), timeout=60)
    assert len(consumed) == len(records)
    # A downstream consumer: its own client, nothing registered, schemas fetched by id.
    client = registry_client(schema_registry_url)
    models = list(SAMPLES)
    for record in consumed:
        model = models[int(record.key or b"")]
        assert record.value is not None
        assert RegistryCodec(model, client, ["unused"], register=False).decode(record.value) == SAMPLES[model]


def test_registry_codecs_refuse_bad_records_with_reasons(schema_registry_url: str) -> None:
    codecs = build_codecs(settings_for(schema_registry_url))
    codec = codecs.call_event
    encoded = codec.encode(CALL)
    cases = {
        b"": "empty value",
        b"\x00\x00\x01": "truncated Confluent-framed CallEvent",
        struct.pack(">bI", 0, 987_654) + encoded[5:]: "unknown schema id 987654",
        encoded[:-6]: "truncated or corrupt Avro CallEvent body",
        encoded + b"\x00": "trailing bytes",
        codecs.deadletter.encode(SAMPLES[DeadLetter]): "is a dev.callstream.DeadLetter, not a dev.callstream.CallEvent",
        b"\x01" + bytes(16) + encoded[5:]: "schema GUID",
        b'{"call_id": "c"}': "neither Confluent wire format",
    }
    for data, reason in cases.items():
        with pytest.raises(UndecodableMessage, match=reason):
            codec.decode(data)


def test_both_wire_formats_read_whatever_the_setting(schema_registry_url: str) -> None:
    registry_codecs = build_codecs(settings_for(schema_registry_url))
    plain_codecs = build_codecs()
    assert isinstance(plain_codecs.call_event, SingleObjectCodec)
    assert build_codecs(Settings(_env_file=None)).call_event.__class__ is SingleObjectCodec

    # A migration in progress: single-object records still on the topic, registry records arriving.
    old_bytes = plain_codecs.call_event.encode(CALL)
    new_bytes = registry_codecs.call_event.encode(CALL)
    assert registry_codecs.call_event.decode(old_bytes) == CALL
    assert registry_codecs.call_event.decode(new_bytes) == CALL
    # Without a registry the id cannot be resolved: the reason says what to configure.
    with pytest.raises(UndecodableMessage, match="set SCHEMA_REGISTRY_URL"):
        plain_codecs.call_event.decode(new_bytes)


def test_an_older_reader_reads_records_of_a_newer_schema(schema_registry_url: str) -> None:
    settings = settings_for(schema_registry_url)
    reader = build_codecs(settings).call_event  # this worker: registered the current CallEvent
    client = registry_client(schema_registry_url)
    subject = value_subject(settings.topic("dialnexa.calls.raw"))
    # A newer producer adds an optional field; FULL_TRANSITIVE accepts it.
    newer_id = client.register_schema(subject, Schema(json.dumps(NEWER), "AVRO"))
    assert newer_id != reader.schema_id

    decoded = reader.decode(confluent_frame(newer_id, NEWER, newer_record()))
    assert decoded == CALL  # the unknown field is skipped, everything else kept


def test_a_newer_reader_reads_records_of_an_older_schema(schema_registry_url: str) -> None:
    settings = settings_for(schema_registry_url)
    client = registry_client(schema_registry_url)
    subject = value_subject(settings.topic("dialnexa.calls.raw"))
    # The older producer's era: its schema, without `sentiment`, is already in the subject.
    older_id = client.register_schema(subject, Schema(json.dumps(OLDER), "AVRO"))
    older_bytes = confluent_frame(older_id, OLDER, older_record())

    reader = build_codecs(settings).call_event  # registering the current schema must be accepted too
    assert reader.schema_id not in (None, older_id)
    decoded = reader.decode(older_bytes)
    assert decoded.sentiment is None  # the field's default
    assert decoded == CALL.model_copy(update={"sentiment": None})


def test_the_rule_refuses_a_change_old_readers_cannot_read(schema_registry_url: str) -> None:
    settings = settings_for(schema_registry_url)
    client = registry_client(schema_registry_url)
    subject = value_subject(settings.topic("dialnexa.calls.raw"))
    # Deployed readers require `tenant` (no default). BACKWARD would let us drop it; FULL must not,
    # because those readers could no longer read what we write.
    with_required = {**CURRENT, "fields": [*CURRENT["fields"], {"name": "tenant", "type": "string"}]}
    client.register_schema(subject, Schema(json.dumps(with_required), "AVRO"))
    with pytest.raises(SchemaRegistrationError, match=f"not {COMPATIBILITY} compatible"):
        build_codecs(settings)


def test_the_rule_is_checked_against_every_retained_version(schema_registry_url: str) -> None:
    settings = settings_for(schema_registry_url)
    client = registry_client(schema_registry_url)
    subject = value_subject(settings.topic("dialnexa.calls.raw"))
    as_string = {"name": "caller_language", "type": ["null", "string"], "default": None}
    as_number = {"name": "caller_language", "type": ["null", "long"], "default": None}
    client.register_schema(subject, Schema(json.dumps({**CURRENT, "fields": [*CURRENT["fields"], as_string]}), "AVRO"))
    build_codecs(settings)  # the current schema drops the optional field: compatible, and sets the rule
    # Compatible with the latest version, not with the first: only a transitive rule refuses it.
    reintroduced = Schema(json.dumps({**CURRENT, "fields": [*CURRENT["fields"], as_number]}), "AVRO")
    assert client.test_compatibility(subject, reintroduced, version="latest")
    with pytest.raises(Exception, match=r"409|[Ii]ncompatible"):
        client.register_schema(subject, reintroduced)


# --- the fingerprint path, no registry ----------------------------------------------------------------


def test_fingerprint_path_round_trips_every_topic_value() -> None:
    codecs: PipelineCodecs = build_codecs()
    for model, value in SAMPLES.items():
        codec = getattr(codecs, FIELDS[model])
        encoded = codec.encode(value)
        assert encoded[:2] == SINGLE_OBJECT_MARKER
        assert encoded[2:10] == schema_fingerprint(avro_schema(model))
        assert codec.decode(encoded) == value


def test_fingerprint_newer_reader_reads_older_records_once_it_knows_the_older_schema() -> None:
    older_bytes = single_object_frame(OLDER, older_record())
    with pytest.raises(UndecodableMessage, match="unknown schema fingerprint"):
        SingleObjectCodec(CallEvent).decode(older_bytes)
    decoded = SingleObjectCodec(CallEvent, older_schemas=[OLDER]).decode(older_bytes)
    assert decoded == CALL.model_copy(update={"sentiment": None})


def test_fingerprint_older_reader_reads_newer_records_once_the_newer_schema_is_deployed() -> None:
    # Single-object readers cannot fetch a schema they never saw: the newer .avsc must reach them
    # before the producer upgrades. Until then they refuse with a reason rather than guess.
    newer_bytes = single_object_frame(NEWER, newer_record())
    with pytest.raises(UndecodableMessage, match="deploy the newer schema first"):
        SingleObjectCodec(CallEvent).decode(newer_bytes)
    assert SingleObjectCodec(CallEvent, older_schemas=[NEWER]).decode(newer_bytes) == CALL


def test_shipped_schema_history_is_known_to_every_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecs_module, "HISTORY_DIR", tmp_path)
    (tmp_path / "CallEvent.v1.avsc").write_text(json.dumps(OLDER))
    older_bytes = single_object_frame(OLDER, older_record())
    assert build_codecs().call_event.decode(older_bytes) == CALL.model_copy(update={"sentiment": None})
