"""Outage: Altoviz answers 503 for a while. Zendesk tickets of the same calls (same topic, another
agent), Sheets rows and Slack alerts keep flowing; the Altoviz backlog drains after recovery; nothing
lost, nothing doubled, and the circuit breaker keeps the down vendor from being hammered."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from callstream.settings import Settings
from tests.fakes.actions import make_action
from tests.fakes.harness import (
    actual_writes,
    expected_writes,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    wait_for,
)
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 30.0


def test_altoviz_outage_drains_after_recovery_while_other_sinks_flow(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url)
        actions = [
            *(make_action(f"call_d{i:04d}", "charge_dispute", urgency="urgent" if i < 3 else "high")
              for i in range(200)),
            *(make_action(f"call_b{i:04d}", "billing_correction") for i in range(100)),
        ]  # fmt: skip
        seed_fakes(fakes, actions)
        expected = expected_writes(actions)
        kinds = {kind for kind, _key in expected}
        assert kinds == {"zendesk.ticket", "altoviz.note", "sheets.row", "sheets.header", "slack.message"}
        start_worker(settings)

        fakes.control("POST", "faults", [
            {"vendor": "altoviz", "mode": "status", "status": 503, "seconds": OUTAGE_SECONDS},
            {"vendor": "zendesk", "mode": "status", "status": 429, "retry_after": 1, "count": 5},
        ])  # fmt: skip
        outage_ends = time.monotonic() + OUTAGE_SECONDS
        outage_wall = (time.time(), time.time() + OUTAGE_SECONDS)
        publish(settings, actions)

        def others_done() -> bool:
            made = actual_writes(fakes)
            return all(made.get(item) == 1 for item in expected if item[0] != "altoviz.note")

        assert wait_for(others_done, timeout=OUTAGE_SECONDS - 8, interval=0.5), "other sinks stalled during the outage"
        assert time.monotonic() < outage_ends  # still down: Zendesk, Sheets and Slack did not wait for Altoviz
        assert not any(kind == "altoviz.note" for kind, _key in actual_writes(fakes))

        drained = wait_for(lambda: set(actual_writes(fakes)) >= set(expected), timeout=OUTAGE_SECONDS + 90)
        time.sleep(2)
        actual = actual_writes(fakes)
        assert drained, f"{len(set(expected) - set(actual))} writes missing after recovery"
        assert actual == expected  # each exactly once

        # Backoff and the circuit breaker (open after 5 failures, one trial per 2 s) bound the load on
        # the down vendor: a few dozen requests in 30 s, not a tight loop.
        requests = fakes.control("GET", "requests")
        during = [r for r in requests if r[0] == "altoviz" and outage_wall[0] <= r[2] <= outage_wall[1] - 0.5]
        print(f"altoviz requests during the {OUTAGE_SECONDS:.0f} s outage: {len(during)}")
        assert 3 <= len(during) <= 45

        letters = read_to_end(settings, [settings.topic("calls.deadletter")])
        assert letters == []
    finally:
        fakes.stop()
