"""`callstream replay` and `callstream dlq` on the real broker, with a real worker and the local vendor
servers counting every write: each replay selector (offset range, time range, call id, all partitions,
dry run, a range deleted by retention) and each dlq verb (list with its filters, show, redrive with
dry run, the max-attempts rule, a raw-stage letter redriven from the raw topic and reported gone once
retention deleted it). Replays and redrives add no vendor write.

`make test` replays 200 calls twice; the 1,000-call run is marked `soak` (`make soak`)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

from callstream.kafkaio import produce
from callstream.replay import Selection, run_replay
from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import DeadLetter, SinkResult
from sinks.routing import TOPIC_SINKS
from streams.lineage import REPLAY_ID
from streams.topics import ENRICH_INTERNAL_TOPICS, WORKFLOW_TOPICS
from tests.fakes.harness import (
    actual_writes,
    call_mix,
    expected_writes,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    wait_for,
)
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

SINK_RESULT = SingleObjectCodec(SinkResult)
DEAD_LETTER = SingleObjectCodec(DeadLetter)
RAW = "dialnexa.calls.raw"
# Every topic a stage of the worker reads: the backlog of all of them is what "settled" means.
STAGE_INPUTS = (RAW, "calls.redacted", "calls.enriched", *ENRICH_INTERNAL_TOPICS, *WORKFLOW_TOPICS, "workflow.review")


def cli(settings: Settings, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """The real front door, in its own process, configured by environment variables like a user's."""
    environment = {**os.environ, **settings.as_environment()}
    return subprocess.run(
        [sys.executable, "-m", "callstream.cli", *args],
        env=environment, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def run_id(output: str) -> str:
    found = re.search(r"\b((?:replay|redrive)-\d{8}T\d{6}Z-[0-9a-f]{6})\b", output)
    assert found, output
    return found.group(1)


def backlog(settings: Settings) -> int:
    """Records on the stage input topics that the worker's group has not committed yet."""
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": settings.group_id,
                         "log_level": 0})  # fmt: skip
    try:
        count = settings.topic_partitions
        partitions = [TopicPartition(settings.topic(t), p) for t in STAGE_INPUTS for p in range(count)]
        lag = 0
        for committed in consumer.committed(partitions, timeout=10):
            low, high = consumer.get_watermark_offsets(committed, timeout=10)
            lag += high - max(committed.offset, low)
        return lag
    finally:
        consumer.close()


def settle(settings: Settings, fakes: FakeVendorsProcess, timeout: float = 90.0) -> bool:
    """Until the worker has committed everything and the vendors' counts stopped moving."""
    last: list[Counter] = []

    def settled() -> bool:
        writes = actual_writes(fakes)
        quiet = bool(last) and last[-1] == writes
        last.append(writes)
        return quiet and backlog(settings) == 0

    return wait_for(settled, timeout=timeout, interval=1.5)


def results(settings: Settings) -> list[SinkResult]:
    return [SINK_RESULT.decode(r.value or b"") for r in read_to_end(settings, [settings.topic("sink.results")])]


def letters(settings: Settings) -> list[DeadLetter]:
    return [DEAD_LETTER.decode(r.value or b"") for r in read_to_end(settings, [settings.topic("calls.deadletter")])]


def high_watermarks(settings: Settings, topic: str) -> list[int]:
    consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": "marks", "log_level": 0})
    try:
        return [
            consumer.get_watermark_offsets(TopicPartition(settings.topic(topic), p), timeout=10)[1]
            for p in range(settings.topic_partitions)
        ]
    finally:
        consumer.close()


def delete_up_to(settings: Settings, topic: str, partition: int, offset: int) -> None:
    """What retention does to old segments: the log start offset moves past the deleted records."""
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    for future in admin.delete_records([TopicPartition(settings.topic(topic), partition, offset)]).values():
        future.result(timeout=30)


def raw_call(call_id: str) -> bytes:
    """A DialNexa webhook envelope (the demo's receipt sample), one customer per call."""
    call = {
        "id": call_id, "direction": "inbound", "type": "phone_call", "status": "completed",
        "from_number": "14155550101", "to_number": "14155550199", "agent_id": "agent_billing",
        "initiated_at": "2026-11-20T09:14:03.120Z", "duration": 94,
        "transcript": "Agent: Thanks for calling Acme billing.\nUser: Hi, can you send me the receipt for my March "
                      "payment?\nAgent: Of course, I will send it to the email on file.",
        "summary": "Caller asked for the receipt of the March payment.",
        "post_call_analysis": {"intent": "receipt_resend", "customer_name": "Ana Lopez",
                               "email": f"{call_id}@customers.example", "amount": "49.00", "currency": "USD"},
    }  # fmt: skip
    return json.dumps({"event_type": "call_ended", "payload": {"call": call}}).encode()


