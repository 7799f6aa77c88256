"""Restart with large enrichment tables, and the per-call cost of enrichment on a table hit.

    python -m benchmarks.enrichment.restart [--entries 1000000] [--store memory://|rocksdb://]

1. Builds tables of `--entries` Stripe customers and as many email-directory entries by writing their
   changelog topics directly, in the exact format Faust writes (JSON key and value, partition =
   murmur2 of the raw key, as the worker's own producer would place it).
2. Starts a worker (a fresh node: no local state), publishes a call for a random customer the moment
   the process starts, and measures the time until that call comes out enriched: table recovery
   plus start-up, i.e. "back to processing".
3. Kills the worker with SIGKILL and measures the same again (with rocksdb:// the local state
   survives; with memory:// the worker recovers everything from the changelogs again).
4. Times the enrichment functions on a table hit (no Kafka), in microseconds per call.

Uses KAFKA_BOOTSTRAP_SERVERS if set, else starts the project's local broker in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka.partitioner import murmur2
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from callstream.kafkaio import produce, read_topics
from callstream.localkafka import LocalKafka, free_port
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from schemas.codecs import build_codecs
from schemas.models import CallEvent, RedactedCall, RedactionReport
from streams.enrich import apply_directory_update, apply_stripe_event, enrich_call, hubspot_context, stripe_context
from streams.topics import ensure_topics

PARTITIONS = 3


def customer_state(number: int) -> dict:
    """A realistic customer: the customer, a live subscription, an open invoice, two charges."""
    state = None
    created = 1_700_000_000
    objects = [
        {"object": "customer", "id": f"cus_{number}", "email": f"user{number}@example.com", "name": f"User {number}"},
        {"object": "subscription", "id": f"sub_{number}", "customer": f"cus_{number}", "status": "active",
         "currency": "usd", "created": created,
         "items": {"data": [{"price": {"unit_amount": 4900, "recurring": {"interval": "month"}}, "quantity": 1}]}},
        {"object": "invoice", "id": f"in_{number}", "customer": f"cus_{number}", "status": "open",
         "amount_due": 4900, "currency": "usd", "created": created},
        {"object": "charge", "id": f"ch_{number}a", "customer": f"cus_{number}", "status": "succeeded",
         "amount": 4900, "amount_refunded": 0, "currency": "usd", "created": created, "payment_intent": f"pi_{number}"},
        {"object": "charge", "id": f"ch_{number}b", "customer": f"cus_{number}", "status": "succeeded",
         "amount": 4900, "amount_refunded": 0, "currency": "usd", "created": created + 1},
    ]  # fmt: skip
    for index, obj in enumerate(objects):
        state, _ = apply_stripe_event(state, {"id": f"evt_{number}_{index}", "created": created + index,
                                              "data": {"object": obj}})  # fmt: skip
    return state or {}


def partition_of(raw_key: bytes) -> int:
    return (murmur2(raw_key) & 0x7FFFFFFF) % PARTITIONS


def write_changelogs(settings: Settings, entries: int) -> float:
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers})
    names = {table: f"{settings.group_id}-{table}-changelog" for table in ("stripe_customers", "email_directory")}
    futures = admin.create_topics(
        [NewTopic(name, PARTITIONS, 1, config={"cleanup.policy": "compact"}) for name in names.values()]
    )
    for future in futures.values():
        future.result(30)
    producer = Producer(
        {"bootstrap.servers": settings.bootstrap_servers, "linger.ms": 50, "batch.num.messages": 10000,
         "compression.type": "lz4", "queue.buffering.max.messages": 500000, "log_level": 0}
    )  # fmt: skip
    template = json.dumps(customer_state(0))
    started = time.monotonic()
    for number in range(entries):
        customer_id = f"cus_{number}"
        email = f"user{number}@example.com"
        value = template.replace("user0@", f"user{number}@").replace("_0", f"_{number}").encode()
        for topic, raw_key, table_value in (
            (names["stripe_customers"], customer_id, value),
            (names["email_directory"], email, json.dumps({"stripe_customer_id": customer_id, "stripe_as_of": 1})),
        ):
            while True:
                try:
                    producer.produce(
                        topic,
                        key=json.dumps(raw_key).encode(),
                        value=table_value,
                        partition=partition_of(raw_key.encode()),
                    )
                    break
                except BufferError:
                    producer.poll(0.1)
        if number % 10000 == 0:
            producer.poll(0)
    producer.flush(300)
    return time.monotonic() - started


def time_to_processing(settings: Settings, worker: WorkerProcess, probe: int, label: str) -> float:
    call_id = f"call_probe_{label}_{uuid.uuid4().hex[:6]}"
    body = {"call_id": call_id, "status": "completed", "transcript": "User: resend my invoice again",
            "extracted_data": {"email": f"user{probe}@example.com"}}  # fmt: skip
    started = time.monotonic()
    worker.start()
    produce(
        settings.bootstrap_servers,
        settings.topic("dialnexa.calls.raw"),
        [(call_id.encode(), json.dumps(body).encode())],
    )
    codec = build_codecs().enriched

    def done(records: list) -> bool:
        return any(r.key == call_id.encode() for r in records)

    records = read_topics(
        settings.bootstrap_servers,
        [settings.topic("calls.enriched")],
        until=done,
        timeout=float(os.environ.get("BENCH_PROBE_TIMEOUT", "600")),
    )
    elapsed = time.monotonic() - started
    matching = [r for r in records if r.key == call_id.encode()]
    if not matching:
        lines = worker.log_path.read_text(errors="replace").splitlines()
        tail = "\n".join([line for line in lines if "ERROR" in line or "Error" in line][:10] + lines[-5:])
        raise SystemExit(f"the probe call was not enriched within 600 s; worker log tail:\n{tail}")
    [record] = matching
    enriched = codec.decode(record.value or b"")
    assert enriched.stripe is not None and enriched.stripe.customer_id == f"cus_{probe}", enriched.enrichment
    return elapsed


def enrichment_cost_microseconds(samples: int = 20000) -> float:
    """Per call, on a table hit: the two table reads' worth of context building plus the Avro hops."""
    codecs = build_codecs()
    state = customer_state(7)
    entry = apply_directory_update(None, {"stripe_customer_id": "cus_7", "stripe_as_of": 1})
    entry = apply_directory_update(entry, {"hubspot_contact": {"id": "1", "owner_id": "9", "company_id": "5"},
                                           "hubspot_as_of": 1})  # fmt: skip
    owner, company = {"name": "Olu", "email": "o@x.example"}, {"name": "Acme", "renewal_date": "2027-01-01"}
    call = CallEvent(call_id="c", event_type="call_ended", source_shape="flat",
                     billing={"email": "user7@example.com", "payment_id": "pi_7"})  # fmt: skip
    redacted_bytes = codecs.redacted.encode(RedactedCall(call=call, redaction=RedactionReport(redactor_version="b")))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(samples // 5):
            redacted = codecs.redacted.decode(redacted_bytes)  # hop 1 -> 2 (by email)
            hubspot = hubspot_context(entry, owner, company, "1")
            partial = enrich_call(redacted, None, hubspot, [])
            partial = codecs.enriched.decode(codecs.enriched.encode(partial))  # hop 2 -> 3 (by customer)
            stripe = stripe_context(state, partial.call.billing.payment_id)
            final = enrich_call(redacted, stripe, partial.hubspot, [])
            codecs.enriched.encode(final)  # out to calls.enriched
        timings.append((time.perf_counter() - started) / (samples // 5) * 1e6)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--store", default="memory://")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; entries per table: {args.entries:,}; store: {args.store}")
    print(f"enrichment on a table hit: {enrichment_cost_microseconds():.0f} µs per call (median of 5 passes)")
    broker = None
    scratch = tempfile.mkdtemp(prefix="callstream-bench-")
    print(f"scratch folder (removed at the end unless BENCH_KEEP is set): {scratch}")
    try:
        bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if not bootstrap:
            broker = LocalKafka(Path(scratch) / "kafka", port=free_port(), controller_port=free_port())
            bootstrap = broker.up(report=print).bootstrap
        try:
            run = uuid.uuid4().hex[:8]
            settings = Settings(
                kafka_bootstrap_servers=bootstrap, topic_prefix=f"bench{run}.", app_id=f"callstream-bench-{run}",
                topic_partitions=PARTITIONS, table_store=args.store, data_dir=Path(scratch) / "data",
                outbox_path=Path(scratch) / "outbox.sqlite3", web_port=free_port(), _env_file=None,
            )  # fmt: skip
            ensure_topics(settings)
            seconds = write_changelogs(settings, args.entries)
            print(f"wrote {2 * args.entries:,} changelog records in {seconds:.1f} s")
            worker = WorkerProcess(settings, Path(scratch) / "worker.log")
            try:
                fresh = time_to_processing(settings, worker, random.randrange(args.entries), "fresh")
                print(f"fresh node (no local state), start to first enriched call: {fresh:.1f} s")
                worker.kill()
                again = time_to_processing(settings, worker, random.randrange(args.entries), "restart")
                print(f"restart after SIGKILL, start to first enriched call: {again:.1f} s")
            finally:
                worker.stop()
        finally:
            if broker is not None:
                broker.down()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
