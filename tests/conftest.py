"""Shared fixtures: one real Kafka broker per test session, unique topics per test, worker processes.

Set KAFKA_BOOTSTRAP_SERVERS to run against a broker you already have; otherwise the session starts
the project's own local broker (`callstream kafka up` machinery) on free ports and stops it after.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from callstream.localkafka import LocalKafka, free_port
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from sinks.ratelimit import GROUP_SHARE
from streams.topics import ensure_topics


@pytest.fixture(autouse=True)
def _untracked_group_share() -> Iterator[None]:
    """Building an app in-process (`create_app`) tracks the process-wide vendor quota share; left
    tracked, every later limiter in the same pytest process waits 15 s for a group count that never
    comes (how `test_rate_limiter_spaces_requests` took 15 s in the suite and 0.2 s alone)."""
    yield
    GROUP_SHARE.tracked, GROUP_SHARE.members = False, None


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        yield configured
        return
    broker = LocalKafka(tmp_path_factory.mktemp("kafka"), port=free_port(), controller_port=free_port())
    broker.up(report=lambda line: print(line))
    try:
        yield broker.bootstrap
    finally:
        broker.down()


@pytest.fixture
def pipeline_settings(kafka_bootstrap: str, tmp_path: Path) -> Settings:
    """Settings with a unique topic prefix and consumer group; the topics exist when the test starts."""
    run = uuid.uuid4().hex[:10]
    settings = Settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=f"t{run}.",
        app_id=f"callstream-test-{run}",
        topic_partitions=2,
        outbox_path=tmp_path / "outbox.sqlite3",
        data_dir=tmp_path / "data",
        web_port=free_port(),
        _env_file=None,
    )
    ensure_topics(settings)
    return settings


@pytest.fixture
def start_worker(pipeline_settings: Settings, tmp_path: Path) -> Iterator[callable]:
    """Start workers for the test (ready = consumer group stable); every one is stopped afterwards."""
    started: list[WorkerProcess] = []

    def start(settings: Settings | None = None, name: str = "worker") -> WorkerProcess:
        settings = settings or pipeline_settings
        if started:  # a second worker of the same app needs its own web port and local state
            update = {"web_port": free_port(), "data_dir": tmp_path / f"data-{name}-{len(started)}"}
            settings = settings.model_copy(update=update)
        worker = WorkerProcess(settings, tmp_path / f"{name}-{len(started)}.log")
        started.append(worker)
        worker.start()
        worker.wait_ready()
        return worker

    yield start
    for worker in started:
        worker.stop()
