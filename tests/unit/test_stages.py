"""Redaction, enrichment, classification and the outbox, without Kafka."""

from __future__ import annotations

from pathlib import Path

from schemas.models import (
    CallEvent,
    EnrichedCall,
    EnrichmentStatus,
    RedactionReport,
    StripeContext,
    TranscriptTurn,
    WorkflowAction,
)
from sinks.outbox import Outbox, read_outbox
from streams.classify import classify, load_policy, routes
from streams.normalise import normalise_call
from streams.redaction import redact_call

VISA = "4111111111111111"


def call_with(**fields: object) -> CallEvent:
    return CallEvent(call_id="call_1", event_type="call_ended", source_shape="flat", **fields)


def test_card_number_split_across_turns_is_redacted_in_every_turn() -> None:
    call = call_with(
        transcript=[
            TranscriptTurn(speaker="user", text="my card is 4111 1111"),
            TranscriptTurn(speaker="agent", text="go on"),
            TranscriptTurn(speaker="user", text="1111 1111 thanks"),
        ]
    )
    redacted = redact_call(call)
    assert [turn.text for turn in redacted.call.transcript] == ["my card is [CARD]", "go on", "[CARD ****1111] thanks"]
    assert redacted.redaction.counts == {"card_number": 1}
    assert redacted.redaction.payment_details_read_out
    assert redacted.call.suppression.card_numbers


def test_split_card_number_without_any_card_word_is_redacted() -> None:
    # The issue's own example: no "card" anywhere, just digits over three turns.
    turns = [("user", "4111 1111"), ("agent", "go on"), ("user", "1111 1111")]
    call = call_with(transcript=[TranscriptTurn(speaker=speaker, text=text) for speaker, text in turns])
    redacted = redact_call(call)
    assert "1111" not in " ".join(turn.text for turn in redacted.call.transcript).replace("****1111", "")


def test_secret_named_fields_are_dropped_and_other_strings_scanned() -> None:
    call = normalise_call(
        {
            "call_id": "call_2",
            "summary": f"caller gave {VISA} for the refund",
            "extracted_data": {"card_number": "not even digits", "cvv": "123", "email": "a@b.example"},
            "metadata": {"note": f"card {VISA[:4]}-{VISA[4:8]}-{VISA[8:12]}-{VISA[12:]}"},
        }
    )
    redacted = redact_call(call)
    assert "card_number" not in redacted.call.post_call_analysis
    assert "cvv" not in redacted.call.post_call_analysis
    assert sorted(redacted.redaction.dropped_fields) == ["post_call_analysis.card_number", "post_call_analysis.cvv"]
    assert VISA not in redacted.model_dump_json()
    assert redacted.call.summary == "caller gave [CARD ****1111] for the refund"
    assert redacted.call.metadata["note"] == "card [CARD ****1111]"
    assert redacted.call.suppression.card_numbers


def test_luhn_invalid_numbers_and_ids_are_kept() -> None:
    text = "order 4111111111111112 and invoice INV-2026-0042 and pi_3Q0demo"
    redacted = redact_call(call_with(summary=text))
    assert redacted.call.summary == text
    assert redacted.redaction.counts == {}


POLICY = load_policy(None)


def enriched(call: CallEvent, read_out: bool = False, stripe: StripeContext | None = None) -> EnrichedCall:
    report = RedactionReport(redactor_version="t", payment_details_read_out=read_out)
    return EnrichedCall(call=call, redaction=report, stripe=stripe, enrichment=EnrichmentStatus(complete=True))


def test_dispute_goes_to_its_workflow_and_review() -> None:
    call = call_with(
        transcript=[TranscriptTurn(speaker="user", text="I never made this charge, I want to dispute it")],
        billing={"email": "c@x.example"},
    )
    actions = {action.workflow: action for action in classify(enriched(call), POLICY)}
    assert set(actions) == {"charge_dispute"}  # finding the contact is a step of the action, not a workflow
    assert routes(actions["charge_dispute"]) == ["workflow.charge_dispute", "workflow.review"]
    assert actions["charge_dispute"].idempotency_key == "call_1:charge_dispute:open_dispute_ticket"


def test_read_out_payment_details_always_need_review() -> None:
    call = call_with(billing={"intent": "receipt_resend", "email": "c@x.example"})
    verified = StripeContext(customer_id="cus_1", email="c@x.example")
    assert not any(a.review_required for a in classify(enriched(call, stripe=verified), POLICY))
    assert all(a.review_required for a in classify(enriched(call, read_out=True, stripe=verified), POLICY))


def test_billing_call_without_a_workflow_goes_to_review_only_and_chit_chat_to_nothing() -> None:
    call = call_with(transcript=[TranscriptTurn(speaker="user", text="I want to change my billing cycle to annual")])
    [action] = classify(enriched(call), POLICY)
    assert routes(action) == ["workflow.review"]
    chit_chat = call_with(transcript=[TranscriptTurn(speaker="user", text="what a nice day")])
    assert classify(enriched(chit_chat), POLICY) == []


def test_outbox_writes_each_key_once(tmp_path: Path) -> None:
    action = WorkflowAction(
        idempotency_key="call_1:receipt_resend:send_receipt", call_id="call_1", workflow="receipt_resend",
        action="send_receipt", destination_object="altoviz.receipt", owner="billing", status="ready",
        urgency="normal", next_step="send", confidence=0.9,
    )  # fmt: skip
    outbox = Outbox(tmp_path / "o.sqlite3")
    assert outbox.write("altoviz", action) is True
    assert outbox.write("altoviz", action) is False
    assert outbox.write("review_queue", action) is True
    outbox.close()
    assert sorted(w.sink for w in read_outbox(tmp_path / "o.sqlite3")) == ["altoviz", "review_queue"]
