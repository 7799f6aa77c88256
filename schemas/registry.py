"""Avro values in the Confluent wire format, with the schemas held by a schema registry.

Wire format: byte 0 = `0x00`, bytes 1-4 = the schema id (big-endian unsigned), then the schemaless
Avro body. Any Confluent-compatible registry works (Confluent's, Apicurio's `/apis/ccompat/v7`).

Subject naming: TopicNameStrategy, `<topic>-value`. It is the Confluent default, so the Java
serializers, Kafka Connect, ksqlDB and the registry UIs find our schemas without extra configuration,
and the compatibility rule guards exactly what a topic's readers depend on: what may appear on that
topic. The price is one subject per topic for `WorkflowAction` (eight workflow topics plus review);
every id registered for it resolves to the same schema, so one encoded action can still go to
several topics unchanged, which is what the classify stage does.

Compatibility: FULL_TRANSITIVE (see docs/topics.md). Producers (this worker) and readers (analytics,
replays of 30-90 days of retained records, dead-letter redrives) upgrade independently, so new
readers must read old records and old readers new ones, across every retained version, not only
the previous one. In practice: add or remove only fields that have a default.

Decoding also accepts Avro single-object records (`C3 01` + fingerprint), so a topic still reads
while producers move from one wire format to the other.
"""

from __future__ import annotations

import io
import json
import struct
from collections.abc import Iterable, Sequence
from typing import Any, Generic

import fastavro
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from callstream.settings import Settings
from schemas.avro import NAMESPACE, AvroSchema, avro_schema, to_avro_record
from schemas.codecs import (
    CONFLUENT_HEADER_SIZE,
    CONFLUENT_MAGIC,
    ModelT,
    PipelineCodecs,
    SingleObjectCodec,
    UndecodableMessage,
    decode_avro_body,
    looks_like_single_object,
    shipped_history,
)
from schemas.models import CallEvent, DeadLetter, EnrichedCall, RedactedCall, SinkResult, WorkflowAction
from streams.topics import DEADLETTER, ENRICHED, RAW, REDACTED, REVIEW, SINK_RESULTS, WORKFLOW_TOPICS

COMPATIBILITY = "FULL_TRANSITIVE"
REGISTRY_TIMEOUT_SECONDS = 10
_HEADER = struct.Struct(">bI")  # magic byte, schema id


class SchemaRegistrationError(RuntimeError):
    """The registry refused our schema or rule (or could not be reached) at start-up; says what to do."""


class SchemaRegistryUnavailable(RuntimeError):
    """The registry could not answer a schema lookup. Not the message's fault: retry, do not dead-letter."""


def value_subject(topic: str) -> str:
    """TopicNameStrategy: the subject of a topic's value schema."""
    return f"{topic}-value"


def registry_client(url: str, settings: Settings | None = None) -> SchemaRegistryClient:
    """The synchronous client, for start-up registration and tools (never called on the event loop).
    `settings` adds basic auth, the CA and the registry timeout."""
    if settings is None:
        return SchemaRegistryClient({"url": url, "timeout": REGISTRY_TIMEOUT_SECONDS})
    from callstream.kafkaauth import registry_config

    return SchemaRegistryClient(registry_config(settings, url))