def seed_customers(fakes: FakeVendorsProcess, call_ids: list[str]) -> None:
    fakes.control("POST", "seed", {
        "customers": [{"id": 20_000_000 + i, "email": f"{c}@customers.example", "type": "Business"}
                      for i, c in enumerate(call_ids)],
        "invoices": [],
    })  # fmt: skip


def replayed(found: list[SinkResult], replay_id: str) -> list[SinkResult]:
    return [r for r in found if r.replay_id == replay_id]


# --- replay ----------------------------------------------------------------------------------------------


def test_replay_of_the_raw_topic_by_offsets_and_by_call_id_then_a_range_retention_deleted(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, "web_api")
        calls = [f"call_raw_{i:02d}" for i in range(10)]
        seed_customers(fakes, calls)
        start_worker(settings)
        produce(settings.bootstrap_servers, settings.topic(RAW), [(c.encode(), raw_call(c)) for c in calls])
        assert wait_for(lambda: {r.call_id for r in results(settings)} >= set(calls), timeout=90)
        assert settle(settings, fakes)
        before = actual_writes(fakes)
        assert before, "the calls made no vendor write: nothing to prove"
        raw = read_to_end(settings, [settings.topic(RAW)])
        by_partition: dict[int, list[str]] = {}
        for record in sorted(raw, key=lambda r: (r.partition, r.offset)):
            by_partition.setdefault(record.partition, []).append((record.key or b"").decode())
        partition = max(by_partition, key=lambda p: len(by_partition[p]))
        assert len(by_partition[partition]) >= 3

        # Dry run: counts and keys, nothing written.
        marks = high_watermarks(settings, RAW)
        dry = cli(settings, "replay", "--topic", RAW, "--dry-run", "--no-progress")
        assert dry.returncode == 0, dry.stderr
        assert f"would replay {len(calls)}" in dry.stdout and "dry run: nothing was written" in dry.stdout
        assert high_watermarks(settings, RAW) == marks

        # An offset range of one partition: exactly the calls at those offsets come back, as a replay.
        chosen = by_partition[partition][1:3]
        done = cli(settings, "replay", "--topic", RAW, "--partition", str(partition), "--from-offset", "1",
                   "--to-offset", "2")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "replayed 2" in done.stdout and "eta" in done.stderr  # the progress bar is on stderr
        first = run_id(done.stdout)
        assert wait_for(lambda: {r.call_id for r in replayed(results(settings), first)} >= set(chosen), timeout=60)
        assert settle(settings, fakes)
        again = replayed(results(settings), first)
        assert {r.call_id for r in again} == set(chosen)
        assert all(r.outcome != "written" for r in again), Counter(r.outcome for r in again)
        assert {(r.replay_origin_topic, r.replay_origin_partition) for r in again} == {(settings.topic(RAW), partition)}
        assert {r.replay_origin_offset for r in again} == {1, 2}
        assert actual_writes(fakes) == before

        # The copies on the raw topic carry the lineage headers and the originals' timestamps (so retention
        # deletes them when it deletes the originals: card data is kept no longer than the contract says).
        copies = [r for r in read_to_end(settings, [settings.topic(RAW)]) if r.partition == partition]
        consumer = Consumer({"bootstrap.servers": settings.bootstrap_servers, "group.id": "ts", "log_level": 0})
        try:
            consumer.assign([TopicPartition(settings.topic(RAW), partition, 0)])
            stamped = {}
            deadline = time.monotonic() + 20
            while len(stamped) < len(copies) and time.monotonic() < deadline:
                for message in consumer.consume(100, timeout=0.5):
                    if not message.error():
                        stamped[message.offset()] = (message.timestamp()[1], dict(message.headers() or []))
        finally:
            consumer.close()
        replays = {offset: value for offset, value in stamped.items() if REPLAY_ID in value[1]}
        assert len(replays) == 2
        for _offset, (timestamp, headers) in replays.items():
            origin = int(headers["callstream.replay.origin.offset"])
            assert timestamp == stamped[origin][0]

        # One call, wherever it is (all partitions are searched).
        target = by_partition[partition][0]
        one = cli(settings, "replay", "--topic", RAW, "--call-id", target, "--no-progress")
        assert one.returncode == 0, one.stderr
        assert f"replayed 1 of call {target}" in one.stdout
        second = run_id(one.stdout)
        assert wait_for(lambda: replayed(results(settings), second), timeout=60)
        assert settle(settings, fakes)
        assert {r.call_id for r in replayed(results(settings), second)} == {target}
        assert actual_writes(fakes) == before

        # Retention deleted the start of the partition: the replay says so, and replays the rest.
        delete_up_to(settings, RAW, partition, 2)
        gone = cli(settings, "replay", "--topic", RAW, "--partition", str(partition), "--from-offset", "0",
                   "--to-offset", "2", "--no-progress")  # fmt: skip
        assert gone.returncode == 3, gone.stdout + gone.stderr
        assert "offsets 0..1 (2 records) are below the log start offset 2" in gone.stdout
        assert "CALLSTREAM_RAW_RETENTION_HOURS" in gone.stdout and "replayed 1" in gone.stdout
        assert settle(settings, fakes)
        assert actual_writes(fakes) == before

        refused = cli(settings, "replay", "--topic", "sink.results", "--no-progress")
        assert refused.returncode == 2 and "cannot be replayed" in refused.stderr
    finally:
        fakes.stop()


