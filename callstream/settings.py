"""The one settings object: read once from the environment (and `.env`), frozen, passed down.

Variable names marked (contract) in DESIGN §6 are read without a prefix; everything that is
callstream's own starts with `CALLSTREAM_`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
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

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def as_environment(self) -> dict[str, str]:
        """These settings as environment variables, for a worker started in a subprocess."""
        environment: dict[str, str] = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            alias = info.validation_alias
            variable = alias.choices[0] if isinstance(alias, AliasChoices) else f"CALLSTREAM_{name.upper()}"
            environment[str(variable)] = str(value)
        return environment
