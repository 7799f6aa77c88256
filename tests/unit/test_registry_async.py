"""The worker resolves unknown schema ids with confluent-kafka's async registry client, with the
short registry timeout, so a slow registry never blocks the event loop (and the heartbeats).

The registry here is a local HTTP server answering the Confluent API's `GET /schemas/ids/{id}`
like the real one (200 with the schema, 404 with error code 40403, or no answer in time)."""

from __future__ import annotations

import asyncio
import io
import json
import time

import fastavro
import pytest
from aiohttp import web

from callstream.localkafka import free_port
from schemas.avro import avro_schema, to_avro_record
from schemas.codecs import UndecodableMessage
from schemas.models import DeadLetter
from schemas.registry import _HEADER, AsyncSchemaLookups, RegistryCodec, SchemaRegistryUnavailable, registry_client

LETTER = DeadLetter(stage="redact", reason="r", error_type="E", source_topic="t", source_partition=0, source_offset=1)


def framed(schema_id: int) -> bytes:
    buffer = io.BytesIO()
    buffer.write(_HEADER.pack(0, schema_id))
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(avro_schema(DeadLetter)), to_avro_record(LETTER))
    return buffer.getvalue()


@pytest.fixture
async def registry():  # type: ignore[no-untyped-def]
    hits: list[int] = []

    async def schema_by_id(request: web.Request) -> web.Response:
        schema_id = int(request.match_info["id"])
        hits.append(schema_id)
        if schema_id == 7:
            return web.json_response({"schema": json.dumps(avro_schema(DeadLetter))})
        if schema_id == 8:
            await asyncio.sleep(5)  # a registry that does not answer in time (the timeout is 1 s)
        return web.json_response({"error_code": 40403, "message": "Schema not found"}, status=404)

    app = web.Application()
    app.router.add_get("/schemas/ids/{id}", schema_by_id)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


async def test_unknown_ids_are_fetched_on_the_loop_then_decoded(registry) -> None:  # type: ignore[no-untyped-def]
    url, hits = registry
    lookups = AsyncSchemaLookups({"url": url, "timeout": 1.0, "max.retries": 0})
    # The synchronous client points at a closed port: the decode must not need it.
    dead = registry_client(f"http://127.0.0.1:{free_port()}")
    codec = RegistryCodec(DeadLetter, dead, ["t-value"], register=False, lookups=lookups)

    await lookups.prefetch(framed(7))
    await lookups.prefetch(framed(7))  # cached: one request
    assert codec.decode(framed(7)).reason == "r"
    assert hits == [7]

    await lookups.prefetch(framed(9))
    with pytest.raises(UndecodableMessage, match="unknown schema id 9"):
        codec.decode(framed(9))
    await lookups.prefetch(b'{"json": true}')  # not registry-framed: nothing to fetch
    assert hits == [7, 9]


async def test_a_slow_registry_times_out_without_blocking_the_loop(registry) -> None:  # type: ignore[no-untyped-def]
    url, _hits = registry
    lookups = AsyncSchemaLookups({"url": url, "timeout": 1.0, "max.retries": 0})
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    task = asyncio.create_task(ticker())
    started = time.monotonic()
    try:
        with pytest.raises(SchemaRegistryUnavailable):
            await lookups.prefetch(framed(8))
    finally:
        task.cancel()
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, f"{elapsed:.1f} s"
    assert ticks >= elapsed / 0.05 * 0.5  # the loop kept running while the lookup waited
