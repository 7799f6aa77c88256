"""A real single-node Apache Kafka (KRaft) on 127.0.0.1, without Docker.

The broker jars come from Maven Central through the small pom shipped in `callstream/kafka/pom.xml`.
Maven rather than pinned URLs: it resolves the ~45 transitive jars of `kafka_2.13` itself, checks
every download against Central's checksums, caches them in `~/.m2`, and one property
(`kafka.version`) moves the whole set. The resolved jars are copied once into
`$XDG_CACHE_HOME/callstream/kafka-<version>/libs`, outside the working tree.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from confluent_kafka.admin import AdminClient

from callstream.processes import java_executable, pid_from_file, process_alive, stop_process

Reporter = Callable[[str], None]

READY_TIMEOUT_SECONDS = 90.0
MAVEN_TIMEOUT_SECONDS = 900.0


class LocalKafkaError(RuntimeError):
    """The local broker could not be prepared, started or stopped; the message says what to do."""


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "callstream"


def broker_libs_dir(version: str) -> Path:
    return cache_root() / f"kafka-{version}" / "libs"


def ensure_broker_jars(version: str, report: Reporter = print) -> Path:
    """The directory of broker jars for `version`, resolving them with Maven on first use."""
    libs = broker_libs_dir(version)
    if (libs / ".complete").exists():
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalKafkaError("Maven (`mvn`) is not on PATH: install Maven 3.8+ to fetch the Kafka broker jars")
    report(
        f"Downloading Apache Kafka {version} broker jars (~45 MB, about 46 jars) from Maven Central "
        f"into {libs.parent}; this happens once per version."
    )
    libs.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="libs-", dir=libs.parent))
    with resources.as_file(resources.files("callstream") / "kafka" / "pom.xml") as pom:
        command = [
            mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
            "-DincludeScope=runtime", f"-DoutputDirectory={staging}", f"-Dkafka.version={version}",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=MAVEN_TIMEOUT_SECONDS)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise LocalKafkaError("Maven could not resolve the Kafka broker jars:\n" + "\n".join(tail))
    (staging / ".complete").write_text(version + "\n")
    shutil.rmtree(libs, ignore_errors=True)
    staging.rename(libs)
    report(f"Kafka {version} jars cached in {libs}.")
    return libs


def port_is_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def broker_answers_metadata(bootstrap: str, timeout: float = 3.0) -> bool:
    """True when a broker at `bootstrap` answers a metadata request."""
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0, "socket.timeout.ms": int(timeout * 1000)})
    try:
        metadata = admin.list_topics(timeout=timeout)
    except Exception:
        return False
    return bool(metadata.brokers)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class SecureListeners:
    """Optional listeners beside PLAINTEXT, to try TLS and SASL against a real broker (the tests do).

    `sasl_ssl_port`: SASL_SSL with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN; `mtls_port`: SSL that
    requires a client certificate signed by `ca_file`. The broker's certificate and key are PEM files
    (the key unencrypted PKCS#8). SCRAM credentials are written into the metadata when the storage is
    formatted (`--add-scram`), so they exist before the first client connects.
    """

    ca_file: Path
    cert_file: Path
    key_file: Path
    sasl_ssl_port: int | None = None
    mtls_port: int | None = None
    users: tuple[tuple[str, str], ...] = ()  # (name, password): SCRAM (both hashes) and PLAIN

    def listeners(self) -> dict[str, int]:
        ports = {"SASL_SSL": self.sasl_ssl_port, "SSL": self.mtls_port}
        return {name: port for name, port in ports.items() if port is not None}

    def properties(self) -> dict[str, str]:
        # PEM stores take the file contents inline (`ssl.keystore.key`), with newlines escaped.
        def pem(path: Path) -> str:
            return path.read_text().strip().replace("\n", "\\n")

        properties = {
            "ssl.keystore.type": "PEM",
            "ssl.keystore.certificate.chain": pem(self.cert_file),
            "ssl.keystore.key": pem(self.key_file),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.certificates": pem(self.ca_file),
        }
        if self.mtls_port is not None:
            properties["listener.name.ssl.ssl.client.auth"] = "required"
        if self.sasl_ssl_port is not None:
            scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            plain_users = " ".join(f'user_{name}="{password}"' for name, password in self.users)
            properties |= {
                "sasl.enabled.mechanisms": "SCRAM-SHA-256,SCRAM-SHA-512,PLAIN",
                "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config": scram,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": scram,
                "listener.name.sasl_ssl.plain.sasl.jaas.config": (
                    f"org.apache.kafka.common.security.plain.PlainLoginModule required {plain_users};"
                ),
            }
        return properties

    def format_arguments(self) -> list[str]:
        arguments = []
        for name, password in self.users:
            for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512"):
                arguments += ["--add-scram", f"{mechanism}=[name={name},password={password}]"]
        return arguments


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    log_file: Path
    data_dir: Path


class LocalKafka:
    """One broker: its config, data and log live in `data_dir`; its pid in `data_dir/kafka.pid`."""

    def __init__(
        self,
        data_dir: Path,
        port: int = 9092,
        controller_port: int = 9093,
        version: str = "4.3.1",
        heap: str = "768m",
        default_partitions: int = 3,
        secure: SecureListeners | None = None,
    ) -> None:
        self.secure = secure
        self.data_dir = data_dir.resolve()
        self.port = port
        self.controller_port = controller_port
        self.version = version
        self.heap = heap
        self.default_partitions = default_partitions

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "server.log"

    @property
    def _pid_file(self) -> Path:
        return self.data_dir / "kafka.pid"

    @property
    def _config_file(self) -> Path:
        return self.data_dir / "server.properties"

    def _our_pid(self) -> int | None:
        """The pid in the pid file, if that process is alive and is this broker."""
        return pid_from_file(self._pid_file, str(self._config_file))

    def status(self) -> BrokerStatus:
        pid = self._our_pid()
        running = pid is not None and broker_answers_metadata(self.bootstrap)
        return BrokerStatus(running, pid, self.bootstrap, self.log_file, self.data_dir)

    def up(self, report: Reporter = print) -> BrokerStatus:
        """Start the broker unless it already runs, and wait until it answers a metadata request."""
        pid = self._our_pid()
        if pid is not None:
            self._wait_ready(pid)
            return self.status()
        for port in (self.port, self.controller_port):
            if port_is_open("127.0.0.1", port):
                raise LocalKafkaError(
                    f"port {port} on 127.0.0.1 is taken by another process; choose free ports with "
                    "CALLSTREAM_KAFKA_PORT / CALLSTREAM_KAFKA_CONTROLLER_PORT, or point KAFKA_BOOTSTRAP_SERVERS "
                    "at a broker you already run"
                )
        java = _java_executable()
        libs = ensure_broker_jars(self.version, report)
        self._write_config()
        classpath = str(libs / "*")
        if not (self.data_dir / "data" / "meta.properties").exists():
            self._format(java, classpath)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            java, "-Xms256m", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:+ExplicitGCInvokesConcurrent", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.log_file.parent}",
            f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
            "-cp", classpath, "kafka.Kafka", str(self._config_file),
        ]  # fmt: skip
        with open(self.log_file.parent / "stdout.log", "ab") as stdout:
            process = subprocess.Popen(
                command,
                stdout=stdout,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._pid_file.write_text(f"{process.pid}\n")
        self._wait_ready(process.pid)
        return self.status()

    def down(self) -> bool:
        """Stop the broker cleanly (SIGTERM, then SIGKILL after a grace period). False if none ran."""
        pid = self._our_pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        stop_process(pid)
        self._pid_file.unlink(missing_ok=True)
        return True

    def _wait_ready(self, pid: int) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if not process_alive(pid):
                raise LocalKafkaError(f"the Kafka broker exited during start-up; see {self.log_file}")
            if port_is_open("127.0.0.1", self.port) and broker_answers_metadata(self.bootstrap):
                return
            time.sleep(0.3)
        raise LocalKafkaError(
            f"the Kafka broker did not answer within {READY_TIMEOUT_SECONDS:.0f} s; see {self.log_file}"
        )

    def _format(self, java: str, classpath: str) -> None:
        # A KRaft cluster id is 16 random bytes in URL-safe base64 without padding (Kafka's Uuid form).
        # It may start with '-': passed as --cluster-id=<id> so the tool never reads it as an option.
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        command = [
            java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
            f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
            "-cp", classpath, "kafka.tools.StorageTool", "format",
            f"--cluster-id={cluster_id}", "-c", str(self._config_file),
            *(self.secure.format_arguments() if self.secure else []),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise LocalKafkaError("formatting the KRaft storage failed:\n" + (result.stdout + result.stderr)[-2000:])

    def _write_config(self) -> None:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        properties = {
            "process.roles": "broker,controller",
            "node.id": "1",
            # Static quorum: format without --standalone.
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.data_dir / "data"),
            "num.partitions": str(self.default_partitions),
            # Two cores shared with the tests: few threads, few internal partitions.
            "num.network.threads": "2",
            "num.io.threads": "2",
            "background.threads": "2",
            "num.recovery.threads.per.data.dir": "1",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "4",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            # A typo in a topic name is an error, not a new topic with broker defaults (7 days for
            # what might be card data): every start path creates its topics explicitly.
            "auto.create.topics.enable": "false",
            "delete.topic.enable": "true",
        }
        if self.secure is not None:
            extra = self.secure.listeners()
            protocols = "".join(f",{name}:{name}" for name in extra)
            listeners = "".join(f",{name}://127.0.0.1:{port}" for name, port in extra.items())
            properties["listeners"] += listeners
            properties["advertised.listeners"] += listeners
            properties["listener.security.protocol.map"] += protocols
            properties |= self.secure.properties()
        self._config_file.write_text("".join(f"{key}={value}\n" for key, value in properties.items()))
        log_config = f"""status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = {self.log_file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
"""
        (self.data_dir / "log4j2.properties").write_text(log_config)


def _java_executable() -> str:
    java = java_executable()
    if java is None:
        raise LocalKafkaError("Java is not installed: Kafka 4 needs Java 17 or newer on PATH (or JAVA_HOME)")
    return java