class AsyncSchemaLookups:
    """Writer schemas fetched on the event loop with confluent-kafka's async registry client.

    A worker meets a schema id it has not seen (another producer's) inside an async agent. The
    synchronous client would block the loop for up to its timeout, and with it the consumer's
    heartbeats. So `Pipeline.guarded` first awaits `prefetch(value)`: the id's schema is fetched
    here, without blocking, with the short registry timeout, and stored in `fetched`, where every
    `RegistryCodec` finds it. A 404 is stored as None (the codec refuses the record, no second
    request); an outage raises `SchemaRegistryUnavailable` (the stage retries with backoff).
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._client: Any = None  # created on first use, inside the running loop
        self.fetched: dict[int, Schema | None] = {}
        self._timeout = float(config.get("timeout") or REGISTRY_TIMEOUT_SECONDS)

    def _async_client(self) -> Any:
        if self._client is None:
            from confluent_kafka.schema_registry import AsyncSchemaRegistryClient

            self._client = AsyncSchemaRegistryClient(dict(self._config))
        return self._client

    async def prefetch(self, data: bytes | None, known: Iterable[int] = ()) -> None:
        if not data or len(data) < CONFLUENT_HEADER_SIZE or data[:1] != CONFLUENT_MAGIC:
            return
        _, schema_id = _HEADER.unpack_from(data)
        if schema_id in self.fetched or schema_id in known:
            return
        import asyncio

        try:
            schema = await asyncio.wait_for(self._async_client().get_schema(schema_id), self._timeout + 1)
        except SchemaRegistryError as error:
            if error.http_status_code == 404:
                self.fetched[schema_id] = None
                return
            raise SchemaRegistryUnavailable(
                f"the schema registry answered HTTP {error.http_status_code} for schema id {schema_id}"
            ) from None
        except Exception as error:
            raise SchemaRegistryUnavailable(
                f"the schema registry did not answer ({type(error).__name__}) for schema id {schema_id}"
            ) from None
        self.fetched[schema_id] = schema


class RegistryCodec(Generic[ModelT]):
    """Encode a model in the Confluent wire format; decode that or single-object Avro.

    `subjects` are every subject this model's schema is registered under (one per topic it goes to).
    """

    def __init__(
        self,
        model: type[ModelT],
        client: SchemaRegistryClient,
        subjects: Sequence[str],
        compatibility: str = COMPATIBILITY,
        older_schemas: Iterable[AvroSchema] = (),
        register: bool = True,
        lookups: AsyncSchemaLookups | None = None,
    ) -> None:
        if not subjects:
            raise ValueError("a registry codec needs at least one subject")
        self.model = model
        self.client = client
        self.subjects = tuple(subjects)
        self.compatibility = compatibility
        self.schema = avro_schema(model)
        self._parsed = fastavro.parse_schema(self.schema)
        self._full_name = f"{self.schema.get('namespace', NAMESPACE)}.{self.schema['name']}"
        # Records in the other wire format, during a migration, are read with the shipped schemas.
        self._single_object = SingleObjectCodec(model, older_schemas=older_schemas)
        self._writers: dict[int, Any] = {}
        self._lookups = lookups
        self.schema_id: int | None = None
        if register:
            self.register()

    def register(self) -> int:
        """Set the compatibility rule on every subject and register the schema there; returns its id."""
        schema = Schema(json.dumps(self.schema), "AVRO")
        ids = []
        for subject in self.subjects:
            try:
                self.client.set_compatibility(subject_name=subject, level=self.compatibility)
                ids.append(self.client.register_schema(subject, schema))
            except SchemaRegistryError as error:
                if error.http_status_code == 409:
                    raise SchemaRegistrationError(
                        f"the schema registry refused {self.model.__name__} for subject {subject}: it is not "
                        f"{self.compatibility} compatible with the versions already there ({error.error_message}). "
                        "Only add or remove fields that have a default."
                    ) from None
                raise SchemaRegistrationError(
                    f"the schema registry could not register {self.model.__name__} for subject {subject}: "
                    f"HTTP {error.http_status_code}, {error.error_message}"
                ) from None
            except Exception as error:  # connection refused, DNS, timeout: the client's transport errors
                raise SchemaRegistrationError(
                    f"the schema registry did not answer ({type(error).__name__}) while registering "
                    f"{self.model.__name__}: check SCHEMA_REGISTRY_URL (for Apicurio it ends in /apis/ccompat/v7)"
                ) from None
        # Confluent gives one schema text one id in every subject; Apicurio may give one id per subject.
        # Either way every id resolves to this schema, so writing the first is right for every topic.
        self.schema_id = ids[0]
        for schema_id in ids:
            self._writers[schema_id] = self._parsed
        return self.schema_id

    def encode(self, value: ModelT) -> bytes:
        schema_id = self.schema_id if self.schema_id is not None else self.register()
        buffer = io.BytesIO()
        buffer.write(_HEADER.pack(0, schema_id))
        fastavro.schemaless_writer(buffer, self._parsed, to_avro_record(value))
        return buffer.getvalue()

    def decode(self, data: bytes) -> ModelT:
        name = self.model.__name__
        if looks_like_single_object(data):
            return self._single_object.decode(data)
        if not data:
            raise UndecodableMessage(f"empty value where an Avro {name} was expected")
        if data[:1] == b"\x01":
            raise UndecodableMessage(
                f"Confluent {name} record framed with a schema GUID (magic byte 1), which this worker does not "
                "read: configure the producer's serializer with the default schema-id prefix"
            )
        if data[:1] != CONFLUENT_MAGIC:
            raise UndecodableMessage(
                f"not an Avro {name}: neither Confluent wire format (first byte 00) nor single-object (C3 01)"
            )
        if len(data) < CONFLUENT_HEADER_SIZE:
            raise UndecodableMessage(
                f"truncated Confluent-framed {name}: {len(data)} bytes, fewer than the 5-byte header"
            )
        _, schema_id = _HEADER.unpack_from(data)
        writer = self._writer(schema_id)
        label = f"schema id {schema_id}"
        return decode_avro_body(self.model, data[CONFLUENT_HEADER_SIZE:], writer, self._parsed, label)

    def _writer(self, schema_id: int) -> Any:
        cached = self._writers.get(schema_id)
        if cached is not None:
            return cached
        name = self.model.__name__
        try:
            if self._lookups is not None and schema_id in self._lookups.fetched:
                registered = self._lookups.fetched[schema_id]
                if registered is None:
                    raise SchemaRegistryError(404, 40403, "schema not found")
            else:  # outside the worker's agents (tools, tests): the synchronous client
                registered = self.client.get_schema(schema_id)
        except SchemaRegistryError as error:
            if error.http_status_code == 404:
                raise UndecodableMessage(
                    f"unknown schema id {schema_id} for {name}: the schema registry has no such schema "
                    "(the producer used another registry, or the schema was deleted)"
                ) from None
            raise SchemaRegistryUnavailable(
                f"the schema registry answered HTTP {error.http_status_code} for schema id {schema_id}"
            ) from None
        except Exception as error:
            raise SchemaRegistryUnavailable(
                f"the schema registry did not answer ({type(error).__name__}) for schema id {schema_id}"
            ) from None
        if (registered.schema_type or "AVRO").upper() != "AVRO":
            raise UndecodableMessage(f"schema id {schema_id} is a {registered.schema_type} schema, not Avro {name}")
        try:
            writer_schema = json.loads(registered.schema_str or "")
            parsed = fastavro.parse_schema(writer_schema)
        except Exception as error:
            raise UndecodableMessage(
                f"schema id {schema_id} is not a valid Avro schema ({type(error).__name__})"
            ) from None
        writer_name = _full_name(writer_schema)
        if writer_name != self._full_name:
            raise UndecodableMessage(
                f"schema id {schema_id} is a {writer_name}, not a {self._full_name}: "
                "a record of another type on this topic"
            )
        self._writers[schema_id] = parsed
        return parsed


def _full_name(schema: Any) -> str | None:
    if not isinstance(schema, dict) or not isinstance(schema.get("name"), str):
        return None
    name = schema["name"]
    namespace = schema.get("namespace")
    return name if "." in name or not namespace else f"{namespace}.{name}"


def build_registry_codecs(settings: Settings, client: SchemaRegistryClient | None = None) -> PipelineCodecs:
    """Registry codecs for every Avro topic value, registered under `<topic>-value` with the rule."""
    if client is None:
        if not settings.schema_registry_url:
            raise ValueError("build_registry_codecs needs settings.schema_registry_url")
        client = registry_client(settings.schema_registry_url, settings)

    from callstream.kafkaauth import registry_config

    lookups = AsyncSchemaLookups(registry_config(settings, settings.schema_registry_url))
    codecs: list[RegistryCodec[Any]] = []

    def codec(model: type[ModelT], *topics: str) -> RegistryCodec[ModelT]:
        subjects = [value_subject(settings.topic(topic)) for topic in topics]
        made = RegistryCodec(model, client, subjects, older_schemas=shipped_history(model), lookups=lookups)
        codecs.append(made)
        return made

    async def prefetch(data: bytes | None) -> None:
        # Ids our own codecs registered need no lookup.
        await lookups.prefetch(data, known=[i for c in codecs for i in c._writers])

    return PipelineCodecs(
        prefetch=prefetch,
        call_event=codec(CallEvent, RAW),
        redacted=codec(RedactedCall, REDACTED),
        enriched=codec(EnrichedCall, ENRICHED),
        action=codec(WorkflowAction, *WORKFLOW_TOPICS, REVIEW),
        sink_result=codec(SinkResult, SINK_RESULTS),
        deadletter=codec(DeadLetter, DEADLETTER),
    )