def _replay_workflows_by_time(settings: Settings, since: datetime, until: datetime) -> tuple[list[str], int]:
    ids, produced = [], 0
    for name in TOPIC_SINKS:  # every workflow topic and workflow.review, all partitions
        _plan, result = run_replay(
            settings, f"workflow.{name}", Selection(from_time=since, to_time=until), show_progress=False
        )
        ids.append(result.replay_id)
        produced += result.produced
    return ids, produced


RUNS = [pytest.param(200, id="200"), pytest.param(1000, id="1000", marks=pytest.mark.soak)]


@pytest.mark.parametrize("calls_count", RUNS)
def test_replaying_every_workflow_topic_twice_by_time_range_adds_no_vendor_write(
    pipeline_settings: Settings, start_worker, tmp_path: Path, calls_count: int
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, "web_api")
        actions = call_mix(calls_count, seed=31, urgent_every=25)
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        start_worker(settings)
        since = datetime.now(UTC)
        published = publish(settings, actions)
        until = datetime.now(UTC) + timedelta(milliseconds=5)  # to-time is exclusive, timestamps are in ms
        time.sleep(0.05)
        started = time.monotonic()
        assert wait_for(lambda: set(actual_writes(fakes)) >= set(expected), timeout=240)
        assert settle(settings, fakes, timeout=120)
        print(f"{calls_count} calls, {published} actions, {len(expected)} writes in {time.monotonic() - started:.0f} s")
        assert actual_writes(fakes) == expected
        original = [r for r in results(settings) if r.replay_id is None]
        vendor_results = Counter(r.outcome for r in original)
        assert vendor_results["written"] >= len(expected) - 1  # - 1: the review sheet's header row

        for round_number in (1, 2):
            phase = time.monotonic()
            # The same time range both rounds: the originals only, never the copies of round 1.
            ids, produced = _replay_workflows_by_time(settings, since, until)
            assert produced == published
            assert wait_for(
                lambda ids=ids: len([r for r in results(settings) if r.replay_id in ids]) >= len(original), timeout=240
            )
            assert settle(settings, fakes, timeout=120)
            print(f"replay round {round_number}: {produced} records in {time.monotonic() - phase:.0f} s")
            assert actual_writes(fakes) == expected, "a replay wrote to a vendor again"
            again = [r for r in results(settings) if r.replay_id in ids]
            assert len(again) == len(original)
            assert Counter(r.outcome for r in again) == {"already_written": len(original)}
            assert {r.idempotency_key for r in again} == {r.idempotency_key for r in original}
    finally:
        fakes.stop()


# --- dead letters ----------------------------------------------------------------------------------------


