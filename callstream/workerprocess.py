"""A `callstream worker` in a subprocess: started, awaited until it consumes, stopped by its pid.

Used by `callstream demo` and by the integration tests (which also kill it with SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from confluent_kafka import ConsumerGroupState
from confluent_kafka.admin import AdminClient

from callstream.settings import Settings

READY_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 30.0


class WorkerFailed(RuntimeError):
    pass


class WorkerProcess:
    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        environment = {**os.environ, **self.settings.as_environment(), "PYTHONUNBUFFERED": "1"}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "callstream.cli", "worker"],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own process group: a SIGKILL takes the worker's children (the redaction pool)
                # with it, as a container kill would, instead of leaving them orphaned.
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        if self.process is None:
            raise WorkerFailed("worker not started")
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS, members: int = 1) -> None:
        """Wait until the worker's consumer group is stable with at least `members` members."""
        admin = AdminClient(self.settings.kafka_client_config() | {"log_level": 0})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise WorkerFailed(f"the worker exited during start-up; see {self.log_path}")
            try:
                group_id = self.settings.group_id
                group = admin.describe_consumer_groups([group_id])[group_id].result(timeout=5)
                if group.state == ConsumerGroupState.STABLE and len(group.members) >= members:
                    return
            except Exception:  # the group does not exist yet
                pass
            time.sleep(0.5)
        raise WorkerFailed(f"the worker did not join its consumer group within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        """SIGTERM (Faust commits and leaves the group), then SIGKILL after a grace period."""
        if not self.running():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def terminate(self, timeout: float = STOP_TIMEOUT_SECONDS) -> float | None:
        """SIGTERM and wait: seconds until the worker exited, or None if it was still running after
        `timeout` (then it is SIGKILLed)."""
        if not self.running():
            return 0.0
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL the worker and every process of its group (its pool children too)."""
        if self.process is None or self.process.poll() is not None:
            return  # never signal a group whose leader was reaped: its id may be reused
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group's id is the worker's pid
        self.process.kill()
        self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
