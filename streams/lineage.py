"""Replay lineage: the headers `callstream replay` and `callstream dlq redrive` put on the records they
re-feed, read back by the stages, and carried onto everything a stage produces from such a record.

So a replayed `calls.redacted` record that ends as a Zendesk ticket says so in its `sink.results`
record (`replay_id`, origin topic/partition/offset), and a redriven record that fails again comes back
to `calls.deadletter` with its attempt count one higher (the redrive's max-attempts rule reads it).

Headers are set by anyone who can produce, so reading them never fails a stage: a malformed value is
ignored, as if the header were absent. Pure functions, no Kafka.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

REPLAY_ID = "callstream.replay.id"
ORIGIN_TOPIC = "callstream.replay.origin.topic"
ORIGIN_PARTITION = "callstream.replay.origin.partition"
ORIGIN_OFFSET = "callstream.replay.origin.offset"
# How many times the redriven input had failed before this redrive (the dead letter's attempt).
REDRIVE_ATTEMPTS = "callstream.redrive.attempts"
# "<partition>:<offset>" of the dead letter on calls.deadletter that this record redrives.
REDRIVE_LETTER = "callstream.redrive.letter"
LINEAGE_HEADERS: tuple[str, ...] = (
    REPLAY_ID, ORIGIN_TOPIC, ORIGIN_PARTITION, ORIGIN_OFFSET, REDRIVE_ATTEMPTS, REDRIVE_LETTER,
)  # fmt: skip
MAX_HEADER_VALUE = 512  # ours are short; anything longer is not ours and is not carried on

# Headers as Faust (a dict) and confluent-kafka (a list of pairs, or None) hand them out.
Headers = Mapping[str, Any] | Iterable[tuple[str, Any]] | None


@dataclass(frozen=True)
class Lineage:
    """What the headers of one record say about where it came from. All None: an original record."""

    replay_id: str | None = None
    origin_topic: str | None = None
    origin_partition: int | None = None
    origin_offset: int | None = None
    attempts: int = 0  # failures before this redrive: 0 for an original or a replayed record
    letter: str | None = None  # the dead letter this record redrives

    @property
    def replayed(self) -> bool:
        return self.replay_id is not None

    def failed_attempt(self) -> int:
        """The attempt count a dead letter of this record carries: one more than it had failed before."""
        return self.attempts + 1

    def model_fields(self) -> dict[str, Any]:
        """The lineage fields of `SinkResult` and `DeadLetter`."""
        return {
            "replay_id": self.replay_id,
            "replay_origin_topic": self.origin_topic,
            "replay_origin_partition": self.origin_partition,
            "replay_origin_offset": self.origin_offset,
        }


def new_replay_id(kind: str = "replay", now: datetime | None = None) -> str:
    """`replay-20261203T174501Z-3f9a1c`: sortable by time, unique per run, safe in a header and a log."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{kind}-{moment:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def _pairs(headers: Headers) -> list[tuple[str, Any]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return list(headers.items())
    return [(str(name), value) for name, value in headers]


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = value.encode()
    if not isinstance(value, bytes) or not value or len(value) > MAX_HEADER_VALUE:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _number(value: Any) -> int | None:
    text = _text(value)
    if text is None or not text.isdigit():
        return None
    return int(text)


def lineage_headers(headers: Headers) -> dict[str, bytes]:
    """Only the lineage headers of a record (well-formed ones), to carry onto what a stage produces."""
    carried: dict[str, bytes] = {}
    for name, value in _pairs(headers):
        if name in LINEAGE_HEADERS and _text(value) is not None:
            carried[name] = value.encode() if isinstance(value, str) else value
    return carried


def parse_lineage(headers: Headers) -> Lineage:
    values = lineage_headers(headers)
    return Lineage(
        replay_id=_text(values.get(REPLAY_ID)),
        origin_topic=_text(values.get(ORIGIN_TOPIC)),
        origin_partition=_number(values.get(ORIGIN_PARTITION)),
        origin_offset=_number(values.get(ORIGIN_OFFSET)),
        attempts=_number(values.get(REDRIVE_ATTEMPTS)) or 0,
        letter=_text(values.get(REDRIVE_LETTER)),
    )


def replay_headers(
    existing: Headers,
    replay_id: str,
    origin_topic: str,
    origin_partition: int,
    origin_offset: int,
    attempts: int = 0,
    letter: str | None = None,
) -> list[tuple[str, bytes]]:
    """The headers of a re-fed record: its own headers kept (tracing ids and the like), any earlier
    lineage replaced by this run's, so a replay of a replay names the record it actually re-fed."""
    kept = [(name, value) for name, value in _pairs(existing) if name not in LINEAGE_HEADERS]
    lineage = [
        (REPLAY_ID, replay_id.encode()),
        (ORIGIN_TOPIC, origin_topic.encode()),
        (ORIGIN_PARTITION, str(origin_partition).encode()),
        (ORIGIN_OFFSET, str(origin_offset).encode()),
    ]
    if attempts:
        lineage.append((REDRIVE_ATTEMPTS, str(attempts).encode()))
    if letter:
        lineage.append((REDRIVE_LETTER, letter.encode()))
    return kept + lineage
