"""The worker's metrics and status samples (streams/metrics.py), without a broker."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from sinks.breaker import CircuitBreaker
from sinks.factory import Sink
from sinks.ratelimit import GroupShare, KeyedRateLimiter, RateLimiter
from streams.metrics import PipelineMetrics, StatusSamples, stage_of_topic


def samples(metrics: PipelineMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the rendered /metrics text, keyed by name and sorted labels."""
    found = {}
    for family in text_string_to_metric_families(metrics.render().decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def _write(_action: object, _key: str) -> None:
    return None


def test_stage_sink_and_redaction_counts_are_rendered_in_prometheus_text() -> None:
    metrics = PipelineMetrics()
    metrics.observe_stage("redact", 0.004, dead_lettered=False)
    metrics.observe_stage("redact", 0.2, dead_lettered=True)
    metrics.observe_dead_letter("redact", "StageError")
    metrics.observe_sink_result("sheets", "written", attempts=1)
    metrics.observe_sink_result("zendesk", "written", attempts=3)
    metrics.observe_sink_result("zendesk", "already_written", attempts=1)
    metrics.observe_redaction({"card_number": 2, "card_cvv": 1, "iban": 0})
    found = samples(metrics)
    assert found[("callstream_stage_messages_total", (("outcome", "in"), ("stage", "redact")))] == 2
    assert found[("callstream_stage_messages_total", (("outcome", "out"), ("stage", "redact")))] == 1
    assert found[("callstream_stage_messages_total", (("outcome", "dead_lettered"), ("stage", "redact")))] == 1
    assert found[("callstream_stage_seconds_count", (("stage", "redact"),))] == 2
    assert found[("callstream_dead_letters_total", (("error_type", "StageError"), ("stage", "redact")))] == 1
    assert found[("callstream_sink_outcomes_total", (("outcome", "retried"), ("vendor", "zendesk")))] == 1
    assert found[("callstream_sink_outcomes_total", (("outcome", "already_written"), ("vendor", "zendesk")))] == 1
    assert found[("callstream_review_rows_total", ())] == 1  # the sheets row, not the Zendesk writes
    assert found[("callstream_redaction_findings_total", (("type", "card_number"),))] == 2
    assert ("callstream_redaction_findings_total", (("type", "iban"),)) not in found  # zero: no series


def test_lag_breaker_state_and_rate_limit_waits_are_read_when_scraped() -> None:
    metrics = PipelineMetrics()
    lag = {"value": 7}
    metrics.watch_consumer(lambda: [("calls.enriched", 1, lag["value"])])
    now = [0.0]
    breaker = CircuitBreaker("zendesk", failure_threshold=1, reset_timeout=10.0, clock=lambda: now[0])
    share = GroupShare()
    share.set_members(1)
    limiter = RateLimiter(1000.0, share=share)
    per_channel = KeyedRateLimiter(1000.0, share=share)
    sink = Sink("zendesk", "zendesk", _write, breaker, limiters=[limiter, per_channel])
    metrics.watch_sinks([sink])

    async def wait_a_little() -> None:
        limiter.pause_for(0.05)  # what a 429 with Retry-After does
        await limiter.acquire()
        await per_channel.for_key("#billing").acquire()

    asyncio.run(wait_a_little())
    found = samples(metrics)
    key = ("callstream_consumer_lag", (("partition", "1"), ("stage", "classify"), ("topic", "calls.enriched")))
    assert found[key] == 7
    assert found[("callstream_sink_breaker_state", (("vendor", "zendesk"),))] == 0
    assert found[("callstream_rate_limit_wait_seconds_total", (("vendor", "zendesk"),))] >= 0.04
    breaker.record_failure()  # the threshold: open
    lag["value"] = 0
    found = samples(metrics)
    assert found[("callstream_sink_breaker_state", (("vendor", "zendesk"),))] == 2
    assert found[key] == 0


def test_a_failing_lag_reader_gives_no_lag_series_not_a_failed_scrape() -> None:
    metrics = PipelineMetrics()

    def broken() -> list[tuple[str, int, int]]:
        raise RuntimeError("consumer not started")

    metrics.watch_consumer(broken)
    assert b"callstream_stage_messages" in metrics.render()


def test_status_series_are_rates_between_samples_and_lag_per_stage() -> None:
    metrics = PipelineMetrics()
    clock = [1000.0]
    lag = {"value": 40}
    metrics.watch_consumer(lambda: [("dialnexa.calls.raw", 0, lag["value"]), ("workflow.review", 0, 2)])
    status = StatusSamples(metrics, interval=10.0, clock=lambda: clock[0])
    status.take()
    for _ in range(50):
        metrics.observe_stage("redact", 0.01, dead_lettered=False)
    metrics.observe_dead_letter("redact", "StageError")
    clock[0] += 10.0
    lag["value"] = 0
    status.take()
    series = status.series()
    assert series["throughput"]["redact"] == [[1010.0, 5.0]]  # 50 messages in 10 s
    assert series["lag"]["redact"] == [[1000.0, 40.0], [1010.0, 0.0]]
    assert series["lag"]["sinks"] == [[1000.0, 2.0], [1010.0, 2.0]]
    assert series["dead_letters"] == {"redact: StageError": 1.0}
    clock[0] += 3700.0  # an hour later: the old samples fall out of the window
    status.take()
    assert len(status.samples) == 1


def test_every_pipeline_topic_belongs_to_the_stage_that_reads_it() -> None:
    assert stage_of_topic("dialnexa.calls.raw") == "redact"
    assert stage_of_topic("calls.redacted") == "enrich"
    assert stage_of_topic("stripe.events") == "enrich"
    assert stage_of_topic("calls.enriched") == "classify"
    assert stage_of_topic("workflow.charge_dispute") == "sinks"


def test_the_status_page_groups_agents_into_the_four_pipeline_stages() -> None:
    metrics = PipelineMetrics()
    for agent in ("enrich_by_email", "enrich_by_identifier", "sink_review_sheets", "sink_refund_approval_zendesk"):
        metrics.observe_stage(agent, 0.01, dead_lettered=False)
    stages = metrics.totals()["stages"]
    assert stages == {"enrich": {"in": 2.0, "out": 2.0}, "sinks": {"in": 2.0, "out": 2.0}}


def test_the_grafana_dashboard_uses_only_metrics_the_worker_exports() -> None:
    dashboard = json.loads((Path(__file__).parents[2] / "docs" / "grafana-dashboard.json").read_text())
    used = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\b(callstream_\w+)", target["expr"])
    }
    metrics = PipelineMetrics()
    metrics.observe_stage("redact", 0.01, dead_lettered=True)  # every family gets a sample
    metrics.observe_dead_letter("redact", "StageError")
    metrics.observe_sink_result("sheets", "written", attempts=2)
    metrics.observe_redaction({"card_number": 1})
    metrics.watch_consumer(lambda: [("calls.enriched", 0, 1)])
    breaker = CircuitBreaker("sheets")
    metrics.watch_sinks([Sink("sheets", "sheets", _write, breaker, limiters=[RateLimiter(1.0)])])
    exported = {name for name, _labels in samples(metrics)}
    assert used and used <= exported, f"not exported: {sorted(used - exported)}"
