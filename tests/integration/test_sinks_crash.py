"""Crash and replay: calls through the sink stage on the real broker, the worker SIGKILLed at
random moments and restarted, vendors misbehaving all along; then the same calls replayed from
offset 0 by a new consumer group with an empty ledger. Counted at the fake vendors, which run in
their own process and survive every kill.

`make test` runs 300 calls in Slack Web API mode (3 SIGKILLs, both replays); the 1,000-call soaks
of both Slack modes are marked `soak` and run with `make soak` (5-10 min each on 2 busy cores)."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import pytest

from callstream.kafkaio import produce, read_topics
from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import SinkResult
from sinks.ledger import write_key
from sinks.routing import TOPIC_SINKS
from tests.fakes.harness import (
    TEST_SESSION_TIMEOUT_SECONDS,
    actual_writes,
    call_mix,
    expected_writes,
    group_lag,
    group_members,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    wait_for,
    wait_for_new_member,
)
from tests.fakes.server import FakeVendorsProcess
from tests.fakes.vendors import VENDORS

pytestmark = pytest.mark.integration

SINK_RESULT = SingleObjectCodec(SinkResult)
KILLS = 3
CHUNKS = KILLS + 1

# Misbehaving vendors during the whole run: 500s (not applied), lost answers after applied writes
# (dropped connections, answers slower than the client timeout), and Zendesk 429 with Retry-After.
FAULTS = [
    *({"vendor": v, "mode": "status", "status": 500, "probability": 0.03} for v in VENDORS),
    *({"vendor": v, "mode": "drop", "probability": 0.01, "writes_only": True} for v in VENDORS),
    # Applied, then answered after the client's 2 s timeout.
    *({"vendor": v, "mode": "slow", "delay": 2.5, "probability": 0.004, "writes_only": True} for v in VENDORS),
    {"vendor": "zendesk", "mode": "status", "status": 429, "retry_after": 1, "probability": 0.02},
]


def _report(label: str, expected, actual) -> str:  # type: ignore[no-untyped-def]
    missing = sorted(set(expected) - set(actual))
    doubled = sorted(key for key, n in actual.items() if n > 1)
    extra = sorted(set(actual) - set(expected))
    return f"{label}: {len(missing)} missing {missing[:5]}, {len(doubled)} doubled {doubled[:5]}, extra {extra[:5]}"


def _diagnose(settings: Settings, fakes: FakeVendorsProcess, expected, actual) -> None:  # type: ignore[no-untyped-def]
    """What the pipeline said about the writes that are missing: printed when the test fails."""
    missing = {key for (_kind, key) in set(expected) - set(actual)}
    calls = {key.split(":")[0] for key in missing}
    records = read_topics(
        settings.bootstrap_servers,
        [settings.topic("sink.results"), settings.topic("calls.deadletter")],
        until=lambda r: False,
        timeout=5,
    )
    for record in records:
        if (record.key or b"").decode() in calls:
            print("  ", record.topic, (record.value or b"")[10:300])
    recent = [r for r in fakes.control("GET", "requests") if r[2] > time.time() - 30]
    print("   fake requests in the last 30 s:", Counter((vendor, kind) for vendor, kind, _t in recent))


def _review_rows_of_unconfirmed(actual: Counter, results: list[SinkResult]) -> tuple[Counter, set[str]]:
    """(actual without the review rows of unconfirmed Slack posts, those rows' keys): webhook mode
    turns a lost answer into a review row with its own key, once."""
    unconfirmed = {r.idempotency_key for r in results if r.outcome == "unconfirmed"}
    rows = {f"{key.removesuffix(':slack')}:slack_unconfirmed:sheets" for key in unconfirmed}
    rest = Counter({item: n for item, n in actual.items() if not (item[0] == "sheets.row" and item[1] in rows)})
    return rest, rows


# (calls, Slack mode, one urgent alert every N calls, N odd): 20-40 alerts, half on actions 3 h old.
RUNS = [
    pytest.param(300, "web_api", 15, id="300-web_api"),
    pytest.param(1000, "web_api", 25, id="1000-web_api", marks=pytest.mark.soak),
    pytest.param(1000, "webhook", 25, id="1000-webhook", marks=pytest.mark.soak),
]


@pytest.mark.parametrize(("calls_count", "slack_mode", "urgent_every"), RUNS)
def test_sigkill_during_calls_then_replay_from_offset_zero(
    pipeline_settings: Settings,
    start_worker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    calls_count: int,
    slack_mode: str,
    urgent_every: int,
) -> None:
    monkeypatch.setenv("BROKER_SESSION_TIMEOUT", TEST_SESSION_TIMEOUT_SECONDS)  # read by the worker's Faust
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, slack_mode)
        actions = call_mix(calls_count, urgent_every=urgent_every)
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        fakes.control("POST", "faults", FAULTS)
        calls = sorted({action.call_id for action in actions})
        per_chunk = -(-len(calls) // CHUNKS)
        rng = random.Random()
        started = time.monotonic()

        worker = start_worker(settings)
        kills = 0
        published = 0
        published_actions: list = []
        pending_at_kills: list[int] = []  # expected writes of the published calls not yet made at each kill
        for chunk in range(CHUNKS):
            chunk_calls = set(calls[chunk * per_chunk : (chunk + 1) * per_chunk])
            chunk_actions = [a for a in actions if a.call_id in chunk_calls]
            published += publish(settings, chunk_actions)
            published_actions.extend(chunk_actions)
            if kills < KILLS:
                time.sleep(rng.uniform(0.5, 5.0))  # a random moment while this chunk is being written
                _stable, before = group_members(settings)
                worker.kill()
                made = actual_writes(fakes)
                pending_at_kills.append(sum(1 for item in expected_writes(published_actions) if item not in made))
                kills += 1
                restart = time.monotonic()
                worker = start_worker(settings)
                assert wait_for_new_member(settings, before), "the restarted worker did not take over"
                print(f"kill {kills}: restarted and rejoined in {time.monotonic() - restart:.0f} s")

        done = wait_for(lambda: set(actual_writes(fakes)) >= set(expected), timeout=300)
        time.sleep(3)  # anything still in flight lands now, so a late double write would be seen
        results = [
            SINK_RESULT.decode(r.value or b"")
            for r in read_to_end(settings, [settings.topic("sink.results")])
        ]  # fmt: skip
        actual, review_rows = _review_rows_of_unconfirmed(actual_writes(fakes), results)
        elapsed = time.monotonic() - started
        print(f"crash phase ({slack_mode}): {calls_count} calls, {len(expected)} expected writes, {kills} SIGKILLs, "
              f"{elapsed:.0f} s")  # fmt: skip
        if not done:
            _diagnose(settings, fakes, expected, actual)
        assert done, _report("after the crashes", expected, actual)
        assert actual == expected, _report("after the crashes", expected, actual)
        assert all(actual_writes(fakes)[("sheets.row", key)] == 1 for key in review_rows)
        assert kills == KILLS
        print(f"writes still to make at each kill: {pending_at_kills}")
        assert sum(1 for pending in pending_at_kills if pending > 0) >= 1, "no kill landed while writes were flowing"
        outcomes = Counter(result.outcome for result in results)
        slack_requests = Counter(kind for vendor, kind, _t in fakes.control("GET", "requests") if vendor == "slack")
        print(f"sink.results after the crashes: {dict(outcomes)}; slack requests {dict(slack_requests)}; "
              f"unconfirmed review rows {len(review_rows)}")  # fmt: skip
        settled = outcomes["written"] + outcomes["already_written"] + outcomes["unconfirmed"]
        assert settled >= len(expected) - 1 and outcomes["failed"] == 0  # - 1: the header row is not a result
        if slack_mode == "web_api":
            # Lost answers were resolved by reading the channel history: never unconfirmed, never doubled.
            assert outcomes["unconfirmed"] == 0 and not review_rows
        else:
            assert not any(r.outcome == "written" and "unconfirmed" in r.detail for r in results)
        assert {key.split(":")[0] for (_kind, key) in actual if _kind == "altoviz.contact"} == set(calls)

        letters = read_to_end(settings, [settings.topic("calls.deadletter")])
        assert letters == [], f"{len(letters)} dead letters"

        # Replay 1, what `callstream replay` does: every record of the workflow topics from offset 0
        # produced again into the same topics, processed by the running pipeline.
        names = [settings.topic(f"workflow.{name}") for name in TOPIC_SINKS]
        records = read_topics(settings.bootstrap_servers, names, until=lambda r: len(r) >= published, timeout=60)
        assert len(records) == published
        by_topic: dict[str, list[tuple[bytes | None, bytes | None]]] = {}
        for record in records:
            by_topic.setdefault(record.topic, []).append((record.key, record.value))
        for topic, pairs in by_topic.items():
            produce(settings.bootstrap_servers, topic, pairs)
        phase = time.monotonic()
        drained = wait_for(lambda: group_lag(settings, settings.group_id) == 0, timeout=240, interval=2.0)
        time.sleep(3)
        replayed, _rows = _review_rows_of_unconfirmed(actual_writes(fakes), results)
        print(f"replay into the pipeline: {len(records)} records, {time.monotonic() - phase:.0f} s")
        assert drained
        assert replayed == expected, _report("after the replay", expected, replayed)

        # Replay 2, a new consumer group from offset 0 with an EMPTY ledger (its own changelog):
        # now only the vendors' own mechanisms stand between it and double writes. They hold for
        # Altoviz, Zendesk and Sheets. Slack incoming webhooks have none (sinks/slack.py), so
        # there the ledger is the only guard and a replay that bypasses it re-posts the alerts.
        worker.stop()
        fresh = settings.model_copy(update={"app_id": f"{settings.app_id}-fresh-ledger"})
        start_worker(fresh, name="fresh-ledger")
        phase = time.monotonic()
        drained = wait_for(lambda: group_lag(fresh, fresh.group_id) == 0, timeout=240, interval=2.0)
        time.sleep(3)
        fresh_results = [
            SINK_RESULT.decode(r.value or b"")
            for r in read_to_end(fresh, [fresh.topic("sink.results")])
        ]  # fmt: skip
        after, _rows = _review_rows_of_unconfirmed(actual_writes(fakes), fresh_results)
        print(f"replay with an empty ledger: {time.monotonic() - phase:.0f} s")
        assert drained
        not_slack = {item: n for item, n in after.items() if item[0] != "slack.message"}
        assert not_slack == {item: n for item, n in expected.items() if item[0] != "slack.message"}
        slack_after = {key: n for (kind, key), n in after.items() if kind == "slack.message"}
        if slack_mode == "webhook":
            assert set(slack_after.values()) == {2}
        else:
            # Web API: every action is looked up in the channel history before its first post in a
            # process (slack_recheck_age_seconds defaults to 0), so even the empty-ledger replay posts
            # no alert twice, old or recent.
            recent = {
                write_key(a.idempotency_key, "slack") for a in actions if time.time() - a.created_at.timestamp() < 3600
            }
            recent_count = sum(1 for key in slack_after if key in recent)
            print(f"empty-ledger replay, Slack: {len(slack_after)} alerts ({recent_count} recent), each posted once")
            assert set(slack_after.values()) == {1}
            assert recent_count >= 3 and len(slack_after) - recent_count >= 3

        # Logs never print payloads or secrets: no customer email, key or webhook URL in any worker log.
        secrets = ("@customers.example", "test-altoviz-key", "test-zendesk-token", "test-sheets-token", "/T000/",
                   "xoxb-test-bot-token")  # fmt: skip
        for log in tmp_path.glob("*worker*.log"):
            text = log.read_text(errors="replace")
            assert not [s for s in secrets if s in text], f"{log.name} leaks {[s for s in secrets if s in text]}"

    finally:
        fakes.stop()
