"""`callstream kafka up|down|status` and `callstream demo`, as a user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from confluent_kafka.admin import AdminClient

from callstream.demo import run_demo
from callstream.localkafka import free_port
from callstream.settings import Settings

pytestmark = pytest.mark.integration


def callstream(args: list[str], environment: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "callstream.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_kafka_up_is_idempotent_and_down_stops_it(tmp_path: Path) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"},
        "CALLSTREAM_KAFKA_PORT": str(free_port()),
        "CALLSTREAM_KAFKA_CONTROLLER_PORT": str(free_port()),
        "CALLSTREAM_KAFKA_DATA_DIR": str(tmp_path / "kafka"),
    }
    bootstrap = f"127.0.0.1:{environment['CALLSTREAM_KAFKA_PORT']}"
    try:
        first = callstream(["kafka", "up"], environment)
        assert first.returncode == 0, first.stderr
        assert first.stdout.strip() == bootstrap
        pid = (tmp_path / "kafka" / "kafka.pid").read_text().strip()
        second = callstream(["kafka", "up"], environment)
        assert second.returncode == 0 and second.stdout.strip() == bootstrap
        assert (tmp_path / "kafka" / "kafka.pid").read_text().strip() == pid  # the same broker, not a second one
        status = callstream(["kafka", "status"], environment)
        assert status.returncode == 0 and f"running (pid {pid})" in status.stdout
        assert (tmp_path / "kafka" / "logs" / "server.log").stat().st_size > 0
    finally:
        down = callstream(["kafka", "down"], environment)
    assert down.stdout.strip() == "stopped"
    stopped = callstream(["kafka", "status"], environment)
    assert stopped.returncode == 3 and "not running" in stopped.stdout


def broker_names(bootstrap: str) -> tuple[set[str], set[str]]:
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})
    topics = set(admin.list_topics(timeout=30).topics)
    groups = {group.group_id for group in admin.list_consumer_groups().result(timeout=30).valid}
    return topics, groups


def test_demo_routes_every_sample_call_and_leaves_nothing_behind(kafka_bootstrap: str, tmp_path: Path) -> None:
    settings = Settings(kafka_bootstrap_servers=kafka_bootstrap, data_dir=tmp_path, _env_file=None)
    topics_before, groups_before = broker_names(kafka_bootstrap)
    assert run_demo(settings, timeout=120) == 0
    topics_after, groups_after = broker_names(kafka_bootstrap)
    # Nothing of the run is left: its topics (raw included), changelogs, worker group, reader groups.
    assert {t for t in topics_after - topics_before if not t.startswith("__")} == set()
    assert groups_after - groups_before == set()
