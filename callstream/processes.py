"""The native services callstream starts itself (Kafka broker, schema registry): finding Java,
recognising our own process behind a pid, and stopping it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

STOP_TIMEOUT_SECONDS = 30.0


def java_executable() -> str | None:
    """JAVA_HOME's java, else the one on PATH; None if there is none."""
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    if candidate and candidate.exists():
        return str(candidate)
    return shutil.which("java")


def process_alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it was our child and has exited
        if reaped == pid:
            return False
    except ChildProcessError:
        pass
    result = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    state = result.stdout.strip()
    return bool(state) and not state.startswith("Z")


def process_command_line(pid: int) -> str:
    """The full command line of `pid`: /proc where there is one, else `ps -ww`. Plain `ps -o args=`
    cuts at the terminal width (80 columns under pytest), which would make our process look foreign."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        result = subprocess.run(["ps", "-ww", "-o", "args=", "-p", str(pid)], capture_output=True, text=True)
        return result.stdout.strip()


def pid_from_file(pid_file: Path, marker: str) -> int | None:
    """The pid in `pid_file` if that process is alive and its command line holds `marker` (pids get reused)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if process_alive(pid) and marker in process_command_line(pid):
        return pid
    return None


def stop_process(pid: int, grace_seconds: float = STOP_TIMEOUT_SECONDS) -> None:
    """SIGTERM, then SIGKILL if it is still there after the grace period."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and process_alive(pid):
        time.sleep(0.2)
    if process_alive(pid):
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not process_alive(pid):
                break
            time.sleep(0.1)
