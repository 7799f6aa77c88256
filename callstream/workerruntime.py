"""The Faust worker as `callstream worker` runs it: a stop that cannot hang.

mode's worker handles SIGTERM/SIGINT by stopping every service in order. With the broker gone that
stop waits on aiokafka's reconnect loops and the process ignores the signal for minutes (logging
thousands of lines) until SIGKILL. Here a signal still starts the clean stop, and arms a watchdog:
if the process is still there after the grace period, or a second signal comes, it exits at once
with one line. Nothing is lost by that: offsets not committed are re-read by the next worker, and
the sinks are idempotent.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Any

import faust

log = logging.getLogger("callstream.worker")


class GracefulWorker(faust.Worker):
    def __init__(self, *args: Any, shutdown_grace_seconds: float = 20.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._grace = shutdown_grace_seconds
        self._watchdog: threading.Timer | None = None

    def _schedule_shutdown(self, signum: signal.Signals) -> None:
        if self._watchdog is not None:
            _force_exit(f"second {signum.name}: exiting now without a clean stop", signum)
        self._watchdog = threading.Timer(
            self._grace,
            _force_exit,
            args=(f"clean stop did not finish within {self._grace:g} s (broker unreachable?): exiting", signum),
        )
        self._watchdog.daemon = True
        self._watchdog.start()
        super()._schedule_shutdown(signum)


def _force_exit(message: str, signum: signal.Signals) -> None:
    print(f"callstream worker: {message}", file=sys.stderr, flush=True)
    os._exit(128 + int(signum))
