"""The one settings object: read once from the environment (and `.env`), frozen, passed down.

Variable names marked (contract) in DESIGN §6 are read without a prefix; everything that is
callstream's own starts with `CALLSTREAM_`.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _contract(name: str) -> AliasChoices:
    # Accept the contract name and the python field name, so `Settings(kafka_bootstrap_servers=...)`
    # works in code and `KAFKA_BOOTSTRAP_SERVERS=...` works in the environment.
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CALLSTREAM_", env_file=".env", extra="ignore", frozen=True, populate_by_name=True
    )

    # Kafka and the event contract.
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=_contract("KAFKA_BOOTSTRAP_SERVERS"),
        description="comma-separated host:port list; unset means the local broker of `callstream kafka up`",
    )
    schema_registry_url: str | None = Field(default=None, validation_alias=_contract("SCHEMA_REGISTRY_URL"))
    app_id: str = "callstream"
    topic_prefix: str = ""
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication_factor: int = Field(default=1, ge=1)
    raw_retention_hours: int = Field(
        default=24, ge=1, le=24, description="the raw topic holds card data: at most the contract's 24 h"
    )

    # cluster connection (issue 16): TLS, SASL and registry credentials, the same for every client
    # (aiokafka through Faust; confluent-kafka for admin, backfill, demo and the registry), so a
    # worker and its tools always reach the cluster the same way. See callstream/kafkaauth.py.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER"] = "PLAIN"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    # OAUTHBEARER through an OIDC token endpoint (client-credentials grant).
    kafka_oauth_token_url: str | None = None
    kafka_oauth_client_id: str | None = None
    kafka_oauth_client_secret: SecretStr | None = None
    kafka_oauth_scope: str | None = None
    # TLS: the CA that signed the brokers' certificates (unset: the system store), and for mTLS the
    # client certificate and key (PEM files).
    kafka_ssl_ca_file: Path | None = None
    kafka_ssl_cert_file: Path | None = None
    kafka_ssl_key_file: Path | None = None
    kafka_ssl_key_password: SecretStr | None = None
    kafka_ssl_check_hostname: bool = True
    # A worker that cannot reach or log in to the cluster says so within this many seconds.
    kafka_connect_timeout_seconds: float = Field(default=10.0, gt=0)
    schema_registry_username: str | None = None
    schema_registry_password: SecretStr | None = None
    schema_registry_ca_file: Path | None = None
    # Lookups run off the event loop; short, so a slow registry never costs a consumer its session.
    schema_registry_timeout_seconds: float = Field(default=5.0, gt=0)
    # On SIGTERM/SIGINT the worker stops cleanly; if that hangs (broker gone) it exits after this.
    # Longer than the sinks' drain deadline (20 s) plus Faust's own stop, so a healthy drain finishes.
    shutdown_grace_seconds: float = Field(default=30.0, gt=0)

    # The worker.
    redaction_timeout_seconds: float = Field(
        default=10.0, gt=0, description="a call whose redaction takes longer is quarantined, never forwarded"
    )
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    table_store: str = "rocksdb://"
    # A worker killed without leaving its group holds its partitions until the session times out:
    # Faust's 60 s default is a minute of nothing processed after a crash; 10 s is still well clear of
    # the 3 s heartbeats.
    session_timeout_seconds: float = Field(default=10.0, gt=0)
    heartbeat_interval_seconds: float = Field(default=3.0, gt=0)
    data_dir: Path = Path(".callstream")
    log_level: str = "info"

    # Sinks. With no vendor credentials, a sink writes to the local outbox instead and says so.
    outbox_path: Path = Path(".callstream/outbox.sqlite3")
    altoviz_base_url: str = Field(default="https://api.altoviz.com", validation_alias=_contract("ALTOVIZ_BASE_URL"))
    altoviz_api_key: SecretStr | None = Field(default=None, validation_alias=_contract("ALTOVIZ_API_KEY"))
    zendesk_base_url: str | None = Field(default=None, validation_alias=_contract("ZENDESK_BASE_URL"))
    zendesk_email: str | None = Field(default=None, validation_alias=_contract("ZENDESK_EMAIL"))
    zendesk_api_token: SecretStr | None = Field(default=None, validation_alias=_contract("ZENDESK_API_TOKEN"))
    google_sheets_base_url: str = Field(
        default="https://sheets.googleapis.com", validation_alias=_contract("GOOGLE_SHEETS_BASE_URL")
    )
    google_sheets_spreadsheet_id: str | None = Field(
        default=None, validation_alias=_contract("GOOGLE_SHEETS_SPREADSHEET_ID")
    )
    google_sheets_token: SecretStr | None = Field(default=None, validation_alias=_contract("GOOGLE_SHEETS_TOKEN"))
    google_application_credentials: Path | None = Field(
        default=None, validation_alias=_contract("GOOGLE_APPLICATION_CREDENTIALS")
    )
    stripe_base_url: str = Field(default="https://api.stripe.com", validation_alias=_contract("STRIPE_BASE_URL"))
    stripe_api_key: SecretStr | None = Field(default=None, validation_alias=_contract("STRIPE_API_KEY"))
    hubspot_base_url: str = Field(default="https://api.hubapi.com", validation_alias=_contract("HUBSPOT_BASE_URL"))
    hubspot_token: SecretStr | None = Field(default=None, validation_alias=_contract("HUBSPOT_TOKEN"))
    slack_webhook_url: SecretStr | None = Field(default=None, validation_alias=_contract("SLACK_WEBHOOK_URL"))
    dialnexa_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=_contract("DIALNEXA_WEBHOOK_SECRET")
    )
    # A DialNexa secret rotation applies from the next delivery, with no overlap: during a rotation
    # the webhook accepts signatures made with either secret. Unset it once the rotation is done.
    dialnexa_webhook_previous_secret: SecretStr | None = Field(
        default=None, validation_alias=_contract("DIALNEXA_WEBHOOK_PREVIOUS_SECRET")
    )
    webhook_max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        le=8 * 1024 * 1024,  # the redactor's input limit (streams.normalise): a larger body could never be processed
        description="larger webhook bodies get 413 before they are read",
    )

    # web server hardening (issue 16): what the worker's port serves is fixed (webhook, /healthz,
    # /readyz); these bound how long and how many clients can hold it.
    status_sample_seconds: float = Field(
        default=10.0, gt=0, description="how often the status page (GET /status) samples the worker's counters"
    )
    web_header_timeout_seconds: float = Field(
        default=10.0, gt=0, description="a connection without complete request headers by then is closed"
    )
    web_body_timeout_seconds: float = Field(
        default=30.0, gt=0, description="a webhook body not fully received by then gets 408 and is closed"
    )
    web_max_connections: int = Field(default=256, ge=1, description="connections beyond this get 503 and close")

    # Sink behaviour (issue 7). Limits default to each vendor's published figures (api_facts).
    sink_http_timeout_seconds: float = Field(default=10.0, gt=0)
    sink_retry_max_attempts: int = Field(default=30, ge=1, description="requests per write before dead-lettering")
    sink_retry_base_seconds: float = Field(default=0.5, gt=0)
    sink_retry_max_delay_seconds: float = Field(default=30.0, gt=0)
    sink_retry_max_elapsed_seconds: float = Field(default=900.0, gt=0, description="then the action is dead-lettered")
    sink_breaker_failures: int = Field(default=5, ge=1, description="consecutive failures that open a circuit")
    sink_breaker_reset_seconds: float = Field(default=10.0, gt=0)
    altoviz_requests_per_second: float = Field(default=5.0, gt=0, description="unpublished: conservative")
    zendesk_requests_per_minute: float = Field(default=400.0, gt=0, description="per plan: Growth/Professional 400")
    zendesk_idempotency_window_seconds: int = Field(default=7200, ge=600)
    google_sheets_sheet: str = "Review"
    google_sheets_writes_per_minute: float = Field(default=60.0, gt=0)
    google_sheets_reads_per_minute: float = Field(default=60.0, gt=0)
    google_sheets_batch_rows: int = Field(default=200, ge=1, le=5000)
    google_sheets_batch_seconds: float = Field(default=1.0, gt=0)
    slack_channel: str = "finance-approvals"
    slack_messages_per_second: float = Field(default=1.0, gt=0)
    slack_alert_urgencies: str = Field(default="urgent,critical", description="comma-separated urgencies alerted")
    # Slack Web API mode (issue 17), recommended over the webhook: used when the bot token is set.
    # `slack_channel` must then be the channel id (C...): conversations.history takes ids only.
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias=_contract("SLACK_BOT_TOKEN"))
    slack_api_base_url: str = Field(default="https://slack.com/api", validation_alias=_contract("SLACK_API_BASE_URL"))
    slack_history_requests_per_minute: float = Field(
        default=50.0, gt=0, description="conversations.history: Tier 3; 1 for non-Marketplace distributed apps"
    )
    slack_update_requests_per_minute: float = Field(default=50.0, gt=0, description="chat.update: Tier 3")
    slack_history_limit: int = Field(default=100, ge=1, le=999, description="messages per history page (15 if 1/min)")
    slack_history_pages: int = Field(default=3, ge=1, le=20, description="pages read before giving up: unconfirmed")
    slack_confirm_settle_seconds: float = Field(
        default=2.0, ge=0, description="wait after an unconfirmed post before reading the history"
    )
    # 0: every first post in a process reads the history first, so a post Slack applied just before a
    # crash (ledger not yet written) is found on redelivery instead of posted twice. One history read
    # per alert; raise it only for apps held to 1 history read per minute.
    slack_recheck_age_seconds: float = Field(
        default=0.0, ge=0, description="actions older than this are looked up in the history before posting"
    )
    # Altoviz customers (issue 17): create the customer for a note when none is found. never | stripe_known
    # (only with a Stripe customer id, used as internalId so a second writer finds it) | always.
    altoviz_create_customers: str = Field(default="stripe_known", pattern="^(never|stripe_known|always)$")

    # QuickBooks Online (issue 15): accounting records of approved actions. Configured when the realm,
    # the OAuth client, the refresh token and the refund item are set; otherwise the outbox.
    quickbooks_base_url: str = Field(
        default="https://quickbooks.api.intuit.com", description="sandbox: https://sandbox-quickbooks.api.intuit.com"
    )
    quickbooks_token_url: str = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
    quickbooks_realm_id: str | None = Field(default=None, description="the company (realm) id, in every path")
    quickbooks_client_id: str | None = None
    quickbooks_client_secret: SecretStr | None = None
    # Intuit rotates refresh tokens (a new one with each refresh, the old one expires): the worker
    # keeps the newest in memory and logs that it rotated; store the new one before a restart.
    quickbooks_refresh_token: SecretStr | None = None
    quickbooks_refund_item_id: str | None = Field(default=None, description="ItemRef of refund/credit lines")
    quickbooks_refund_account_id: str | None = Field(
        default=None, description="DepositToAccountRef of a RefundReceipt: the account the refund is paid from"
    )
    quickbooks_home_currency: str = Field(default="USD", min_length=3, max_length=3)
    quickbooks_minor_version: str = Field(default="75", pattern=r"^\d+$")
    quickbooks_requests_per_minute: float = Field(default=500.0, gt=0, description="QBO: 500/min per realm")
    # Gmail (issue 15): the approved follow-up mail. Configured when the sender and a token source are
    # set: a service-account key with domain-wide delegation for the sender (falls back to
    # GOOGLE_APPLICATION_CREDENTIALS), or a static bearer token.
    gmail_base_url: str = "https://gmail.googleapis.com"
    gmail_sender: str | None = Field(default=None, description="the Workspace user the service account acts as")
    gmail_sender_name: str = "Billing"
    gmail_service_account_file: Path | None = None
    gmail_token: SecretStr | None = None
    gmail_quota_units_per_minute: float = Field(default=15000.0, gt=0, description="per user; a send costs 100")
    gmail_settle_seconds: float = Field(default=5.0, ge=0, description="wait after a lost send before searching")
    gmail_confirm_window_seconds: float = Field(
        default=60.0, ge=0, description="a send whose answer was lost is searched, not repeated, for this long"
    )

    # Sink runtime (issue 17): stopping, and refusing to run half-configured.
    drain_deadline_seconds: float = Field(
        default=20.0,
        gt=0,
        description="on SIGTERM or a partition revocation, writes in flight may finish for this long; "
        "then they are abandoned unacked (redelivered), even while retries against a failing vendor wait",
    )
    require_vendors: bool = Field(
        default=False,
        description="refuse to start when a workflow's vendor has no credentials, instead of using the outbox",
    )

    # `callstream dlq redrive`: a dead letter whose input failed this many times is not redriven again.
    dlq_max_attempts: int = Field(default=3, ge=1, description="redrives stop once a letter's attempt reaches this")

    # The routing policy (thresholds, owners, review rules); unset means the packaged default.
    policy_path: Path | None = None

    # Enrichment: on-miss vendor lookups are cached in the tables for this long; a failing vendor is
    # left alone for the cool-down so an outage costs one timeout, not one per call.
    enrichment_cache_ttl_seconds: float = Field(default=3600.0, gt=0)
    enrichment_cool_down_seconds: float = Field(default=30.0, ge=0)
    hubspot_portal_id: str | None = Field(default=None, validation_alias=_contract("HUBSPOT_PORTAL_ID"))

    # The local broker of `callstream kafka up` (ignored when KAFKA_BOOTSTRAP_SERVERS is set).
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_data_dir: Path = Path(".callstream/kafka")
    kafka_version: str = "4.3.1"
    kafka_heap: str = Field(default="768m", description="broker max heap; 768m fits next to the tests on 2 cores")

    @field_validator("kafka_bootstrap_servers")
    @classmethod
    def _bootstrap_is_host_port_list(cls, value: str | None) -> str | None:
        if value is None:
            return None
        servers = [server.strip() for server in value.split(",")]
        for server in servers:
            host, _, port = server.rpartition(":")
            if "://" in server:
                raise ValueError(f"{server!r} has a scheme: give host:port pairs, e.g. broker1.example.com:9092")
            if not host or not port.isdigit() or not 0 < int(port) < 65536:
                raise ValueError(f"{server!r} is not host:port: give a comma-separated list like host1:9092,host2:9092")
        return ",".join(servers)

    @model_validator(mode="after")
    def _credentials_complete(self) -> Settings:
        sasl = self.kafka_security_protocol.startswith("SASL_")
        if sasl and self.kafka_sasl_mechanism == "OAUTHBEARER":
            if not (self.kafka_oauth_token_url and self.kafka_oauth_client_id and self.kafka_oauth_client_secret):
                raise ValueError(
                    "CALLSTREAM_KAFKA_SASL_MECHANISM=OAUTHBEARER needs CALLSTREAM_KAFKA_OAUTH_TOKEN_URL, "
                    "CALLSTREAM_KAFKA_OAUTH_CLIENT_ID and CALLSTREAM_KAFKA_OAUTH_CLIENT_SECRET"
                )
        elif sasl and not (self.kafka_sasl_username and self.kafka_sasl_password):
            raise ValueError(
                f"CALLSTREAM_KAFKA_SECURITY_PROTOCOL={self.kafka_security_protocol} with "
                f"{self.kafka_sasl_mechanism} needs CALLSTREAM_KAFKA_SASL_USERNAME and CALLSTREAM_KAFKA_SASL_PASSWORD"
            )
        if not sasl and (self.kafka_sasl_username or self.kafka_sasl_password):
            raise ValueError(
                "CALLSTREAM_KAFKA_SASL_USERNAME/PASSWORD are set but CALLSTREAM_KAFKA_SECURITY_PROTOCOL is "
                f"{self.kafka_security_protocol}: set it to SASL_SSL (or SASL_PLAINTEXT)"
            )
        if bool(self.kafka_ssl_cert_file) != bool(self.kafka_ssl_key_file):
            raise ValueError("mTLS needs both CALLSTREAM_KAFKA_SSL_CERT_FILE and CALLSTREAM_KAFKA_SSL_KEY_FILE")
        if bool(self.schema_registry_username) != bool(self.schema_registry_password):
            raise ValueError("registry basic auth needs CALLSTREAM_SCHEMA_REGISTRY_USERNAME and _PASSWORD")
        return self

    @classmethod
    def env_variable(cls, field_name: str) -> str:
        """The environment variable that sets `field_name` (the contract name, or CALLSTREAM_<FIELD>)."""
        info = cls.model_fields.get(field_name)
        if info is None and field_name.isupper():
            return field_name  # already a contract name (pydantic reports the alias it read)
        alias = info.validation_alias if info is not None else None
        return str(alias.choices[0]) if isinstance(alias, AliasChoices) else f"CALLSTREAM_{field_name.upper()}"

    def kafka_client_config(self) -> dict[str, Any]:
        """librdkafka (confluent-kafka) configuration: bootstrap servers plus TLS/SASL."""
        from callstream.kafkaauth import librdkafka_config

        return librdkafka_config(self)

    @property
    def group_id(self) -> str:
        """The worker's consumer group and the prefix of its changelog topics: isolated by the topic prefix."""
        return f"{self.topic_prefix}{self.app_id}"

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def as_environment(self) -> dict[str, str]:
        """These settings as environment variables, for a worker started in a subprocess."""
        environment: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            environment[type(self).env_variable(name)] = str(value)
        return environment


