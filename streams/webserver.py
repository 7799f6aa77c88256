"""The worker's web port, closed down to what it is for (issue 16).

Faust serves, by default, its table views (`/table/<name>/<key>/`: any customer's e-mail and name,
an e-mail -> customer oracle, the sink ledger), its router (`/router/`), statistics and graphs, all
unauthenticated. The worker's port serves exactly:

- `POST /webhooks/dialnexa`: DialNexa deliveries (HMAC-signed; see streams.webhook);
- `GET /healthz`: 200 while the worker's event loop answers (liveness);
- `GET /readyz`: 200 once partitions are assigned and tables recovered, else 503 with the reason.

Everything else is 404. aiohttp itself bounds the request line and headers in size but not in time,
and lets idle connections live an hour, so the server's protocol here adds:

- a header deadline: a connection that has not sent a complete request head within
  `CALLSTREAM_WEB_HEADER_TIMEOUT_SECONDS` (counted from connect, and again after each response) is
  closed; this also caps idle keep-alive;
- a connection cap: past `CALLSTREAM_WEB_MAX_CONNECTIONS` open connections a new one gets a bare 503
  and is closed before anything is parsed;
- the body deadline is the webhook's (`CALLSTREAM_WEB_BODY_TIMEOUT_SECONDS`, 408), the only route
  that reads a body; the lingering read after a response is capped too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import faust
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_runner import AppRunner
from aiohttp.web_server import Server
from faust.web import Request, Response, View
from faust.web.base import BlueprintManager

from callstream.settings import Settings
from streams.metrics import PipelineMetrics, StatusSamples
from streams.statuspage import STATUS_PAGE

log = logging.getLogger("callstream.web")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
STATUS_PATH = "/status"
STATUS_DATA_PATH = "/status.json"
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4"  # aiohttp adds the charset itself
LINGERING_SECONDS = 1.0  # after a response, unread body bytes are drained this long, then the connection closes
_REFUSED = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"

# Faust's own views: all off. (Each has a setting; the production index at "/" has none and is
# dropped with the blueprint list below.)
FAUST_WEB_VIEWS_OFF: dict[str, bool] = {
    "web_router_enabled": False,
    "web_tables_enabled": False,
    "web_graph_enabled": False,
    "web_stats_enabled": False,
    "web_metrics_enabled": False,
}


@dataclass(frozen=True)
class WebLimits:
    header_timeout: float
    max_connections: int

    @classmethod
    def from_settings(cls, settings: Settings) -> WebLimits:
        return cls(header_timeout=settings.web_header_timeout_seconds, max_connections=settings.web_max_connections)


class GuardedRequestHandler(RequestHandler):
    """aiohttp's protocol with a header deadline and a connection cap."""

    def __init__(self, manager: Server, *, limits: WebLimits, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._limits = limits
        self._header_timer: asyncio.TimerHandle | None = None
        self._counted: GuardedServer | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # Our own count of open sockets: aiohttp's `connections` keeps a closed one until its handler
        # task finishes, which would refuse clients for connections that are already gone.
        server = self._manager
        assert isinstance(server, GuardedServer)
        if server.open_connections >= self._limits.max_connections:
            log.warning("web: refused a connection: %d connections open (CALLSTREAM_WEB_MAX_CONNECTIONS)",
                        server.open_connections)  # fmt: skip
            transport.write(_REFUSED)  # type: ignore[attr-defined]
            transport.close()
            self._manager = None  # never registered: connection_lost has nothing to undo
            return
        server.open_connections += 1
        self._counted = server
        super().connection_made(transport)
        self._arm_header_timer()

    def data_received(self, data: bytes) -> None:
        before = self._request_count
        super().data_received(data)
        if self._request_count != before:  # a complete request head (or a parse error) arrived
            self._cancel_header_timer()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._cancel_header_timer()
        if self._counted is not None:
            self._counted.open_connections -= 1
            self._counted = None
        super().connection_lost(exc)

    async def _handle_request(self, request: Any, start_time: Any, request_handler: Any) -> Any:
        try:
            return await super()._handle_request(request, start_time, request_handler)
        finally:
            if self.transport is not None:
                self._arm_header_timer()  # the next request on a kept-alive connection gets the same deadline

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self._loop.call_later(self._limits.header_timeout, self._header_timed_out)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_timed_out(self) -> None:
        self._header_timer = None
        if self.transport is None or self._request_in_progress or self._messages:
            return
        log.info("web: closed a connection with no complete request within %g s", self._limits.header_timeout)
        self.force_close()


class GuardedServer(Server):
    limits: WebLimits
    open_connections: int = 0

    def __call__(self) -> RequestHandler:
        return GuardedRequestHandler(self, loop=self._loop, limits=self.limits, **self._kwargs)


class GuardedAppRunner(AppRunner):
    def __init__(self, app: Any, *, limits: WebLimits, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._limits = limits

    async def _make_server(self) -> Server:
        server = await super()._make_server()
        server.__class__ = GuardedServer  # same object, our protocol factory
        server.limits = self._limits  # type: ignore[attr-defined]
        server.open_connections = 0  # type: ignore[attr-defined]
        return server


class Readiness:
    """Partitions assigned (at least once) and table recovery complete, with no rebalance under way."""

    def __init__(self, app: faust.App) -> None:
        self.app = app
        self.assigned = False
        self.checks: list[Callable[[], str | None]] = []  # more conditions (e.g. the webhook's delivery log)

        @app.on_partitions_assigned.connect
        async def on_assigned(app: faust.App, assigned: Any, **_: Any) -> None:
            self.assigned = True

        self._on_assigned = on_assigned  # keep a reference: signals may hold receivers weakly

    def check(self) -> str | None:
        """None when ready, else why not."""
        if not self.assigned:
            return "waiting for a partition assignment"
        if self.app.rebalancing:
            return "rebalancing"
        if self.app.in_recovery or not self.app.tables.recovery.completed.is_set():
            return "recovering tables"
        for check in self.checks:
            reason = check()
            if reason is not None:
                return reason
        return None


def harden_web(app: faust.App, settings: Settings, metrics: PipelineMetrics | None = None) -> None:
    """Serve only the webhook, the health routes and (given `metrics`) /metrics and the status page,
    with time and connection bounds."""
    web = app.web
    web.blueprints = BlueprintManager([])  # no Faust views at all, whatever a setting says
    limits = WebLimits.from_settings(settings)
    web._runner = GuardedAppRunner(
        web.web_app,
        limits=limits,
        access_log=None,
        keepalive_timeout=limits.header_timeout,
        lingering_time=LINGERING_SECONDS,
    )
    readiness = Readiness(app)
    app.callstream_readiness = readiness  # type: ignore[attr-defined]

    @app.page(HEALTH_PATH)
    class Health(View):
        async def get(self, request: Request) -> Response:
            return self.json({"status": "alive"})

    @app.page(READY_PATH)
    class Ready(View):
        async def get(self, request: Request) -> Response:
            reason = readiness.check()
            if reason is None:
                return self.json({"status": "ready"})
            return self.json({"status": "not ready", "reason": reason}, status=503)

    del Health, Ready  # registered by the decorators
    if metrics is not None:
        serve_metrics(app, settings, metrics)


def serve_metrics(app: faust.App, settings: Settings, metrics: PipelineMetrics) -> None:
    """`GET /metrics` (Prometheus text format), `GET /status` and the numbers behind it."""
    samples = StatusSamples(metrics, settings.status_sample_seconds)

    @app.timer(settings.status_sample_seconds)
    async def sample_status() -> None:
        samples.take()

    @app.page(METRICS_PATH)
    class Metrics(View):
        async def get(self, request: Request) -> Response:
            return self.bytes(metrics.render(), content_type=PROMETHEUS_CONTENT_TYPE)

    @app.page(STATUS_PATH)
    class Status(View):
        async def get(self, request: Request) -> Response:
            return self.html(STATUS_PAGE)

    @app.page(STATUS_DATA_PATH)
    class StatusData(View):
        async def get(self, request: Request) -> Response:
            return self.json(samples.series())

    del sample_status, Metrics, Status, StatusData  # registered by the decorators
