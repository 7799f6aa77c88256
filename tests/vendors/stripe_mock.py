"""stripe-mock for the tests: installed once with `go install` into the callstream cache, started per session.

Same pattern as `callstream.localkafka`: the binary lives outside the working tree
(`$XDG_CACHE_HOME/callstream/bin`), the process is started in its own session and stopped by pid.
stripe-mock validates every request against Stripe's OpenAPI spec (404 for an unknown route, 400 for an
unknown or ill-typed parameter), which is what these tests rely on.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx

from callstream.localkafka import cache_root, free_port

STRIPE_MOCK_MODULE = "github.com/stripe/stripe-mock"
STRIPE_MOCK_VERSION = "v0.197.0"
INSTALL_TIMEOUT_SECONDS = 600.0
READY_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
TEST_API_KEY = "sk_test_callstream"


class GoMissing(RuntimeError):
    pass


def binary_path() -> Path:
    return cache_root() / "bin" / "stripe-mock"


def ensure_binary(report=print) -> Path:  # type: ignore[no-untyped-def]
    """The stripe-mock binary, building it with `go install` on first use (about 30 s)."""
    binary = binary_path()
    if binary.exists():
        return binary
    go = shutil.which("go")
    if go is None:
        raise GoMissing("`go` is not on PATH: install Go 1.22+ to build stripe-mock for the Stripe tests")
    binary.parent.mkdir(parents=True, exist_ok=True)
    report(f"Installing stripe-mock {STRIPE_MOCK_VERSION} with `go install` into {binary.parent} (once)...")
    started = time.monotonic()
    result = subprocess.run(
        [go, "install", f"{STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}"],
        env={**os.environ, "GOBIN": str(binary.parent)},
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    if result.returncode != 0 or not binary.exists():
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise RuntimeError("go install of stripe-mock failed:\n" + "\n".join(tail))
    report(f"stripe-mock installed in {time.monotonic() - started:.1f} s")
    return binary


class StripeMock:
    def __init__(self, log_file: Path) -> None:
        self.log_file = log_file
        self.port = free_port()
        self.pid: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = ensure_binary()
        # HTTPS is not used, but stripe-mock always opens it: pin it to loopback on a system-chosen port
        # (its default would be 12112 on every interface).
        command = [str(binary), "-http-addr", f"127.0.0.1:{self.port}", "-https-addr", "127.0.0.1:"]
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self.pid = process.pid
        self._process = process
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"stripe-mock exited during start-up; see {self.log_file}")
            try:
                answer = httpx.get(
                    f"{self.url}/v1/customers", headers={"Authorization": f"Bearer {TEST_API_KEY}"}, timeout=1.0
                )
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"stripe-mock did not answer within {READY_TIMEOUT_SECONDS:.0f} s; see {self.log_file}")

    def stop(self) -> None:
        if self.pid is None:
            return
        process, self.pid = self._process, None
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT_SECONDS)
