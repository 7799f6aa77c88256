"""`callstream dlq`: list, show and redrive the dead letters of `calls.deadletter`.

A redrive sends each selected dead letter back to the stage that failed it: produced into the topic
that stage reads (the letter's source topic), on the source partition, with the source key, plus
lineage headers (streams/lineage.py) naming the redrive, the origin and how often the input had
failed. Where the input comes from:

- a letter of a later stage carries its input (already redacted data) as `payload`: that is sent;
- a raw-stage letter never carries the raw bytes (they may hold card data; at most a best-effort
  redacted copy, which is never re-published): the record is read again from the raw topic at its
  recorded source offset while the topic still retains it, and is reported as gone once retention
  deleted it;
- a letter without a payload (an unexpected error, a payload too large to keep) is read again from
  its source offset the same way.

Loops cannot happen: a redriven input that fails again comes back as a new letter with `attempt`
one higher (the stages read the headers), a letter whose attempt reached `--max-attempts` is not
redriven again (`exhausted`), each letter is redriven at most once (the redrive is recorded on
`calls.deadletter.redrives`), and a run only looks at the letters that existed when it started.
Vendors are never written twice by a redrive: the sinks' ledger and the vendors' idempotency keys
(call id + workflow + action) hold for redriven records as for replayed ones.

Pure functions (filters, the redrive decision, rendering) first; the I/O after them.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from callstream.settings import Settings
from schemas.models import DeadLetter
from streams.lineage import new_replay_id, replay_headers
from streams.topics import DEADLETTER, DEADLETTER_REDRIVES, RAW

OPEN = "open"
REDRIVEN = "redriven"
EXHAUSTED = "exhausted"
GONE = "gone"
NOT_REDRIVABLE = "not redrivable"
STATUSES = (OPEN, REDRIVEN, EXHAUSTED, GONE, NOT_REDRIVABLE)
RAW_STAGES = frozenset({"redact"})  # the stage that reads the raw topic
EXIT_GONE = 3  # some selected letters could not be redriven because their input is gone


@dataclass(frozen=True)
class StoredLetter:
    """A dead letter and where it is on `calls.deadletter`; `id` is `<partition>:<offset>`."""

    partition: int
    offset: int
    key: bytes | None
    letter: DeadLetter

    @property
    def id(self) -> str:
        return f"{self.partition}:{self.offset}"


@dataclass(frozen=True)
class Redrive:
    """One record of `calls.deadletter.redrives`: this letter was sent back, by which run, to where."""

    letter: str
    redrive_id: str
    at: str
    topic: str
    partition: int
    offset: int
    source: str  # payload | origin

    def encode(self) -> bytes:
        return json.dumps(self.__dict__, sort_keys=True).encode()

    @classmethod
    def decode(cls, value: bytes | None) -> Redrive | None:
        try:
            data = json.loads(value or b"")
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (ValueError, TypeError, KeyError):
            return None  # not one of ours: ignored, like a malformed header


class DlqError(ValueError):
    """A dead-letter command that cannot run as asked."""


# --- selection -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterFilter:
    """`stage` is a shell pattern (`sink_*`), `reason` a case-insensitive substring, times on the
    letter's `at` (from inclusive, to exclusive), `call_id` exact."""

    stage: str | None = None
    reason: str | None = None
    from_time: datetime | None = None
    to_time: datetime | None = None
    call_id: str | None = None
    status: str | None = None

    def __post_init__(self) -> None:
        if self.from_time is not None and self.to_time is not None and self.from_time >= self.to_time:
            raise DlqError("--from-time must be before --to-time")
        if self.status is not None and self.status not in STATUSES:
            raise DlqError(f"--status must be one of: {', '.join(STATUSES)}")

    def matches(self, letter: DeadLetter) -> bool:
        if self.stage is not None and not fnmatch.fnmatchcase(letter.stage, self.stage):
            return False
        if self.reason is not None and self.reason.casefold() not in letter.reason.casefold():
            return False
        if self.from_time is not None and letter.at < self.from_time:
            return False
        if self.to_time is not None and letter.at >= self.to_time:
            return False
        return self.call_id is None or letter.call_id == self.call_id


# --- what a redrive does with one letter ----------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    status: str
    source: str | None  # "payload": send the letter's payload; "origin": read the source offset; None: skip
    detail: str


def is_raw_stage(letter: DeadLetter, raw_topic: str) -> bool:
    """A failure reading the raw topic: its input may hold card data, so its payload is never sent."""
    return letter.source_topic == raw_topic or letter.stage in RAW_STAGES


