"""Build one `Sink` per vendor from the settings: the HTTP client when its credentials are set,
the local outbox when they are not (and say so in every result's `sink` name: `outbox:<vendor>`).

With `CALLSTREAM_REQUIRE_VENDORS` the outbox is not an option: a worker whose workflows need a
vendor without credentials refuses to start, naming the workflows, the vendor and the variables."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from callstream.settings import Settings
from schemas.models import WorkflowAction
from sinks import gmail as gmail_sink
from sinks import quickbooks as quickbooks_sink
from sinks.altoviz import AltovizClient
from sinks.breaker import CircuitBreaker
from sinks.contract import ALREADY_WRITTEN, WRITTEN, SinkOutcome
from sinks.gmail import GmailClient
from sinks.outbox import Outbox
from sinks.quickbooks import QuickBooksClient, QuickBooksTokens
from sinks.ratelimit import KeyedRateLimiter, RateLimiter
from sinks.retry import RetryPolicy
from sinks.routing import ALTOVIZ, SHEETS, SLACK, TOPIC_SINKS, ZENDESK
from sinks.sheets import ServiceAccountToken, SheetsClient, StaticToken, TokenSource
from sinks.slack import SlackClient, SlackWebApiClient
from sinks.zendesk import ZendeskClient

log = logging.getLogger("callstream.sinks")
# Vendors that follow a person's approval (issue 15): built here, routed by the approvals loop, not
# by TOPIC_SINKS (so strict mode does not require them yet).
QUICKBOOKS = quickbooks_sink.VENDOR
GMAIL = gmail_sink.VENDOR

Write = Callable[[WorkflowAction, str], Awaitable[SinkOutcome]]
WriteBatch = Callable[[Sequence[tuple[WorkflowAction, str]]], Awaitable[list[SinkOutcome]]]


@dataclass
class Sink:
    vendor: str
    name: str  # what sink.results says: the vendor, or outbox:<vendor>
    write: Write
    breaker: CircuitBreaker
    write_batch: WriteBatch | None = None
    batch_rows: int = 1
    batch_seconds: float = 0.0
    clients: list[object] = field(default_factory=list)
    # The vendor's rate limiters (each with `waited_seconds`), read by the worker's metrics.
    limiters: list[RateLimiter | KeyedRateLimiter] = field(default_factory=list)


class OutboxWriter:
    def __init__(self, outbox: Outbox, vendor: str) -> None:
        self._outbox = outbox
        self._vendor = vendor

    async def write(self, action: WorkflowAction, key: str) -> SinkOutcome:
        new = self._outbox.write(self._vendor, action)
        return SinkOutcome(WRITTEN if new else ALREADY_WRITTEN, key, "local outbox (no vendor credentials configured)")


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.sink_retry_max_attempts,
        base_delay=settings.sink_retry_base_seconds,
        max_delay=settings.sink_retry_max_delay_seconds,
        max_elapsed=settings.sink_retry_max_elapsed_seconds,
    )


def alert_urgencies(settings: Settings) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in settings.slack_alert_urgencies.split(",") if part.strip())


def new_http_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    # httpx logs every request URL at INFO: ours carry emails, idempotency keys and (Slack) the
    # secret webhook URL itself. Never log them.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # No automatic redirects: a redirected POST could be re-sent somewhere we did not choose.
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.sink_http_timeout_seconds),
        transport=transport,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
    )


def sheets_tokens(settings: Settings) -> TokenSource | None:
    if settings.google_sheets_token is not None:
        return StaticToken(settings.google_sheets_token)
    if settings.google_application_credentials is not None:
        return ServiceAccountToken(settings.google_application_credentials)
    return None


def gmail_tokens(settings: Settings) -> TokenSource | None:
    if settings.gmail_token is not None:
        return StaticToken(settings.gmail_token)
    key_file = settings.gmail_service_account_file or settings.google_application_credentials
    if key_file is not None and settings.gmail_sender:
        # Domain-wide delegation: the service account acts as the sender (a Workspace user).
        return ServiceAccountToken(key_file, gmail_sink.SCOPES, subject=settings.gmail_sender, vendor=GMAIL)
    return None


def _quickbooks_missing(settings: Settings) -> list[str]:
    return [
        f"CALLSTREAM_QUICKBOOKS_{name}"
        for name, value in (
            ("REALM_ID", settings.quickbooks_realm_id),
            ("CLIENT_ID", settings.quickbooks_client_id),
            ("CLIENT_SECRET", settings.quickbooks_client_secret),
            ("REFRESH_TOKEN", settings.quickbooks_refresh_token),
            ("REFUND_ITEM_ID", settings.quickbooks_refund_item_id),
            ("REFUND_ACCOUNT_ID", settings.quickbooks_refund_account_id),
        )
        if not value
    ]


def _gmail_missing(settings: Settings) -> list[str]:
    missing = [] if settings.gmail_sender else ["CALLSTREAM_GMAIL_SENDER"]
    if (
        settings.gmail_token is None
        and (settings.gmail_service_account_file or settings.google_application_credentials) is None
    ):
        missing.append(
            "CALLSTREAM_GMAIL_SERVICE_ACCOUNT_FILE (or GOOGLE_APPLICATION_CREDENTIALS) or CALLSTREAM_GMAIL_TOKEN"
        )
    return missing


def _rotated(refresh_token: str) -> None:
    # Never the token itself: only that it changed (Intuit expires the previous one).
    log.warning("quickbooks: the refresh token was rotated; store the new one before restarting the worker")


class VendorsNotConfigured(Exception):
    """CALLSTREAM_REQUIRE_VENDORS is set and some workflow's vendor has no credentials."""


