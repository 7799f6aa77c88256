"""Every start path creates and checks the topics, on the real broker (issue 16, item 3 and the
local broker's auto-creation of item 11). These tests start from a prefix with no topics at all."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic, ResourceType

from callstream.localkafka import free_port
from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess
from streams.topics import DAY_MS, MAX_MESSAGE_BYTES, RAW, REDACTED, STRIPE_EVENTS, topic_configs

pytestmark = pytest.mark.integration


def fresh_settings(kafka_bootstrap: str, tmp_path: Path) -> Settings:
    run = uuid.uuid4().hex[:10]
    return Settings(
        kafka_bootstrap_servers=kafka_bootstrap,
        topic_prefix=f"f{run}.",
        app_id=f"callstream-fresh-{run}",
        topic_partitions=2,
        outbox_path=tmp_path / "outbox.sqlite3",
        data_dir=tmp_path / "data",
        web_port=free_port(),
        _env_file=None,
    )


def configs_of(settings: Settings, names: list[str]) -> dict[str, dict[str, str]]:
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    resources = [ConfigResource(ResourceType.TOPIC, settings.topic(name)) for name in names]
    found = admin.describe_configs(resources)
    return {
        resource.name.removeprefix(settings.topic_prefix): {k: v.value for k, v in future.result(timeout=30).items()}
        for resource, future in found.items()
    }


def existing_topics(settings: Settings) -> set[str]:
    admin = AdminClient({"bootstrap.servers": settings.bootstrap_servers, "log_level": 0})
    return set(admin.list_topics(timeout=30).topics)


def start_faust_cli(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """The documented Faust CLI path: `faust -A streams.main worker` (settings from the environment)."""
    environment = {**os.environ, **settings.as_environment(), "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "faust", "-A", "streams.main", "worker", "-l", "info"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_the_faust_cli_path_creates_the_topics_with_the_contract_configs(kafka_bootstrap: str, tmp_path: Path) -> None:
    settings = fresh_settings(kafka_bootstrap, tmp_path)
    wanted = topic_configs(settings)
    assert not {settings.topic(name) for name in wanted} & existing_topics(settings)
    process = start_faust_cli(settings, tmp_path / "faust-cli.log")
    try:
        worker = WorkerProcess(settings, tmp_path / "faust-cli.log")
        worker.process = process  # reuse its readiness wait (consumer group stable) for this process
        worker.wait_ready()
        configs = configs_of(settings, list(wanted))
    finally:
        stop(process)
    assert set(configs) == set(wanted)
    assert configs[RAW]["retention.ms"] == str(DAY_MS)  # not the broker's 7 days
    assert configs[STRIPE_EVENTS]["cleanup.policy"] == "compact"
    for name, config in configs.items():
        assert config["max.message.bytes"] == str(MAX_MESSAGE_BYTES), name
        for key, value in wanted[name].items():
            assert config[key] == value, (name, key)


def test_the_broker_does_not_auto_create_topics(kafka_bootstrap: str) -> None:
    typo = f"dialnexa.calls.rwa-{uuid.uuid4().hex[:8]}"
    producer = Producer({"bootstrap.servers": kafka_bootstrap, "log_level": 0, "message.timeout.ms": 5000})
    errors: list[str] = []
    producer.produce(typo, value=b"x", on_delivery=lambda error, _m: errors.append(str(error)))
    producer.flush(15)
    assert errors and errors[0] != "None"
    assert typo not in AdminClient({"bootstrap.servers": kafka_bootstrap}).list_topics(timeout=10).topics


@pytest.mark.parametrize("path", ["callstream", "faust"])
def test_a_raw_topic_keeping_card_data_for_a_week_stops_every_start_path(
    kafka_bootstrap: str, tmp_path: Path, path: str
) -> None:
    settings = fresh_settings(kafka_bootstrap, tmp_path)
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap, "log_level": 0})
    # What Faust's auto-creation used to leave behind: broker defaults (7 days), stripe.events not compacted.
    week = str(7 * DAY_MS)
    created = admin.create_topics(
        [
            NewTopic(settings.topic(RAW), 2, 1, config={"retention.ms": week}),
            NewTopic(settings.topic(REDACTED), 2, 1, config={"retention.ms": str(DAY_MS)}),
        ]
    )
    for future in created.values():
        future.result(timeout=30)
    log_path = tmp_path / f"{path}.log"
    if path == "callstream":
        environment = {**os.environ, **settings.as_environment(), "PYTHONUNBUFFERED": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "callstream.cli", "worker"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 78
        errors = [line for line in result.stderr.splitlines() if "refusing to start" in line]
        assert len(errors) == 1 and "Traceback" not in result.stderr
        message = errors[0]
    else:
        process = start_faust_cli(settings, log_path)
        try:
            process.wait(timeout=120)
        finally:
            stop(process)
        assert process.returncode not in (0, None)
        log = log_path.read_text(errors="replace")
        message = next(line for line in log.splitlines() if "refusing to start" in line)
    assert settings.topic(RAW) in message and "24 h" in message and "retention.ms=86400000" in message
    # Refused before anything consumed: the raw topic is left as it was, nothing was produced.
    assert configs_of(settings, [RAW])[RAW]["retention.ms"] == week


def test_drift_on_other_topics_is_a_warning_and_the_worker_starts(
    kafka_bootstrap: str, tmp_path: Path, start_worker
) -> None:
    settings = fresh_settings(kafka_bootstrap, tmp_path)
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap, "log_level": 0})
    for future in admin.create_topics(
        [NewTopic(settings.topic(REDACTED), 2, 1, config={"retention.ms": str(DAY_MS)})]
    ).values():
        future.result(timeout=30)
    worker = start_worker(settings)
    deadline = time.monotonic() + 10
    log = ""
    while "retention.ms=86400000" not in log and time.monotonic() < deadline:
        log = worker.log_path.read_text(errors="replace")
        time.sleep(0.2)
    warning = next(line for line in log.splitlines() if settings.topic(REDACTED) in line and "retention.ms" in line)
    assert "expected 604800000" in warning
    assert worker.running()
    # Everything else was created, the drifted topic left alone.
    assert configs_of(settings, [REDACTED])[REDACTED]["retention.ms"] == str(DAY_MS)
    assert configs_of(settings, [RAW])[RAW]["retention.ms"] == str(DAY_MS)


def test_an_uncompacted_stripe_events_topic_is_refused(kafka_bootstrap: str, tmp_path: Path) -> None:
    from streams.topiccheck import TopicConfigError, prepare_topics

    settings = fresh_settings(kafka_bootstrap, tmp_path)
    admin = AdminClient({"bootstrap.servers": kafka_bootstrap, "log_level": 0})
    for future in admin.create_topics([NewTopic(settings.topic(STRIPE_EVENTS), 2, 1)]).values():
        future.result(timeout=30)
    with pytest.raises(TopicConfigError, match=r"must be compacted.*cleanup.policy=compact"):
        prepare_topics(settings)
