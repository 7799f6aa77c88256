"""Vendor quotas belong to the account: two workers of one group share Google Sheets' writes per
minute (each takes half) instead of each taking all of it. Counted at the vendor fake."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from callstream.settings import Settings
from tests.fakes.actions import make_action
from tests.fakes.harness import publish, seed_fakes, sink_settings, wait_for
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

WRITES_PER_MINUTE = 60.0
WINDOW_SECONDS = 15.0


def busiest_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max((sum(1 for t in times if start <= t < start + window) for start in times), default=0)


def test_two_workers_share_the_sheets_write_quota(pipeline_settings: Settings, start_worker, tmp_path: Path) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(
            pipeline_settings, fakes.url,
            google_sheets_writes_per_minute=WRITES_PER_MINUTE, google_sheets_reads_per_minute=6000.0,
            google_sheets_batch_rows=1,
        )  # fmt: skip
        actions = [make_action(f"call_q{i:04d}", "refund_approval") for i in range(120)]
        seed_fakes(fakes, actions)
        first = start_worker(settings, name="a")
        second = start_worker(settings, name="b")
        second.wait_ready(members=2)

        def both_count_two() -> bool:
            return all("2 worker(s) in the group" in w.log_path.read_text() for w in (first, second))

        assert wait_for(both_count_two, timeout=60, interval=0.5), "the workers did not count their group"
        publish(settings, actions)
        time.sleep(WINDOW_SECONDS + 10)  # the busiest window lies inside: writes go on all along
        requests = fakes.control("GET", "requests")
        writes = [t for vendor, kind, t in requests if vendor == "sheets" and kind == "write"]
    finally:
        fakes.stop()
    busiest = busiest_window(writes, WINDOW_SECONDS)
    allowed = WRITES_PER_MINUTE * WINDOW_SECONDS / 60  # for the whole group
    print(f"sheets writes: {len(writes)}, busiest {WINDOW_SECONDS:g} s window {busiest} (group limit {allowed:g})")
    # Each worker may start with its burst of one; unshared, two workers would make ~2x allowed.
    assert busiest <= allowed + 2, f"{busiest} writes in {WINDOW_SECONDS:g} s: the quota was not shared"
    assert busiest >= allowed * 0.6, f"only {busiest} writes in {WINDOW_SECONDS:g} s: the quota went unused"
