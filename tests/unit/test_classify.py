"""The classifier's rules, one behaviour per test, under the default policy (and edited copies of it)."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from schemas.models import (
    CallEvent,
    EnrichedCall,
    EnrichmentStatus,
    HubSpotContext,
    Money,
    PaymentContext,
    RedactionReport,
    StripeContext,
    SuppressionFlags,
    TranscriptTurn,
    WorkflowAction,
)
from streams.classify import classify, no_action_reason, routes
from streams.policy import DEFAULT_POLICY_PATH, Policy, load_policy, parse_policy

POLICY = load_policy(None)
EMAIL = "ana@acme.example"


def policy_with(edit: Any) -> Policy:
    data = tomllib.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"), parse_float=Decimal)
    edit(data)
    return parse_policy(data, "edited.toml")


def make(
    *lines: str,
    agent: tuple[str, ...] = (),
    status: str | None = "completed",
    summary: str | None = None,
    stripe: StripeContext | None = None,
    hubspot: HubSpotContext | None = None,
    high_value: bool = False,
    read_out: bool = False,
    suppression: SuppressionFlags | None = None,
    analysis: dict[str, str] | None = None,
    counts: dict[str, int] | None = None,
    identity: tuple[str, float] | None = None,
    direction: str | None = None,
    **billing: Any,
) -> EnrichedCall:
    turns = [TranscriptTurn(speaker="agent", text=text) for text in agent]
    turns += [TranscriptTurn(speaker="user", text=text) for text in lines]
    call = CallEvent(
        call_id="call_t",
        event_type="call_ended",
        source_shape="flat",
        status=status,
        transcript=turns,
        summary=summary,
        billing=billing,
        initiated_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        recording_url="https://rec.example/call_t.wav",
        suppression=suppression or SuppressionFlags(),
        post_call_analysis=analysis or {},
        direction=direction,
    )
    return EnrichedCall(
        call=call,
        redaction=RedactionReport(redactor_version="t", payment_details_read_out=read_out, counts=counts or {}),
        stripe=stripe,
        hubspot=hubspot,
        high_value=high_value,
        enrichment=EnrichmentStatus(complete=True),
        identity_match=identity[0] if identity else None,
        identity_confidence=identity[1] if identity else None,
    )


def by_workflow(enriched: EnrichedCall, policy: Policy = POLICY) -> dict[str, WorkflowAction]:
    return {action.workflow: action for action in classify(enriched, policy)}


def verified(**fields: Any) -> StripeContext:
    return StripeContext(customer_id="cus_1", email=EMAIL, **fields)


def usd(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="USD")


# --- what the call is about ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "workflow"),
    [
        ("Can you send me the receipt for March?", "receipt_resend"),
        ("I don't recognise this charge.", "charge_dispute"),
        ("Could you resend invoice INV-1? I can't find it.", "invoice_resend"),
        ("My subscription renewal failed this morning.", "renewal_failed"),
        ("I'd like a refund for the duplicate payment.", "refund_approval"),
        ("We need to update the VAT number on our account.", "billing_correction"),
        ("I know it's overdue, I can pay it by Friday.", "collections_log"),
        ("Please update my email address.", "contact_sync"),
    ],
)
def test_each_workflow_is_found_from_the_callers_words(line: str, workflow: str) -> None:
    actions = by_workflow(make(line, email=EMAIL))
    assert workflow in actions
    assert set(actions) <= {workflow, "contact_sync"}


def test_a_call_can_need_several_workflows() -> None:
    actions = by_workflow(make("I never made this charge, I want to dispute it. And refund me please.", email=EMAIL))
    assert set(actions) == {"charge_dispute", "refund_approval"}


def test_intent_alone_classifies_and_names_its_source() -> None:
    [action] = classify(make(intent="Refund-Request"), POLICY)
    assert action.workflow == "refund_approval"
    assert "billing.intent=refund_request" in action.evidence
    assert action.confidence >= POLICY.classification.low_confidence


def test_negated_requests_do_not_count() -> None:
    actions = by_workflow(make("I'm not disputing anything, no need for a refund, just send me the receipt."))
    assert set(actions) == {"receipt_resend"}


def test_an_agents_offer_is_not_a_callers_request() -> None:
    actions = by_workflow(make("No thanks.", agent=("Would you like a refund for that month?",)))
    assert "refund_approval" not in actions


def test_stripe_context_corroborates_but_never_creates_a_workflow() -> None:
    weak = make("My card was declined.", email=EMAIL, stripe=verified())
    past_due = make("My card was declined.", email=EMAIL, stripe=verified(subscription_status="past_due"))
    assert by_workflow(weak)["renewal_failed"].review_required  # weak cue alone: low confidence
    boosted = by_workflow(past_due)["renewal_failed"]
    assert boosted.confidence > by_workflow(weak)["renewal_failed"].confidence
    assert "stripe.subscription_status=past_due" in boosted.evidence
    receipt_only = by_workflow(make("Send me the receipt please.", email=EMAIL, stripe=verified(open_disputes=2)))
    assert "charge_dispute" not in receipt_only and "renewal_failed" not in receipt_only


def test_evidence_names_fields_and_cues_never_values() -> None:
    enriched = make(
        "I was charged 120.50 dollars, refund it to ana@acme.example",
        email=EMAIL,
        amount=usd("120.50"),
        refund_reason="charged 120.50 twice",
        customer_name="Ana Lopez",
    )
    evidence = " ".join(e for action in classify(enriched, POLICY) for e in action.evidence)
    assert "billing.refund_reason" in evidence
    for value in ("120", "ana@", "acme.example", "Ana", "twice"):
        assert value not in evidence


# --- calls that need nothing, or a human ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["hangup", "no_answer", "voicemail", "busy"])
def test_unanswered_calls_yield_nothing_even_with_words(status: str) -> None:
    enriched = make("refund me", status=status, intent="refund")
    assert classify(enriched, POLICY) == []
    assert status in (no_action_reason(enriched, POLICY) or "")


def test_a_call_with_nothing_to_read_yields_nothing() -> None:
    enriched = make()
    assert classify(enriched, POLICY) == []
    assert no_action_reason(enriched, POLICY) == "no transcript, summary or analysis to classify"


def test_chit_chat_and_an_answered_question_yield_nothing_but_an_unhandled_request_goes_to_triage() -> None:
    chit_chat = make("What a lovely day, thanks for the help yesterday.")
    assert classify(chit_chat, POLICY) == []
    assert no_action_reason(chit_chat, POLICY) == "no workflow signal and no billing content"
    # A billing question the agent answered needs nobody.
    assert classify(make("How much does the enterprise plan cost?"), POLICY) == []
    [triage] = classify(make("I want to cancel my subscription at the end of the month."), POLICY)
    assert triage.action == "triage_unclassified_call" and routes(triage) == ["workflow.review"]
    assert triage.identity_match is None and triage.review_reasons
    # The previous default still exists: any call that talks about money goes to a human.
    billing_cues = policy_with(lambda d: d["triage"].update(mode="billing_cues"))
    [question] = classify(make("How much does the enterprise plan cost?"), billing_cues)
    assert question.workflow == "review"


def test_triage_mode_always_and_never() -> None:
    chit_chat = make("What a lovely day.")
    always = policy_with(lambda d: d["triage"].update(mode="always"))
    never = policy_with(lambda d: d["triage"].update(mode="never"))
    assert [a.action for a in classify(chit_chat, always)] == ["triage_unclassified_call"]
    assert classify(make("How much does the enterprise plan cost?"), never) == []


def test_an_unknown_intent_goes_to_triage() -> None:
    [action] = classify(make(intent="plan_upgrade"), POLICY)
    assert action.workflow == "review"
    assert classify(make(intent="plan_upgrade_question"), POLICY) == []  # a question the agent answered


# --- review rules -------------------------------------------------------------------------------------------


def test_receipt_goes_only_to_a_verified_email() -> None:
    line = "Please send me the receipt for last month."
    ok = by_workflow(make(line, email="ANA@acme.example ", stripe=verified()))["receipt_resend"]
    assert not ok.review_required and ok.status == "ready" and routes(ok) == ["workflow.receipt_resend"]
    differs = by_workflow(make(line, email="eve@evil.example", stripe=verified()))["receipt_resend"]
    assert differs.review_required and "differs from the email on file" in " ".join(differs.review_reasons)
    unknown = by_workflow(make(line, email=EMAIL))["receipt_resend"]
    assert unknown.review_required and routes(unknown) == ["workflow.receipt_resend", "workflow.review"]


def test_invoice_resend_needs_a_verified_email_and_an_invoice_number() -> None:
    line = "Could you resend the invoice? It never arrived."
    assert not by_workflow(make(line, email=EMAIL, stripe=verified(invoice_numbers=["INV-9"]), invoice_number="INV-9"))[
        "invoice_resend"
    ].review_required
    unknown = by_workflow(make(line, email=EMAIL, stripe=verified(invoice_numbers=["INV-8"]), invoice_number="INV-9"))
    assert any("not among the customer's Stripe invoices" in r for r in unknown["invoice_resend"].review_reasons)
    missing = by_workflow(make(line, email=EMAIL, stripe=verified()))["invoice_resend"]
    assert missing.review_reasons == ["no invoice number captured and none in Stripe: finance must find the invoice"]
    # Stripe knows the customer's latest invoice: finance need not look for it.
    latest = StripeContext(customer_id="cus_1", email=EMAIL, latest_invoice_id="in_1")
    assert not by_workflow(make(line, email=EMAIL, stripe=latest))["invoice_resend"].review_required


def test_dispute_always_opens_a_ticket_and_a_finance_review_with_a_slack_alert() -> None:
    dispute = by_workflow(make("I don't recognise this charge.", email=EMAIL, stripe=verified()))["charge_dispute"]
    assert routes(dispute) == ["workflow.charge_dispute", "workflow.review"]
    assert dispute.destination_object == "zendesk.ticket" and dispute.urgency == "urgent"
    assert "slack alert: dispute" in dispute.review_reasons
    no_slack = policy_with(lambda d: d["slack"].update(on_dispute=False))
    assert by_workflow(make("I don't recognise this charge."), no_slack)["charge_dispute"].urgency == "high"


def refund_call(amount: str | None = "49.00", **overrides: Any) -> EnrichedCall:
    payment = PaymentContext(id="pi_1", kind="payment_intent", status="succeeded", amount=usd("100.00"))
    options: dict[str, Any] = {
        "email": EMAIL,
        "amount": usd(amount) if amount else None,
        "payment_id": "pi_1",
        "stripe": verified(payment=payment),
    }
    options.update(overrides)
    return make("I'd like a refund for the duplicate charge.", **options)


# The FAQ's refund automation is opt-in (`automatic = true`): the default policy reviews every refund.
FAQ_REFUNDS = policy_with(lambda d: d["workflows"]["refund_approval"].update(automatic=True))


def test_by_default_every_refund_waits_for_finance_even_one_the_faq_would_automate() -> None:
    action = by_workflow(refund_call())["refund_approval"]
    assert action.review_required and "workflow.review" in routes(action)
    assert "policy: refund_approval is never automatic (changes money)" in action.review_reasons
    assert not by_workflow(refund_call(), FAQ_REFUNDS)["refund_approval"].review_required


def test_refund_is_automatic_only_below_threshold_verified_matching_charge_and_no_dispute() -> None:
    auto = by_workflow(refund_call(), FAQ_REFUNDS)["refund_approval"]
    assert not auto.review_required and auto.status == "approved_automatically"
    disputed_payment = PaymentContext(id="pi_1", kind="charge", status="succeeded", amount=usd("100"), disputed=True)
    cases = {
        "refund above the USD approval threshold": refund_call("300.00", stripe=verified(payment=PaymentContext(
            id="pi_1", kind="charge", status="succeeded", amount=usd("400.00")))),
        "email not verified": refund_call(email="other@x.example"),
        "no matching charge: payment id not captured": refund_call(payment_id=None),
        "no matching charge: Stripe has not confirmed the payment id": refund_call(stripe=verified()),
        "the refund is more than what is left of the charge": refund_call("150.00"),
        "the charge is disputed": refund_call(stripe=verified(payment=disputed_payment)),
    }  # fmt: skip
    for reason, enriched in cases.items():
        action = by_workflow(enriched, FAQ_REFUNDS)["refund_approval"]
        assert action.review_required, reason
        assert any(r.startswith(reason) for r in action.review_reasons), (reason, action.review_reasons)
    chf = by_workflow(refund_call(amount=None))
    assert "refund amount not captured" in chf["refund_approval"].review_reasons
    chf = by_workflow(make("Refund me please.", email=EMAIL, amount=Money(amount=Decimal("5"), currency="CHF")))
    assert "no approval threshold for CHF in the policy" in chf["refund_approval"].review_reasons


def test_a_dispute_in_the_same_call_stops_an_automatic_refund() -> None:
    enriched = refund_call()
    disputed = make(
        "I'd like a refund for the duplicate charge. I never authorised it.",
        email=EMAIL,
        amount=usd("49.00"),
        payment_id="pi_1",
        stripe=enriched.stripe,
    )
    assert "the charge is disputed" in by_workflow(disputed)["refund_approval"].review_reasons


def test_refund_threshold_comes_from_the_policy() -> None:
    strict = policy_with(lambda d: d["thresholds"].update(USD=Decimal("10")))
    action = by_workflow(refund_call(), strict)["refund_approval"]
    assert "refund above the USD approval threshold" in action.review_reasons
    assert action.urgency == "urgent" and "slack alert: amount above threshold" in action.review_reasons


def test_refunds_can_be_made_never_automatic() -> None:
    never = policy_with(lambda d: d["workflows"]["refund_approval"].update(automatic=False))
    assert (
        "policy: refund_approval is never automatic (changes money)"
        in by_workflow(refund_call(), never)["refund_approval"].review_reasons
    )


def test_a_contact_change_is_an_access_change_unless_it_only_corrects_the_callers_own_details() -> None:
    # Confidently matched customer (analysis e-mail equal to Stripe's): a corrected phone number or a
    # name's spelling runs without a human; a new billing recipient, another address, or a new
    # accounts-payable person changes who receives billing documents and goes to review.
    corrections = [
        "My phone number has changed, please update it on the account.",
        "My name is misspelled on the account, it is Katharine with a K.",
    ]
    for line in corrections:
        action = by_workflow(make(line, email=EMAIL, stripe=verified()))["contact_sync"]
        assert not action.review_required, (line, action.review_reasons)
    access = [
        "Please add our new accounts payable person as a billing recipient.",
        "Our bookkeeper left the company, replace the billing contact with her successor.",
        "Can you update the email address on the account to billing at acme dot example?",
    ]
    for line in access:
        action = by_workflow(make(line, email=EMAIL, stripe=verified()))["contact_sync"]
        assert action.review_required and "policy: contact_sync changes access" in action.review_reasons, line
    unmatched = by_workflow(make("My phone number has changed, please update it."))["contact_sync"]
    assert unmatched.review_required  # nobody matched: a human finds the customer first


def test_billing_correction_is_always_reviewed_and_keeps_tax_talk_out_of_the_note() -> None:
    enriched = make(
        "We need to update the VAT number on our invoices.",
        summary="Caller wants VAT number [VAT NUMBER] on invoices",
        email=EMAIL,
        stripe=verified(),
    )
    action = by_workflow(enriched)["billing_correction"]
    assert action.review_required and action.status == "pending_review"
    assert "VAT" not in action.summary


def test_card_details_read_out_flag_every_action_for_review() -> None:
    actions = classify(make("Send me the receipt please.", email=EMAIL, stripe=verified(), read_out=True), POLICY)
    assert {a.workflow for a in actions} == {"receipt_resend"}
    for action in actions:
        assert action.review_required and action.status == "pending_review"
        assert any("read out payment card details" in r for r in action.review_reasons)


def test_suppressed_sensitive_data_and_sensitive_requests_need_review() -> None:
    bank = make(
        "Send me the receipt please.", email=EMAIL, stripe=verified(), suppression=SuppressionFlags(bank_details=True)
    )
    assert by_workflow(bank)["receipt_resend"].review_required
    legal = make("Send me the receipt, my lawyer needs it.", email=EMAIL, stripe=verified())
    assert "sensitive request (legal)" in by_workflow(legal)["receipt_resend"].review_reasons
    access = make("Send me the receipt, and reset my password.", email=EMAIL, stripe=verified())
    assert "sensitive request (account_access)" in by_workflow(access)["receipt_resend"].review_reasons


def test_high_value_customers_need_review_and_a_failure_alerts_slack() -> None:
    renewal = "My subscription renewal failed."
    flagged = by_workflow(make(renewal, email=EMAIL, stripe=verified(), high_value=True))["renewal_failed"]
    assert "high-value customer" in flagged.review_reasons and flagged.urgency == "urgent"
    assert "enrichment.high_value" in flagged.evidence
    by_amount = by_workflow(make(renewal, email=EMAIL, stripe=verified(amount_due=usd("12000"))))["renewal_failed"]
    assert "high-value customer" in by_amount.review_reasons
    plain = by_workflow(make(renewal, email=EMAIL, stripe=verified()))["renewal_failed"]
    assert not plain.review_required and plain.urgency == "high"


def test_low_confidence_needs_review() -> None:
    action = by_workflow(make("My card payment bounced.", email=EMAIL, stripe=verified()))["renewal_failed"]
    assert action.confidence < POLICY.classification.low_confidence
    assert any(r.startswith("low-confidence classification") for r in action.review_reasons)
    lenient = policy_with(lambda d: d["classification"].update(low_confidence=Decimal("0.5")))
    assert not by_workflow(make("My card payment bounced.", email=EMAIL, stripe=verified()), lenient)[
        "renewal_failed"
    ].review_required


def test_an_unknown_customer_needs_review() -> None:
    action = by_workflow(make("My subscription renewal failed."))["renewal_failed"]
    reason = "customer not identified (no Stripe or HubSpot record matches the call's identifiers)"
    assert reason in action.review_reasons


def test_collections_note_holds_promise_deadline_and_owner() -> None:
    enriched = make(
        "I can pay it by Friday.",
        agent=("I'm calling about the overdue balance.",),
        email=EMAIL,
        stripe=verified(),
        promised_next_step="pay the overdue balance",
        follow_up_deadline=date(2026, 11, 28),
        finance_owner="collections-team",
    )
    action = by_workflow(enriched)["collections_log"]
    assert not action.review_required and action.owner == "collections-team"
    assert "customer promised: pay the overdue balance" in action.summary
    assert "deadline: 2026-11-28" in action.summary
    # A promise to pay changes nothing: logged without review, deadline from the policy.
    without_deadline = make("I can pay it by Friday.", email=EMAIL, stripe=verified(), promised_next_step="pay")
    assert not by_workflow(without_deadline)["collections_log"].review_required
    # Asking for new terms is a commitment finance must agree to.
    plan = make("Can we set up a payment plan? I will pay the first part by Friday.", email=EMAIL, stripe=verified())
    assert any(r.startswith("commitments") for r in by_workflow(plan)["collections_log"].review_reasons)


def test_contact_sync_is_a_contact_change_the_call_asks_for() -> None:
    # Finding the Altoviz contact is a step of every Altoviz action, not a workflow of its own.
    assert "contact_sync" not in by_workflow(make("Send me the receipt please.", email=EMAIL, stripe=verified()))
    assert "contact_sync" in by_workflow(make("Please update my email address.", email=EMAIL))
    assert "contact_sync" in by_workflow(make("Can you add our new accounts payable contact as a billing recipient?"))
    assert "contact_sync" in by_workflow(make("Hi.", analysis={"new_billing_email": "ap@acme.example"}))
    # A policy may still ask for the old behaviour: find-or-create beside the workflows it names.
    old = policy_with(lambda d: d["workflows"]["contact_sync"].update(triggered_by=["receipt_resend"]))
    assert "contact_sync" in by_workflow(make("Send me the receipt please.", email=EMAIL), old)


# --- what the action carries ---------------------------------------------------------------------------------


def test_owner_comes_from_the_call_then_the_region_then_the_team() -> None:
    line = "I don't recognise this charge."
    assert by_workflow(make(line, finance_owner="jo@finance"))["charge_dispute"].owner == "jo@finance"
    assert by_workflow(make(line, tax_region="eu-de"))["charge_dispute"].owner == "finance-disputes-eu"
    assert by_workflow(make(line, tax_region="UK"))["charge_dispute"].owner == "finance-disputes-uk"
    assert by_workflow(make(line, tax_region="US-CA"))["charge_dispute"].owner == "finance-disputes"
    ignore_call = policy_with(lambda d: d["owners"].update(accept_owner_from_call=False))
    assert by_workflow(make(line, finance_owner="jo", tax_region="UK"), ignore_call)["charge_dispute"].owner == (
        "finance-disputes-uk"
    )


def test_record_url_follows_the_workflows_preference_and_never_the_recording() -> None:
    enriched = make(
        "I don't recognise this charge.",
        stripe=verified(payment_platform_url="https://dashboard.stripe.com/customers/cus_1"),
        hubspot=HubSpotContext(contact_id="h1", crm_url="https://app.hubspot.com/h1"),
        transcript_url="https://app.dialnexa.example/t/1",
    )
    actions = by_workflow(enriched)
    assert actions["charge_dispute"].record_url == "https://dashboard.stripe.com/customers/cus_1"
    bare = by_workflow(make("I don't recognise this charge."))["charge_dispute"]
    assert bare.record_url is None


def test_billing_note_has_summary_call_id_links_owner_next_step_and_deadline() -> None:
    enriched = make(
        "I don't recognise this charge.",
        summary="Caller disputes a charge on the March invoice.",
        transcript_url="https://app.dialnexa.example/t/1",
    )
    action = by_workflow(enriched)["charge_dispute"]
    lines = action.summary.splitlines()
    assert lines[0] == "charge dispute: Caller disputes a charge on the March invoice."
    assert "call id: call_t" in lines and f"owner: {action.owner}" in lines
    assert f"next step: {action.next_step}" in lines
    assert "deadline: 2026-11-22" in lines  # the call's date + follow_up_days (2)
    assert "transcript: https://app.dialnexa.example/t/1" in lines
    assert "recording: https://rec.example/call_t.wav" in lines


def test_action_fields_come_from_the_policy_mapping() -> None:
    renamed = policy_with(
        lambda d: d["workflows"]["charge_dispute"].update(destination_object="altoviz.note", next_step="call back")
    )
    action = by_workflow(make("I don't recognise this charge."), renamed)["charge_dispute"]
    assert action.destination_object == "altoviz.note" and action.next_step == "call back"
    assert action.idempotency_key == "call_t:charge_dispute:open_dispute_ticket"