def retained(offset: int, marks: tuple[int, int] | None) -> bool:
    return marks is not None and marks[0] <= offset < marks[1]


def decide(
    stored: StoredLetter,
    redrive: Redrive | None,
    raw_topic: str,
    source_marks: tuple[int, int] | None,
    max_attempts: int,
    raw_retention_hours: int = 24,
) -> Decision:
    """What a redrive does with a letter, in order: already redriven, cannot be (never stored),
    exhausted (the max-attempts rule), then where its input comes from, or that it is gone.
    `source_marks`: (log start offset, high watermark) of the source partition; None if it does not exist."""
    letter = stored.letter
    where = f"{letter.source_topic}[{letter.source_partition}] offset {letter.source_offset}"
    if redrive is not None:
        return Decision(REDRIVEN, None, f"redriven by {redrive.redrive_id} at {redrive.at} "
                                        f"to {redrive.topic}[{redrive.partition}] offset {redrive.offset}")  # fmt: skip
    if letter.source_partition < 0 or letter.source_offset < 0:
        return Decision(NOT_REDRIVABLE, None, f"never stored on {letter.source_topic} (stage {letter.stage}): "
                                              "nothing to send back; the producer must send it again")  # fmt: skip
    if letter.attempt >= max_attempts:
        return Decision(EXHAUSTED, None, f"failed {letter.attempt} times (max attempts {max_attempts}): fix the "
                                         f"cause, then redrive with --max-attempts {letter.attempt + 1}")  # fmt: skip
    if is_raw_stage(letter, raw_topic):
        if retained(letter.source_offset, source_marks):
            return Decision(OPEN, "origin", f"re-read from {where} (a raw letter's payload is never re-published)")
        return Decision(GONE, None, f"the raw record at {where} is gone: {raw_topic} keeps records "
                                    f"{raw_retention_hours} h (card data) and this one was deleted; "
                                    "the call must be sent again by its producer")  # fmt: skip
    if letter.payload is not None:
        return Decision(OPEN, "payload", f"the letter's payload ({len(letter.payload)} bytes)")
    if retained(letter.source_offset, source_marks):
        return Decision(OPEN, "origin", f"re-read from {where} (the letter has no payload)")
    return Decision(GONE, None, f"no payload in the letter and {where} was deleted by retention")


Decided = tuple[StoredLetter, Decision]


def with_status(filter_: LetterFilter, decisions: Iterable[Decided]) -> list[Decided]:
    return [(s, d) for s, d in decisions if filter_.status is None or d.status == filter_.status]


# --- rendering -------------------------------------------------------------------------------------------


def letter_row(stored: StoredLetter, decision: Decision) -> dict[str, Any]:
    """One letter for `--json` and the table. Never the payload: its size and whether it is redacted."""
    letter = stored.letter
    return {
        "id": stored.id,
        "at": letter.at.astimezone(UTC).isoformat(),
        "call_id": letter.call_id,
        "stage": letter.stage,
        "reason": letter.reason,
        "error_type": letter.error_type,
        "source": {"topic": letter.source_topic, "partition": letter.source_partition, "offset": letter.source_offset},
        "attempt": letter.attempt,
        "redrive_of": letter.redrive_of,
        "replay_id": letter.replay_id,
        "payload_bytes": len(letter.payload) if letter.payload is not None else None,
        "payload_redacted": letter.payload_redacted,
        "status": decision.status,
        "status_detail": decision.detail,
    }


def render_table(rows: Sequence[dict[str, Any]], width: int | None = None) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for column in ("id", "at", "stage", "call id", "attempt", "status", "reason"):
        table.add_column(column, overflow="fold" if column == "reason" else "ellipsis", no_wrap=column != "reason")
    for row in rows:
        table.add_row(row["id"], row["at"][:19].replace("T", " "), row["stage"], row["call_id"] or "-",
                      str(row["attempt"]), row["status"], row["reason"])  # fmt: skip
    console = Console(width=width or 160, record=True, file=_Discard())
    console.print(table)
    console.print(f"{len(rows)} dead letter{'s' if len(rows) != 1 else ''}")
    return console.export_text()


