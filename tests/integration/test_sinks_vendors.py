"""Issue 17 on the real broker, against the local vendor servers (their own process), counted there:
- Slack Web API: a connection dropped before Slack processed the post ends in exactly one message;
  a post applied but answered after the client timeout is not posted twice;
- Slack incoming webhook: the same faults end `unconfirmed` plus one review row each, never `written`;
- Altoviz: calls whose customer has no e-mail still get their note (Stripe id, phone, a Stripe
  customer Altoviz does not know yet); only the unresolvable goes to review, nothing dead-lettered;
- the review sheet's first row is the header, once, whatever is re-run."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from callstream.settings import Settings
from schemas.codecs import SingleObjectCodec
from schemas.models import SinkResult, WorkflowAction
from sinks.ledger import write_key
from sinks.sheets import HEADER, KEY_LABEL
from tests.fakes.actions import make_action
from tests.fakes.harness import (
    actual_writes,
    expected_writes,
    publish,
    read_to_end,
    seed_fakes,
    sink_settings,
    wait_for,
)
from tests.fakes.server import FakeVendorsProcess

pytestmark = pytest.mark.integration

SINK_RESULT = SingleObjectCodec(SinkResult)
# The first Slack post: the connection breaks before Slack processes it (nothing posted). The
# second: Slack posts it, then answers after the client's 2 s timeout.
SLACK_FAULTS = [
    {"vendor": "slack", "mode": "drop_before", "count": 1, "writes_only": True},
    {"vendor": "slack", "mode": "slow", "delay": 2.5, "count": 1, "writes_only": True},
]


def _alerts(count: int) -> list[WorkflowAction]:
    """Urgent billing corrections: a review row and a Slack alert each (no Altoviz, no Zendesk)."""
    return [make_action(f"call_s{i:03d}", "billing_correction", urgency="urgent") for i in range(count)]


def _results(settings: Settings) -> list[SinkResult]:
    records = read_to_end(settings, [settings.topic("sink.results")])
    return [SINK_RESULT.decode(record.value or b"") for record in records]


def _dead_letters(settings: Settings) -> list:
    return read_to_end(settings, [settings.topic("calls.deadletter")])  # fmt: skip


def test_slack_web_api_dropped_and_late_posts_end_in_exactly_one_message(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, "web_api")
        actions = _alerts(6)
        expected = expected_writes(actions)
        fakes.control("POST", "config", {"slack_posts_per_second": 1})  # Slack's 1/s per channel, with 429s
        fakes.control("POST", "faults", SLACK_FAULTS)
        start_worker(settings)
        publish(settings, actions)
        slack_keys = {write_key(a.idempotency_key, "slack") for a in actions}

        def slack_settled() -> bool:
            done = {r.idempotency_key for r in _results(settings) if r.sink == "slack"}
            return done >= slack_keys

        assert wait_for(lambda: set(actual_writes(fakes)) >= set(expected) and slack_settled(), timeout=90)
        time.sleep(3)  # a late duplicate would land now
        actual = actual_writes(fakes)
        assert actual == expected  # exactly one message per alert, one row each, one header
        results = [r for r in _results(settings) if r.sink == "slack"]
        outcomes = Counter(r.outcome for r in results)
        requests = fakes.control("GET", "requests")
        posts = sum(1 for vendor, kind, _t in requests if vendor == "slack" and kind == "write")
        history = sum(1 for vendor, kind, _t in requests if vendor == "slack" and kind == "read")
        print(f"web api: {len(actions)} alerts, outcomes {dict(outcomes)}, {posts} posts, {history} history reads")
        assert outcomes["unconfirmed"] == 0 and outcomes["failed"] == 0
        assert any("found in the channel history" in r.detail for r in results)  # the late one, not re-posted
        assert history >= 2  # one look after each lost answer
        assert _dead_letters(settings) == []
    finally:
        fakes.stop()


def test_slack_webhook_lost_answers_are_unconfirmed_with_a_review_row(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url, "webhook")
        actions = _alerts(6)
        fakes.control("POST", "faults", SLACK_FAULTS)
        start_worker(settings)
        publish(settings, actions)

        def settled() -> list[SinkResult]:
            results = _results(settings)
            slack = [r for r in results if r.sink == "slack"]
            reviews = [r for r in results if r.idempotency_key.endswith(":slack_unconfirmed:sheets")]
            return results if len(slack) >= len(actions) and len(reviews) >= 2 else []

        assert wait_for(lambda: bool(settled()), timeout=90)
        time.sleep(2)
        results = _results(settings)
        slack = {r.idempotency_key: r for r in results if r.sink == "slack"}
        unconfirmed = {key for key, r in slack.items() if r.outcome == "unconfirmed"}
        assert len(unconfirmed) == 2  # the dropped one and the late one: neither reported written
        assert all(slack[key].outcome == "written" for key in set(slack) - unconfirmed)
        assert not any(r.outcome == "written" and "unconfirmed" in r.detail for r in results)

        rows = fakes.control("GET", "sheet?sid=review-sheet&sheet=Review")
        assert rows[0] == list(HEADER)
        review_rows = {row[0]: row for row in rows[1:] if row[0].endswith(":slack_unconfirmed:sheets")}
        assert set(review_rows) == {f"{key.removesuffix(':slack')}:slack_unconfirmed:sheets" for key in unconfirmed}
        reason = HEADER.index("reason")
        assert all(row[reason].startswith("Slack post unconfirmed: check the channel") for row in review_rows.values())
        made = actual_writes(fakes)
        # One message exists for the late one (Slack applied it), none for the dropped one: a person checks.
        assert sorted(made.get(("slack.message", key), 0) for key in unconfirmed) == [0, 1]
        assert all(n == 1 for (kind, _key), n in made.items() if kind.startswith("sheets."))
        assert _dead_letters(settings) == []
    finally:
        fakes.stop()


def test_altoviz_notes_for_customers_without_email_and_header_once(
    pipeline_settings: Settings, start_worker, tmp_path: Path
) -> None:
    fakes = FakeVendorsProcess(tmp_path).start()
    try:
        settings = sink_settings(pipeline_settings, fakes.url)
        no_email = {"customer_email": None, "customer_phone": None}
        by_stripe = [make_action(f"call_p{i}", "collections_log", stripe_customer_id=f"cus_{i}", **no_email)
                     for i in range(3)]  # fmt: skip
        by_phone = [
            make_action(f"call_q{i}", "renewal_failed", **{**no_email, "customer_phone": f"+33 6 00 00 00 1{i}"})
            for i in range(3)
        ]
        new_stripe = make_action("call_r0", "charge_dispute", stripe_customer_id="cus_new", **no_email)
        nobody = make_action("call_u0", "collections_log", customer_name="Ana", **no_email)
        with_email = make_action("call_e0", "collections_log")
        seed_fakes(fakes, [with_email])
        fakes.control("POST", "seed", {"customers": [
            *({"id": 20 + i, "type": "Business", "internalId": f"cus_{i}"} for i in range(3)),
            *({"id": 30 + i, "type": "Consumer", "cellPhone": f"060000001{i}"} for i in range(3)),
        ]})  # fmt: skip
        actions = [*by_stripe, *by_phone, new_stripe, nobody, with_email]
        start_worker(settings)
        publish(settings, actions)
        notes = {write_key(a.idempotency_key, "altoviz") for a in actions if a is not nobody}
        review_key = f"{nobody.idempotency_key}:altoviz_needs_review:sheets"

        def done() -> bool:
            made = actual_writes(fakes)
            return all(made.get(("altoviz.note", key)) == 1 for key in notes) and ("sheets.row", review_key) in made

        assert wait_for(done, timeout=90)
        time.sleep(2)
        made = actual_writes(fakes)
        assert {key for (kind, key) in made if kind == "altoviz.note"} == notes
        assert all(n == 1 for n in made.values())
        assert {key for (kind, key) in made if kind == "altoviz.customer"} == {"cus_new"}  # created once (policy)
        results = {r.idempotency_key: r for r in _results(settings) if r.sink == "altoviz"}
        assert results[write_key(nobody.idempotency_key, "altoviz")].outcome == "needs_review"
        assert "internalId (Stripe customer id)" in results[write_key(by_stripe[0].idempotency_key, "altoviz")].detail
        assert "by phone" in results[write_key(by_phone[0].idempotency_key, "altoviz")].detail
        assert _dead_letters(settings) == []  # the unresolvable went to review, not the dead-letter topic

        rows = fakes.control("GET", "sheet?sid=review-sheet&sheet=Review")
        assert rows[0] == list(HEADER) and sum(1 for row in rows if row[0] == KEY_LABEL) == 1
        [row] = [row for row in rows if row[0] == review_key]
        assert "no customer" in row[HEADER.index("reason")]
    finally:
        fakes.stop()
