"""The pure parts of `callstream dlq`: filters, the redrive decision (the raw-stage rule, retention,
the max-attempts rule, at most once per letter), rendering; and how the stages carry lineage."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import fastavro
import pytest

from callstream.dlq import (
    EXHAUSTED,
    GONE,
    NOT_REDRIVABLE,
    OPEN,
    REDRIVEN,
    Decision,
    DlqError,
    LetterFilter,
    Redrive,
    RedriveOutcome,
    StoredLetter,
    decide,
    letter_row,
    render_details,
    render_table,
)
from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec, build_codecs, schema_fingerprint
from schemas.generate import AVRO_DIR
from schemas.models import DeadLetter, SinkResult
from streams.lineage import REDRIVE_ATTEMPTS, REDRIVE_LETTER, REPLAY_ID, replay_headers
from streams.stage import Pipeline, StageError

RAW = "t.dialnexa.calls.raw"
AT = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def stored(partition: int = 0, offset: int = 7, **fields: Any) -> StoredLetter:
    values: dict[str, Any] = {
        "call_id": "call_1", "stage": "enrich", "reason": "truncated or corrupt Avro RedactedCall body",
        "error_type": "StageError", "source_topic": "t.calls.redacted", "source_partition": 1, "source_offset": 40,
        "payload": b"input bytes", "at": AT,
    }  # fmt: skip
    values.update(fields)
    return StoredLetter(partition, offset, (values["call_id"] or "").encode() or None, DeadLetter(**values))


def redrive_of(letter: StoredLetter) -> Redrive:
    return Redrive(letter.id, "redrive-1", "2026-12-03T17:05:00+00:00", "t.calls.redacted", 1, 55, "payload")


# --- filters --------------------------------------------------------------------------------------------


def test_filters_by_stage_pattern_reason_time_and_call() -> None:
    letter = stored(stage="sink_refund_approval_sheets", reason="sheets append: HTTP 400").letter
    assert LetterFilter().matches(letter)
    assert LetterFilter(stage="sink_*").matches(letter)
    assert LetterFilter(stage="sink_refund_approval_sheets").matches(letter)
    assert not LetterFilter(stage="sink").matches(letter)  # a pattern, not a prefix
    assert LetterFilter(reason="http 400").matches(letter)
    assert not LetterFilter(reason="HTTP 500").matches(letter)
    assert LetterFilter(from_time=AT, to_time=AT + timedelta(seconds=1)).matches(letter)
    assert not LetterFilter(to_time=AT).matches(letter)  # to is exclusive
    assert not LetterFilter(from_time=AT + timedelta(seconds=1)).matches(letter)
    assert LetterFilter(call_id="call_1").matches(letter) and not LetterFilter(call_id="call_2").matches(letter)


def test_contradictory_filters_are_refused() -> None:
    with pytest.raises(DlqError, match="before --to-time"):
        LetterFilter(from_time=AT, to_time=AT)
    with pytest.raises(DlqError, match="--status must be one of"):
        LetterFilter(status="lost")


# --- the redrive decision -------------------------------------------------------------------------------


def test_a_later_stage_letter_is_redriven_with_its_payload() -> None:
    decision = decide(stored(), None, RAW, (0, 100), max_attempts=3)
    assert (decision.status, decision.source) == (OPEN, "payload")


def test_a_raw_stage_letter_is_never_redriven_from_its_payload() -> None:
    # Even with a (best-effort redacted) copy in the letter, the record is read again from the raw topic.
    raw = stored(stage="redact", source_topic=RAW, source_offset=12, payload=b"redacted copy", payload_redacted=True)
    decision = decide(raw, None, RAW, (0, 100), max_attempts=3)
    assert (decision.status, decision.source) == (OPEN, "origin") and "never re-published" in decision.detail
    # A letter of the redact stage counts as raw even if it named another topic.
    assert decide(stored(stage="redact"), None, RAW, (0, 100), 3).source == "origin"


def test_a_raw_stage_letter_whose_record_retention_deleted_is_gone() -> None:
    raw = stored(stage="redact", source_topic=RAW, source_offset=12, payload=None)
    decision = decide(raw, None, RAW, (13, 100), max_attempts=3, raw_retention_hours=24)
    assert decision.status == GONE and decision.source is None
    assert "keeps records 24 h" in decision.detail and "sent again by its producer" in decision.detail
    assert decide(raw, None, RAW, None, 3).status == GONE  # the partition no longer exists


def test_a_letter_without_payload_is_read_from_its_source_while_retained() -> None:
    letter = stored(payload=None, source_offset=40)
    assert decide(letter, None, RAW, (0, 100), 3).source == "origin"
    assert decide(letter, None, RAW, (41, 100), 3).status == GONE
    assert decide(letter, None, RAW, (0, 40), 3).status == GONE  # the offset is past the end: not there


def test_the_max_attempts_rule_stops_a_letter_that_keeps_failing() -> None:
    assert decide(stored(attempt=2), None, RAW, (0, 100), max_attempts=3).source == "payload"
    exhausted = decide(stored(attempt=3), None, RAW, (0, 100), max_attempts=3)
    assert exhausted.status == EXHAUSTED and "--max-attempts 4" in exhausted.detail
    assert decide(stored(attempt=3), None, RAW, (0, 100), max_attempts=4).source == "payload"


def test_a_letter_is_redriven_once_and_a_never_stored_one_not_at_all() -> None:
    letter = stored()
    decision = decide(letter, redrive_of(letter), RAW, (0, 100), 3)
    assert decision.status == REDRIVEN and decision.source is None and "redrive-1" in decision.detail
    webhook = stored(stage="webhook", source_topic=RAW, source_partition=-1, source_offset=-1, payload=None)
    assert decide(webhook, None, RAW, None, 3).status == NOT_REDRIVABLE


def test_redrive_records_round_trip_and_foreign_ones_are_ignored() -> None:
    record = redrive_of(stored())
    assert Redrive.decode(record.encode()) == record
    assert Redrive.decode(b"not json") is None and Redrive.decode(b'{"letter": "0:1"}') is None
    assert Redrive.decode(None) is None


# --- rendering ------------------------------------------------------------------------------------------


def test_rows_never_hold_the_payload() -> None:
    row = letter_row(stored(payload=b"caller said things"), Decision(OPEN, "payload", "its payload"))
    assert "caller said things" not in json.dumps(row)
    assert row["payload_bytes"] == len(b"caller said things") and row["status"] == OPEN
    assert row["source"] == {"topic": "t.calls.redacted", "partition": 1, "offset": 40}


def test_the_table_and_the_details_show_what_an_operator_acts_on() -> None:
    letter = stored(attempt=2, redrive_of="0:3", replay_id="redrive-1")
    row = letter_row(letter, decide(letter, None, RAW, (0, 100), 3))
    table = render_table([row])
    assert "0:7" in table and "call_1" in table and "enrich" in table and "1 dead letter" in table
    details = render_details([row])
    assert "attempt     2 (redrive of 0:3 failed again)" in details
    assert "source      t.calls.redacted[1] offset 40" in details and "replay      redrive-1" in details
    assert render_details([]) == "no dead letters"


def test_the_redrive_summary_counts_each_outcome() -> None:
    outcome = RedriveOutcome("redrive-2", dry_run=False)
    first, second, third = stored(offset=1), stored(offset=2), stored(offset=3, attempt=3)
    outcome.items = [
        (first, Decision(OPEN, "payload", "the letter's payload (3 bytes)"), "t.calls.redacted[1] offset 57"),
        (second, decide(second, redrive_of(second), RAW, (0, 100), 3), "t.calls.redacted[1]"),
        (third, decide(third, None, RAW, (0, 100), 3), "t.calls.redacted[1]"),
    ]
    lines = outcome.lines()
    assert lines[0] == "redrive-2: 3 dead letters selected"
    assert lines[1] == (
        "  redriven      0:1 enrich call_1 -> t.calls.redacted[1] offset 57: the letter's payload (3 bytes)"
    )
    assert lines[-2] == "  1 already redriven, 1 exhausted, 1 redriven"
    assert not outcome.any_gone


# --- the stages carry lineage (no Kafka: Faust's topic and event shapes) --------------------------------


class Topic:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, key: bytes | None, value: bytes, headers: dict[str, bytes] | None = None) -> Any:
        self.sent.append({"key": key, "value": value, "headers": headers})
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done


def _pipeline() -> tuple[Pipeline, Topic, Topic]:
    out, deadletter = Topic(), Topic()
    topics = SimpleNamespace(deadletter=deadletter, redacted=out)
    pipeline = Pipeline(app=None, settings=Settings(_env_file=None), topics=topics, tables=None,  # type: ignore[arg-type]
                        codecs=build_codecs(), outbox=None, policy=None)  # type: ignore[arg-type]  # fmt: skip
    return pipeline, out, deadletter


def _event(headers: dict[str, bytes] | None) -> Any:
    message = SimpleNamespace(topic="t.calls.redacted", partition=1, offset=40)
    return SimpleNamespace(key=b"call_1", value=b"x", message=message, headers=headers or {})


def test_what_a_stage_sends_while_handling_a_replayed_record_carries_its_lineage() -> None:
    pipeline, out, _ = _pipeline()
    headers = dict(replay_headers([("traceparent", b"t")], "replay-7", "t.calls.redacted", 1, 40))

    async def handle(event: Any) -> None:
        await pipeline.send(out, event.key, b"output")  # type: ignore[arg-type]

    asyncio.run(pipeline.guarded(_event(headers), "enrich", handle))
    asyncio.run(pipeline.guarded(_event(None), "enrich", handle))
    carried, original = out.sent
    assert carried["headers"][REPLAY_ID] == b"replay-7" and "traceparent" not in carried["headers"]
    assert original["headers"] is None  # an original record's outputs stay as they were


def test_a_redriven_record_that_fails_again_comes_back_with_one_more_attempt() -> None:
    pipeline, _, deadletter = _pipeline()
    headers = dict(replay_headers(None, "redrive-3", "t.calls.redacted", 1, 40, attempts=2, letter="0:9"))

    async def fail(event: Any) -> None:
        raise StageError("still broken", payload=event.value)

    asyncio.run(pipeline.guarded(_event(headers), "enrich", fail))
    asyncio.run(pipeline.guarded(_event(None), "enrich", fail))
    again, first = (SingleObjectCodec(DeadLetter).decode(sent["value"]) for sent in deadletter.sent)
    assert (again.attempt, again.redrive_of, again.replay_id) == (3, "0:9", "redrive-3")
    assert again.replay_origin_topic == "t.calls.redacted" and again.replay_origin_offset == 40
    assert deadletter.sent[0]["headers"][REDRIVE_ATTEMPTS] == b"2"  # carried: the next failure counts on
    assert deadletter.sent[0]["headers"][REDRIVE_LETTER] == b"0:9"
    assert (first.attempt, first.redrive_of, first.replay_id) == (1, None, None)


# --- the schema change is FULL_TRANSITIVE ---------------------------------------------------------------


def _write(schema: dict[str, Any], record: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(schema), record)
    return buffer.getvalue()


def _read(data: bytes, writer: dict[str, Any], reader: dict[str, Any]) -> dict[str, Any]:
    return fastavro.schemaless_reader(io.BytesIO(data), fastavro.parse_schema(writer), fastavro.parse_schema(reader))


SAMPLES = {
    SinkResult: SinkResult(idempotency_key="c:w:a", call_id="c", workflow="w", action="a", sink="zendesk",
                           outcome="written", at=AT),
    DeadLetter: DeadLetter(call_id="c", stage="enrich", reason="r", error_type="E", source_topic="t",
                           source_partition=0, source_offset=1, at=AT),
}  # fmt: skip


@pytest.mark.parametrize("model", [SinkResult, DeadLetter], ids=lambda m: m.__name__)
def test_the_lineage_fields_keep_both_schema_versions_readable_both_ways(model: type) -> None:
    previous = json.loads((AVRO_DIR / "history" / f"{model.__name__}.v1.avsc").read_text())
    current = json.loads((AVRO_DIR / f"{model.__name__}.avsc").read_text())
    value = SAMPLES[model]
    old_names = {field["name"] for field in previous["fields"]}
    old_record = {k: v for k, v in value.model_dump(mode="python").items() if k in old_names}
    # A new reader meets an old record: the defaults (no replay, first attempt).
    upgraded = model.model_validate(_read(_write(previous, old_record), previous, current))
    assert upgraded == value and upgraded.replay_id is None
    # An old reader meets a new record of a replay: it reads what it knows.
    replay = value.model_copy(update={"replay_id": "replay-1", "replay_origin_offset": 9})
    assert _read(_write(current, replay.model_dump(mode="python")), current, previous) == old_record
    # And the shipped codec reads records written with the previous schema (schemas/avro/history).
    codec = build_codecs().sink_result if model is SinkResult else build_codecs().deadletter
    framed = b"\xc3\x01" + schema_fingerprint(previous) + _write(previous, old_record)
    assert codec.decode(framed) == value
