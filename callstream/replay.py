"""`callstream replay`: re-feed a range of a pipeline topic into the stage that reads it.

Each selected record is produced again into the topic it came from, on the same partition, with the
same key and value, plus lineage headers (streams/lineage.py: replay id, origin topic, partition,
offset). The stage reading the topic processes it like any other record and carries the headers on,
so the `sink.results` records it ends in name the replay. No vendor is written twice: every write is
keyed by call id + workflow + action (+ sink) in the sinks' ledger and by the vendors' own
mechanisms, and a replayed record has the same call id and so the same keys.

The range is fixed before the first record is written (the high watermarks at the start), so a
replay never chases the records it appends itself. Records below a partition's log start offset are
gone (deleted by retention): they are reported, never silently skipped. The raw topic keeps its
records only `CALLSTREAM_RAW_RETENTION_HOURS` (they hold card data); a raw replay keeps each
record's original timestamp, so the copy is deleted when the original would have been, not a full
retention period later.

Pure functions (time parsing, range resolution, what may be replayed, the summary) come first and
are unit-tested without Kafka; `run_replay` does the I/O through `callstream.kafkaio`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from callstream.settings import Settings
from streams.lineage import new_replay_id, replay_headers
from streams.topics import (
    DEADLETTER,
    DEADLETTER_REDRIVES,
    ENRICH_INTERNAL_TOPICS,
    ENRICHED,
    HUBSPOT_EVENTS,
    RAW,
    REDACTED,
    REVIEW,
    SINK_RESULTS,
    STRIPE_EVENTS,
    WEBHOOK_DELIVERIES,
    WORKFLOW_TOPICS,
)

SAMPLE_KEYS = 10
EXIT_GONE = 3  # something asked for was deleted by retention (the rest was replayed)

# Topic (contract name) -> the stage that reads it, which a replay re-feeds.
READERS: dict[str, str] = {
    RAW: "the redact stage",
    REDACTED: "the enrich stage",
    ENRICHED: "the classify stage",
    STRIPE_EVENTS: "the enrichment tables (Stripe)",
    HUBSPOT_EVENTS: "the enrichment tables (HubSpot)",
    **{name: f"the sink agents of {name}" for name in (*WORKFLOW_TOPICS, REVIEW)},
}
REFUSED: dict[str, str] = {
    SINK_RESULTS: "no stage reads sink.results (the audit trail): replay the workflow topic that wrote it",
    DEADLETTER: "dead letters go back to their stage with `callstream dlq redrive`",
    DEADLETTER_REDRIVES: "it records dead-letter redrives; no stage reads it",
    WEBHOOK_DELIVERIES: "it records webhook delivery ids; no stage reads it",
    **{
        name: "an internal topic of the enrich stage (its layout may change): replay calls.redacted instead"
        for name in ENRICH_INTERNAL_TOPICS
    },
}


class ReplayError(ValueError):
    """A replay that cannot run as asked; the message says why and what to do instead."""


# --- what may be replayed ------------------------------------------------------------------------------


def contract_name(settings: Settings, topic: str) -> str:
    """The contract name of `topic`, given with or without the deployment's prefix."""
    prefix = settings.topic_prefix
    return topic[len(prefix) :] if prefix and topic.startswith(prefix) else topic


def reader_of(name: str) -> str:
    """The stage a replay of contract topic `name` re-feeds; ReplayError if none may be re-fed."""
    if name in READERS:
        return READERS[name]
    if name in REFUSED:
        raise ReplayError(f"{name} cannot be replayed: {REFUSED[name]}")
    known = ", ".join(sorted(READERS))
    raise ReplayError(f"{name} is not a pipeline topic a stage reads; one of: {known}")


# --- time ----------------------------------------------------------------------------------------------

