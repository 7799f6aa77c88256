"""The acceptance targets, over the whole labelled evaluation set (benchmarks/classification).

- accuracy >= 95 % (a call is right only when its set of workflows equals the label);
- 100 % of the actions the policy says need a human are routed to review. The oracle below restates
  the policy's review rules from the policy and the call alone, independently of the classifier's
  code, and runs under the default policy and a stricter edited one.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from decimal import Decimal

import pytest

from benchmarks.classification.corpus import TRIAGE, LabelledCall, build_eval_set
from benchmarks.classification.run import LABELS, evaluate
from schemas.models import EnrichedCall, WorkflowAction
from streams.classify import classify, routes
from streams.policy import DEFAULT_POLICY_PATH, Policy, load_policy, parse_policy

CALLS = build_eval_set()
DEFAULT = load_policy(None)


def faq_refunds_policy() -> Policy:
    """The FAQ's refund automation switched on (the default reviews every refund)."""
    data = tomllib.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"), parse_float=Decimal)
    data["workflows"]["refund_approval"]["automatic"] = True
    return parse_policy(data, "faq-refunds.toml")


FAQ_REFUNDS = faq_refunds_policy()


def strict_policy() -> Policy:
    data = tomllib.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"), parse_float=Decimal)
    data["thresholds"] = {"USD": Decimal("20"), "EUR": Decimal("20")}  # most refunds now above threshold
    data["workflows"]["receipt_resend"]["automatic"] = False
    data["classification"]["low_confidence"] = Decimal("0.9")
    return parse_policy(data, "strict.toml")


def test_the_set_is_large_and_covers_every_label_and_kind_of_call() -> None:
    assert len(CALLS) >= 200
    labels = Counter(label for call in CALLS for label in call.expected)
    assert all(labels[label] >= 10 for label in LABELS), labels
    kinds = Counter(call.kind for call in CALLS)
    assert {"single", "mixed", "ambiguous", "triage", "no_action"} <= set(kinds)
    assert sum(1 for call in CALLS if not call.expected) >= 10
    assert sum(1 for call in CALLS if len(call.expected - {"contact_sync"}) >= 2) >= 20


def test_accuracy_is_at_least_95_percent() -> None:
    evaluation = evaluate(CALLS, DEFAULT)
    assert evaluation.accuracy >= 0.95, evaluation.errors


def _verified(enriched: EnrichedCall) -> bool:
    """A document goes only to an email on file: the address asked for (delivery field), else the
    caller's own, else the on-file one, must be one Stripe or HubSpot has for the customer."""
    on_file = {e.strip().lower() for e in (enriched.stripe.email if enriched.stripe else None,
                                           enriched.hubspot.email if enriched.hubspot else None) if e}  # fmt: skip
    analysis = {k.lower(): v for k, v in enriched.call.post_call_analysis.items()}
    asked = next((analysis[k] for k in ("send_to", "delivery_email", "deliver_to") if analysis.get(k)), None)
    target = asked or enriched.call.billing.email or (sorted(on_file)[0] if on_file else None)
    return bool(target and target.strip().lower() in on_file)


def _own_detail_correction(enriched: EnrichedCall) -> bool:
    """Restated: the caller only corrects their own phone or name, says nothing of e-mails, recipients or
    new people, and the customer is known by a confident match."""
    said = " ".join(t.text.lower() for t in enriched.call.transcript if t.speaker.lower() not in ("agent", "assistant"))
    said += " " + (enriched.call.summary or "").lower()
    access_words = ("mail", "recipient", "payable", "add", "new contact", "new customer", "set us up", "replac",
                    "someone", "colleague", "left the company")  # fmt: skip
    known = (enriched.stripe and enriched.stripe.customer_id) or (enriched.hubspot and enriched.hubspot.contact_id)
    confident = enriched.identity_confidence is None or enriched.identity_confidence >= 0.8
    keys = {k.lower() for k in enriched.call.post_call_analysis}
    return bool(
        known and confident and not keys & {"new_contact_email", "new_email", "new_billing_email"}
        and not any(w in said for w in access_words) and any(w in said for w in ("phone", "number", "name", "spell"))
    )


