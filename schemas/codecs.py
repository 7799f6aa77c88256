"""Bytes on the wire for the Avro topics.

Without a schema registry, values use Avro single-object encoding (`C3 01`, the 8-byte
CRC-64-AVRO fingerprint of the writer schema's canonical form, little-endian, then the Avro body).
Readers resolve the fingerprint against the shipped schemas, so any Avro implementation can read the
topics with nothing but the `.avsc` files.

With `SCHEMA_REGISTRY_URL` set, `build_codecs(settings)` returns `schemas.registry.RegistryCodec`s
instead: they write the Confluent wire format (`00`, 4-byte big-endian schema id, Avro body). Every
codec reads both formats where it can, so a topic stays readable while producers migrate from one
to the other (a single-object reader without a registry can only say why it cannot read an id).
"""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form
from pydantic import BaseModel, ValidationError

from schemas.avro import AvroSchema, avro_schema, to_avro_record
from schemas.models import CallEvent, DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction

if TYPE_CHECKING:
    from callstream.settings import Settings

SINGLE_OBJECT_MARKER = b"\xc3\x01"
FINGERPRINT_SIZE = 8
HEADER_SIZE = len(SINGLE_OBJECT_MARKER) + FINGERPRINT_SIZE

CONFLUENT_MAGIC = b"\x00"
CONFLUENT_HEADER_SIZE = 5  # magic byte + 4-byte big-endian schema id
# Older versions of the shipped schemas, `<Record>.v<N>.avsc`: a single-object reader must know a
# writer's fingerprint to read its records, so a schema change moves the previous file here.
HISTORY_DIR = Path(__file__).parent / "avro" / "history"

ModelT = TypeVar("ModelT", bound=BaseModel)
ModelT_co = TypeVar("ModelT_co", bound=BaseModel, covariant=True)


class UndecodableMessage(ValueError):
    """The bytes are not a record this codec can read; the message says why, for a human."""


def schema_fingerprint(schema: AvroSchema) -> bytes:
    canonical = to_parsing_canonical_form(fastavro.parse_schema(schema))
    return bytes.fromhex(fingerprint(canonical, "CRC-64-AVRO"))


def looks_like_single_object(data: bytes) -> bool:
    return data[:2] == SINGLE_OBJECT_MARKER


def looks_like_confluent(data: bytes) -> bool:
    """Confluent wire format starts with 0x00; JSON and single-object Avro never do."""
    return data[:1] == CONFLUENT_MAGIC


class Codec(Protocol[ModelT_co]):
    """What the agents need from a codec, whatever the wire format."""

    def encode(self, value: Any) -> bytes: ...

    def decode(self, data: bytes) -> ModelT_co: ...


def shipped_history(model: type[BaseModel]) -> list[AvroSchema]:
    """The older versions of `model`'s schema kept in `schemas/avro/history/`, oldest first."""
    files = sorted(HISTORY_DIR.glob(f"{model.__name__}.v*.avsc"), key=lambda path: int(path.stem.rsplit(".v", 1)[1]))
    return [json.loads(path.read_text()) for path in files]


def decode_avro_body(model: type[ModelT], body: bytes, writer: Any, reader: Any, writer_label: str) -> ModelT:
    """Read one schemaless Avro record written with `writer` as `reader`, then validate it as `model`.

    Shared by both wire formats so a corrupt body gets the same reasons whatever framed it.
    """
    name = model.__name__
    stream = io.BytesIO(body)
    try:
        record = fastavro.schemaless_reader(stream, writer, reader)
    except (EOFError, ValueError, IndexError, TypeError, UnicodeDecodeError) as error:
        raise UndecodableMessage(f"truncated or corrupt Avro {name} body ({type(error).__name__})") from None
    except Exception as error:  # fastavro's SchemaResolutionError: writer and reader cannot be reconciled
        raise UndecodableMessage(
            f"{writer_label} cannot be read as this worker's {name} schema ({type(error).__name__}): "
            "an incompatible schema change; fix the producer or deploy a compatible schema"
        ) from None
    if stream.tell() != len(body):
        raise UndecodableMessage(f"trailing bytes after the Avro {name} record: corrupt or mis-framed")
    try:
        return model.model_validate(record)
    except ValidationError as error:
        raise UndecodableMessage(f"Avro {name} record failed validation: {error.error_count()} errors") from None


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
        if looks_like_confluent(data):
            schema_id = int.from_bytes(data[1:CONFLUENT_HEADER_SIZE], "big") if len(data) >= 5 else None
            raise UndecodableMessage(
                f"Confluent wire format {name} (schema id {schema_id}) but no schema registry is configured: "
                "set SCHEMA_REGISTRY_URL to the registry the producer used"
            )
        if len(data) < HEADER_SIZE or not looks_like_single_object(data):
            raise UndecodableMessage(f"not an Avro single-object encoded {name} (missing C3 01 header)")
        writer = self._writers.get(data[2:HEADER_SIZE])
        if writer is None:
            raise UndecodableMessage(
                f"unknown schema fingerprint {data[2:HEADER_SIZE].hex()} for {name}: "
                "the producer used a schema this worker does not ship; deploy the newer schema first"
            )
        label = f"schema fingerprint {data[2:HEADER_SIZE].hex()}"
        return decode_avro_body(self.model, data[HEADER_SIZE:], writer, self._parsed, label)


@dataclass(frozen=True)
class PipelineCodecs:
    """One codec per Avro topic value; every agent, the demo and the tests encode through these."""

    call_event: Codec[CallEvent]
    redacted: Codec[RedactedCall]
    enriched: Codec[EnrichedCall]
    action: Codec[WorkflowAction]
    sink_result: Codec[SinkResult]
    deadletter: Codec[DeadLetter]
    # Registry codecs only: resolve a record's schema id without blocking the event loop, before a
    # (synchronous) decode; `Pipeline.guarded` awaits it. None: nothing to look up.
    prefetch: Callable[[bytes | None], Awaitable[None]] | None = None


def single_object_codec(model: type[ModelT]) -> SingleObjectCodec[ModelT]:
    """The fingerprint codec for `model`, able to read every version kept in the schema history."""
    return SingleObjectCodec(model, older_schemas=shipped_history(model))


def build_codecs(settings: Settings | None = None) -> PipelineCodecs:
    """Registry codecs when `settings.schema_registry_url` is set, single-object codecs otherwise.

    With a registry this registers the schemas (and the compatibility rule) now, so a worker whose
    schemas the registry refuses stops at start-up with the reason, instead of dead-lettering later.
    """
    if settings is not None and settings.schema_registry_url:
        # Imported here: the registry client pulls in an HTTP and OAuth stack the default path never needs.
        from schemas.registry import build_registry_codecs

        return build_registry_codecs(settings)
    return PipelineCodecs(
        call_event=single_object_codec(CallEvent),
        redacted=single_object_codec(RedactedCall),
        enriched=single_object_codec(EnrichedCall),
        action=single_object_codec(WorkflowAction),
        sink_result=single_object_codec(SinkResult),
        deadletter=single_object_codec(DeadLetter),
    )
