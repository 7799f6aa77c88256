"""End-to-end routing benchmark: labelled calls through a real broker and a real worker process.

    python -m benchmarks.classification.e2e --set tuning|independent|holdout|holdout2 [--count N] [--seed S]
        [--policy FILE]

For each case: its Stripe objects go to `stripe.events` and its HubSpot objects to `hubspot.events`
exactly as `callstream backfill` would publish them; once the worker has applied them (its consumer
group has no lag left), the DialNexa payloads go to `dialnexa.calls.raw`. For each call the harness
collects the `workflow.<name>` topics it reached and whether `workflow.review` got it, and scores
that. Sinks run in outbox mode (nothing leaves the machine).

Only aggregate figures are printed (review recall, false review, exact-set accuracy, per-workflow
precision / recall / F1, accuracy per scenario class), never individual calls: the independent set
is for measuring, not for tuning against its cases.

The broker is the project's LocalKafka on free ports (or KAFKA_BOOTSTRAP_SERVERS), stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

from callstream.backfill import hubspot_event, hubspot_owner_event, hubspot_record_key, stripe_event, stripe_event_key
from callstream.kafkaio import produce
from callstream.localkafka import LocalKafka, free_port
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from schemas.codecs import build_codecs
from schemas.models import WORKFLOWS
from streams.topics import ensure_topics

SETTLE_TIMEOUT_SECONDS = float(os.environ.get("E2E_SETTLE_TIMEOUT_SECONDS", "1500"))  # a loaded 2-core machine
STABLE_SECONDS = 3.0
CALL_TOPICS = [f"workflow.{name}" for name in (*WORKFLOWS, "review")]


def stripe_records(objects: Iterable[dict[str, Any]], fetched_at: int) -> list[tuple[bytes, bytes]]:
    """Stripe objects as the backfill publishes them (charges and payment intents known before disputes)."""
    objects = list(objects)
    customer_of: dict[str, str] = {}
    for obj in objects:
        customer = obj.get("customer")
        customer = customer.get("id") if isinstance(customer, dict) else customer
        if obj.get("object") in ("charge", "payment_intent") and isinstance(customer, str):
            customer_of[str(obj["id"])] = customer
            for linked in ("payment_intent", "latest_charge"):
                if isinstance(obj.get(linked), str):
                    customer_of[obj[linked]] = customer
    order = ["customer", "subscription", "invoice", "charge", "payment_intent", "dispute", "refund"]
    ranked = sorted(objects, key=lambda o: order.index(o["object"]) if o.get("object") in order else len(order))
    records = []
    for obj in ranked:
        related = None
        for reference in ("charge", "payment_intent"):
            ref = obj.get(reference)
            ref = ref.get("id") if isinstance(ref, dict) else ref
            if isinstance(ref, str) and ref in customer_of:
                related = customer_of[ref]
        event = stripe_event(obj, fetched_at, related_customer=related)
        records.append((stripe_event_key(obj, customer_of), json.dumps(event).encode()))
    return records


def hubspot_records(objects: Iterable[tuple[str, dict[str, Any]]]) -> list[tuple[bytes, bytes]]:
    records = []
    for object_type, obj in objects:
        event = hubspot_owner_event(obj) if object_type == "owner" else hubspot_event(obj, object_type)
        records.append((hubspot_record_key(event), json.dumps(event).encode()))
    return records


def group_lag(settings: Settings) -> int | None:
    """Messages the worker's consumer group has not committed yet, over every topic it reads; None if unknown.

    A partition assigned to the group that has no committed offset yet counts in full: an intermediate
    topic (identity updates, calls between hops) the worker has not committed on is not "settled" —
    counting only committed partitions let a loaded machine report lag 0 while the tables were still
    filling, and calls then met half-built tables.
    """
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    try:
        from confluent_kafka import ConsumerGroupTopicPartitions

        result = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(settings.group_id)])
        committed = result[settings.group_id].result(timeout=10).topic_partitions
        described = admin.describe_consumer_groups([settings.group_id])[settings.group_id].result(timeout=10)
    except Exception:
        return None
    offsets = {(tp.topic, tp.partition): max(tp.offset, 0) for tp in committed}
    for member in described.members or []:
        for tp in (member.assignment.topic_partitions if member.assignment else []) or []:
            if not tp.topic.endswith("-changelog"):  # table changelogs are read in recovery, never committed
                offsets.setdefault((tp.topic, tp.partition), 0)
    if not offsets:
        return None  # the group has no members or commits yet: unknown, not settled
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": f"lag-{uuid.uuid4().hex}",
                         "log_level": 0})  # fmt: skip
    try:
        lag = 0
        for (topic, partition), offset in offsets.items():
            _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
            lag += max(0, high - offset)
        return lag
    finally:
        consumer.close()


def wait_settled(settings: Settings, timeout: float = SETTLE_TIMEOUT_SECONDS) -> None:
    """Until the worker has consumed everything (lag 0 for `STABLE_SECONDS`), or raise."""
    deadline = time.monotonic() + timeout
    stable_since: float | None = None
    while time.monotonic() < deadline:
        lag = group_lag(settings)
        if lag == 0:
            stable_since = stable_since or time.monotonic()
            if time.monotonic() - stable_since >= STABLE_SECONDS:
                return
        else:
            stable_since = None
        time.sleep(1.0)
    raise TimeoutError(f"the worker did not catch up within {timeout:.0f} s")


def _read_all(settings: Settings, names: list[str]) -> Iterable[tuple[str, bytes]]:
    """(topic without prefix, value) of every record now in `names`, read from the beginning."""
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": f"e2e-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False, "log_level": 0})  # fmt: skip
    try:
        metadata = consumer.list_topics(timeout=10)
        ends: dict[tuple[str, int], int] = {}
        partitions = []
        for name in names:
            topic = settings.topic(name)
            for partition in metadata.topics[topic].partitions:
                _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
                ends[topic, partition] = high
                partitions.append(TopicPartition(topic, partition, 0))
        consumer.assign(partitions)
        remaining = {key for key, high in ends.items() if high > 0}
        deadline = time.monotonic() + 120
        while remaining and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            key = (message.topic(), message.partition())
            if message.offset() + 1 >= ends.get(key, 0):
                remaining.discard(key)
            yield message.topic().removeprefix(settings.topic_prefix), message.value()
    finally:
        consumer.close()


def diagnostics(settings: Settings) -> dict[str, Counter[str]]:
    """Aggregates of what *our* pipeline did (never per call): how customers were matched, why
    enrichment was partial, which review reasons fired."""
    codecs = build_codecs()
    reviewed_actions: list[bytes] = []
    identity: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for topic, value in _read_all(settings, ["calls.enriched", "workflow.review"]):
        reviewed_actions.append(value) if topic == "workflow.review" else None
        if topic == "calls.enriched":
            enriched = codecs.enriched.decode(value)
            identity[str(enriched.identity_match)] += 1
            for reason in enriched.enrichment.partial_reasons:
                partial[re.sub(r"\(.*?\)|[\d.]+", "", reason)[:70]] += 1
        else:
            action = codecs.action.decode(value)
            for reason in action.review_reasons:
                reasons[f"{action.workflow}: {re.sub(r'[(].*?[)]|[0-9.]+', '', reason)[:60]}"] += 1
    return {"identity_match": identity, "partial_reasons": partial, "review_reasons": reasons,
            "_review_actions": reviewed_actions}  # type: ignore[dict-item]  # fmt: skip


def collect(settings: Settings, call_ids: set[str]) -> dict[str, dict[str, Any]]:
    """Per call id: the workflow topics it reached and whether review got it (read from the beginning)."""
    codec = build_codecs().action
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": f"e2e-{uuid.uuid4().hex}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False, "log_level": 0})  # fmt: skip
    topics = [settings.topic(name) for name in CALL_TOPICS]
    actual: dict[str, dict[str, Any]] = {call_id: {"workflows": set(), "review": False} for call_id in call_ids}
    ends: dict[tuple[str, int], int] = {}
    metadata = consumer.list_topics(timeout=10)
    partitions = []
    for topic in topics:
        for partition in metadata.topics[topic].partitions:
            _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
            ends[topic, partition] = high
            partitions.append(TopicPartition(topic, partition, 0))
    consumer.assign(partitions)
    remaining = {key for key, high in ends.items() if high > 0}
    deadline = time.monotonic() + 120
    try:
        while remaining and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            key = (message.topic(), message.partition())
            if message.offset() + 1 >= ends.get(key, 0):
                remaining.discard(key)
            action = codec.decode(message.value())
            name = message.topic().removeprefix(settings.topic_prefix).removeprefix("workflow.")
            entry = actual.setdefault(action.call_id, {"workflows": set(), "review": False})
            if name == "review":
                entry["review"] = True
            else:
                entry["workflows"].add(name)
    finally:
        consumer.close()
    return actual


def load_cases(which: str, count: int | None, seed: int | None) -> list[Any]:
    if which in ("independent", "holdout", "holdout2"):
        if which == "holdout":
            from benchmarks.classification.holdout import generate
        elif which == "holdout2":
            from benchmarks.classification.holdout2 import generate
        else:
            from benchmarks.classification.independent import generate

        kwargs: dict[str, Any] = {}
        if count is not None:
            kwargs["count"] = count
        if seed is not None:
            kwargs["seed"] = seed
        return generate(**kwargs)
    from benchmarks.classification.tuning_cases import tuning_cases

    return tuning_cases(count=count, seed=seed)


def run(which: str, count: int | None, seed: int | None, policy: Path | None, work: Path) -> dict[str, Any]:
    cases = load_cases(which, count, seed)
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    broker = None
    if not bootstrap:
        broker = LocalKafka(work / "kafka", port=free_port(), controller_port=free_port())
        broker.up(report=lambda line: print(line, file=sys.stderr))
        bootstrap = broker.bootstrap
    worker = None
    try:
        run_id = uuid.uuid4().hex[:8]
        settings = Settings(
            kafka_bootstrap_servers=bootstrap,
            topic_prefix=f"e2e{run_id}.",
            app_id=f"callstream-e2e-{run_id}",
            topic_partitions=2,
            outbox_path=work / "outbox.sqlite3",
            data_dir=work / "data",
            web_port=free_port(),
            **({"policy_path": policy} if policy else {}),
            _env_file=None,
        )
        ensure_topics(settings)
        worker = WorkerProcess(settings, work / "worker.log")
        worker.start()
        worker.wait_ready()
        started = time.monotonic()
        now = int(time.time())
        stripe = stripe_records((obj for case in cases for obj in case.stripe), now)
        hubspot = hubspot_records(obj for case in cases for obj in case.hubspot_objects())
        produce(settings.bootstrap_servers, settings.topic("stripe.events"), stripe)
        produce(settings.bootstrap_servers, settings.topic("hubspot.events"), hubspot)
        wait_settled(settings)
        tables_seconds = time.monotonic() - started
        calls = [
            (case.call_id.encode(), case.call if isinstance(case.call, bytes) else json.dumps(case.call).encode())
            for case in cases
        ]
        started = time.monotonic()
        produce(settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), calls)
        wait_settled(settings)
        calls_seconds = time.monotonic() - started
        actual = collect(settings, {case.call_id for case in cases})
        diag = diagnostics(settings)
    finally:
        if worker is not None:
            worker.stop()
        if broker is not None:
            broker.down()
    return {"cases": cases, "actual": actual, "diagnostics": diag, "tables_seconds": tables_seconds,
            "calls_seconds": calls_seconds, "records": len(stripe) + len(hubspot)}  # fmt: skip


def report_lines(which: str, result: dict[str, Any]) -> list[str]:
    from benchmarks.classification.independent import score

    report = score(result["cases"], result["actual"])
    lines = [
        f"set: {which}, {report.cases} calls, {result['records']} vendor records "
        f"(tables ready in {result['tables_seconds']:.0f} s, calls routed in {result['calls_seconds']:.0f} s)",
        f"review recall        {report.review_recall:.3f}  ({report.review_reached} of {report.review_expected})",
        f"false review         {report.false_review_rate:.3f}  ({report.false_reviews} of {report.no_review_expected})",
        f"exact sets (no c_s)  {report.accuracy_without_contact_sync:.3f}",
        f"exact sets           {report.accuracy:.3f}",
        "",
        f"{'workflow':<20} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}",
    ]
    for name, scored in sorted(report.per_workflow.items()):
        lines.append(f"{name:<20} {scored.precision:6.3f} {scored.recall:6.3f} {scored.f1:6.3f} {scored.support:8d}")
    lines += ["", f"{'scenario class':<34} {'right':>6} {'of':>4}"]
    # Review per scenario class, as counts only.
    review_by_class: dict[str, list[int]] = {}
    for case in result["cases"]:
        row = review_by_class.setdefault(case.scenario, [0, 0, 0, 0])  # missed, expected, false, not expected
        reached = bool(result["actual"].get(case.call_id, {}).get("review"))
        if case.expected.get("review"):
            row[1] += 1
            row[0] += not reached
        else:
            row[3] += 1
            row[2] += reached
    for scenario, (right, total) in sorted(report.per_scenario.items()):
        missed, expected, false, clean = review_by_class.get(scenario, [0, 0, 0, 0])
        lines.append(f"{scenario:<34} {right:6d} {total:4d}   review missed {missed}/{expected}, false {false}/{clean}")
    # Why review got calls that need none, and what was produced for calls review missed: counts only.
    codec = build_codecs().action
    expected_review = {case.call_id: bool(case.expected.get("review")) for case in result["cases"]}
    false_reasons: Counter[str] = Counter()
    for value in result.get("diagnostics", {}).get("_review_actions", []):
        action = codec.decode(value)
        if expected_review.get(action.call_id) is False:
            for reason in action.review_reasons:
                false_reasons[f"{action.workflow}: {re.sub(r'[(].*?[)]|[0-9.]+', '', reason)[:60]}"] += 1
    missed_produced: Counter[str] = Counter()
    for case in result["cases"]:
        got = result["actual"].get(case.call_id, {})
        if case.expected.get("review") and not got.get("review"):
            missed_produced["+".join(sorted(got.get("workflows") or [])) or "(nothing)"] += 1
    result.setdefault("diagnostics", {})["reasons on false reviews"] = false_reasons
    result["diagnostics"]["produced for missed reviews"] = missed_produced
    for name, counter in result.get("diagnostics", {}).items():
        if name.startswith("_"):
            continue
        lines += ["", f"{name} (our pipeline, aggregate):"]
        lines += [f"  {count:5d}  {key}" for key, count in counter.most_common(25)]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set", choices=("tuning", "independent", "holdout", "holdout2"), default="tuning", dest="which"
    )
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--policy", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the aggregate figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="callstream-e2e-") as work:
        result = run(args.which, args.count, args.seed, args.policy, Path(work))
    lines = report_lines(args.which, result)
    print("\n".join(lines))
    if args.json:
        from benchmarks.classification.independent import score

        summary = score(result["cases"], result["actual"]).to_dict()
        aggregate = {k: v for k, v in summary.items() if not k.endswith("ids") and k not in ("missing", "wrong_sets")}
        args.json.write_text(json.dumps(aggregate, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