def required_review(call: LabelledCall, action: WorkflowAction, policy: Policy) -> list[str]:
    """Which of the policy's rules say this action needs a human (restated, not imported)."""
    enriched, workflow = call.enriched, action.workflow
    billing, stripe = enriched.call.billing, enriched.stripe
    rules = []
    if workflow == TRIAGE:
        return ["unclassified"]
    spec = policy.workflows[workflow]
    if not spec.automatic:
        rules.append("never automatic")
    if enriched.redaction.payment_details_read_out:
        rules.append("card details read out")
    if any(getattr(enriched.call.suppression, kind) for kind in policy.review.suppressed_data_needs_review):
        rules.append("sensitive data")
    tier = (enriched.hubspot.properties if enriched.hubspot else {}).get("account_tier", "")
    contract = (enriched.hubspot.properties if enriched.hubspot else {}).get("company.contract_value", "0")
    hubspot_high = tier.lower() == "enterprise" or Decimal(contract) >= 50000
    if (enriched.high_value or hubspot_high) and workflow in policy.review.high_value_workflows:
        rules.append("high value")
    if enriched.identity_confidence is not None and enriched.identity_confidence < policy.identity.low_confidence:
        rules.append("low-confidence match")
    if any(kind in enriched.redaction.counts for kind in ("vat_number", "us_ein", "uk_utr")):
        rules.append("tax identifier")
    if action.confidence < policy.classification.low_confidence:
        rules.append("low confidence")
    if workflow in ("receipt_resend", "invoice_resend") and not _verified(enriched):
        rules.append("unverified email")
    if workflow == "refund_approval":
        amount, payment = billing.amount, stripe.payment if stripe else None
        threshold = policy.thresholds.get(amount.currency) if amount else None
        if amount is None or threshold is None or amount.amount > threshold:
            rules.append("refund not below threshold")
        if not _verified(enriched):
            rules.append("refund unverified")
        if not billing.payment_id or payment is None or payment.id != billing.payment_id:
            rules.append("refund without matching charge")
        if (stripe and stripe.open_disputes) or (payment and payment.disputed) or "charge_dispute" in call.expected:
            rules.append("refund with dispute")
    if workflow == "contact_sync" and not _own_detail_correction(enriched):
        rules.append("contact access change")
    known = (stripe and stripe.customer_id) or (enriched.hubspot and enriched.hubspot.contact_id)
    if workflow in policy.review.customer_required_workflows and not known:
        rules.append("customer unknown")
    return rules


# Each rule's own words in `review_reasons`: a rule that stops firing is caught even when another
# rule happens to send the same action to review.
REASON_FOR_RULE = {
    "never automatic": ("is never automatic",),
    "card details read out": ("read out payment card details",),
    "sensitive data": ("sensitive data was suppressed",),
    "high value": ("high-value customer",),
    "low confidence": ("low-confidence classification",),
    "unverified email": ("email not verified",),
    "refund not below threshold": ("refund above the", "no approval threshold", "refund amount not captured"),
    "refund unverified": ("email not verified",),
    "refund without matching charge": ("no matching charge",),
    "refund with dispute": ("the charge is disputed",),
    "customer unknown": ("customer not identified",),
    "low-confidence match": ("low-confidence customer match",),
    "tax identifier": ("tax identifier read out",),
    "unclassified": ("no workflow matched",),
    "contact access change": ("contact_sync changes access", "customer not identified"),
}


@pytest.mark.parametrize(
    "policy", [DEFAULT, strict_policy(), FAQ_REFUNDS], ids=["default", "strict", "faq-refunds"]
)
def test_every_action_the_policy_says_needs_a_human_is_routed_to_review(policy: Policy) -> None:
    exercised: Counter[str] = Counter()
    for call in CALLS:
        for action in classify(call.enriched, policy):
            rules = required_review(call, action, policy)
            exercised.update(rules)
            if rules:
                assert action.review_required, (call.case_id, action.workflow, rules)
                assert "workflow.review" in routes(action), (call.case_id, action.workflow)
                assert action.status == policy.review.status
            for rule in rules:
                words = REASON_FOR_RULE[rule]
                assert any(w in r for w in words for r in action.review_reasons), (call.case_id, rule, action)
    # The oracle is only as good as the cases it saw: every rule must have fired on some action.
    for rule in REASON_FOR_RULE:
        if rule != "low confidence" or policy is not DEFAULT:  # the default set has no weak call by design
            assert exercised[rule] > 0, (rule, exercised)


def test_money_changing_workflows_include_automatic_refunds_only_when_every_condition_holds() -> None:
    automatic = [
        (call, action)
        for call in CALLS
        for action in classify(call.enriched, FAQ_REFUNDS)
        if action.workflow == "refund_approval" and not action.review_required
    ]
    assert automatic, "the set should hold at least one refund the FAQ lets run automatically"
    for call, action in automatic:
        assert not required_review(call, action, FAQ_REFUNDS)
    # Under the default policy no refund runs without a human.
    assert all(
        a.review_required for c in CALLS for a in classify(c.enriched, DEFAULT) if a.workflow == "refund_approval"
    )


def test_disputes_always_reach_both_their_ticket_topic_and_review() -> None:
    disputes = [a for call in CALLS for a in classify(call.enriched, DEFAULT) if a.workflow == "charge_dispute"]
    assert len(disputes) >= 20
    assert all(routes(a) == ["workflow.charge_dispute", "workflow.review"] and a.urgency == "urgent" for a in disputes)


def test_evidence_never_holds_emails_or_amounts() -> None:
    for call in CALLS:
        billing = call.enriched.call.billing
        secrets = [billing.email, billing.customer_name, str(billing.amount.amount) if billing.amount else None]
        for action in classify(call.enriched, DEFAULT):
            text = " ".join(action.evidence)
            assert "@" not in text
            assert not any(secret and secret in text for secret in secrets), (call.case_id, action.evidence)
