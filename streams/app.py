"""`create_app(settings)`: the Faust app with the topics, tables and stage agents of the pipeline."""

from __future__ import annotations

import faust

from callstream.kafkaauth import faust_credentials
from callstream.settings import Settings
from schemas.codecs import build_codecs
from sinks.outbox import Outbox
from streams import agent_classify, agent_enrich, agent_redact, agent_sinks, consumer, httplog, quota
from streams.lookups import build_lookups
from streams.policy import check_launch, load_policy
from streams.stage import Pipeline
from streams.tables import declare_tables
from streams.topiccheck import PipelineApp
from streams.topics import MAX_MESSAGE_BYTES, declare_topics, gapless_topics
from streams.webhook import register_webhook, webhook_dead_letter
from streams.webserver import FAUST_WEB_VIEWS_OFF, harden_web


def create_app(settings: Settings) -> faust.App:
    """The worker's app. Raises `PolicyError` (naming file, workflow and field) on an unusable policy."""
    policy = load_policy(settings.policy_path)
    check_launch(policy)  # before anything connects: a workflow finance cannot act on stops start-up
    httplog.install()  # a malformed HTTP request is one warning line, not a traceback
    datadir = settings.data_dir / "worker" / settings.app_id
    datadir.parent.mkdir(parents=True, exist_ok=True)  # Faust creates only the last level
    app = PipelineApp(
        # The group id and the changelog topics' prefix: isolated by CALLSTREAM_TOPIC_PREFIX too.
        settings.group_id,
        broker=[f"kafka://{server.strip()}" for server in settings.bootstrap_servers.split(",")],
        broker_credentials=faust_credentials(settings),
        store=settings.table_store,
        datadir=str(datadir),
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication_factor,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        key_serializer="raw",
        value_serializer="raw",
        producer_acks=-1,
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=settings.heartbeat_interval_seconds,
        consumer_auto_offset_reset="earliest",
        autodiscover=False,
        **FAUST_WEB_VIEWS_OFF,  # web server hardening: no table/router/stats views on the port
        # Every agent keeps concurrency 1: concurrency > 1 can commit past an in-flight message.
        producer_max_request_size=MAX_MESSAGE_BYTES,  # message sizes: see streams.topics
        consumer_max_fetch_size=MAX_MESSAGE_BYTES,
    )
    # Acks of messages Faust skipped (rebalances) never commit them; no gap on uncompacted topics.
    consumer.install(app, gapless_topics=gapless_topics(settings))
    app.callstream_settings = settings  # PipelineApp creates and checks the topics on start
    pipeline = Pipeline(
        app=app,
        settings=settings,
        topics=declare_topics(app, settings),
        tables=declare_tables(app, settings),
        codecs=build_codecs(settings),
        outbox=Outbox(settings.outbox_path),
        policy=policy,
        is_high_value=policy.high_value.account_is_high_value,
    )
    pipeline.metrics.watch_consumer(lambda: consumer_lag(app, settings))
    stripe_lookup, hubspot_lookup = build_lookups(settings)
    agent_redact.register(pipeline)
    agent_enrich.register(pipeline, stripe=stripe_lookup, hubspot=hubspot_lookup)
    agent_classify.register(pipeline)
    agent_sinks.register(pipeline)
    harden_web(app, settings, pipeline.metrics)
    register_webhook(app, settings, pipeline.topics.raw, dead_letter=webhook_dead_letter(pipeline))
    quota.register(app, settings)  # vendor limits are shared by the group's live members
    return app


def consumer_lag(app: faust.App, settings: Settings) -> list[tuple[str, int, int]]:
    """(topic without the prefix, partition, lag) for the worker's assigned partitions."""
    guard = app.consumer
    if not isinstance(guard, consumer.ProcessedOnlyAcksConsumer):
        return []
    prefix = settings.topic_prefix
    return [(tp.topic.removeprefix(prefix), tp.partition, behind) for tp, behind in guard.lag()]