def render_details(rows: Sequence[dict[str, Any]]) -> str:
    if not rows:
        return "no dead letters"
    blocks = []
    for row in rows:
        source = row["source"]
        payload = "none" if row["payload_bytes"] is None else f"{row['payload_bytes']} bytes"
        if row["payload_redacted"]:
            payload += " (a best-effort redacted copy of a raw record: never shown, never re-published)"
        again = f" (redrive of {row['redrive_of']} failed again)" if row["redrive_of"] else ""
        lines = [
            f"dead letter {row['id']} ({row['status']})",
            f"  call id     {row['call_id'] or '-'}",
            f"  at          {row['at']}",
            f"  stage       {row['stage']}",
            f"  reason      {row['reason']}",
            f"  error type  {row['error_type']}",
            f"  source      {source['topic']}[{source['partition']}] offset {source['offset']}",
            f"  attempt     {row['attempt']}{again}",
            f"  payload     {payload}",
            f"  redrive     {row['status_detail']}",
        ]  # fmt: skip
        if row["replay_id"]:
            lines.insert(8, f"  replay      {row['replay_id']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class _Discard:
    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


@dataclass
class RedriveOutcome:
    redrive_id: str
    dry_run: bool
    items: list[tuple[StoredLetter, Decision, str]] = field(default_factory=list)  # letter, decision, target

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _stored, decision, _target in self.items:
            if decision.source:
                key = "would redrive" if self.dry_run else "redriven"
            else:
                key = "already redriven" if decision.status == REDRIVEN else decision.status
            counts[key] = counts.get(key, 0) + 1
        return counts

    @property
    def any_gone(self) -> bool:
        return any(decision.status == GONE for _s, decision, _t in self.items)

    def lines(self) -> list[str]:
        verb = "would redrive" if self.dry_run else "redriven"
        lines = [f"{'dry run ' if self.dry_run else ''}{self.redrive_id}: {len(self.items)} dead letters selected"]
        for stored, decision, target in self.items:
            letter = stored.letter
            what = f"{stored.id} {letter.stage} {letter.call_id or '-'}"
            if decision.source:
                lines.append(f"  {verb:<13} {what} -> {target}: {decision.detail}")
            else:
                lines.append(f"  {'skipped':<13} {what}: {decision.status}: {decision.detail}")
        summary = ", ".join(f"{count} {status}" for status, count in sorted(self.counts().items()))
        lines.append(f"  {summary or 'nothing to do'}")
        if not self.dry_run and any(d.source for _s, d, _t in self.items):
            lines.append(f"  find them in sink.results and calls.deadletter: replay_id = {self.redrive_id}")
        return lines


# --- the I/O ---------------------------------------------------------------------------------------------


@dataclass
class DeadLetters:
    letters: list[StoredLetter]
    redrives: dict[str, Redrive]
    undecodable: int = 0


def read_dead_letters(settings: Settings, consumer: Any, idle_timeout: float = 30.0) -> DeadLetters:
    """Every letter on calls.deadletter now (up to the high watermarks at the start) and every
    recorded redrive."""
    from callstream.kafkaio import read_ranges, topic_partitions, watermarks
    from schemas.codecs import UndecodableMessage, build_codecs

    codec = build_codecs(settings).deadletter
    topic = settings.topic(DEADLETTER)
    partitions = topic_partitions(consumer, topic)
    if partitions is None:
        raise DlqError(f"topic {topic} does not exist on {settings.bootstrap_servers}")
    ranges = watermarks(consumer, topic, partitions)
    found = DeadLetters([], {})
    for record in read_ranges(consumer, topic, ranges, idle_timeout=idle_timeout):
        try:
            letter = codec.decode(record.value or b"")
        except UndecodableMessage:
            found.undecodable += 1
            continue
        found.letters.append(StoredLetter(record.partition, record.offset, record.key, letter))
    redrives_topic = settings.topic(DEADLETTER_REDRIVES)
    partitions = topic_partitions(consumer, redrives_topic)
    if partitions:  # absent on a deployment that never redrove: nothing redriven
        ranges = watermarks(consumer, redrives_topic, partitions)
        for record in read_ranges(consumer, redrives_topic, ranges, idle_timeout=idle_timeout):
            redrive = Redrive.decode(record.value)
            if redrive is not None:
                found.redrives[redrive.letter] = redrive  # the latest per letter, as compaction keeps
    found.letters.sort(key=lambda stored: (stored.letter.at, stored.partition, stored.offset))
    return found


def decisions_for(
    settings: Settings, consumer: Any, found: DeadLetters, filter_: LetterFilter, max_attempts: int
) -> list[tuple[StoredLetter, Decision]]:
    """The selected letters with what a redrive would do; source watermarks asked once per partition."""
    from callstream.kafkaio import KafkaIOError, watermarks

    marks: dict[tuple[str, int], tuple[int, int] | None] = {}
    raw_topic = settings.topic(RAW)
    decided = []
    for stored in found.letters:
        if not filter_.matches(stored.letter):
            continue
        letter = stored.letter
        where = (letter.source_topic, letter.source_partition)
        if where not in marks and letter.source_partition >= 0:
            try:
                marks[where] = watermarks(consumer, letter.source_topic, [letter.source_partition])[
                    letter.source_partition
                ]
            except KafkaIOError:
                marks[where] = None  # the topic or partition no longer exists
        decision = decide(
            stored, found.redrives.get(stored.id), raw_topic, marks.get(where), max_attempts,
            settings.raw_retention_hours,
        )  # fmt: skip
        decided.append((stored, decision))
    return with_status(filter_, decided)


def list_letters(settings: Settings, filter_: LetterFilter, max_attempts: int) -> tuple[list[dict[str, Any]], int]:
    """(rows, undecodable records) for `dlq list` and `dlq show`."""
    from callstream.kafkaio import range_consumer

    consumer = range_consumer(settings.kafka_client_config())
    try:
        found = read_dead_letters(settings, consumer)
        rows = [letter_row(s, d) for s, d in decisions_for(settings, consumer, found, filter_, max_attempts)]
        return rows, found.undecodable
    finally:
        consumer.close()


def redrive(
    settings: Settings,
    filter_: LetterFilter,
    max_attempts: int,
    dry_run: bool = False,
    redrive_id: str | None = None,
) -> RedriveOutcome:
    """Send every selected open letter back to its stage (see the module doc); record each redrive."""
    from callstream.kafkaio import ConfirmedProducer, range_consumer, read_one
    from streams.topics import ensure_topics

    connection = settings.kafka_client_config()
    consumer = range_consumer(connection)
    outcome = RedriveOutcome(redrive_id or new_replay_id("redrive"), dry_run)
    try:
        found = read_dead_letters(settings, consumer)
        decided = decisions_for(settings, consumer, found, filter_, max_attempts)
        producer = None if dry_run else ConfirmedProducer(connection)
        sent: list[tuple[int, StoredLetter, Decision]] = []
        raw_topic = settings.topic(RAW)
        for stored, decision in decided:
            letter = stored.letter
            target = f"{letter.source_topic}[{letter.source_partition}]"
            if decision.source is None:
                outcome.items.append((stored, decision, target))
                continue
            key, value, headers, timestamp = stored.key, letter.payload, None, None
            if decision.source == "origin":
                record = read_one(consumer, letter.source_topic, letter.source_partition, letter.source_offset)
                if record is None:
                    decision = Decision(GONE, None, f"{target} offset {letter.source_offset} is no longer there")
                elif stored.key is not None and record.key != stored.key:
                    decision = Decision(GONE, None, f"{target} offset {letter.source_offset} holds another call's "
                                                    "record (was the topic re-created?)")  # fmt: skip
                else:
                    key, value, headers = record.key, record.value, record.headers
                    # A raw copy ages with the original: the card data it may hold is deleted on time.
                    timestamp = record.timestamp_ms if letter.source_topic == raw_topic else None
                if decision.source is None:
                    outcome.items.append((stored, decision, target))
                    continue
            outcome.items.append((stored, decision, target))
            if producer is not None:
                lineage = replay_headers(
                    headers, outcome.redrive_id, letter.source_topic, letter.source_partition, letter.source_offset,
                    attempts=letter.attempt, letter=stored.id,
                )  # fmt: skip
                number = producer.send(letter.source_topic, key, value, letter.source_partition, lineage, timestamp)
                sent.append((number, stored, decision))
        if producer is None or not sent:
            return outcome
        producer.flush()  # every redriven record acknowledged before it is recorded as redriven
        ensure_topics(settings, names=[DEADLETTER_REDRIVES])
        at = datetime.now(UTC).isoformat(timespec="seconds")
        marks = ConfirmedProducer(connection)
        targets: dict[str, str] = {}
        for number, stored, decision in sent:
            topic, partition, offset = producer.offsets[number]
            targets[stored.id] = f"{topic}[{partition}] offset {offset}"
            record = Redrive(stored.id, outcome.redrive_id, at, topic, partition, offset, decision.source or "")
            marks.send(settings.topic(DEADLETTER_REDRIVES), stored.id.encode(), record.encode(), None, [])
        marks.flush()
        outcome.items = [(s, d, targets.get(s.id, t)) for s, d, t in outcome.items]
        return outcome
    finally:
        consumer.close()

