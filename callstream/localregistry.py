"""A real Confluent-compatible schema registry on 127.0.0.1, without Docker: Apicurio Registry 3.

Confluent's own registry is not on Maven Central; Apicurio Registry is, as a self-contained Quarkus
archive (`io.apicurio:apicurio-registry-app:<version>:tar.gz:all`), and it serves the Confluent API at
`/apis/ccompat/v7`. So `SCHEMA_REGISTRY_URL=http://127.0.0.1:<port>/apis/ccompat/v7` is all a Confluent
client needs.

Fetched with Maven through `callstream/registry/pom.xml`, like the broker jars (see `localkafka`):
Maven is already a prerequisite, it verifies the archive against Central's checksum (`-C`), honours
the user's mirrors and proxies, and keeps one copy in `~/.m2`. A pinned URL plus a hand-kept hash
would do the first only. The archive is unpacked once into `$XDG_CACHE_HOME/callstream/apicurio-<v>/`.

Storage is Apicurio's default in-memory H2 database: every start is an empty registry, which is what
tests want (no cross-run state) and what `python -m callstream.localregistry up` documents.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import httpx

from callstream.localkafka import Reporter, cache_root, free_port
from callstream.processes import java_executable, pid_from_file, process_alive, stop_process

DEFAULT_VERSION = "3.0.9"  # newest Apicurio release that runs on Java 17; 3.3.x needs Java 21
DEFAULT_HEAP = "384m"  # two cores and little memory shared with a broker and the tests
CCOMPAT_PATH = "/apis/ccompat/v7"
READY_TIMEOUT_SECONDS = 120.0
STOP_TIMEOUT_SECONDS = 20.0
MAVEN_TIMEOUT_SECONDS = 900.0


class LocalRegistryError(RuntimeError):
    """The local registry could not be prepared, started or stopped; the message says what to do."""


def registry_dir(version: str) -> Path:
    return cache_root() / f"apicurio-{version}"


def ensure_registry_app(version: str, report: Reporter = print) -> Path:
    """The unpacked Apicurio Registry `version`, fetched with Maven and unpacked on first use."""
    target = registry_dir(version)
    if (target / ".complete").exists():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalRegistryError("Maven (`mvn`) is not on PATH: install Maven 3.8+ to fetch Apicurio Registry")
    report(
        f"Downloading Apicurio Registry {version} (~110-160 MB) from Maven Central into {target}; "
        "this happens once per version."
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Download and unpack into a staging directory, then rename: an interrupted first run never
    # leaves a half-unpacked registry that later runs would take for complete.
    staging = Path(tempfile.mkdtemp(prefix="apicurio-", dir=target.parent))
    try:
        with resources.as_file(resources.files("callstream") / "registry" / "pom.xml") as pom:
            command = [
                mvn, "-B", "-q", "-C", "-f", str(pom), "dependency:copy",
                f"-Dapicurio.version={version}", f"-DoutputDirectory={staging / 'download'}",
            ]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, timeout=MAVEN_TIMEOUT_SECONDS)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise LocalRegistryError("Maven could not fetch Apicurio Registry:\n" + "\n".join(tail))
        [archive] = (staging / "download").glob("*.tar.gz")
        with tarfile.open(archive) as tar:
            tar.extractall(staging / "app", filter="data")  # "data": no absolute paths, links or devices
        archive.unlink()
        (staging / "app" / ".complete").write_text(version + "\n")
        shutil.rmtree(target, ignore_errors=True)
        (staging / "app").rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    report(f"Apicurio Registry {version} cached in {target}.")
    return target


def launcher_jar(app_dir: Path) -> Path:
    """The jar to run: 3.3+ ship a Quarkus fast-jar (`quarkus-run.jar`), 3.0 a legacy `*-runner.jar`."""
    for candidate in (app_dir / "quarkus-run.jar", app_dir / "quarkus-app" / "quarkus-run.jar"):
        if candidate.exists():
            return candidate
    runners = sorted(app_dir.glob("*-runner.jar"))
    if runners:
        return runners[0]
    raise LocalRegistryError(f"no quarkus-run.jar or *-runner.jar in {app_dir}: delete it and retry")


def registry_answers(url: str, timeout: float = 2.0) -> bool:
    """True when the Confluent-compatible API at `url` (ending in /apis/ccompat/v7) lists subjects."""
    try:
        # trust_env=False: a proxy from the environment must never see a 127.0.0.1 request.
        response = httpx.get(f"{url}/subjects", timeout=timeout, trust_env=False)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


@dataclass(frozen=True)
class RegistryStatus:
    running: bool
    pid: int | None
    url: str
    log_file: Path


class LocalRegistry:
    """One registry process: its log and pid file live in `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        port: int = 8081,
        version: str = DEFAULT_VERSION,
        heap: str = DEFAULT_HEAP,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.version = version
        self.heap = heap

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{CCOMPAT_PATH}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "registry.log"

    @property
    def _pid_file(self) -> Path:
        return self.data_dir / "registry.pid"

    @property
    def _marker(self) -> str:
        # A system property naming our directory: lets `_our_pid` tell our JVM from a reused pid.
        return f"-Dcallstream.registry.dir={self.data_dir}"

    def _our_pid(self) -> int | None:
        return pid_from_file(self._pid_file, self._marker)

    def status(self) -> RegistryStatus:
        pid = self._our_pid()
        return RegistryStatus(pid is not None and registry_answers(self.url), pid, self.url, self.log_file)

    def up(self, report: Reporter = print) -> RegistryStatus:
        """Start the registry unless it already runs; return once the ccompat API answers."""
        pid = self._our_pid()
        if pid is not None:
            self._wait_ready(pid)
            return self.status()
        java = _java_executable()
        app_dir = ensure_registry_app(self.version, report)
        jar = launcher_jar(app_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            java, f"-Xmx{self.heap}", "-Xss512k",
            # Fewer GC and JIT threads, quicker start: this JVM shares two cores with Kafka and the tests.
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=2",
            "-Djava.awt.headless=true", self._marker,
            "-Dquarkus.http.host=127.0.0.1", f"-Dquarkus.http.port={self.port}",
            # Quarkus 3.3+ opens a management port on 0.0.0.0:9000 by default: keep it local and free.
            "-Dquarkus.management.host=127.0.0.1", f"-Dquarkus.management.port={free_port()}",
            "-Dapicurio.storage.kind=sql", "-Dapicurio.storage.sql.kind=h2",  # in memory: empty on every start
            "-Dquarkus.http.access-log.enabled=false",
            "-jar", str(jar),
        ]  # fmt: skip
        with open(self.log_file, "ab") as log:
            process = subprocess.Popen(
                command,
                cwd=self.data_dir,  # Quarkus may write tmp files next to its working directory
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._pid_file.write_text(f"{process.pid}\n")
        try:
            self._wait_ready(process.pid)
        except LocalRegistryError:
            self.down()
            raise
        return self.status()

    def down(self) -> bool:
        """Stop our registry by its pid (SIGTERM, SIGKILL after a grace period). False if none ran."""
        pid = self._our_pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        stop_process(pid, STOP_TIMEOUT_SECONDS)
        self._pid_file.unlink(missing_ok=True)
        return True

    def _wait_ready(self, pid: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if not process_alive(pid):
                raise LocalRegistryError(self._exit_reason())
            if registry_answers(self.url):
                return
            time.sleep(0.3)
        raise LocalRegistryError(
            f"Apicurio Registry did not answer on {self.url} within {READY_TIMEOUT_SECONDS:.0f} s; see {self.log_file}"
        )

    def _exit_reason(self) -> str:
        try:
            log = self.log_file.read_text(errors="replace")[-20000:]
        except OSError:
            log = ""
        if "UnsupportedClassVersionError" in log:
            return (
                f"Apicurio Registry {self.version} needs a newer Java than {_java_executable()}: point JAVA_HOME "
                f"at Java 21+ or use version {DEFAULT_VERSION}, which runs on Java 17"
            )
        if "Port already bound" in log or "Address already in use" in log:
            return f"port {self.port} on 127.0.0.1 is taken: choose another port; see {self.log_file}"
        return f"Apicurio Registry exited during start-up; see {self.log_file}"


def _java_executable() -> str:
    java = java_executable()
    if java is None:
        raise LocalRegistryError("Java is not installed: Apicurio Registry needs Java 17+ on PATH (or JAVA_HOME)")
    return java


def main(argv: list[str] | None = None) -> int:
    """`python -m callstream.localregistry up|down|status` for a registry kept across commands."""
    parser = argparse.ArgumentParser(prog="python -m callstream.localregistry")
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--data-dir", type=Path, default=Path(".callstream/registry"))
    args = parser.parse_args(argv)
    registry = LocalRegistry(args.data_dir, port=args.port, version=args.version)
    if args.command == "up":
        status = registry.up()
        print(f"schema registry ready: SCHEMA_REGISTRY_URL={status.url} (pid {status.pid})")
    elif args.command == "down":
        print("stopped" if registry.down() else "not running")
    else:
        status = registry.status()
        print(f"running={status.running} pid={status.pid} url={status.url} log={status.log_file}")
        return 0 if status.running else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
