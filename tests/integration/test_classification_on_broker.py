"""Issue 6 on the real broker: enriched calls in, the right workflow and review topics out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from callstream.kafkaio import produce
from callstream.settings import Settings
from schemas.codecs import build_codecs
from schemas.models import (
    BillingDetails,
    CallEvent,
    EnrichedCall,
    EnrichmentStatus,
    Money,
    RedactionReport,
    StripeContext,
    TranscriptTurn,
)
from tests.integration.helpers import read_until

pytestmark = pytest.mark.integration


def enriched(call_id: str, text: str, read_out: bool = False, **billing: object) -> EnrichedCall:
    call = CallEvent(
        call_id=call_id,
        event_type="call_ended",
        source_shape="flat",
        status="completed",
        transcript=[TranscriptTurn(speaker="user", text=text)],
        billing=BillingDetails(**billing),
    )
    stripe = StripeContext(customer_id="cus_1", email=str(billing.get("email"))) if billing.get("email") else None
    return EnrichedCall(
        call=call,
        redaction=RedactionReport(redactor_version="test", payment_details_read_out=read_out),
        stripe=stripe,
        enrichment=EnrichmentStatus(complete=True),
    )


CALLS = [
    enriched("c_dispute", "I never made this charge of 120 dollars, I want to dispute it", email="a@x.example",
             amount=Money(amount=Decimal("120"), currency="USD")),
    enriched("c_receipt", "Could you send me the receipt for my last payment please?", email="b@x.example"),
    enriched("c_card", "Refund it to my card, the number is [CARD ****4242]", read_out=True, email="c@x.example",
             amount=Money(amount=Decimal("15"), currency="USD")),
    enriched("c_chat", "Just calling to say thanks, have a nice day"),
]  # fmt: skip


def test_enriched_calls_are_routed_to_workflow_and_review_topics(pipeline_settings: Settings, start_worker) -> None:
    settings = pipeline_settings
    start_worker()
    codec = build_codecs().enriched
    produce(
        settings.bootstrap_servers,
        settings.topic("calls.enriched"),
        [(call.call.call_id.encode(), codec.encode(call)) for call in CALLS],
    )
    topics = ["workflow.charge_dispute", "workflow.receipt_resend", "workflow.refund_approval", "workflow.review",
              "sink.results"]  # fmt: skip
    values = read_until(
        settings,
        topics,
        until=lambda v: any(r.outcome == "no_action" for r in v["sink.results"]) and len(v["workflow.review"]) >= 2,
    )
    assert [a.call_id for a in values["workflow.charge_dispute"]] == ["c_dispute"]
    assert [a.call_id for a in values["workflow.receipt_resend"]] == ["c_receipt"]
    assert [a.call_id for a in values["workflow.refund_approval"]] == ["c_card"]
    in_review = {(a.call_id, a.workflow) for a in values["workflow.review"]}
    assert ("c_dispute", "charge_dispute") in in_review  # disputes always need a finance review
    assert ("c_card", "refund_approval") in in_review  # card read out: never automatic
    assert not any(call_id == "c_receipt" for call_id, _ in in_review)  # verified email: automatic
    card_action = next(a for a in values["workflow.review"] if a.call_id == "c_card")
    assert any("card" in reason or "payment details" in reason for reason in card_action.review_reasons)
    [no_action] = [r for r in values["sink.results"] if r.outcome == "no_action"]
    assert no_action.call_id == "c_chat" and no_action.detail
