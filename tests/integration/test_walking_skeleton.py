"""A call through every stage on the real broker, with a real worker process."""

from __future__ import annotations

import json

import pytest

from callstream.kafkaio import produce, read_topics
from callstream.settings import Settings
from sinks.outbox import read_outbox
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration

CARD = "4111 1111 1111 1111"


def refund_call(call_id: str) -> bytes:
    return json.dumps(
        {
            "event_type": "call_ended",
            "payload": {
                "call": {
                    "id": call_id,
                    "status": "completed",
                    "from_number": "14155550101",
                    "transcript": f"User: I want a refund of the duplicate charge, my card is {CARD}.\nAgent: Noted.",
                    "post_call_analysis": {"email": "ana@acme.example", "amount": "49.00", "intent": "refund_approval"},
                }
            },
        }
    ).encode()


STRIPE_CUSTOMER = {
    "id": "evt_1",
    "created": 1763600000,
    "type": "customer.created",
    "data": {"object": {"object": "customer", "id": "cus_ana", "email": "ana@acme.example", "name": "Ana"}},
}


def test_call_reaches_every_stage_and_is_written_once(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    start_worker()
    produce(
        settings.bootstrap_servers,
        settings.topic("stripe.events"),
        [(b"cus_ana", json.dumps(STRIPE_CUSTOMER).encode())],
    )
    # Different topics have no order between them: wait until the table's changelog holds the customer.
    changelog = f"{settings.group_id}-email_directory-changelog"
    assert read_topics(settings.bootstrap_servers, [changelog], until=lambda records: len(records) >= 1, timeout=60)
    produce(
        settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), [(b"call_e2e_1", refund_call("call_e2e_1"))]
    )

    topics = ["calls.redacted", "calls.enriched", "workflow.refund_approval", "workflow.review", "sink.results"]
    values = read_until(settings, topics, until=lambda v: len(v["sink.results"]) >= 2)

    [redacted] = values["calls.redacted"]
    transcript = " ".join(turn.text for turn in redacted.call.transcript)
    assert "1111 1111 1111 1111" not in transcript and "4111" not in transcript.replace("****1111", "")
    assert "[CARD ****1111]" in transcript
    assert redacted.redaction.counts == {"card_number": 1}
    assert redacted.call.suppression.card_numbers

    [enriched] = values["calls.enriched"]
    assert enriched.stripe is not None and enriched.stripe.customer_id == "cus_ana"

    [action] = values["workflow.refund_approval"]
    assert action.call_id == "call_e2e_1" and action.review_required
    # Finding the caller's Altoviz contact is a step of an Altoviz action, not a contact_sync of its own.
    assert {a.workflow for a in values["workflow.review"]} == {"refund_approval"}

    writes = list(read_outbox(settings.outbox_path))
    # Review rows are the Sheets review queue; a refund also gets a customer-facing Zendesk ticket.
    assert sorted((w.workflow, w.sink) for w in writes) == [
        ("refund_approval", "sheets"),
        ("refund_approval", "zendesk"),
    ]
    assert all(CARD not in json.dumps(w.body) for w in writes)

    # The same call again (a redelivery or replay): new sink results say so, the outbox does not grow.
    produce(
        settings.bootstrap_servers, settings.topic("dialnexa.calls.raw"), [(b"call_e2e_1", refund_call("call_e2e_1"))]
    )
    values = read_until(settings, ["sink.results"], until=lambda v: len(v["sink.results"]) >= 4)
    outcomes = sorted(result.outcome for result in values["sink.results"])
    assert outcomes == ["already_written"] * 2 + ["written"] * 2
    assert len(list(read_outbox(settings.outbox_path))) == 2


def test_malformed_message_is_dead_lettered_and_worker_keeps_going(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    worker = start_worker()
    raw = settings.topic("dialnexa.calls.raw")
    produce(
        settings.bootstrap_servers,
        raw,
        [(b"call_bad_1", b'{"event_type": "call_ended", "payload": {"call": {"id": "call_bad_1", "transcript": '),
         (b"call_bad_2", b"\xff\xfe not utf-8"),
         (b"call_good_1", refund_call("call_good_1"))],
    )  # fmt: skip
    values = read_until(
        settings,
        ["calls.deadletter", "calls.redacted"],
        until=lambda v: len(v["calls.deadletter"]) >= 2 and len(v["calls.redacted"]) >= 1,
    )
    letters = {letter.call_id: letter for letter in values["calls.deadletter"]}
    assert letters["call_bad_1"].reason.startswith("malformed JSON")
    assert letters["call_bad_2"].reason.startswith("payload is not valid UTF-8")
    assert all(letter.payload is None and letter.source_topic == raw for letter in letters.values())
    assert [r.call.call_id for r in values["calls.redacted"]] == ["call_good_1"]
    assert worker.running()
