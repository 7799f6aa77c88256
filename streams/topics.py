"""The topics of DESIGN §4 (contract names), their settings, and their creation.

Every value on an Avro topic is encoded by `schemas.codecs`; Faust sees raw bytes, so the wire
format is ours and the same for every producer and consumer, Faust or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import faust
from confluent_kafka.admin import AdminClient, NewTopic

from callstream.settings import Settings
from schemas.models import WORKFLOWS

RAW = "dialnexa.calls.raw"
REDACTED = "calls.redacted"
ENRICHED = "calls.enriched"
REVIEW = "workflow.review"
SINK_RESULTS = "sink.results"
DEADLETTER = "calls.deadletter"
STRIPE_EVENTS = "stripe.events"
HUBSPOT_EVENTS = "hubspot.events"
WEBHOOK_DELIVERIES = "webhook.deliveries"
# Which dead letters `callstream dlq redrive` sent back, and where (key: "<partition>:<offset>" of the
# letter; JSON value, no payload): a letter is redriven once, and its redrive can be found again.
DEADLETTER_REDRIVES = "calls.deadletter.redrives"
WORKFLOW_TOPICS: tuple[str, ...] = tuple(f"workflow.{name}" for name in WORKFLOWS)

# Internal re-keying topics of the enrichment stage. A table lookup must hit a partition this worker
# owns, so calls and vendor updates are re-keyed by the table's key (email, then Stripe customer id)
# before they touch a table. They hold redacted data only.
CALLS_BY_EMAIL = "enrich.calls-by-email"
CALLS_BY_CUSTOMER = "enrich.calls-by-customer"
STRIPE_BY_CUSTOMER = "enrich.stripe-by-customer"
DIRECTORY_UPDATES = "enrich.directory-updates"
STRIPE_BY_CHARGE = "enrich.stripe-by-charge"
# Identity: calls keyed by one identifier (phone, invoice number, payment id, ...) and the vendor
# updates of the identifier -> customer index, keyed the same way (see streams/identity.py).
CALLS_BY_IDENTIFIER = "enrich.calls-by-identifier"
IDENTITY_UPDATES = "enrich.identity-updates"
ENRICH_INTERNAL_TOPICS = (
    CALLS_BY_EMAIL, CALLS_BY_CUSTOMER, STRIPE_BY_CUSTOMER, DIRECTORY_UPDATES, STRIPE_BY_CHARGE, CALLS_BY_IDENTIFIER,
    IDENTITY_UPDATES,
)  # fmt: skip

DAY_MS = 24 * 3600 * 1000
RAW_RETENTION_LIMIT_MS = DAY_MS  # the contract: card data is kept at most 24 h

# Message sizes, one chain from the edge inwards (issue 16), so nothing is refused deeper in the
# pipeline than where it entered: webhook body (CALLSTREAM_WEBHOOK_MAX_BODY_BYTES, 2 MiB, at most
# 8 MiB) <= the redactor's input limit (streams.normalise, 8 MiB: larger calls are dead-lettered with
# a reason) < every pipeline topic's max.message.bytes = the producers' max request size = the
# consumers' per-partition fetch size (16 MiB: a redacted or enriched call is somewhat larger than
# its input, and a dead letter carries its source message).
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
RAW_MAX_MESSAGE_BYTES = MAX_MESSAGE_BYTES


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Topic name (without prefix) -> Kafka topic config. Retention says who needs the data how long."""
    week = str(7 * DAY_MS)
    configs: dict[str, dict[str, str]] = {
        # Holds what callers said, card numbers included: short retention, read by the redactor only.
        # Room for a long call's transcript (the redactor refuses anything above its own 8 MiB limit
        # with a reason, rather than the broker refusing it with none).
        RAW: {
            "retention.ms": str(settings.raw_retention_hours * 3600 * 1000),
            "max.message.bytes": str(RAW_MAX_MESSAGE_BYTES),
        },
        REDACTED: {"retention.ms": week},
        ENRICHED: {"retention.ms": week},
        REVIEW: {"retention.ms": str(30 * DAY_MS)},
        SINK_RESULTS: {"retention.ms": str(90 * DAY_MS)},  # the audit trail of external writes
        DEADLETTER: {"retention.ms": str(30 * DAY_MS)},
        # Vendor state feeding the tables: compacted, latest event per object id.
        STRIPE_EVENTS: {"cleanup.policy": "compact"},
        HUBSPOT_EVENTS: {"cleanup.policy": "compact"},
    }
    # Webhook delivery identities (call id + body digest, no payload): durable de-duplication.
    configs[WEBHOOK_DELIVERIES] = {"cleanup.policy": "compact,delete", "retention.ms": str(30 * DAY_MS)}
    # Redrive records of dead letters: kept as long as the letters they describe.
    configs[DEADLETTER_REDRIVES] = {"cleanup.policy": "compact,delete", "retention.ms": str(30 * DAY_MS)}
    for name in WORKFLOW_TOPICS:
        configs[name] = {"retention.ms": str(30 * DAY_MS)}
    for name in ENRICH_INTERNAL_TOPICS:
        configs[name] = {"retention.ms": week}
    for config in configs.values():  # the broker default (~1 MB) would refuse what the raw topic takes
        config["max.message.bytes"] = str(MAX_MESSAGE_BYTES)
    return configs


