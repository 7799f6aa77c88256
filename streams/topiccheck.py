"""Topics on every start path: created if missing, and existing ones checked against the contract.

`callstream worker`, `faust -A streams.main worker`, the demo and the tests all go through
`prepare_topics` (the Faust CLI through `PipelineApp.on_first_start`), so no path leaves topic
creation to the broker (auto-creation uses broker defaults: 7 days for card data, no compaction).

A topic that already exists is checked, because creation never changes it:
- refused: the raw topic keeping data longer than the contract's 24 h (or forever, or compacted);
  a vendor-state topic (`stripe.events`, `hubspot.events`) that is not compacted, since its tables
  would lose objects whose last event aged out;
- warned: any other retention or size that differs from ours, or a partition count other than the
  configured one (enrichment's co-partitioned lookups need them equal).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import faust
from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType

from callstream.settings import Settings
from streams.topics import HUBSPOT_EVENTS, RAW, RAW_RETENTION_LIMIT_MS, STRIPE_EVENTS, ensure_topics, topic_configs

log = logging.getLogger("callstream.topics")

COMPACTED = (STRIPE_EVENTS, HUBSPOT_EVENTS)


class TopicConfigError(RuntimeError):
    """An existing topic breaks the contract; the message names the topic and the fix (one line)."""


@dataclass
class TopicReport:
    created: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_topic(
    name: str, wanted: dict[str, str], actual: dict[str, str], partitions: int, settings: Settings
) -> tuple[list[str], list[str]]:
    """(refusals, warnings) for one existing topic; `name` is the contract name, `actual` its config."""
    topic = settings.topic(name)
    refusals: list[str] = []
    warnings: list[str] = []
    policy = actual.get("cleanup.policy", "delete")
    fix = f"kafka-configs.sh --bootstrap-server ... --alter --entity-type topics --entity-name {topic} --add-config"
    if name == RAW:
        retention = int(actual.get("retention.ms", "-1"))
        if retention < 0 or retention > RAW_RETENTION_LIMIT_MS:
            kept = "forever" if retention < 0 else f"{retention / 3_600_000:g} h"
            refusals.append(
                f"topic {topic} holds card data and keeps it {kept}, longer than the contract's 24 h; "
                f"fix: {fix} retention.ms={wanted['retention.ms']}"
            )
        elif str(retention) != wanted["retention.ms"]:
            warnings.append(f"topic {topic} has retention.ms={retention}, CALLSTREAM_RAW_RETENTION_HOURS says "
                            f"{wanted['retention.ms']}")  # fmt: skip
        if "compact" in policy:
            refusals.append(
                f"topic {topic} holds card data and is compacted (kept forever); fix: {fix} cleanup.policy=delete"
            )
    elif name in COMPACTED:
        if "compact" not in policy:
            refusals.append(
                f"topic {topic} feeds the enrichment tables and must be compacted (cleanup.policy={policy}); "
                f"fix: {fix} cleanup.policy=compact"
            )
    elif "retention.ms" in wanted and actual.get("retention.ms") != wanted["retention.ms"]:
        warnings.append(
            f"topic {topic} has retention.ms={actual.get('retention.ms')}, expected {wanted['retention.ms']}"
        )
    wanted_size = int(wanted.get("max.message.bytes", "0"))
    if wanted_size and int(actual.get("max.message.bytes", "0")) < wanted_size:
        warnings.append(
            f"topic {topic} has max.message.bytes={actual.get('max.message.bytes')}, below {wanted_size}: "
            f"larger messages are refused (webhook 413, dead letters in the stages); "
            f"fix: {fix} max.message.bytes={wanted_size}"
        )
    if partitions != settings.topic_partitions:
        warnings.append(
            f"topic {topic} has {partitions} partitions, CALLSTREAM_TOPIC_PARTITIONS is {settings.topic_partitions}"
        )
    return refusals, warnings


def prepare_topics(settings: Settings, timeout: float = 30.0) -> TopicReport:
    """Create missing topics, check existing ones; raises `TopicConfigError` on a refusal."""
    report = TopicReport(created=ensure_topics(settings, timeout=timeout))
    admin = AdminClient({**settings.kafka_client_config(), "log_level": 0})
    wanted = topic_configs(settings)
    metadata = admin.list_topics(timeout=timeout).topics
    names = {settings.topic(name): name for name in wanted}
    resources = [ConfigResource(ResourceType.TOPIC, topic) for topic in names if topic not in report.created]
    if resources:
        for resource, future in admin.describe_configs(resources, request_timeout=timeout).items():
            actual = {key: entry.value for key, entry in future.result(timeout=timeout).items()}
            name = names[resource.name]
            partitions = len(metadata[resource.name].partitions) if resource.name in metadata else 0
            refusals, warnings = check_topic(name, wanted[name], actual, partitions, settings)
            report.refusals.extend(refusals)
            report.warnings.extend(warnings)
    for warning in report.warnings:
        log.warning("%s", warning)
    if report.created:
        log.info("created %d topics: %s", len(report.created), ", ".join(sorted(report.created)))
    if report.refusals:
        raise TopicConfigError(
            report.refusals[0] + (f" (and {len(report.refusals) - 1} more)" if report.refusals[1:] else "")
        )
    return report


class PipelineApp(faust.App):
    """The Faust app, preparing the topics before anything subscribes or produces.

    `on_first_start` runs before the app's producer, consumer and tables start, on every start path;
    `callstream worker` prepares them earlier (for a clean exit code) and marks them prepared.
    """

    callstream_settings: Settings | None = None
    topics_prepared: bool = False

    async def on_first_start(self) -> None:
        await super().on_first_start()
        if self.topics_prepared or self.callstream_settings is None:
            return
        try:
            await asyncio.to_thread(prepare_topics, self.callstream_settings)
        except TopicConfigError as error:
            log.error("refusing to start: %s", error)
            raise SystemExit(78) from None  # EX_CONFIG, as for a policy error
        self.topics_prepared = True
