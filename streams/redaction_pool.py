"""Where redaction runs: a worker process that is killed when a call takes too long.

A thread cannot be stopped: with a thread pool, every timed-out redaction kept its thread busy
(a pathological input can run for minutes), so two such calls left no thread and every call after
them timed out and was quarantined. A process can be killed, so a timed-out redaction is ended
and the next call gets a fresh process; fail-closed is unchanged (a timeout, a crash or an error
is a quarantine, never a forward).

The redact agent runs one call at a time (concurrency 1), so one process suffices; it is started
with `spawn` (a fork of a running Faust worker would copy its threads' locks) and warmed at start
so the first call does not pay for the imports.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from streams.redaction import RedactionFailed, redact_call

log = logging.getLogger("callstream.redact")

STARTUP_TIMEOUT_SECONDS = 120.0


class RedactionTimedOut(RedactionFailed):
    pass


def _warm() -> None:
    """Nothing: unpickling this function in the worker process imports the redactor, which is the warm-up."""


class RedactionPool:
    def __init__(self, timeout: float, function: Callable[[Any], Any] = redact_call) -> None:
        self.timeout = timeout
        self.function = function  # module-level, so the worker process can import it
        self._context = multiprocessing.get_context("spawn")
        self._executor: ProcessPoolExecutor | None = None
        self._warm: Future[None] | None = None
        self.restarts = 0

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=self._context)
            self._warm = self._executor.submit(_warm)
        return self._executor

    def start(self) -> None:
        """Start (and warm) the worker process now rather than on the first call."""
        self._pool()

    async def redact(self, call: Any) -> Any:
        executor = self._pool()
        try:
            # The process start (imports, pattern compilation: seconds on a loaded machine) is not the
            # call's time: wait for it first, with its own, generous bound.
            await asyncio.wait_for(asyncio.wrap_future(self._warm), STARTUP_TIMEOUT_SECONDS)
        except (TimeoutError, BrokenProcessPool):
            self._kill("the redaction process did not start")
            raise RedactionFailed("the redaction process did not start") from None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(executor, self.function, call)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            self._kill("a redaction timed out")
            raise RedactionTimedOut(f"redaction took longer than {self.timeout:g} s") from None
        except BrokenProcessPool:
            self._kill("the redaction process died")
            raise RedactionFailed("the redaction process died") from None

    def _kill(self, why: str) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        self.restarts += 1
        log.warning("redaction process replaced: %s", why)
        # ProcessPoolExecutor has no per-worker kill before Python 3.14 (terminate_workers).
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker process without waiting (called from the event loop on shutdown)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            for process in list(getattr(executor, "_processes", {}).values()):
                process.kill()
            executor.shutdown(wait=False, cancel_futures=True)
