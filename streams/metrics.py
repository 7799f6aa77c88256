"""The worker's Prometheus metrics and the samples behind its status page (issue 14).

One registry per app, not the process-wide default: tests build several apps in one process, and
a worker's `/metrics` must show its own numbers only. Counters are bumped where the event happens
(the dead-letter guard, the one place a `sink.results` record is made, the redaction agent);
consumer lag, circuit-breaker state and rate-limit waits are read when scraped, from the objects
that own them, so nothing has to remember to update them.

Names (what docs/grafana-dashboard.json is built on):

| metric | type | labels |
|---|---|---|
| callstream_stage_messages_total | counter | stage, outcome (in, out, dead_lettered) |
| callstream_stage_seconds | histogram | stage |
| callstream_dead_letters_total | counter | stage, error_type |
| callstream_consumer_lag | gauge | topic, partition, stage |
| callstream_sink_outcomes_total | counter | vendor, outcome (written, already_written, retried, failed, outbox, ...) |
| callstream_sink_breaker_state | gauge | vendor (0 closed, 1 half-open, 2 open) |
| callstream_rate_limit_wait_seconds_total | counter | vendor |
| callstream_review_rows_total | counter | |
| callstream_redaction_findings_total | counter | type |

No label ever holds a call id, a customer or payload text: counts and vendor/stage names only.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from sinks.breaker import CLOSED, HALF_OPEN, OPEN

if TYPE_CHECKING:
    from sinks.factory import Sink

BREAKER_VALUES = {CLOSED: 0, HALF_OPEN: 1, OPEN: 2}
STAGE_SECONDS_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
STATUS_WINDOW_SECONDS = 3600.0  # the status page charts the last hour


def stage_of_topic(name: str) -> str:
    """The stage that reads a pipeline topic (its name without the prefix)."""
    if name == "dialnexa.calls.raw":
        return "redact"
    if name in ("calls.redacted", "stripe.events", "hubspot.events") or name.startswith("enrich."):
        return "enrich"
    if name == "calls.enriched":
        return "classify"
    if name.startswith("workflow."):
        return "sinks"
    return "other"


def stage_group(agent_stage: str) -> str:
    """The pipeline stage an agent's stage name belongs to (enrich_by_email -> enrich, sink_review_sheets
    -> sinks): the status page charts the four stages, /metrics keeps the agents apart."""
    for group in ("redact", "enrich", "classify"):
        if agent_stage.startswith(group):
            return group
    return "sinks" if agent_stage.startswith("sink") else agent_stage


class PipelineMetrics:
    """The worker's metrics. `render()` is what `GET /metrics` answers."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.stage_messages = Counter(
            "callstream_stage_messages", "messages per stage: in, out (handled), dead_lettered",
            ["stage", "outcome"], registry=registry,
        )  # fmt: skip
        self.stage_seconds = Histogram(
            "callstream_stage_seconds", "time to handle one message, per stage", ["stage"],
            buckets=STAGE_SECONDS_BUCKETS, registry=registry,
        )  # fmt: skip
        self.dead_letters = Counter(
            "callstream_dead_letters", "dead letters written, per stage and error type", ["stage", "error_type"],
            registry=registry,
        )  # fmt: skip
        self.sink_outcomes = Counter(
            "callstream_sink_outcomes", "sink.results outcomes per vendor; retried: more than one attempt",
            ["vendor", "outcome"], registry=registry,
        )  # fmt: skip
        self.review_rows = Counter("callstream_review_rows", "rows written to the review sheet", registry=registry)
        self.redaction_findings = Counter(
            "callstream_redaction_findings", "secrets the redactor removed, per type (counts only)", ["type"],
            registry=registry,
        )  # fmt: skip
        self._live = LiveCollector()
        registry.register(self._live)

    # --- what the stages report -------------------------------------------------------------------

    def observe_stage(self, stage: str, seconds: float, dead_lettered: bool) -> None:
        self.stage_messages.labels(stage, "in").inc()
        self.stage_messages.labels(stage, "dead_lettered" if dead_lettered else "out").inc()
        self.stage_seconds.labels(stage).observe(seconds)

    def observe_dead_letter(self, stage: str, error_type: str) -> None:
        self.dead_letters.labels(stage, error_type).inc()

    def observe_sink_result(self, vendor: str, outcome: str, attempts: int) -> None:
        self.sink_outcomes.labels(vendor, outcome).inc()
        if attempts > 1:
            self.sink_outcomes.labels(vendor, "retried").inc()
        if vendor == "sheets" and outcome == "written":
            self.review_rows.inc()

    def observe_redaction(self, counts: dict[str, int]) -> None:
        for finding_type, count in counts.items():
            if count > 0:
                self.redaction_findings.labels(finding_type).inc(count)

    # --- what is read when scraped ----------------------------------------------------------------

    def watch_consumer(self, lag: Callable[[], Iterable[tuple[str, int, int]]]) -> None:
        """`lag()` yields (topic without prefix, partition, lag) for the assigned partitions."""
        self._live.lag = lag

    def watch_sinks(self, sinks: Iterable[Sink]) -> None:
        self._live.sinks = list(sinks)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    # --- the status page's numbers ----------------------------------------------------------------

    def totals(self) -> dict[str, Any]:
        """Cumulative counts and current gauges: what a status sample records."""
        stages: dict[str, dict[str, float]] = {}
        for metric in self.stage_messages.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    stage = stages.setdefault(stage_group(sample.labels["stage"]), {})
                    outcome = sample.labels["outcome"]
                    stage[outcome] = stage.get(outcome, 0.0) + sample.value
        dead: dict[str, float] = {}
        for metric in self.dead_letters.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    reason = f"{sample.labels['stage']}: {sample.labels['error_type']}"
                    dead[reason] = dead.get(reason, 0.0) + sample.value
        vendors: dict[str, dict[str, float]] = {}
        for metric in self.sink_outcomes.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    vendors.setdefault(sample.labels["vendor"], {})[sample.labels["outcome"]] = sample.value
        lag: dict[str, int] = {}
        for topic, _partition, behind in self._live.current_lag():
            stage = stage_of_topic(topic)
            lag[stage] = lag.get(stage, 0) + behind
        breakers = {sink.vendor: sink.breaker.state for sink in self._live.sinks}
        review = next(iter(self.review_rows.collect())).samples
        review_rows = sum(s.value for s in review if s.name.endswith("_total"))
        return {"stages": stages, "dead_letters": dead, "vendors": vendors, "lag": lag,
                "breakers": breakers, "review_rows": review_rows}  # fmt: skip


