"""The pure parts of `callstream replay`: lineage headers, time parsing, what may be replayed, and the
resolution of offset and time ranges against what a partition still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from callstream.replay import (
    PartitionPlan,
    ReplayError,
    ReplayPlan,
    ReplayResult,
    Selection,
    contract_name,
    gone_lines,
    parse_time,
    reader_of,
    resolve_offsets,
    resolve_times,
    select_partitions,
    summary_lines,
)
from callstream.settings import Settings
from streams.lineage import (
    ORIGIN_OFFSET,
    REDRIVE_ATTEMPTS,
    REDRIVE_LETTER,
    REPLAY_ID,
    Lineage,
    lineage_headers,
    new_replay_id,
    parse_lineage,
    replay_headers,
)

NOW = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


# --- lineage headers -------------------------------------------------------------------------------------


def test_replay_headers_keep_foreign_headers_and_replace_earlier_lineage() -> None:
    earlier = replay_headers([("traceparent", b"00-abc")], "replay-old", "t.calls.redacted", 0, 5)
    headers = replay_headers(earlier, "replay-new", "t.calls.redacted", 1, 9)
    assert ("traceparent", b"00-abc") in headers
    assert [value for name, value in headers if name == REPLAY_ID] == [b"replay-new"]
    lineage = parse_lineage(headers)
    assert lineage == Lineage("replay-new", "t.calls.redacted", 1, 9, attempts=0, letter=None)
    assert lineage.replayed and lineage.failed_attempt() == 1


def test_redrive_headers_carry_the_attempts_and_the_letter() -> None:
    headers = replay_headers(None, "redrive-x", "t.workflow.refund_approval", 2, 40, attempts=2, letter="1:17")
    lineage = parse_lineage(dict(headers))  # Faust hands headers out as a dict
    assert lineage.attempts == 2 and lineage.letter == "1:17"
    assert lineage.failed_attempt() == 3
    assert lineage.model_fields() == {
        "replay_id": "redrive-x", "replay_origin_topic": "t.workflow.refund_approval",
        "replay_origin_partition": 2, "replay_origin_offset": 40,
    }  # fmt: skip


def test_malformed_lineage_headers_are_ignored_never_an_error() -> None:
    headers = [
        (REPLAY_ID, b"\xff\xfe"),  # not UTF-8
        (ORIGIN_OFFSET, b"-3"),
        (REDRIVE_ATTEMPTS, b"lots"),
        (REDRIVE_LETTER, b"x" * 10_000),  # far longer than ours
        ("unrelated", b"kept out"),
    ]
    assert parse_lineage(headers) == Lineage()
    assert lineage_headers(headers) == {ORIGIN_OFFSET: b"-3", REDRIVE_ATTEMPTS: b"lots"}
    assert parse_lineage(None) == Lineage() and not Lineage().replayed


def test_only_lineage_headers_are_carried_onto_outputs() -> None:
    headers = {REPLAY_ID: b"replay-1", "content-type": b"avro", REDRIVE_ATTEMPTS: b"1"}
    assert lineage_headers(headers) == {REPLAY_ID: b"replay-1", REDRIVE_ATTEMPTS: b"1"}


def test_replay_ids_sort_by_time_and_are_unique() -> None:
    first = new_replay_id("replay", NOW)
    assert first.startswith("replay-20261203T180000Z-")
    assert new_replay_id("replay", NOW) != first
    assert new_replay_id("redrive", NOW + timedelta(seconds=1)) > new_replay_id("redrive", NOW)


# --- time -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03T17:00:00Z", datetime(2026, 12, 3, 17, 0, tzinfo=UTC)),
        ("2026-12-03T18:30:00+01:00", datetime(2026, 12, 3, 17, 30, tzinfo=UTC)),
        ("2026-12-03T17:00", datetime(2026, 12, 3, 17, 0, tzinfo=UTC)),  # no zone: UTC
        ("2026-12-03", datetime(2026, 12, 3, tzinfo=UTC)),
        ("90m", NOW - timedelta(minutes=90)),
        ("2h", NOW - timedelta(hours=2)),
        ("1.5d", NOW - timedelta(hours=36)),
        (" 7d ", NOW - timedelta(days=7)),
    ],
)
def test_times_are_iso_8601_or_a_duration_ago(text: str, expected: datetime) -> None:
    assert parse_time(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday", "2h ago", "12/03/2026", "", "-2h"])
def test_other_times_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ReplayError, match=r"ISO 8601.*duration ago"):
        parse_time(text, NOW, option="--from-time")


# --- what may be replayed -------------------------------------------------------------------------------


def test_every_topic_a_stage_reads_may_be_replayed() -> None:
    assert reader_of("dialnexa.calls.raw") == "the redact stage"
    assert reader_of("calls.redacted") == "the enrich stage"
    assert reader_of("calls.enriched") == "the classify stage"
    assert reader_of("workflow.refund_approval") == "the sink agents of workflow.refund_approval"
    assert reader_of("workflow.review") == "the sink agents of workflow.review"
    assert "enrichment tables" in reader_of("stripe.events")


@pytest.mark.parametrize(
    ("topic", "why"),
    [
        ("sink.results", "audit trail"),
        ("calls.deadletter", "dlq redrive"),
        ("enrich.calls-by-email", "replay calls.redacted instead"),
        ("calls.deadletter.redrives", "no stage reads it"),
        ("calls.bogus", "not a pipeline topic"),
    ],
)
def test_topics_no_stage_reads_are_refused_with_what_to_do(topic: str, why: str) -> None:
    with pytest.raises(ReplayError, match=why):
        reader_of(topic)


def test_topic_names_with_or_without_the_deployment_prefix() -> None:
    settings = Settings(topic_prefix="staging.", _env_file=None)
    assert contract_name(settings, "staging.calls.redacted") == "calls.redacted"
    assert contract_name(settings, "calls.redacted") == "calls.redacted"


# --- selections -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from_offset": 1, "from_time": NOW}, "not both"),
        ({"from_offset": -1}, "0 or more"),
        ({"from_offset": 9, "to_offset": 3}, "after --to-offset"),
        ({"from_time": NOW, "to_time": NOW}, "before --to-time"),
        ({"partitions": (-1,)}, "partition number"),
        ({"call_id": " "}, "must not be empty"),
    ],
)
def test_contradictory_selections_are_refused(fields: dict, message: str) -> None:
    with pytest.raises(ReplayError, match=message):
        Selection(**fields)


def test_a_call_id_selects_by_record_key() -> None:
    assert Selection(call_id="call_1").wants(b"call_1")
    assert not Selection(call_id="call_1").wants(b"call_10")
    assert not Selection(call_id="call_1").wants(None)
    assert Selection().wants(None)


def test_partitions_all_or_those_that_exist() -> None:
    assert select_partitions([0, 1, 2], None, "t") == [0, 1, 2]
    assert select_partitions([0, 1, 2], [2, 0, 2], "t") == [0, 2]
    with pytest.raises(ReplayError, match="no partition \\[5\\]"):
        select_partitions([0, 1, 2], [5], "t")


# --- offset ranges --------------------------------------------------------------------------------------


def test_an_offset_range_is_inclusive_and_bounded_by_the_end_when_the_replay_starts() -> None:
    plan = resolve_offsets(0, low=0, high=100, from_offset=10, to_offset=19)
    assert (plan.start, plan.end, plan.size, plan.gone) == (10, 20, 10, None)
    assert resolve_offsets(0, 0, 100, None, None) == PartitionPlan(0, 0, 100, 0, 100)
    assert resolve_offsets(0, 0, 100, 90, 500).end == 100  # never chases records appended meanwhile
    assert resolve_offsets(0, 0, 100, 150, None).size == 0


def test_offsets_below_the_log_start_are_reported_gone_and_the_rest_replayed() -> None:
    plan = resolve_offsets(1, low=40, high=100, from_offset=10, to_offset=59)
    assert plan.gone == (10, 40) and (plan.start, plan.end) == (40, 60)
    entirely = resolve_offsets(1, low=40, high=100, from_offset=0, to_offset=9)
    assert entirely.gone == (0, 10) and entirely.size == 0
    assert resolve_offsets(1, low=40, high=100, from_offset=40, to_offset=59).gone is None


# --- time ranges ----------------------------------------------------------------------------------------


def test_a_time_range_from_offsets_for_times() -> None:
    # First offset at/after from = 30, at/after to = 70: records 30..69.
    plan = resolve_times(0, low=0, high=100, start_at=30, end_at=70, from_ms=1, to_ms=2, first_retained_ms=None)
    assert (plan.start, plan.end, plan.gone) == (30, 70, None)
    # No record at or after `to`: to the end; no record at or after `from`: nothing.
    assert resolve_times(0, 0, 100, 30, None, 1, 2, None).end == 100
    assert resolve_times(0, 0, 100, None, None, 1, 2, None).size == 0
    assert resolve_times(0, 0, 100, None, None, None, None, None) == PartitionPlan(0, 0, 100, 0, 100, gone_exact=False)


def test_a_time_range_reaching_before_the_oldest_retained_record_says_records_are_gone() -> None:
    # Log starts at 40 (records 0..39 deleted); the range starts before the oldest retained record.
    reaching = resolve_times(0, low=40, high=100, start_at=40, end_at=None, from_ms=1_000, to_ms=None,
                             first_retained_ms=5_000)  # fmt: skip
    assert reaching.gone == (0, 40) and not reaching.gone_exact and reaching.start == 40
    # Starting at the oldest retained record exactly: nothing before it was in range.
    exact = resolve_times(0, low=40, high=100, start_at=40, end_at=None, from_ms=5_000, to_ms=None,
                          first_retained_ms=5_000)  # fmt: skip
    assert exact.gone is None
    # Starting later than the log start: nothing gone.
    assert resolve_times(0, 40, 100, 60, None, 9_000, None, None).gone is None
    # Nothing ever deleted: nothing gone, however early the range starts.
    assert resolve_times(0, 0, 100, 0, None, 1, None, 5_000).gone is None


# --- what the operator reads ----------------------------------------------------------------------------


def _plan(topic: str, *parts: PartitionPlan, selection: Selection | None = None) -> ReplayPlan:
    return ReplayPlan(topic, f"p.{topic}", reader_of(topic), selection or Selection(), parts)


def test_gone_raw_records_are_explained_with_the_retention_and_what_to_replay_instead() -> None:
    plan = _plan("dialnexa.calls.raw", resolve_offsets(0, 40, 100, 10, 59), resolve_offsets(1, 0, 50, 10, 59))
    lines = gone_lines(plan, raw_retention_hours=24)
    assert lines[0] == (
        "gone: p.dialnexa.calls.raw[0] offsets 10..39 (30 records) are below the log start offset 40: "
        "deleted by retention, they cannot be replayed"
    )
    assert "CALLSTREAM_RAW_RETENTION_HOURS" in lines[1] and "replay calls.redacted" in lines[1]
    assert len(lines) == 2
    assert gone_lines(_plan("calls.redacted", resolve_offsets(0, 0, 9, None, None)), 24) == []


def test_the_summary_counts_names_the_replay_and_samples_keys() -> None:
    plan = _plan("workflow.refund_approval", resolve_offsets(0, 0, 4, None, None), resolve_offsets(1, 0, 0, None, None))
    result = ReplayResult("replay-20261203T180000Z-abcdef", dry_run=False, read=4, produced=3, elapsed=2.0)
    for key in (b"call_1", b"call_2", b"call_2"):
        result.note(0, key, sample=1)
    text = "\n".join(summary_lines(plan, result))
    assert "replay-20261203T180000Z-abcdef: p.workflow.refund_approval -> the sink agents" in text
    assert "partition 0: offsets 0..3 (log 0..3), 3 selected" in text
    assert "partition 1: nothing in range" in text
    assert "read 4 records, replayed 3, in 2.0 s (2 records/s)" in text
    assert "keys: call_1 ..." in text and "replay_id = replay-20261203T180000Z-abcdef" in text

    dry = ReplayResult("replay-x", dry_run=True, read=4)
    dry.note(0, b"call_9")
    dry_text = "\n".join(summary_lines(plan, dry))
    assert dry_text.startswith("dry run replay-x") and "would replay 1" in dry_text
    assert "nothing was written" in dry_text and "written back" not in dry_text
