"""How every client reaches an authenticated cluster, from the one settings object.

Two Kafka clients run in callstream: aiokafka inside Faust (the worker) and librdkafka through
confluent-kafka (topic admin, backfill, demo, tests). Both are configured here from the same
`CALLSTREAM_KAFKA_*` settings, so a worker and its tools can never disagree on how to connect:

- TLS (`SSL`, `SASL_SSL`): the CA file (else the system store), hostname checking, and for mTLS a
  client certificate and key (PEM).
- SASL: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (username/password), OAUTHBEARER through an OIDC
  token endpoint (client-credentials grant): librdkafka's built-in `oidc` method, and for aiokafka
  the token provider below.

The schema registry client gets basic auth and its CA from `registry_config`.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from typing import TYPE_CHECKING, Any

import httpx
from aiokafka.conn import AbstractTokenProvider

if TYPE_CHECKING:
    from faust.types.auth import CredentialsT

    from callstream.settings import Settings


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def librdkafka_config(settings: Settings) -> dict[str, Any]:
    """confluent-kafka configuration: `bootstrap.servers` and the security properties, nothing else."""
    config: dict[str, Any] = {
        "bootstrap.servers": settings.bootstrap_servers,
        "security.protocol": settings.kafka_security_protocol,
    }
    if settings.kafka_security_protocol in {"SSL", "SASL_SSL"}:
        if settings.kafka_ssl_ca_file:
            config["ssl.ca.location"] = str(settings.kafka_ssl_ca_file)
        if settings.kafka_ssl_cert_file and settings.kafka_ssl_key_file:
            config["ssl.certificate.location"] = str(settings.kafka_ssl_cert_file)
            config["ssl.key.location"] = str(settings.kafka_ssl_key_file)
            if settings.kafka_ssl_key_password:
                config["ssl.key.password"] = _secret(settings.kafka_ssl_key_password)
        config["ssl.endpoint.identification.algorithm"] = "https" if settings.kafka_ssl_check_hostname else "none"
    if settings.kafka_security_protocol.startswith("SASL_"):
        config["sasl.mechanism"] = settings.kafka_sasl_mechanism
        if settings.kafka_sasl_mechanism == "OAUTHBEARER":
            config["sasl.oauthbearer.method"] = "oidc"
            config["sasl.oauthbearer.token.endpoint.url"] = settings.kafka_oauth_token_url
            config["sasl.oauthbearer.client.id"] = settings.kafka_oauth_client_id
            config["sasl.oauthbearer.client.secret"] = _secret(settings.kafka_oauth_client_secret)
            if settings.kafka_oauth_scope:
                config["sasl.oauthbearer.scope"] = settings.kafka_oauth_scope
        else:
            config["sasl.username"] = settings.kafka_sasl_username
            config["sasl.password"] = _secret(settings.kafka_sasl_password)
    return config


def ssl_context(settings: Settings) -> ssl.SSLContext:
    """The TLS context aiokafka uses: the configured CA (else the system store), optional client cert."""
    ca = str(settings.kafka_ssl_ca_file) if settings.kafka_ssl_ca_file else None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca)
    if not settings.kafka_ssl_check_hostname:
        context.check_hostname = False
    if settings.kafka_ssl_cert_file and settings.kafka_ssl_key_file:
        context.load_cert_chain(
            str(settings.kafka_ssl_cert_file),
            str(settings.kafka_ssl_key_file),
            password=_secret(settings.kafka_ssl_key_password),
        )
    return context


class OidcTokenProvider(AbstractTokenProvider):
    """OAUTHBEARER tokens for aiokafka from an OIDC token endpoint (client-credentials grant),
    cached until shortly before they expire. `transport` is for tests (httpx.MockTransport)."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
    ) -> None:
        self._token_url = token_url
        self._form = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
        self._auth = (client_id, client_secret)
        self._transport = transport
        self._timeout = timeout
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        async with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at:
                async with httpx.AsyncClient(transport=self._transport, timeout=self._timeout) as client:
                    response = await client.post(self._token_url, data=self._form, auth=self._auth)
                if response.status_code != 200:
                    raise PermissionError(
                        f"the OAuth token endpoint answered HTTP {response.status_code}: check "
                        "CALLSTREAM_KAFKA_OAUTH_CLIENT_ID / CALLSTREAM_KAFKA_OAUTH_CLIENT_SECRET"
                    )
                body = response.json()
                self._token = str(body["access_token"])
                lifetime = float(body.get("expires_in", 300))
                self._expires_at = time.monotonic() + max(lifetime * 0.8, lifetime - 60)
            return self._token


def faust_credentials(settings: Settings) -> CredentialsT | None:
    """Faust's `broker_credentials` for these settings (None for PLAINTEXT)."""
    from faust.auth import OAuthCredentials, SASLCredentials, SSLCredentials

    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = ssl_context(settings) if protocol in {"SSL", "SASL_SSL"} else None
    if protocol == "SSL":
        return SSLCredentials(context)
    if settings.kafka_sasl_mechanism == "OAUTHBEARER":
        provider = OidcTokenProvider(
            str(settings.kafka_oauth_token_url),
            str(settings.kafka_oauth_client_id),
            str(_secret(settings.kafka_oauth_client_secret)),
            settings.kafka_oauth_scope,
        )
        return OAuthCredentials(oauth_cb=provider, ssl_context=context)
    return SASLCredentials(
        username=settings.kafka_sasl_username,
        password=_secret(settings.kafka_sasl_password),
        ssl_context=context,
        mechanism=settings.kafka_sasl_mechanism,
    )


def aiokafka_config(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for a plain aiokafka client (outside Faust): the same credentials as Faust's."""
    config: dict[str, Any] = {"bootstrap_servers": settings.bootstrap_servers.split(",")}
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return config
    config["security_protocol"] = protocol
    if protocol in {"SSL", "SASL_SSL"}:
        config["ssl_context"] = ssl_context(settings)
    if protocol.startswith("SASL"):
        config["sasl_mechanism"] = settings.kafka_sasl_mechanism
        if settings.kafka_sasl_mechanism == "OAUTHBEARER":
            config["sasl_oauth_token_provider"] = OidcTokenProvider(
                str(settings.kafka_oauth_token_url),
                str(settings.kafka_oauth_client_id),
                str(_secret(settings.kafka_oauth_client_secret)),
                settings.kafka_oauth_scope,
            )
        else:
            config["sasl_plain_username"] = settings.kafka_sasl_username
            config["sasl_plain_password"] = _secret(settings.kafka_sasl_password)
    return config


def registry_config(settings: Settings, url: str | None = None) -> dict[str, Any]:
    """Schema registry client configuration: URL, basic auth, CA, and a short timeout without
    retries (a lookup that fails is retried by the stage with backoff, not inside the client)."""
    config: dict[str, Any] = {
        "url": url or settings.schema_registry_url,
        "timeout": settings.schema_registry_timeout_seconds,
        "max.retries": 0,
    }
    if settings.schema_registry_username and settings.schema_registry_password:
        config["basic.auth.user.info"] = (
            f"{settings.schema_registry_username}:{_secret(settings.schema_registry_password)}"
        )
    if settings.schema_registry_ca_file:
        config["ssl.ca.location"] = str(settings.schema_registry_ca_file)
    return config
