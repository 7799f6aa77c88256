"""Rebalances on the real broker: a second worker joins and leaves (SIGKILLed once, SIGTERMed once)
while writes are in flight against slow and faulty vendors, and the first worker is SIGKILLed too.
Every expected (call, action, sink) must be written exactly once, counted at the fake vendors, which
run in their own process; a SIGTERMed worker with retries pending exits within its drain deadline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from tests.fakes.harness import (
    TEST_SESSION_TIMEOUT_SECONDS,
    actual_writes,
    call_mix,
    expected_writes,
    group_members,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    wait_for,
)
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

CALLS = 240
DRAIN_DEADLINE_SECONDS = 5.0
# Faust's own shutdown after the drain (commit, producer flush, tables, RocksDB): measured 1-3 s.
SHUTDOWN_OVERHEAD_SECONDS = 6.0
WRITERS = ("altoviz", "zendesk", "sheets")  # Slack: see below
FAULTS = [
    *({"vendor": v, "mode": "status", "status": 503, "probability": 0.03} for v in (*WRITERS, "slack")),
    *({"vendor": v, "mode": "status", "status": 429, "retry_after": 1, "probability": 0.02} for v in WRITERS),
    # Applied, then answered after the client's 2 s timeout; applied, then the connection dropped.
    *({"vendor": v, "mode": "slow", "delay": 2.5, "probability": 0.01, "writes_only": True} for v in WRITERS),
    *({"vendor": v, "mode": "drop", "probability": 0.01, "writes_only": True} for v in WRITERS),
    # The connection dropped before anything was applied. Not for Slack incoming webhooks: there a
    # lost answer cannot be told from a lost post (issue 17, point 2: the vendors' part).
    *({"vendor": v, "mode": "drop_before", "probability": 0.01} for v in WRITERS),
]


def _members(settings: Settings) -> set[str]:
    stable, members = group_members(settings)
    return members if stable else set()


def _chunks(actions: list, parts: int) -> list[list]:
    calls = sorted({action.call_id for action in actions})
    size = -(-len(calls) // parts)
    return [
        [a for a in actions if a.call_id in set(calls[i * size : (i + 1) * size])] for i in range(parts)
    ]  # fmt: skip


def test_second_worker_joins_and_leaves_during_faults_and_sigkills_every_write_once(
    pipeline_settings: Settings, start_worker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROKER_SESSION_TIMEOUT", TEST_SESSION_TIMEOUT_SECONDS)  # read by the worker's Faust
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, drain_deadline_seconds=DRAIN_DEADLINE_SECONDS)
        actions = call_mix(CALLS, seed=17)
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        chunks = _chunks(actions, 4)
        fakes.control("POST", "faults", FAULTS)
        started = time.monotonic()

        first: WorkerProcess = start_worker(settings, name="first")
        publish(settings, chunks[0])

        # The second worker joins while the first one's writes are in flight.
        second: WorkerProcess = start_worker(settings, name="second")
        assert wait_for(lambda: len(_members(settings)) == 2, timeout=60, interval=0.5), "second did not join"
        publish(settings, chunks[1])
        time.sleep(2.0)
        made = actual_writes(fakes)
        in_flight_at_kill = sum(1 for item in expected_writes([*chunks[0], *chunks[1]]) if item not in made)
        second.kill()  # leaves by dying: its partitions come back after the session timeout
        assert wait_for(lambda: len(_members(settings)) == 1, timeout=60, interval=0.5)

        # It joins again; then an Altoviz outage starts, so its lanes wait on retries, and it is
        # asked to stop: it must exit within its drain deadline, not after the retry budget (900 s).
        second = start_worker(settings, name="second")
        assert wait_for(lambda: len(_members(settings)) == 2, timeout=60, interval=0.5), "second did not rejoin"
        publish(settings, chunks[2])
        fakes.control("POST", "faults", [{"vendor": "altoviz", "mode": "status", "status": 503, "seconds": 25}])
        time.sleep(4.0)
        exit_seconds = second.terminate(timeout=60)
        assert exit_seconds is not None, "the SIGTERMed worker did not exit within 60 s"
        print(f"SIGTERM with retries pending: exited in {exit_seconds:.1f} s (drain {DRAIN_DEADLINE_SECONDS:g} s)")
        log = second.log_path
        assert exit_seconds <= DRAIN_DEADLINE_SECONDS + SHUTDOWN_OVERHEAD_SECONDS

        # The first worker is SIGKILLed with the rest in flight, and restarted.
        publish(settings, chunks[3])
        time.sleep(2.0)
        before = _members(settings)
        first.kill()
        first = start_worker(settings, name="first")
        assert wait_for(lambda: (m := _members(settings)) and len(m) == 1 and not m & before, timeout=90, interval=0.5)

        done = wait_for(lambda: set(actual_writes(fakes)) >= set(expected), timeout=150, interval=1.0)
        fakes.control("DELETE", "faults")
        time.sleep(3)  # anything still in flight lands now, so a late double write would be seen
        actual = actual_writes(fakes)
        missing = sorted(set(expected) - set(actual))
        doubled = sorted(item for item, n in actual.items() if n > 1)
        print(
            f"rebalance test: {CALLS} calls, {len(expected)} expected writes, {in_flight_at_kill} in flight at the "
            f"SIGKILL of the second worker, {time.monotonic() - started:.0f} s; missing {len(missing)} "
            f"{missing[:5]}, doubled {len(doubled)} {doubled[:5]}"
        )
        assert in_flight_at_kill > 0, "the SIGKILL did not land while writes were in flight"
        assert done and actual == expected
        letters = read_to_end(settings, [settings.topic("calls.deadletter")])
        assert letters == [], f"{len(letters)} dead letters"
        assert "flow stopped" in log.read_text(errors="replace")
    finally:
        fakes.stop()
