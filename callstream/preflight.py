"""Before the worker starts Faust: can we reach the cluster and log in? One line if not.

Without this, a worker with no broker (or a wrong password) spends half a minute retrying inside
aiokafka, logs hundreds of lines, and ends in a traceback that does not say what to do. librdkafka
reports the cause through `error_cb` within a second or two, so the check can name it.
"""

from __future__ import annotations

import time

from confluent_kafka import KafkaError
from confluent_kafka.admin import AdminClient

from callstream.settings import Settings

EX_UNAVAILABLE = 69
EX_NOPERM = 77


class ClusterUnavailable(RuntimeError):
    """The cluster cannot be used with these settings; `str()` is one line saying what to do."""

    def __init__(self, message: str, exit_code: int = EX_UNAVAILABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _auth_message(settings: Settings, detail: str) -> str:
    if settings.kafka_sasl_mechanism == "OAUTHBEARER":
        return (
            f"Kafka refused the OAUTHBEARER login ({detail}): check CALLSTREAM_KAFKA_OAUTH_TOKEN_URL, "
            "CALLSTREAM_KAFKA_OAUTH_CLIENT_ID and CALLSTREAM_KAFKA_OAUTH_CLIENT_SECRET"
        )
    return (
        f"Kafka refused the login of user {settings.kafka_sasl_username!r} with {settings.kafka_sasl_mechanism}: "
        "check CALLSTREAM_KAFKA_SASL_USERNAME, CALLSTREAM_KAFKA_SASL_PASSWORD and CALLSTREAM_KAFKA_SASL_MECHANISM"
    )


def _unreachable_message(settings: Settings, timeout: float) -> str:
    where = settings.bootstrap_servers
    if settings.kafka_bootstrap_servers is None:
        return (
            f"no Kafka broker answers at {where} (waited {timeout:g} s): start the local one with "
            "`callstream kafka up`, or set KAFKA_BOOTSTRAP_SERVERS to your cluster"
        )
    return (
        f"no Kafka broker answers at {where} (waited {timeout:g} s) with "
        f"CALLSTREAM_KAFKA_SECURITY_PROTOCOL={settings.kafka_security_protocol}: check KAFKA_BOOTSTRAP_SERVERS, "
        "the network, and that the protocol matches the listener (Confluent Cloud, MSK and Aiven use SASL_SSL or SSL)"
    )


def check_cluster(settings: Settings, timeout: float | None = None) -> None:
    """Return when a broker answers a metadata request with these settings; else `ClusterUnavailable`."""
    timeout = settings.kafka_connect_timeout_seconds if timeout is None else timeout
    errors: list[KafkaError] = []
    config = settings.kafka_client_config() | {
        "log_level": 0,  # the causes come through error_cb; librdkafka's own lines would repeat them
        "error_cb": errors.append,
        "socket.connection.setup.timeout.ms": max(1000, int(timeout * 1000)),
    }
    try:
        admin = AdminClient(config)
    except Exception as error:  # e.g. a CA file librdkafka cannot read
        raise ClusterUnavailable(f"the Kafka client configuration is unusable: {error}") from None
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        try:
            metadata = admin.list_topics(timeout=max(0.2, min(1.0, remaining)))
            if metadata.brokers:
                return
        except Exception:
            pass
        admin.poll(0)  # error_cb runs only while the client is polled
        for error in errors:
            if error.code() == KafkaError._AUTHENTICATION:
                raise ClusterUnavailable(_auth_message(settings, error.str()), EX_NOPERM)
            # librdkafka reports a failed handshake as _SSL, or as _TRANSPORT naming SSL/the certificate.
            text = error.str()
            if error.code() == KafkaError._SSL or ("SSL" in text and ("handshake" in text or "certificate" in text)):
                raise ClusterUnavailable(
                    f"TLS with the broker failed ({error.str()}): check CALLSTREAM_KAFKA_SSL_CA_FILE, "
                    "CALLSTREAM_KAFKA_SSL_CHECK_HOSTNAME and, for mTLS, CALLSTREAM_KAFKA_SSL_CERT_FILE/_KEY_FILE"
                )
        if remaining <= 0:
            last = f" Last client error: {errors[-1].str()}." if errors else ""
            raise ClusterUnavailable(_unreachable_message(settings, timeout) + last)
