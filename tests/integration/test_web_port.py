"""The worker's web port on a real worker and broker: only the webhook and health routes, bounded in
time and connections (issue 16, items 1, 6, 10 and the mid-body drop of item 11)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from callstream.settings import Settings
from callstream.workerprocess import WorkerProcess

pytestmark = pytest.mark.integration

SECRET = "whsec_web_port"
HEADER_TIMEOUT = 1.5
BODY_TIMEOUT = 2.0
MAX_CONNECTIONS = 6


def wait_for_port(base: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(base + "/healthz", timeout=2.0, trust_env=False)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture
def worker(pipeline_settings: Settings, start_worker) -> Iterator[tuple[Settings, WorkerProcess, str]]:
    settings = pipeline_settings.model_copy(
        update={
            "dialnexa_webhook_secret": SecretStr(SECRET),
            "web_header_timeout_seconds": HEADER_TIMEOUT,
            "web_body_timeout_seconds": BODY_TIMEOUT,
            "web_max_connections": MAX_CONNECTIONS,
        }
    )
    process = start_worker(settings)
    base = f"http://127.0.0.1:{settings.web_port}"
    wait_for_port(base)
    yield settings, process, base


def connect(settings: Settings) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", settings.web_port), timeout=10)
    sock.settimeout(10)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Whether the server closed `sock` within `seconds`, and what it sent before closing."""
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


def test_only_the_webhook_and_health_routes_are_served(worker: tuple[Settings, WorkerProcess, str]) -> None:
    _settings, _process, base = worker
    with httpx.Client(base_url=base, timeout=10.0, trust_env=False) as client:
        # Faust's views would list tables, keys and the router's partition map: all gone.
        for path in (
            "/",
            "/table/stripe_customers/",
            "/table/stripe_customers/cus_demo_ana/",
            "/table/email_directory/ana@acme.example/",
            "/router/",
            "/graph/",
            "/stats/",
            "/assignment/",
            "/performance/",
        ):
            assert client.get(path).status_code == 404, path
        assert client.get("/healthz").json() == {"status": "alive"}
        deadline = time.monotonic() + 60
        ready = client.get("/readyz")
        while ready.status_code != 200 and time.monotonic() < deadline:
            assert ready.status_code == 503 and ready.json()["reason"]
            time.sleep(0.5)
            ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "ready"}
        assert client.post("/webhooks/dialnexa", content=b"{}").status_code == 401  # the webhook is there


def test_trickling_clients_are_cut_off_and_connections_are_capped(
    worker: tuple[Settings, WorkerProcess, str],
) -> None:
    settings, process, base = worker
    # A client trickling its request head one byte at a time never completes it in time.
    slow_head = connect(settings)
    started = time.monotonic()
    closed = False
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200:
        try:
            slow_head.send(bytes([byte]))
        except OSError:
            closed = True
            break
        time.sleep(0.2)
        if time.monotonic() - started > HEADER_TIMEOUT + 5:
            break
    if not closed:
        closed, _ = closed_within(slow_head, 1.0)
    assert closed and time.monotonic() - started < HEADER_TIMEOUT + 3
    slow_head.close()

    # A client sending its head, then trickling the body: 408 at the body deadline, then closed.
    body = json.dumps({"call_id": "call_slow_body", "pad": "x" * 4000}).encode()
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    slow_body = connect(settings)
    slow_body.sendall(
        b"POST /webhooks/dialnexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"X-DialNexa-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    )
    started = time.monotonic()
    answer = b""
    for index in range(0, len(body), 20):
        try:
            slow_body.send(body[index : index + 20])
        except OSError:
            break
        slow_body.settimeout(0.25)
        with contextlib.suppress(TimeoutError):
            answer += slow_body.recv(4096)
        if answer or time.monotonic() - started > BODY_TIMEOUT + 5:
            break
    closed, rest = closed_within(slow_body, 2.0)
    answer += rest
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert closed and time.monotonic() - started < BODY_TIMEOUT + 3
    slow_body.close()

    # Idle connections up to the cap are held (until the header deadline); one more is refused.
    idle = [connect(settings) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.3)
        extra = connect(settings)
        closed, sent = closed_within(extra, 2.0)
        assert closed and sent.startswith(b"HTTP/1.1 503"), sent
        extra.close()
    finally:
        for sock in idle:
            sock.close()
    # Once they are gone the port serves again, and the worker is still up.
    deadline = time.monotonic() + 10
    while True:
        try:
            assert httpx.get(base + "/healthz", timeout=2.0, trust_env=False).status_code == 200
            break
        except (httpx.TransportError, AssertionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert process.running()


def test_a_client_dropping_mid_body_logs_one_line(worker: tuple[Settings, WorkerProcess, str]) -> None:
    settings, process, _base = worker
    drops = 20
    for _ in range(drops):
        sock = connect(settings)
        sock.sendall(
            b"POST /webhooks/dialnexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"X-DialNexa-Signature: 00\r\nContent-Length: 100000\r\n\r\n" + b'{"call_id": "call_drop", "pad": "'
        )
        sock.close()
        time.sleep(0.05)
    time.sleep(1.5)
    log = process.log_path.read_text(errors="replace")
    assert "Traceback" not in log and "Error handling request" not in log
    # One line per drop that reached the handler (a drop before aiohttp dispatched it logs nothing).
    dropped = log.count("the client disconnected before the body was complete")
    assert 1 <= dropped <= drops
    lines = [line for line in log.splitlines() if "disconnect" in line.lower() or "connection lost" in line.lower()]
    assert len(lines) == dropped, lines[:5]
