"""Context rules (issue 11): Stripe state creates or qualifies a workflow; identity confidence and
new terms in an outbound renewal call decide review. Pure function calls over real models."""

from __future__ import annotations

from schemas.models import StripeContext
from streams.classify import classify
from tests.unit.test_classify import EMAIL, POLICY, by_workflow, make

RECOVERY = "Hi, I'm calling from billing because the renewal payment for your subscription didn't go through."


def past_due() -> StripeContext:
    return StripeContext(customer_id="cus_1", email=EMAIL, subscription_status="past_due",
                         latest_invoice_status="open")  # fmt: skip


def test_an_outbound_recovery_call_recovered_by_a_card_update_needs_no_review() -> None:
    call = make("My card expired, I'll put the new one in through the link.", agent=(RECOVERY,), stripe=past_due(),
                direction="outbound", identity=("phone", 0.9))  # fmt: skip
    renewal = by_workflow(call)["renewal_failed"]
    assert not renewal.review_required, renewal.review_reasons


def test_new_terms_asked_for_in_a_renewal_call_are_a_commitment() -> None:
    for answer in ("We'd renew today if you can give us a discount on this year.",
                   "Can we pay it in two instalments instead?"):  # fmt: skip
        call = make(answer, agent=(RECOVERY,), stripe=past_due(), direction="outbound", identity=("phone", 0.9))
        renewal = by_workflow(call)["renewal_failed"]
        assert renewal.review_required and any("commitments" in r for r in renewal.review_reasons), answer


def test_a_symptom_with_a_past_due_subscription_is_a_failed_renewal_and_in_good_standing_nothing() -> None:
    for words in ("I'm locked out of the dashboard since this morning.", "Our account was suspended overnight.",
                  "I got an email saying the payment bounced."):  # fmt: skip
        assert set(by_workflow(make(words, stripe=past_due(), identity=("phone", 0.9)))) == {"renewal_failed"}, words
        active = StripeContext(customer_id="cus_1", email=EMAIL, subscription_status="active")
        assert classify(make(words, stripe=active, identity=("phone", 0.9)), POLICY) == [] or words.endswith(
            "bounced."), words


def test_a_match_by_conflicting_identifiers_sends_the_call_to_review() -> None:
    weak = POLICY.identity.ambiguous_confidence
    on_file = StripeContext(customer_id="cus_1", email=EMAIL)
    call = make("Please resend the receipt for my last payment.", stripe=on_file, identity=("phone", weak))
    receipt = by_workflow(call)["receipt_resend"]
    assert receipt.review_required and any("low-confidence customer match" in r for r in receipt.review_reasons)
    confident = make("Please resend the receipt for my last payment.",
                     stripe=StripeContext(customer_id="cus_1", email=EMAIL), identity=("phone", 0.9))  # fmt: skip
    assert not by_workflow(confident)["receipt_resend"].review_required