_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_time(text: str, now: datetime | None = None, option: str = "time") -> datetime:
    """ISO 8601 (`2026-12-03T17:00:00Z`, `2026-12-03T18:00+01:00`, `2026-12-03`; no zone means UTC),
    or a duration before now (`90m`, `2h`, `7d`)."""
    value = text.strip()
    relative = _AGO.match(value)
    if relative:
        amount, unit = float(relative.group(1)), relative.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ReplayError(
            f"{option} {text!r}: give an ISO 8601 time (2026-12-03T17:00:00Z) or a duration ago (90m, 2h, 7d)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def show_time(millis: int | None) -> str:
    if millis is None:
        return "?"
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the selection and its resolution per partition ------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to replay. Offsets are the same in every selected partition: `to_offset` is the last one
    replayed (inclusive); `to_time` is exclusive (records strictly before it). Neither end: the start or
    the end of what the partition holds when the replay starts."""

    partitions: tuple[int, ...] | None = None  # None: all
    from_offset: int | None = None
    to_offset: int | None = None
    from_time: datetime | None = None
    to_time: datetime | None = None
    call_id: str | None = None

    def __post_init__(self) -> None:
        by_offset = self.from_offset is not None or self.to_offset is not None
        by_time = self.from_time is not None or self.to_time is not None
        if by_offset and by_time:
            raise ReplayError("give offsets (--from-offset/--to-offset) or times (--from-time/--to-time), not both")
        for name in ("from_offset", "to_offset"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ReplayError(f"--{name.replace('_', '-')} must be 0 or more, not {value}")
        if self.from_offset is not None and self.to_offset is not None and self.from_offset > self.to_offset:
            raise ReplayError(f"--from-offset {self.from_offset} is after --to-offset {self.to_offset}")
        if self.from_time is not None and self.to_time is not None and self.from_time >= self.to_time:
            raise ReplayError("--from-time must be before --to-time")
        if self.partitions is not None and (not self.partitions or min(self.partitions) < 0):
            raise ReplayError("--partition must be a partition number (0 or more)")
        if self.call_id is not None and not self.call_id.strip():
            raise ReplayError("--call-id must not be empty")

    @property
    def by_time(self) -> bool:
        return self.from_time is not None or self.to_time is not None

    def wants(self, key: bytes | None) -> bool:
        return self.call_id is None or key == self.call_id.encode()


@dataclass(frozen=True)
class PartitionPlan:
    """One partition's share of a replay: offsets start <= offset < end, fixed before it starts."""

    partition: int
    start: int
    end: int
    low: int  # log start offset: everything below it was deleted by retention
    high: int  # high watermark when the replay started
    gone: tuple[int, int] | None = None  # requested offsets no longer retained, [from, to)
    gone_exact: bool = True  # False for a time range: some records below `low` may have been in it

    @property
    def size(self) -> int:
        return max(0, self.end - self.start)


def select_partitions(existing: Sequence[int], wanted: Iterable[int] | None, topic: str) -> list[int]:
    if wanted is None:
        return sorted(existing)
    missing = sorted(set(wanted) - set(existing))
    if missing:
        raise ReplayError(f"{topic} has partitions {', '.join(map(str, sorted(existing)))}; no partition {missing}")
    return sorted(set(wanted))


def resolve_offsets(
    partition: int, low: int, high: int, from_offset: int | None, to_offset: int | None
) -> PartitionPlan:
    """An offset range against what the partition holds: clamped to [low, high), the part below the
    log start offset reported as gone."""
    start = low if from_offset is None else from_offset
    end = high if to_offset is None else min(to_offset + 1, high)
    gone = (start, min(end, low)) if start < low and min(end, low) > start else None
    start = max(start, low)
    return PartitionPlan(partition, start, max(end, start), low, high, gone)


def resolve_times(
    partition: int,
    low: int,
    high: int,
    start_at: int | None,
    end_at: int | None,
    from_ms: int | None,
    to_ms: int | None,
    first_retained_ms: int | None,
) -> PartitionPlan:
    """A time range, from what `offsets_for_times` said: `start_at` / `end_at` are the first offsets with
    a timestamp >= from / >= to (None: no record is that late). If the range starts before the oldest
    retained record and the log has lost records (low > 0), those records may have been in the range."""
    start = low if from_ms is None else (high if start_at is None else start_at)
    end = high if to_ms is None else (high if end_at is None else end_at)
    start, end = max(start, low), min(end, high)
    gone = None
    reaches_back = from_ms is None or first_retained_ms is None or from_ms < first_retained_ms
    if low > 0 and start == low and reaches_back:
        gone = (0, low)
    return PartitionPlan(partition, start, max(end, start), low, high, gone, gone_exact=False)


@dataclass(frozen=True)
class ReplayPlan:
    topic: str  # contract name
    full_topic: str  # with the deployment's prefix
    reader: str
    selection: Selection
    partitions: tuple[PartitionPlan, ...]

    @property
    def size(self) -> int:
        return sum(part.size for part in self.partitions)

    @property
    def gone(self) -> list[PartitionPlan]:
        return [part for part in self.partitions if part.gone is not None]


def gone_lines(plan: ReplayPlan, raw_retention_hours: int) -> list[str]:
    """What an operator must know about the part of the range that no longer exists."""
    lines = []
    for part in plan.gone:
        assert part.gone is not None
        first, last = part.gone[0], part.gone[1] - 1
        if part.gone_exact:
            lines.append(
                f"gone: {plan.full_topic}[{part.partition}] offsets {first}..{last} ({last - first + 1} records) "
                f"are below the log start offset {part.low}: deleted by retention, they cannot be replayed"
            )
        else:
            lines.append(
                f"gone: {plan.full_topic}[{part.partition}] starts at offset {part.low} now; the records before it "
                "were deleted by retention and some may have been in the time range"
            )
    if lines and plan.topic == RAW:
        lines.append(
            f"{RAW} keeps records {raw_retention_hours} h (CALLSTREAM_RAW_RETENTION_HOURS; they hold card data). "
            f"For older calls replay {REDACTED} (7 days), which holds them redacted."
        )
    return lines


# --- the outcome -----------------------------------------------------------------------------------------


@dataclass
class ReplayResult:
    replay_id: str
    dry_run: bool
    read: int = 0  # records read in the range
    matched: int = 0  # selected (all, or the call's): replayed, or in a dry run would be
    produced: int = 0  # written back and acknowledged by the broker
    per_partition: dict[int, int] = field(default_factory=dict)  # partition -> matched
    sample_keys: list[str] = field(default_factory=list)
    more_keys: bool = False  # more distinct keys than the sample shows
    elapsed: float = 0.0

    def note(self, partition: int, key: bytes | None, sample: int = SAMPLE_KEYS) -> None:
        self.matched += 1
        self.per_partition[partition] = self.per_partition.get(partition, 0) + 1
        shown = (key or b"").decode("utf-8", errors="replace")[:80] or "(no key)"
        if shown in self.sample_keys:
            return
        if len(self.sample_keys) < sample:
            self.sample_keys.append(shown)
        else:
            self.more_keys = True


def summary_lines(plan: ReplayPlan, result: ReplayResult, raw_retention_hours: int = 24) -> list[str]:
    verb = "would replay" if result.dry_run else "replayed"
    selection = plan.selection
    lines = [f"{'dry run ' if result.dry_run else ''}{result.replay_id}: {plan.full_topic} -> {plan.reader}"]
    for part in plan.partitions:
        span = f"offsets {part.start}..{part.end - 1}" if part.size else "nothing in range"
        lines.append(f"  partition {part.partition}: {span} (log {part.low}..{part.high - 1 if part.high else 0}), "
                     f"{result.per_partition.get(part.partition, 0)} selected")  # fmt: skip
    only = f" of call {selection.call_id}" if selection.call_id else ""
    rate = result.read / result.elapsed if result.elapsed > 0 else 0.0
    lines.append(f"  read {result.read} records, {verb} {result.matched}{only}, in {result.elapsed:.1f} s "
                 f"({rate:,.0f} records/s)")  # fmt: skip
    if not result.dry_run:
        lines.append(f"  written back {result.produced} (acknowledged), headers {REPLAY_HEADER_NOTE}")
    if result.sample_keys:
        more = " ..." if result.more_keys else ""
        lines.append(f"  keys: {', '.join(result.sample_keys)}{more}")
    if result.dry_run:
        lines.append("  dry run: nothing was written")
    elif result.matched:
        lines.append(f"  find it in sink.results: replay_id = {result.replay_id}")
    lines.extend(gone_lines(plan, raw_retention_hours))
    return lines


REPLAY_HEADER_NOTE = "callstream.replay.{id,origin.topic,origin.partition,origin.offset}"


# --- progress --------------------------------------------------------------------------------------------


class Progress(Protocol):
    def __enter__(self) -> Progress: ...

    def __exit__(self, *_: object) -> None: ...

    def advance(self, count: int) -> None: ...


class NoProgress:
    def __enter__(self) -> NoProgress:
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


class RichProgress:
    """A bar over the offsets of the range (on stderr): done/total, records a second, time left."""

    def __init__(self, description: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichBar
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                return Text(f"{task.speed or 0:,.0f}/s")

        self._bar = RichBar(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
            TextColumn("eta"), TimeRemainingColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )  # fmt: skip
        self._task = self._bar.add_task(description, total=max(total, 1) if total else 0)

    def __enter__(self) -> RichProgress:
        self._bar.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._bar.stop()

    def advance(self, count: int) -> None:
        if count:
            self._bar.advance(self._task, count)


# --- the I/O ---------------------------------------------------------------------------------------------


def plan_replay(settings: Settings, consumer: Any, topic: str, selection: Selection) -> ReplayPlan:
    """Resolve the selection against the broker: partitions, watermarks, offsets for the times."""
    from callstream.kafkaio import offsets_for_time, read_one, topic_partitions, watermarks

    name = contract_name(settings, topic)
    reader = reader_of(name)
    full = settings.topic(name)
    existing = topic_partitions(consumer, full)
    if existing is None:
        raise ReplayError(f"topic {full} does not exist on {settings.bootstrap_servers}")
    partitions = select_partitions(existing, selection.partitions, full)
    marks = watermarks(consumer, full, partitions)
    if not selection.by_time:
        plans = [resolve_offsets(p, *marks[p], selection.from_offset, selection.to_offset) for p in partitions]
        return ReplayPlan(name, full, reader, selection, tuple(plans))
    from_ms = to_millis(selection.from_time) if selection.from_time else None
    to_ms = to_millis(selection.to_time) if selection.to_time else None
    starts = offsets_for_time(consumer, full, partitions, from_ms) if from_ms is not None else {}
    ends = offsets_for_time(consumer, full, partitions, to_ms) if to_ms is not None else {}
    plans = []
    for partition in partitions:
        low, high = marks[partition]
        first_ms = None
        if from_ms is not None and low > 0 and starts.get(partition) == low:  # does the range reach back further?
            first = read_one(consumer, full, partition, low)
            first_ms = first.timestamp_ms if first else None
        plans.append(
            resolve_times(partition, low, high, starts.get(partition), ends.get(partition), from_ms, to_ms, first_ms)
        )
    return ReplayPlan(name, full, reader, selection, tuple(plans))


def run_replay(
    settings: Settings,
    topic: str,
    selection: Selection,
    dry_run: bool = False,
    show_progress: bool = True,
    replay_id: str | None = None,
    idle_timeout: float = 30.0,
) -> tuple[ReplayPlan, ReplayResult]:
    """Plan, then read the range and (unless `dry_run`) write every selected record back, confirmed."""
    from callstream.kafkaio import ConfirmedProducer, range_consumer, read_ranges

    connection = settings.kafka_client_config()
    consumer = range_consumer(connection)
    try:
        plan = plan_replay(settings, consumer, topic, selection)
        result = ReplayResult(replay_id or new_replay_id("replay"), dry_run)
        producer = None if dry_run else ConfirmedProducer(connection)
        keep_timestamps = plan.topic == RAW  # the copy ages with the original: card data stays <= retention
        ranges: Mapping[int, tuple[int, int]] = {part.partition: (part.start, part.end) for part in plan.partitions}
        started = time.monotonic()
        bar: Progress = RichProgress(f"replay {plan.full_topic}", plan.size) if show_progress else NoProgress()
        positions = {part.partition: part.start for part in plan.partitions}
        with bar:
            for record in read_ranges(consumer, plan.full_topic, ranges, idle_timeout=idle_timeout):
                result.read += 1
                bar.advance(record.offset + 1 - positions[record.partition])  # offsets covered, gaps included
                positions[record.partition] = record.offset + 1
                if not selection.wants(record.key):
                    continue
                result.note(record.partition, record.key)
                if producer is not None:
                    headers = replay_headers(
                        record.headers, result.replay_id, record.topic, record.partition, record.offset
                    )
                    timestamp = record.timestamp_ms if keep_timestamps else None
                    producer.send(record.topic, record.key, record.value, record.partition, headers, timestamp)
            bar.advance(sum(part.end - positions[part.partition] for part in plan.partitions))
            if producer is not None:
                producer.flush()
                result.produced = producer.delivered
        result.elapsed = time.monotonic() - started
        return plan, result
    finally:
        consumer.close()