@dataclass(eq=False)  # a registry keys its collectors by identity
class LiveCollector(Collector):
    """Gauges read at scrape time from the consumer and the sinks."""

    lag: Callable[[], Iterable[tuple[str, int, int]]] | None = None
    sinks: list[Sink] = field(default_factory=list)

    def current_lag(self) -> list[tuple[str, int, int]]:
        if self.lag is None:
            return []
        try:
            return list(self.lag())
        except Exception:  # the consumer is starting or stopping: no lag to show, not a failed scrape
            return []

    def collect(self) -> Iterator[Any]:
        lag = GaugeMetricFamily(
            "callstream_consumer_lag", "messages past the committed offset, per assigned partition",
            labels=["topic", "partition", "stage"],
        )  # fmt: skip
        for topic, partition, behind in self.current_lag():
            lag.add_metric([topic, str(partition), stage_of_topic(topic)], behind)
        yield lag
        breaker = GaugeMetricFamily(
            "callstream_sink_breaker_state", "circuit breaker per vendor: 0 closed, 1 half-open, 2 open",
            labels=["vendor"],
        )  # fmt: skip
        waits = CounterMetricFamily(
            "callstream_rate_limit_wait_seconds", "time spent waiting for a vendor's rate limit", labels=["vendor"]
        )
        waited: dict[str, float] = {}
        for sink in self.sinks:
            breaker.add_metric([sink.vendor], BREAKER_VALUES.get(sink.breaker.state, 0))
            waited[sink.vendor] = waited.get(sink.vendor, 0.0) + sum(
                limiter.waited_seconds for limiter in sink.limiters
            )
        for vendor, seconds in waited.items():
            waits.add_metric([vendor], seconds)
        yield breaker
        yield waits


@dataclass
class StatusSamples:
    """One sample every `interval` seconds over the last hour, for the status page's charts."""

    metrics: PipelineMetrics
    interval: float
    clock: Callable[[], float] = time.time
    samples: deque[dict[str, Any]] = field(default_factory=deque)

    def take(self) -> dict[str, Any]:
        sample = {"at": self.clock(), **self.metrics.totals()}
        self.samples.append(sample)
        while self.samples and sample["at"] - self.samples[0]["at"] > STATUS_WINDOW_SECONDS:
            self.samples.popleft()
        return sample

    def series(self) -> dict[str, Any]:
        """What the page draws: per stage, messages per second between samples and lag at each sample;
        the latest dead letters by reason, vendor outcomes, breaker states and review rows."""
        points = list(self.samples)
        stages = sorted({stage for sample in points for stage in (*sample["stages"], *sample["lag"])})
        throughput: dict[str, list[list[float]]] = {stage: [] for stage in stages}
        lag: dict[str, list[list[float]]] = {stage: [] for stage in stages}
        for previous, sample in itertools.pairwise(points):
            seconds = max(sample["at"] - previous["at"], 1e-6)
            for stage in stages:
                done = sample["stages"].get(stage, {}).get("in", 0.0) - previous["stages"].get(stage, {}).get("in", 0.0)
                throughput[stage].append([sample["at"], max(done, 0.0) / seconds])
        for sample in points:
            for stage in stages:
                lag[stage].append([sample["at"], float(sample["lag"].get(stage, 0))])
        latest = points[-1] if points else {**self.metrics.totals(), "at": self.clock()}
        return {
            "interval": self.interval,
            "throughput": throughput,
            "lag": lag,
            "dead_letters": latest["dead_letters"],
            "vendors": latest["vendors"],
            "breakers": latest["breakers"],
            "review_rows": latest["review_rows"],
            "at": latest["at"],
        }
