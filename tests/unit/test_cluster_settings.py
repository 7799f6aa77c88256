"""Cluster connection settings (issue 16): what each Kafka client is given, and the one-line errors
a newcomer meets (bad variables, no broker, misspelt names). No broker needed: the CLI tests point
at a closed port on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from faust.auth import OAuthCredentials, SASLCredentials, SSLCredentials

from callstream.kafkaauth import OidcTokenProvider, faust_credentials, librdkafka_config, registry_config
from callstream.localkafka import free_port
from callstream.settings import Settings, load_settings, unknown_variables
from streams import httplog
from tests.integration.tls import make_pki


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)


def test_sasl_ssl_scram_reaches_librdkafka_and_faust(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    s = settings(
        kafka_bootstrap_servers="b1.example.com:9096, b2.example.com:9096",
        kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="svc", kafka_sasl_password="pw-123", kafka_ssl_ca_file=pki.ca_file,
    )  # fmt: skip
    assert librdkafka_config(s) == {
        "bootstrap.servers": "b1.example.com:9096,b2.example.com:9096",
        "security.protocol": "SASL_SSL",
        "ssl.ca.location": str(pki.ca_file),
        "ssl.endpoint.identification.algorithm": "https",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "svc",
        "sasl.password": "pw-123",
    }
    credentials = faust_credentials(s)
    assert isinstance(credentials, SASLCredentials)
    assert credentials.mechanism.value == "SCRAM-SHA-512" and credentials.protocol.value == "SASL_SSL"
    assert credentials.ssl_context is not None and credentials.ssl_context.check_hostname
    assert "pw-123" not in repr(s) and "pw-123" not in repr(credentials)


def test_mtls_and_oauthbearer(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    mtls = settings(
        kafka_security_protocol="SSL", kafka_ssl_ca_file=pki.ca_file,
        kafka_ssl_cert_file=pki.client_cert, kafka_ssl_key_file=pki.client_key,
    )  # fmt: skip
    config = librdkafka_config(mtls)
    assert config["ssl.certificate.location"] == str(pki.client_cert) and "sasl.mechanism" not in config
    assert isinstance(faust_credentials(mtls), SSLCredentials)
    oauth = settings(
        kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism="OAUTHBEARER",
        kafka_oauth_token_url="https://idp.example.com/token", kafka_oauth_client_id="cid",
        kafka_oauth_client_secret="csecret", kafka_oauth_scope="kafka",
    )  # fmt: skip
    config = librdkafka_config(oauth)
    assert config["sasl.oauthbearer.method"] == "oidc" and config["sasl.oauthbearer.client.secret"] == "csecret"
    assert isinstance(faust_credentials(oauth), OAuthCredentials)
    assert settings().kafka_client_config() == {"bootstrap.servers": "127.0.0.1:9092", "security.protocol": "PLAINTEXT"}
    assert faust_credentials(settings()) is None


def test_registry_basic_auth_and_short_timeout() -> None:
    s = settings(schema_registry_url="https://sr.example.com", schema_registry_username="key",
                 schema_registry_password="secret")  # fmt: skip
    config = registry_config(s)
    assert config["basic.auth.user.info"] == "key:secret"
    assert config["timeout"] < s.session_timeout_seconds and config["max.retries"] == 0


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"kafka_security_protocol": "SASL_SSL"}, ["CALLSTREAM_KAFKA_SASL_USERNAME", "CALLSTREAM_KAFKA_SASL_PASSWORD"]),
        ({"kafka_sasl_username": "u", "kafka_sasl_password": "p"}, ["CALLSTREAM_KAFKA_SECURITY_PROTOCOL"]),
        ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "OAUTHBEARER"},
         ["CALLSTREAM_KAFKA_OAUTH_TOKEN_URL"]),
        ({"kafka_ssl_cert_file": "c.pem"}, ["CALLSTREAM_KAFKA_SSL_KEY_FILE"]),
        ({"schema_registry_username": "u"}, ["CALLSTREAM_SCHEMA_REGISTRY_USERNAME"]),
    ],
)  # fmt: skip
def test_incomplete_credentials_are_refused_naming_the_variables(values: dict, names: list[str]) -> None:
    with pytest.raises(ValueError) as error:
        settings(**values)
    for name in names:
        assert name in str(error.value)


@pytest.mark.parametrize("value", ["localhost", "kafka://b:9092", "b:port", "b:9092,,c:9092", "b:70000"])
def test_malformed_bootstrap_servers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="host:port"):
        settings(kafka_bootstrap_servers=value)


def test_unknown_variables_name_the_closest_valid_one() -> None:
    environ = {"CALLSTREAM_TOPIC_PREFX": "x", "CALLSTREAM_TOPIC_PREFIX": "y", "CALLSTREAM_ZZZ_QQQ": "1", "HOME": "/"}
    assert unknown_variables(environ) == [
        "warning: unknown variable CALLSTREAM_TOPIC_PREFX is ignored; did you mean CALLSTREAM_TOPIC_PREFIX?",
        "warning: unknown variable CALLSTREAM_ZZZ_QQQ is ignored",
    ]
    warnings: list[str] = []
    load_settings(environ, warn=warnings.append, _env_file=None)
    assert len(warnings) == 2


def run_cli(*args: str, timeout: float = 60, **env: str) -> tuple[int, str, float]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CALLSTREAM_", "KAFKA_"))} | env
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "callstream.cli", *args], env=environment, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def callstream_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("callstream")]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("CALLSTREAM_TOPIC_PARTITIONS", "three", "CALLSTREAM_TOPIC_PARTITIONS='three': Input should be a valid int"),
        ("CALLSTREAM_TOPIC_PARTITIONS", "0", "CALLSTREAM_TOPIC_PARTITIONS='0': Input should be greater than or equal"),
        ("KAFKA_BOOTSTRAP_SERVERS", "broker-without-port", "KAFKA_BOOTSTRAP_SERVERS='broker-without-port'"),
    ],
)
def test_a_bad_variable_is_one_line_naming_it(tmp_path: Path, variable: str, value: str, expected: str) -> None:
    code, output, _ = run_cli("worker", **{variable: value, "CALLSTREAM_DATA_DIR": str(tmp_path)})
    assert code == 78
    lines = callstream_lines(output)
    assert len(lines) == 1 and lines[0].startswith(f"callstream worker: invalid configuration: {expected}"), output
    assert "Traceback" not in output and "topic_partitions" not in output


def test_a_worker_without_a_broker_says_run_kafka_up_within_15_seconds(tmp_path: Path) -> None:
    closed = free_port()
    code, output, elapsed = run_cli(
        "worker", CALLSTREAM_KAFKA_PORT=str(closed), CALLSTREAM_DATA_DIR=str(tmp_path),
        CALLSTREAM_OUTBOX_PATH=str(tmp_path / "outbox.sqlite3"), CALLSTREAM_KAFKA_CONNECT_TIMEOUT_SECONDS="5",
    )  # fmt: skip
    assert code == 69, output
    assert elapsed < 15, f"{elapsed:.1f} s"
    lines = callstream_lines(output)
    assert len(lines) == 1 and "`callstream kafka up`" in lines[0] and f"127.0.0.1:{closed}" in lines[0], output
    assert "Traceback" not in output and len(output.splitlines()) < 10, output


def test_a_misspelt_variable_is_warned_about(tmp_path: Path) -> None:
    _, output, _ = run_cli("worker", CALLSTREAM_TOPIC_PARTITONS="4", CALLSTREAM_TOPIC_PARTITIONS="x")
    assert (
        "callstream: warning: unknown variable CALLSTREAM_TOPIC_PARTITONS is ignored; "
        "did you mean CALLSTREAM_TOPIC_PARTITIONS?"
    ) in output


async def test_oidc_token_provider_uses_client_credentials_and_caches() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={"access_token": f"tok-{len(requests)}", "expires_in": 3600})

    provider = OidcTokenProvider("https://idp.example/token", "cid", "csecret", "kafka", httpx.MockTransport(handler))
    assert await provider.token() == "tok-1"
    assert await provider.token() == "tok-1"
    assert len(requests) == 1
    body = requests[0].content.decode()
    assert "grant_type=client_credentials" in body and "scope=kafka" in body
    assert requests[0].headers["authorization"].startswith("Basic ")

    denied = OidcTokenProvider("https://idp.example/token", "cid", "bad", None, httpx.MockTransport(
        lambda request: httpx.Response(401, json={"error": "invalid_client"})))  # fmt: skip
    with pytest.raises(PermissionError, match="CALLSTREAM_KAFKA_OAUTH_CLIENT_SECRET"):
        await denied.token()


async def test_a_malformed_http_request_logs_one_line(caplog: pytest.LogCaptureFixture) -> None:
    httplog.install()
    app = web.Application()

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        with caplog.at_level(logging.DEBUG, logger="aiohttp.server"):
            for garbage in (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n", b"GET /\x00 HTTP/1.1\r\n\r\n"):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(garbage)
                await writer.drain()
                answer = await asyncio.wait_for(reader.read(200), timeout=5)
                assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request")
                writer.close()
            await asyncio.sleep(0.1)
    finally:
        await runner.cleanup()
    records = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert len(records) == 2, [r.getMessage() for r in records]
    for record in records:
        assert record.levelno == logging.WARNING and record.exc_info is None
        assert record.getMessage().startswith("malformed HTTP request from 127.0.0.1: ")
        assert "\n" not in record.getMessage()


def test_free_port_is_closed() -> None:
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