def missing_credentials(settings: Settings) -> dict[str, list[str]]:
    """vendor -> the environment variables it still needs (empty when configured)."""
    missing: dict[str, list[str]] = {}
    if settings.altoviz_api_key is None:
        missing[ALTOVIZ] = ["ALTOVIZ_API_KEY"]
    zendesk = [
        name
        for name, value in (
            ("ZENDESK_BASE_URL", settings.zendesk_base_url),
            ("ZENDESK_EMAIL", settings.zendesk_email),
            ("ZENDESK_API_TOKEN", settings.zendesk_api_token),
        )
        if not value
    ]
    if zendesk:
        missing[ZENDESK] = zendesk
    sheets = [] if settings.google_sheets_spreadsheet_id else ["GOOGLE_SHEETS_SPREADSHEET_ID"]
    if sheets_tokens(settings) is None:
        sheets.append("GOOGLE_SHEETS_TOKEN or GOOGLE_APPLICATION_CREDENTIALS")
    if sheets:
        missing[SHEETS] = sheets
    if settings.slack_webhook_url is None and settings.slack_bot_token is None:
        missing[SLACK] = ["SLACK_BOT_TOKEN (Web API, recommended) or SLACK_WEBHOOK_URL"]
    if quickbooks := _quickbooks_missing(settings):
        missing[QUICKBOOKS] = quickbooks
    if gmail := _gmail_missing(settings):
        missing[GMAIL] = gmail
    return missing


def require_vendors(settings: Settings) -> None:
    """Raise VendorsNotConfigured, with every gap, when strict mode is on and a vendor is missing."""
    if not settings.require_vendors:
        return
    gaps = []
    for vendor, variables in missing_credentials(settings).items():
        workflows = [workflow for workflow, vendors in TOPIC_SINKS.items() if vendor in vendors]
        if workflows:
            gaps.append(f"{vendor} (workflows {', '.join(workflows)}): set {', '.join(variables)}")
    if gaps:
        raise VendorsNotConfigured(
            "CALLSTREAM_REQUIRE_VENDORS is set, so writing to the local outbox instead is not allowed, "
            "but these vendors have no credentials: " + "; ".join(gaps)
        )