def dlq_json(settings: Settings, *args: str) -> list[dict]:
    done = cli(settings, "dlq", "list", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_dlq_list_show_and_redrive_to_the_failing_stage_with_the_max_attempts_rule(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, "web_api")
        actions = call_mix(7, seed=41, urgent_every=3)
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        # Zendesk refuses the first ticket for good (422): that write fails and is dead-lettered.
        fakes.control("POST", "faults", [{"vendor": "zendesk", "mode": "status", "status": 422, "count": 1,
                                          "writes_only": True}])  # fmt: skip
        start_worker(settings)
        publish(settings, actions)
        # A raw call that is not JSON (dead-lettered by the redactor without its payload), and a record
        # on calls.redacted that is not Avro (dead-lettered by enrich with it).
        produce(settings.bootstrap_servers, settings.topic(RAW), [(b"call_bad_raw", b'{"call_id": "call_bad_raw", ')])
        produce(settings.bootstrap_servers, settings.topic("calls.redacted"), [(b"call_bad_avro", b"not avro")])
        assert wait_for(lambda: len(letters(settings)) >= 3, timeout=90)
        assert settle(settings, fakes)
        failed = [letter for letter in letters(settings) if letter.stage.startswith("sink_")]
        assert len(failed) == 1 and failed[0].stage.endswith("_zendesk") and "HTTP 422" in failed[0].reason
        zendesk_call = failed[0].call_id
        assert zendesk_call is not None
        missing = set(expected) - set(actual_writes(fakes))
        assert len(missing) == 1 and next(iter(missing))[0] == "zendesk.ticket"

        # list: a table, JSON, and every filter.
        table = cli(settings, "dlq", "list")
        assert table.returncode == 0, table.stderr
        assert "3 dead letters" in table.stdout and zendesk_call in table.stdout and "call_bad_raw" in table.stdout
        rows = dlq_json(settings)
        assert {row["call_id"]: row["status"] for row in rows} == {
            zendesk_call: "open", "call_bad_raw": "open", "call_bad_avro": "open"
        }
        assert all("payload" not in row for row in rows)  # sizes only: never a payload on the screen
        assert [r["call_id"] for r in dlq_json(settings, "--stage", "sink_*")] == [zendesk_call]
        assert [r["call_id"] for r in dlq_json(settings, "--reason", "MALFORMED json")] == ["call_bad_raw"]
        assert [r["call_id"] for r in dlq_json(settings, "--call-id", "call_bad_avro")] == ["call_bad_avro"]
        assert dlq_json(settings, "--from-time", "2099-01-01T00:00:00Z") == []
        assert len(dlq_json(settings, "--from-time", "1h", "--to-time", "2099-01-01")) == 3

        # show: one call's letters in detail.
        shown = cli(settings, "dlq", "show", zendesk_call)
        assert shown.returncode == 0, shown.stderr
        assert "HTTP 422" in shown.stdout and f"{settings.topic('workflow.')}" in shown.stdout
        assert "attempt     1" in shown.stdout
        assert cli(settings, "dlq", "show", "call_nobody").returncode == 1

        # redrive --dry-run: what would happen, nothing written.
        letter_marks = high_watermarks(settings, "calls.deadletter")
        dry = cli(settings, "dlq", "redrive", "--dry-run")
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert "3 would redrive" in dry.stdout and "re-read from" in dry.stdout
        time.sleep(2)
        assert high_watermarks(settings, "calls.deadletter") == letter_marks
        assert actual_writes(fakes) != expected

        # redrive: Zendesk accepts now; the ticket is written once, the other sinks of that action answer
        # from the ledger; the two bad inputs fail again and come back with attempt 2.
        first = cli(settings, "dlq", "redrive")
        assert first.returncode == 0, first.stdout + first.stderr
        assert "3 redriven" in first.stdout
        redrive_id = run_id(first.stdout)
        assert wait_for(lambda: len(letters(settings)) >= 5, timeout=60)
        assert settle(settings, fakes)
        assert actual_writes(fakes) == expected
        ticket = [r for r in results(settings) if r.replay_id == redrive_id and r.sink == "zendesk"]
        assert [r.outcome for r in ticket] == ["written"]
        others = [r for r in results(settings) if r.replay_id == redrive_id and r.sink != "zendesk"]
        assert all(r.outcome != "written" for r in others)
        rows = dlq_json(settings)
        assert Counter(row["status"] for row in rows) == {"redriven": 3, "open": 2}
        retried = {row["call_id"]: row for row in rows if row["status"] == "open"}
        assert set(retried) == {"call_bad_raw", "call_bad_avro"}
        assert all(row["attempt"] == 2 and row["replay_id"] == redrive_id for row in retried.values())
        originals = {row["call_id"]: row["id"] for row in rows if row["status"] == "redriven"}
        assert {row["redrive_of"] for row in retried.values()} == {originals[c] for c in retried}
        raw_letter = retried["call_bad_raw"]
        assert raw_letter["payload_bytes"] is None and raw_letter["source"]["topic"] == settings.topic(RAW)

        # Running it again redrives nothing twice: the redriven letters say so.
        # Retention deletes the raw record first: the raw letter is gone, never redriven from a copy.
        delete_up_to(settings, RAW, raw_letter["source"]["partition"], raw_letter["source"]["offset"] + 1)
        second = cli(settings, "dlq", "redrive")
        assert second.returncode == 3, second.stdout + second.stderr
        assert "1 gone" in second.stdout and "1 redriven" in second.stdout and "3 already redriven" in second.stdout
        assert wait_for(lambda: len(letters(settings)) >= 6, timeout=60)
        assert settle(settings, fakes)
        rows = dlq_json(settings)
        latest = [row for row in rows if row["call_id"] == "call_bad_avro" and row["status"] != "redriven"]
        assert [row["attempt"] for row in latest] == [3] and latest[0]["status"] == "exhausted"

        # The max-attempts rule: the third failure is not redriven, so nothing loops.
        third = cli(settings, "dlq", "redrive", "--stage", "enrich")
        assert third.returncode == 0, third.stdout
        assert "1 exhausted" in third.stdout and "2 already redriven" in third.stdout
        assert not re.search(r"^\s+redriven\s", third.stdout, re.MULTILINE) and "find them" not in third.stdout
        time.sleep(3)
        assert len(letters(settings)) == 6
        assert actual_writes(fakes) == expected
    finally:
        fakes.stop()