def gapless_topics(settings: Settings) -> frozenset[str]:
    """Full names of the uncompacted pipeline topics. The consumer never takes Faust's jumps there
    as offsets without a record (a seek race makes such jumps over real records); it records a gap
    only where a contiguous fetch proved the offsets empty, such as the commit markers an upstream
    producer writing transactionally leaves (streams/consumer.py, sixth correction)."""
    return frozenset(
        settings.topic(name)
        for name, config in topic_configs(settings).items()
        if "compact" not in config.get("cleanup.policy", "delete")
    )


def ensure_topics(settings: Settings, timeout: float = 30.0, names: list[str] | None = None) -> list[str]:
    """Create the pipeline topics (or only `names`, contract names) that do not exist yet; returns the
    names created."""
    admin = AdminClient(settings.kafka_client_config())
    existing = set(admin.list_topics(timeout=timeout).topics)
    wanted = [
        NewTopic(
            settings.topic(name),
            num_partitions=settings.topic_partitions,
            replication_factor=settings.topic_replication_factor,
            config=config,
        )
        for name, config in topic_configs(settings).items()
        if settings.topic(name) not in existing and (names is None or name in names)
    ]
    if not wanted:
        return []
    created = []
    for name, future in admin.create_topics(wanted, operation_timeout=timeout).items():
        try:
            future.result(timeout=timeout)
            created.append(name)
        except Exception as error:  # another worker created it first: fine
            if "TOPIC_ALREADY_EXISTS" not in str(error):
                raise
    return created


@dataclass(frozen=True)
class PipelineTopics:
    raw: faust.TopicT
    redacted: faust.TopicT
    enriched: faust.TopicT
    workflows: dict[str, faust.TopicT]  # short workflow name (and "review") -> topic
    sink_results: faust.TopicT
    deadletter: faust.TopicT
    stripe_events: faust.TopicT
    hubspot_events: faust.TopicT
    calls_by_email: faust.TopicT
    calls_by_customer: faust.TopicT
    stripe_by_customer: faust.TopicT
    directory_updates: faust.TopicT
    stripe_by_charge: faust.TopicT
    calls_by_identifier: faust.TopicT
    identity_updates: faust.TopicT
    names: dict[str, str] = field(default_factory=dict)  # contract name -> prefixed name


def declare_topics(app: faust.App, settings: Settings) -> PipelineTopics:
    def declare(name: str) -> faust.TopicT:
        return app.topic(
            settings.topic(name),
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            partitions=settings.topic_partitions,
        )

    workflows = {name.removeprefix("workflow."): declare(name) for name in (*WORKFLOW_TOPICS, REVIEW)}
    return PipelineTopics(
        raw=declare(RAW),
        redacted=declare(REDACTED),
        enriched=declare(ENRICHED),
        workflows=workflows,
        sink_results=declare(SINK_RESULTS),
        deadletter=declare(DEADLETTER),
        stripe_events=declare(STRIPE_EVENTS),
        hubspot_events=declare(HUBSPOT_EVENTS),
        calls_by_email=declare(CALLS_BY_EMAIL),
        calls_by_customer=declare(CALLS_BY_CUSTOMER),
        stripe_by_customer=declare(STRIPE_BY_CUSTOMER),
        directory_updates=declare(DIRECTORY_UPDATES),
        stripe_by_charge=declare(STRIPE_BY_CHARGE),
        calls_by_identifier=declare(CALLS_BY_IDENTIFIER),
        identity_updates=declare(IDENTITY_UPDATES),
        names={name: settings.topic(name) for name in topic_configs(settings)},
    )