def build_sinks(settings: Settings, outbox: Outbox, http: httpx.AsyncClient) -> dict[str, Sink]:
    require_vendors(settings)

    def breaker(vendor: str) -> CircuitBreaker:
        return CircuitBreaker(vendor, settings.sink_breaker_failures, settings.sink_breaker_reset_seconds)

    def outbox_sink(vendor: str) -> Sink:
        log.warning("sink %s: no credentials configured, writing to the local outbox %s", vendor, outbox.path)
        return Sink(vendor, f"outbox:{vendor}", OutboxWriter(outbox, vendor).write, breaker(vendor))

    sinks: dict[str, Sink] = {}
    if settings.altoviz_api_key is not None:
        limiter = RateLimiter(settings.altoviz_requests_per_second)
        altoviz = AltovizClient(
            http,
            settings.altoviz_base_url,
            settings.altoviz_api_key,
            limiter,
            create_customers=settings.altoviz_create_customers,
        )
        sinks[ALTOVIZ] = Sink(ALTOVIZ, ALTOVIZ, altoviz.write, breaker(ALTOVIZ), clients=[altoviz], limiters=[limiter])
    else:
        sinks[ALTOVIZ] = outbox_sink(ALTOVIZ)

    if settings.zendesk_base_url and settings.zendesk_email and settings.zendesk_api_token is not None:
        limiter = RateLimiter.per_minute(settings.zendesk_requests_per_minute, burst=5)
        zendesk = ZendeskClient(
            http,
            settings.zendesk_base_url,
            settings.zendesk_email,
            settings.zendesk_api_token,
            limiter,
            timedelta(seconds=settings.zendesk_idempotency_window_seconds),
        )
        sinks[ZENDESK] = Sink(ZENDESK, ZENDESK, zendesk.write, breaker(ZENDESK), clients=[zendesk], limiters=[limiter])
    else:
        sinks[ZENDESK] = outbox_sink(ZENDESK)

    tokens = sheets_tokens(settings)
    if settings.google_sheets_spreadsheet_id and tokens is not None:
        # burst 1: Google refills per minute; a burst could exceed the quota in one minute.
        reads = RateLimiter.per_minute(settings.google_sheets_reads_per_minute)
        writes = RateLimiter.per_minute(settings.google_sheets_writes_per_minute)
        sheets = SheetsClient(
            http,
            settings.google_sheets_base_url,
            settings.google_sheets_spreadsheet_id,
            tokens,
            settings.google_sheets_sheet,
            read_limiter=reads,
            write_limiter=writes,
        )
        sinks[SHEETS] = Sink(
            SHEETS, SHEETS, sheets.write, breaker(SHEETS), sheets.write_batch,
            settings.google_sheets_batch_rows, settings.google_sheets_batch_seconds, clients=[sheets],
            limiters=[reads, writes],
        )  # fmt: skip
    else:
        sinks[SHEETS] = outbox_sink(SHEETS)

    if settings.slack_bot_token is not None:  # Web API mode (recommended): ts, history, chat.update
        limiters: list[RateLimiter | KeyedRateLimiter] = [
            KeyedRateLimiter(settings.slack_messages_per_second),
            RateLimiter.per_minute(settings.slack_history_requests_per_minute),
            RateLimiter.per_minute(settings.slack_update_requests_per_minute),
        ]
        slack_api = SlackWebApiClient(
            http, settings.slack_api_base_url, settings.slack_bot_token, settings.slack_channel,
            *limiters,  # type: ignore[arg-type]
            history_limit=settings.slack_history_limit, history_pages=settings.slack_history_pages,
            settle_seconds=settings.slack_confirm_settle_seconds,
            recheck_age_seconds=settings.slack_recheck_age_seconds,
        )  # fmt: skip
        sinks[SLACK] = Sink(SLACK, SLACK, slack_api.write, breaker(SLACK), clients=[slack_api], limiters=limiters)
    elif settings.slack_webhook_url is not None:
        per_channel = KeyedRateLimiter(settings.slack_messages_per_second)
        slack = SlackClient(http, settings.slack_webhook_url, settings.slack_channel, per_channel)
        sinks[SLACK] = Sink(SLACK, SLACK, slack.write, breaker(SLACK), clients=[slack], limiters=[per_channel])
    else:
        sinks[SLACK] = outbox_sink(SLACK)

    if not _quickbooks_missing(settings):
        assert settings.quickbooks_client_id and settings.quickbooks_client_secret and settings.quickbooks_refresh_token
        assert settings.quickbooks_realm_id and settings.quickbooks_refund_item_id
        tokens = QuickBooksTokens.create(
            settings.quickbooks_client_id, settings.quickbooks_client_secret, settings.quickbooks_refresh_token,
            token_url=settings.quickbooks_token_url, timeout=settings.sink_http_timeout_seconds, on_refresh=_rotated,
        )  # fmt: skip
        quickbooks = QuickBooksClient(
            http, settings.quickbooks_base_url, settings.quickbooks_realm_id, tokens,
            settings.quickbooks_refund_item_id, settings.quickbooks_refund_account_id,
            settings.quickbooks_home_currency, RateLimiter.per_minute(settings.quickbooks_requests_per_minute, burst=5),
            settings.quickbooks_minor_version,
        )  # fmt: skip
        sinks[QUICKBOOKS] = Sink(QUICKBOOKS, QUICKBOOKS, quickbooks.write, breaker(QUICKBOOKS), clients=[quickbooks])
    else:
        sinks[QUICKBOOKS] = outbox_sink(QUICKBOOKS)

    google = gmail_tokens(settings)
    if settings.gmail_sender and google is not None:
        # The quota is per user per minute; one write is a search, maybe a second, and a send.
        writes_per_minute = settings.gmail_quota_units_per_minute / gmail_sink.WRITE_UNITS
        gmail = GmailClient(
            http, settings.gmail_base_url, settings.gmail_sender, google, RateLimiter.per_minute(writes_per_minute),
            settings.gmail_sender_name, settings.gmail_settle_seconds, settings.gmail_confirm_window_seconds,
        )  # fmt: skip
        sinks[GMAIL] = Sink(GMAIL, GMAIL, gmail.write, breaker(GMAIL), clients=[gmail])
    else:
        sinks[GMAIL] = outbox_sink(GMAIL)
    return sinks
