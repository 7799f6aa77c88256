"""Bytes on the wire for the Avro topics.

Without a schema registry, values use Avro single-object encoding (`C3 01`, the 8-byte
CRC-64-AVRO fingerprint of the writer schema's canonical form, little-endian, then the Avro body).
Readers resolve the fingerprint against the shipped schemas, so any Avro implementation can read the
topics with nothing but the `.avsc` files.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form
from pydantic import BaseModel, ValidationError

from schemas.avro import AvroSchema, avro_schema, to_avro_record
from schemas.models import CallEvent, DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction

SINGLE_OBJECT_MARKER = b"\xc3\x01"
FINGERPRINT_SIZE = 8
HEADER_SIZE = len(SINGLE_OBJECT_MARKER) + FINGERPRINT_SIZE

ModelT = TypeVar("ModelT", bound=BaseModel)


class UndecodableMessage(ValueError):
    """The bytes are not a record this codec can read; the message says why, for a human."""


def schema_fingerprint(schema: AvroSchema) -> bytes:
    canonical = to_parsing_canonical_form(fastavro.parse_schema(schema))
    return bytes.fromhex(fingerprint(canonical, "CRC-64-AVRO"))


def looks_like_single_object(data: bytes) -> bool:
    return data[:2] == SINGLE_OBJECT_MARKER


class SingleObjectCodec(Generic[ModelT]):
    """Encode a model as Avro single-object bytes; decode any known version of its schema."""

    def __init__(self, model: type[ModelT], older_schemas: Iterable[AvroSchema] = ()) -> None:
        self.model = model
        self.schema = avro_schema(model)
        self._parsed = fastavro.parse_schema(self.schema)
        self.fingerprint = schema_fingerprint(self.schema)
        self._header = SINGLE_OBJECT_MARKER + self.fingerprint
        self._writers: dict[bytes, Any] = {self.fingerprint: self._parsed}
        for older in older_schemas:
            self._writers[schema_fingerprint(older)] = fastavro.parse_schema(older)

    def encode(self, value: ModelT) -> bytes:
        buffer = io.BytesIO()
        buffer.write(self._header)
        fastavro.schemaless_writer(buffer, self._parsed, to_avro_record(value))
        return buffer.getvalue()

    def decode(self, data: bytes) -> ModelT:
        name = self.model.__name__
        if len(data) < HEADER_SIZE or not looks_like_single_object(data):
            raise UndecodableMessage(f"not an Avro single-object encoded {name} (missing C3 01 header)")
        writer = self._writers.get(data[2:HEADER_SIZE])
        if writer is None:
            raise UndecodableMessage(
                f"unknown schema fingerprint {data[2:HEADER_SIZE].hex()} for {name}: "
                "the producer used a schema this worker does not ship; deploy the newer schema first"
            )
        body = io.BytesIO(data[HEADER_SIZE:])
        try:
            record = fastavro.schemaless_reader(body, writer, self._parsed)
        except (EOFError, ValueError, IndexError, TypeError, UnicodeDecodeError) as error:
            raise UndecodableMessage(f"truncated or corrupt Avro {name} body ({type(error).__name__})") from None
        if body.tell() != len(data) - HEADER_SIZE:
            raise UndecodableMessage(f"trailing bytes after the Avro {name} record: corrupt or mis-framed")
        try:
            return self.model.model_validate(record)
        except ValidationError as error:
            raise UndecodableMessage(f"Avro {name} record failed validation: {error.error_count()} errors") from None


@dataclass(frozen=True)
class PipelineCodecs:
    """One codec per Avro topic value; every agent, the demo and the tests encode through these."""

    call_event: SingleObjectCodec[CallEvent]
    redacted: SingleObjectCodec[RedactedCall]
    enriched: SingleObjectCodec[EnrichedCall]
    action: SingleObjectCodec[WorkflowAction]
    sink_result: SingleObjectCodec[SinkResult]
    deadletter: SingleObjectCodec[DeadLetter]


def build_codecs() -> PipelineCodecs:
    return PipelineCodecs(
        call_event=SingleObjectCodec(CallEvent),
        redacted=SingleObjectCodec(RedactedCall),
        enriched=SingleObjectCodec(EnrichedCall),
        action=SingleObjectCodec(WorkflowAction),
        sink_result=SingleObjectCodec(SinkResult),
        deadletter=SingleObjectCodec(DeadLetter),
    )