class SettingsError(ValueError):
    """Configuration that cannot work; the message is one line naming the environment variable."""


def _one_line(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["loc"]:
            variable = Settings.env_variable(str(item["loc"][0]))
            value = item.get("input")
            secret = any(word in variable for word in ("SECRET", "PASSWORD", "TOKEN", "KEY", "WEBHOOK_URL"))
            shown = f"={value!r}" if isinstance(value, str | int | float) and not secret else ""
            problems.append(f"{variable}{shown}: {message}")
        else:
            problems.append(message)
    return "; ".join(problems)


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """One warning per `CALLSTREAM_*` variable no setting reads, naming the closest valid one."""
    known = {Settings.env_variable(name) for name in Settings.model_fields}
    warnings = []
    for name in sorted(environ):
        if not name.startswith("CALLSTREAM_") or name in known:
            continue
        # Compare what follows the prefix: the shared `CALLSTREAM_` would make anything look close.
        suffixes = sorted(variable.removeprefix("CALLSTREAM_") for variable in known)
        close = difflib.get_close_matches(name.removeprefix("CALLSTREAM_"), suffixes, n=1, cutoff=0.75)
        hint = f"; did you mean CALLSTREAM_{close[0]}?" if close else ""
        warnings.append(f"warning: unknown variable {name} is ignored{hint}")
    return warnings


def load_settings(
    environ: Mapping[str, str] | None = None, warn: Callable[[str], None] | None = None, **overrides: Any
) -> Settings:
    """Settings from the environment, with one-line errors (`SettingsError`) naming the variable, and a
    warning for each misspelt `CALLSTREAM_*` variable (pydantic-settings would silently ignore it)."""
    environ = os.environ if environ is None else environ
    warn = warn or (lambda line: print(f"callstream: {line}", file=sys.stderr))
    for line in unknown_variables(environ):
        warn(line)
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(_one_line(error)) from None
