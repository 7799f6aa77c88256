"""Run the fake vendors: in this event loop (`running_fakes`) or as a process that outlives a worker
(`python -m tests.fakes.server --port-file F`, managed by `FakeVendorsProcess`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from tests.fakes.vendors import State, build_app

HOST = "127.0.0.1"


@asynccontextmanager
async def running_fakes(state: State | None = None) -> AsyncIterator[tuple[str, State]]:
    """(base URL, state) of the fakes served on a free port of 127.0.0.1 in the current loop."""
    state = state or State()
    runner = web.AppRunner(build_app(state), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://{HOST}:{port}", state
    finally:
        await runner.cleanup()


class FakeVendorsProcess:
    """The fakes in their own process: they keep their counts while the worker is SIGKILLed."""

    def __init__(self, workdir: Path) -> None:
        self.port_file = workdir / "fakes.port"
        self.log_path = workdir / "fakes.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 30.0) -> FakeVendorsProcess:
        self.port_file.unlink(missing_ok=True)
        root = Path(__file__).resolve().parents[2]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.fakes.server", "--port-file", str(self.port_file)],
                cwd=root, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": str(root)},
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.port_file.exists() and self.port_file.read_text().strip():
                self.url = f"http://{HOST}:{self.port_file.read_text().strip()}"
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"fake vendors did not start; see {self.log_path}")

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_fake/{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def writes(self) -> dict[str, dict[str, int]]:
        return self.control("GET", "writes")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", type=Path, required=True)
    args = parser.parse_args()

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        async with running_fakes() as (url, _state):
            args.port_file.write_text(url.rsplit(":", 1)[1])
            await stop.wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
