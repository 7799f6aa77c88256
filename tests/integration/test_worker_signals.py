"""A worker whose broker has gone still stops on SIGTERM, promptly and without thousands of lines.

Before: with the broker down, SIGTERM and SIGINT were ignored for ~110 s (6,500 log lines) until
SIGKILL. This test has its own broker, so it can kill it under a running worker."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from callstream.localkafka import LocalKafka, free_port
from callstream.processes import process_alive
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from streams.topics import ensure_topics

pytestmark = pytest.mark.integration

GRACE_SECONDS = 8.0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_stops_on_a_signal_when_the_broker_is_gone(tmp_path: Path, signum: signal.Signals) -> None:
    broker = LocalKafka(tmp_path / "kafka", port=free_port(), controller_port=free_port())
    broker.up(report=print)
    worker: WorkerProcess | None = None
    try:
        run = uuid.uuid4().hex[:8]
        settings = Settings(
            kafka_bootstrap_servers=broker.bootstrap, topic_prefix=f"g{run}.", app_id=f"callstream-sig-{run}",
            topic_partitions=1, data_dir=tmp_path / "data", outbox_path=tmp_path / "outbox.sqlite3",
            web_port=free_port(), table_store="memory://", shutdown_grace_seconds=GRACE_SECONDS, _env_file=None,
        )  # fmt: skip
        ensure_topics(settings)
        worker = WorkerProcess(settings, tmp_path / "worker.log")
        worker.start()
        worker.wait_ready(timeout=120)
        pid = broker._our_pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)  # the broker is gone, not stopping cleanly
        for _ in range(100):
            if not process_alive(pid):
                break
            time.sleep(0.1)
        time.sleep(3)  # the worker notices: its fetches and heartbeats fail
        lines_before = len(worker.log_path.read_text(errors="replace").splitlines())
        assert worker.process is not None
        started = time.monotonic()
        worker.process.send_signal(signum)
        try:
            code = worker.process.wait(timeout=GRACE_SECONDS + 12)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker ignored {signum.name} with the broker down; see {worker.log_path}")
        elapsed = time.monotonic() - started
        log = worker.log_path.read_text(errors="replace").splitlines()
        print(f"{signum.name}: exited {code} after {elapsed:.1f} s, {len(log) - lines_before} log lines meanwhile")
        assert elapsed <= GRACE_SECONDS + 5
        assert len(log) - lines_before < 1500
    finally:
        if worker is not None:
            worker.kill()
        broker.down()
